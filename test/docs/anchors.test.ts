import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../data-files.js';

// The docs cite each other by section (`energy-models.md#other-gpus`), in links and in running
// text; a renamed heading leaves every such citation pointing at the top of the page. The anchors
// are GitHub's: a heading's text in lower case, punctuation dropped, spaces as hyphens, a repeated
// heading suffixed -1, -2, …; an explicit `<a id="…">` counts too.

/** GitHub's anchor of a heading's text. */
function headingAnchor(text: string): string {
  return text
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown text defines. */
function anchorsOf(markdown: string): Set<string> {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = headingAnchor(m[1]!);
    const n = seen.get(base);
    seen.set(base, (n ?? -1) + 1);
    out.add(n === undefined ? base : `${base}-${n + 1}`);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]!);
  return out;
}

/** Section citations of a Markdown text: `[…](file.md#a)`, `[…](#a)` and a bare `file.md#a`. */
function citations(markdown: string, file: string): { target: string; anchor: string; as: string }[] {
  const out: { target: string; anchor: string; as: string }[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s#]*)#([^)\s]+)\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(m[1]!)) continue;
    const target = m[1] === '' ? file : normalize(join(dirname(file), m[1]!)).replaceAll('\\', '/');
    out.push({ target, anchor: m[2]!, as: m[0] });
  }
  // Running text names pages from the repository root (`docs/x.md#a`) or beside the page (`x.md#a`).
  for (const m of markdown.matchAll(/(?<![\w/(.-])((?:docs\/)?[a-z-]+\.md)#([a-z0-9-]+)/g)) {
    const target = m[1]!.startsWith('docs/') ? m[1]! : normalize(join(dirname(file), m[1]!)).replaceAll('\\', '/');
    out.push({ target, anchor: m[2]!, as: m[0] });
  }
  return out;
}

const PAGES = ['README.md', 'data/README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('section citations of the docs', () => {
  it('reads anchors as GitHub makes them (self-check)', () => {
    expect(headingAnchor('`argonne_hopper_diag.csv`')).toBe('argonne_hopper_diagcsv');
    expect(headingAnchor('Engines: the regime and the attention implementation')).toBe('engines-the-regime-and-the-attention-implementation');
    expect([...anchorsOf('# A\n## Limits\n```\n# not a heading\n```\n### Limits\n<a id="x"></a>')]).toEqual(['a', 'limits', 'limits-1', 'x']);
    expect(citations('see [m](fitting.md#priors), [n](#limits), docs/surface.md#memory and [o](https://e.org/a.md#b)', 'docs/x.md')).toEqual([
      { target: 'docs/fitting.md', anchor: 'priors', as: '](fitting.md#priors)' },
      { target: 'docs/x.md', anchor: 'limits', as: '](#limits)' },
      { target: 'docs/surface.md', anchor: 'memory', as: 'docs/surface.md#memory' },
    ]);
  });

  it('every section a page cites exists', () => {
    const anchors = new Map<string, Set<string>>();
    const broken: string[] = [];
    let count = 0;
    for (const page of PAGES) {
      for (const c of citations(readFileSync(join(ROOT, page), 'utf8'), page)) {
        count++;
        if (!existsSync(join(ROOT, c.target))) {
          broken.push(`${page}: ${c.as} (no such page)`);
          continue;
        }
        if (!anchors.has(c.target)) anchors.set(c.target, anchorsOf(readFileSync(join(ROOT, c.target), 'utf8')));
        if (!anchors.get(c.target)!.has(c.anchor)) broken.push(`${page}: ${c.as}`);
      }
    }
    expect(broken).toEqual([]);
    // The pages do cite sections (a reader that found none would pass vacuously).
    expect(count).toBeGreaterThan(50);
  });

  it('every section the code, scripts, benches and examples cite exists', () => {
    const files = (dir: string): string[] =>
      readdirSync(join(ROOT, dir)).flatMap((f) => {
        const path = `${dir}/${f}`;
        if (statSync(join(ROOT, path)).isDirectory()) return files(path);
        return /\.(ts|mts|mjs|js|sh)$/.test(f) ? [path] : [];
      });
    const broken: string[] = [];
    let count = 0;
    for (const file of ['src', 'scripts', 'bench', 'examples'].flatMap(files)) {
      // Code cites pages as docs/x.md#a (or x.md#a, meaning docs/x.md), often in parentheses.
      for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/(?<![\w.-])(?:docs\/)?([a-z-]+\.md)#([a-z0-9_-]+)/g)) {
        const c = { target: `docs/${m[1]!}`, anchor: m[2]!, as: m[0] };
        count++;
        if (!existsSync(join(ROOT, c.target))) {
          broken.push(`${file}: ${c.as} (no such page)`);
          continue;
        }
        if (!anchorsOf(readFileSync(join(ROOT, c.target), 'utf8')).has(c.anchor)) broken.push(`${file}: ${c.as}`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(100);
  });
});
