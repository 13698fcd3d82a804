import { describe, expect, it } from 'vitest';
import { configKey, groupRepeats, noiseFloor, tableRepeats } from '../../../src/fit/evaluate/repeats.js';
import { tableFromRows } from '../../../src/fit/data/table.js';
import type { Measurement } from '../../../src/fit/data/measurement.js';
import { MeasurementSchema } from '../../../src/fit/data/schemas.js';

const row = (nIn: number, energyJ: number, model = 'm'): Measurement => MeasurementSchema.parse({ model, nIn, nOut: 4, energyJ });

/** The definition, by brute force: rows with equal configKey, groups by first appearance. */
function byConfigKey(rows: readonly Measurement[]): { key: string; indices: number[]; meanEnergyJ: number }[] {
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = configKey(r);
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(i);
  });
  return [...byKey].map(([key, indices]) => ({ key, indices, meanEnergyJ: indices.reduce((s, i) => s + rows[i].energyJ, 0) / indices.length }));
}

describe('repeats and the noise floor', () => {
  it('groups rows of one configuration and averages them', () => {
    const g = groupRepeats([row(1, 90), row(2, 50), row(1, 110), row(1, 100, 'other')]);
    expect(g.map((x) => [x.indices, x.meanEnergyJ])).toEqual([
      [[0, 2], 100],
      [[1], 50],
      [[3], 100],
    ]);
  });

  it('is the MAPE of repeated rows against their group mean (hand computation)', () => {
    // group A: 90, 110 (mean 100): |−10|/90, |10|/110; group B: 40, 60, 50 (mean 50): 10/40, 10/60, 0/50.
    const nf = noiseFloor([row(1, 90), row(1, 110), row(2, 40), row(2, 60), row(2, 50), row(3, 7)]);
    const expected = (100 * (10 / 90 + 10 / 110 + 10 / 40 + 10 / 60 + 0)) / 5;
    expect(nf.mapePct).toBeCloseTo(expected, 12);
    expect(nf).toMatchObject({ rows: 5, groups: 2, configurations: 3 });
  });

  it('is null, not 0, without repeats', () => {
    expect(noiseFloor([row(1, 1), row(2, 2)]).mapePct).toBeNull();
  });

  it('equals the definition over the configKey groups on random rows with many repeats', () => {
    let seed = 7;
    const u = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    // Two models, two GPUs (one left empty, which is the same configuration as no GPU at all), and
    // in a second pass some prompts past 2^21 tokens (the keys then fall back to strings).
    for (const far of [0, 2 ** 21]) {
      const rows = Array.from({ length: 3000 }, () => {
        const r = row(1 + Math.floor(u() * 400) + (u() < 0.1 ? far : 0), 10 + 90 * u(), u() < 0.5 ? 'a' : 'b');
        const gpu = u();
        return gpu < 0.3 ? { ...r, gpu: 'H100' } : gpu < 0.6 ? { ...r, gpu: '' } : r;
      });
      let sum = 0;
      let count = 0;
      const groups = byConfigKey(rows);
      expect(groupRepeats(rows)).toEqual(groups);
      for (const g of groups) {
        if (g.indices.length < 2) continue;
        for (const i of g.indices) sum += Math.abs(rows[i].energyJ - g.meanEnergyJ) / rows[i].energyJ;
        count += g.indices.length;
      }
      const nf = noiseFloor(rows);
      expect(Math.abs(nf.mapePct! - (100 * sum) / count)).toBeLessThan(1e-12 * nf.mapePct!);
      expect(nf).toMatchObject({ rows: count, groups: groups.filter((g) => g.indices.length > 1).length, configurations: groups.length });
    }
  });

  it('gives a table its configurations in the order and with the rows of the configKey groups', () => {
    // Small lengths (the packed numeric keys) and lengths past 2²¹ (the string keys), with an
    // absent GPU beside an empty one (one configuration) and another GPU (another).
    for (const big of [0, 2 ** 21]) {
      const rows: Measurement[] = [];
      for (let i = 0; i < 60; i++) {
        const r = row(big + 1 + ((i * 7) % 5), 50 + i, i % 4 === 0 ? 'other' : 'm');
        rows.push(i % 3 === 0 ? r : { ...r, gpu: i % 3 === 1 ? '' : 'H100' });
      }
      const { count, start, rows: order } = tableRepeats(tableFromRows(rows));
      const groups = byConfigKey(rows);
      expect(groupRepeats(rows)).toEqual(groups);
      expect(count).toBe(groups.length);
      expect(groups.map((_, g) => Array.from(order.subarray(start[g], start[g + 1])))).toEqual(groups.map((g) => g.indices));
    }
  });
});
