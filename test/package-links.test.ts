import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './data-files.js';

// The README is the package's front page: a relative link in it, or in a doc it links to, must
// resolve to a file that `npm pack` puts in the package (package.json `files`), or a reader of the
// installed package (or of the registry's page) follows it into nothing.

/** Relative link targets of a Markdown text, anchors and absolute URLs left out. */
function relativeLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    out.push(target);
  }
  return out;
}

function packedFiles(): Set<string> {
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })
    : spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
  return new Set(pack.files.map((f) => f.path));
}

describe('links of the packaged docs', () => {
  it('finds relative links and only those (self-check)', () => {
    expect(relativeLinks('[a](docs/x.md) [b](https://e.org/y.md) [c](#z) [d](y.md#s "t") ![e](p.png) [f](mailto:a@b)')).toEqual(['docs/x.md', 'y.md', 'p.png']);
  });

  it('every relative link of README.md and of the docs it reaches resolves inside the npm package', () => {
    const packed = packedFiles();
    expect(packed.has('README.md')).toBe(true);
    expect(packed.has('package.json')).toBe(true);
    const seen = new Set<string>();
    const broken: string[] = [];
    const queue = ['README.md'];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const link of relativeLinks(readFileSync(join(ROOT, file), 'utf8'))) {
        const target = normalize(join(dirname(file), decodeURI(link))).replaceAll('\\', '/');
        if (!packed.has(target)) broken.push(`${file} → ${link}`);
        else if (target.endsWith('.md')) queue.push(target);
      }
    }
    expect(broken).toEqual([]);
    // The walk reached the docs (a README without links would pass vacuously).
    expect(seen.has('docs/fitting.md')).toBe(true);
    expect(seen.has('docs/conventions.md')).toBe(true);
    // Data and the source tree stay out of the package: the library reads no file at run time.
    expect([...packed].filter((p) => /^(data|src|test|bench)\//.test(p))).toEqual([]);
  });
});
