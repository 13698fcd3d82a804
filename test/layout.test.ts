import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './data-files.js';

// The layout README.md describes: layers as folders under src/, dependencies pointing one way, and
// folders small enough to take in at a glance (a folder past a dozen modules is grouped by idea).
const SRC = join(ROOT, 'src');
// What each layer may import besides itself. Files directly under src/ (errors, freeze, zod, …)
// are shared helpers every layer may use; they import no layer.
const MAY_IMPORT: Record<string, readonly string[]> = {
  architecture: [],
  complexity: ['architecture'],
  energy: ['architecture', 'complexity'],
  fit: ['architecture', 'complexity', 'energy'],
  surface: ['architecture', 'complexity', 'energy'],
  nvml: ['fit'],
  cli: ['architecture', 'complexity', 'energy', 'fit', 'surface', 'nvml'],
  index: ['architecture', 'complexity', 'energy', 'fit', 'surface'],
};
const MAX_MODULES = 12;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The layer of a path under src/: its first folder, or the file's name for files directly under src/. */
function layerOf(path: string): string {
  return relative(SRC, path).split(/[\\/]/)[0].replace(/\.(ts|js)$/, '');
}

describe('source layout', () => {
  const sources = files(SRC);

  it('imports point one way between layers', () => {
    const wrong: string[] = [];
    let edges = 0;
    for (const file of sources) {
      const from = layerOf(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g)) {
        const to = layerOf(normalize(join(dirname(file), m[1])));
        if (to === from) continue;
        edges++;
        // A shared helper may be imported by anyone; a layer only by the layers above it.
        if (to in MAY_IMPORT && !(MAY_IMPORT[from] ?? []).includes(to)) {
          wrong.push(`${relative(ROOT, file)} imports ${m[1]} (${from} → ${to})`);
        }
      }
    }
    expect(edges).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('keeps every folder to at most a dozen modules besides its index', () => {
    const counts = new Map<string, number>();
    for (const file of sources) {
      if (/[\\/]index\.ts$/.test(file)) continue;
      const dir = relative(ROOT, dirname(file));
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
    }
    expect(counts.size).toBeGreaterThan(15);
    const crowded = [...counts].filter(([, n]) => n > MAX_MODULES).map(([dir, n]) => `${dir}: ${n} modules`);
    expect(crowded).toEqual([]);
  });
});
