import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './data-files.js';

// The repository stands alone: nothing it runs, tests, benchmarks or documents may read a folder
// beside the checkout or cite a design file that is not in it (docs/*.md hold the contract). The
// forbidden words are assembled from pieces so that this file does not flag itself.
const FORBIDDEN: readonly RegExp[] = [new RegExp(['\\.\\.', '[\\\\/]', 'shared'].join('')), new RegExp(['DESIGN', '\\.md'].join(''))];
const FOLDERS = ['src', 'test', 'bench', 'examples', 'scripts', 'docs', 'data', '.ci'];
const FILES = ['README.md', 'package.json'];
// Generated or installed, not written here.
const SKIP = new Set(['node_modules', 'dist', 'out', 'api']);
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|py|sh|md|json|c|h|txt|csv|yml|yaml)$|^run$/;

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && TEXT.test(entry.name)) out.push(path);
  }
  return out;
}

/** `file:line: text` for every line of the files under `root` that names a forbidden path. */
function offences(root: string, folders: readonly string[], files: readonly string[]): { scanned: string[]; found: string[] } {
  const scanned = [...folders.flatMap((f) => walk(join(root, f), [])), ...files.map((f) => join(root, f))];
  const found: string[] = [];
  for (const path of scanned) {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, k) => {
        if (FORBIDDEN.some((re) => re.test(line))) found.push(`${relative(root, path)}:${k + 1}: ${line.trim()}`);
      });
  }
  return { scanned: scanned.map((p) => relative(root, p)), found };
}

describe('the repository stands alone', () => {
  it('no file under src, test, bench, examples, scripts, docs, data or .ci names a folder beside the checkout or a missing design file', () => {
    const { scanned, found } = offences(ROOT, FOLDERS, FILES);
    // The walk really covers the tree (an empty walk would pass vacuously): this file, the sources, the bench, the CI script.
    expect(scanned).toContain('test/standalone.test.ts');
    expect(scanned).toContain('src/index.ts');
    expect(scanned).toContain('bench/run.mjs');
    expect(scanned).toContain('.ci/run');
    expect(scanned.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });

  it('the same scan flags each forbidden form (self-check)', () => {
    const root = mkdtempSync(join(tmpdir(), 'standalone-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), ['ok', `readFileSync('${'..'}/shared/data/x.csv')`, 'ok'].join('\n'));
    writeFileSync(join(root, 'src', 'b.md'), `see ${'DESIGN'}.md §3\nand ${'..'}\\shared\\x on Windows`);
    writeFileSync(join(root, 'src', 'c.py'), 'nothing to see: shared data, design notes\n');
    const { found } = offences(root, ['src'], []);
    expect(found).toEqual([
      `src/a.ts:2: readFileSync('${'..'}/shared/data/x.csv')`,
      `src/b.md:1: see ${'DESIGN'}.md §3`,
      `src/b.md:2: and ${'..'}\\shared\\x on Windows`,
    ]);
  });
});
