import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalRows, rowsSha256 } from '../../../src/fit/data/canonical.js';
import type { Measurement } from '../../../src/fit/data/measurement.js';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { dataFile } from '../../data-files.js';

/** The canonical text as it was first defined: every row's JSON field array, sorted as strings. */
function referenceText(rows: readonly Measurement[]): string {
  return rows
    .map((r) => JSON.stringify([r.model, r.nIn, r.nOut, r.energyJ, r.batchSize, r.gpu ?? null, r.engine ?? null, Boolean(r.kvCache), r.latencyS ?? null, r.repeats ?? null, r.notes ?? null]))
    .sort()
    .join('\n');
}
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Deterministic pseudo-random numbers in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

/** Rows that stress the string order: names that are prefixes of others, commas, quotes, escapes, numbers of every length and notation. */
function randomRows(n: number, seed: number): Measurement[] {
  const u = uniform(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(u() * xs.length)];
  const names = ['m', 'm2', 'm ', 'm!', 'm"q', 'm,1', 'mé', 'm\\x', 'm\n', 'llama-3.1-8b', 'llama-3.1-8b-instruct', 'Z', '😀'];
  const energies = () => pick([() => u() * 1000, () => Math.round(u() * 1000), () => u() * 1e-8 + 1e-9, () => u() * 1e22, () => 21, () => 2.1, () => 210])();
  return Array.from({ length: n }, () => ({
    model: pick(names),
    nIn: pick([1, 2, 10, 12, 100, 128, 1280, 9, 1e21, 2e21]),
    nOut: 1 + Math.floor(u() * pick([3, 30, 3000])),
    energyJ: energies(),
    batchSize: pick([1, 1, 1, 8, 16]),
    gpu: pick([undefined, 'G', 'G2', 'NVIDIA H100']),
    engine: pick([undefined, 'vllm', 'vllm,0.6']),
    kvCache: u() < 0.8,
    latencyS: pick([undefined, u(), 0, 12.5]),
    repeats: pick([undefined, 1, 3, 10]),
    notes: pick([undefined, '', 'a', 'a,b', 'a]']),
    extra: {},
  }));
}

describe('canonical rows', () => {
  it('give the text and SHA-256 of the string-sorted definition on the public data', () => {
    for (const file of ['argonne_hopper_diag.csv', 'wilkins_a100_1d_sweeps.csv']) {
      const rows = readMeasurements(readFileSync(dataFile(file), 'utf8')).rows;
      expect(rows.length).toBeGreaterThan(10);
      const want = referenceText(rows);
      expect(canonicalRows(rows)).toBe(want);
      expect(rowsSha256(rows)).toBe(sha(want));
    }
  });

  it('give the text and SHA-256 of the string-sorted definition on random rows, in any order', () => {
    for (const [n, seed] of [[0, 1], [1, 2], [7, 3], [500, 4], [20000, 5]] as const) {
      const rows = randomRows(n, seed);
      const want = referenceText(rows);
      expect(canonicalRows(rows)).toBe(want);
      expect(rowsSha256(rows)).toBe(sha(want));
      expect(rowsSha256([...rows].reverse())).toBe(sha(want));
    }
  });

  it('order rows that tie on many-valued fields (one energy per row, shared lengths) as strings do', () => {
    // More distinct energies than the numeric keys rank: ties on (model, n_in, n_out) are ordered by text.
    const u = uniform(9);
    const rows: Measurement[] = Array.from({ length: 80000 }, (_, i) => ({
      model: i % 2 ? 'a' : 'ab',
      nIn: 1 + (i % 5),
      nOut: 10,
      energyJ: u() * 100,
      batchSize: 1,
      kvCache: true,
      latencyS: u(),
      extra: {},
    }));
    const want = referenceText(rows);
    expect(rowsSha256(rows)).toBe(sha(want));
    // A first field with more distinct values than ranked: still the same text.
    const distinct = rows.map((r, i) => ({ ...r, model: `m${(i * 7919) % 70001}` }));
    expect(canonicalRows(distinct)).toBe(referenceText(distinct));
  });
});
