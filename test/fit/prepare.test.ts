import { describe, expect, it } from 'vitest';
import { prepareRows, subset } from '../../src/fit/prepare.js';
import { measurementRows } from '../../src/fit/data/rows.js';

const H100 = 'NVIDIA H100 80GB HBM3';
// Two spellings of one preset, a model no architecture is found for, and calls on 2 and 1 GPUs.
const rows = measurementRows(
  [
    { model: 'llama-3.1-8b', nIn: 128, nOut: 4, energyJ: 10, gpu: `2x ${H100}` },
    { model: 'meta-llama/Llama-3.1-8B', nIn: 256, nOut: 8, energyJ: 20, gpu: H100 },
    { model: 'unknown-x', nIn: 5, nOut: 3, energyJ: 30, gpu: H100 },
  ],
  'test',
).rows;

describe('subset', () => {
  it('gives the example of its doc comment', () => {
    expect(subset(prepareRows(rows), [0, 2]).rows.length).toBe(2);
  });

  it('is the rows at the indices prepared on their own, with the labels of the whole', () => {
    const idx = [2, 0, 2];
    const s = subset(prepareRows(rows), idx);
    // A second way: prepare the picked rows alone.
    const alone = prepareRows(idx.map((i) => rows[i]));
    expect(s.rows).toEqual(alone.rows);
    expect(s.features).toEqual(alone.features);
    expect(s.keys).toEqual(['unknown-x', 'llama-3.1-8b', 'unknown-x']);
    expect(s.measuredJ).toEqual([30, 10, 30]);
    expect(s.labels).toEqual(['rows[2]', 'rows[0]', 'rows[2]']);
    // Unresolved models are those of the whole, as the fits' messages name them.
    expect(s.unresolved).toEqual(['unknown-x']);
    expect([0, 1, 2].map((k) => s.gpus?.at(k))).toEqual([1, 2, 1]);
  });

  it('keeps the key of a model spelled two ways, and no GPU counts where every row ran on one', () => {
    const one = measurementRows([{ model: 'llama-3.1-8b', nIn: 1, nOut: 1, energyJ: 1 }, { model: 'meta-llama/Llama-3.1-8B', nIn: 2, nOut: 2, energyJ: 2 }], 'test').rows;
    const s = subset(prepareRows(one), [1]);
    expect(s.keys).toEqual(['llama-3.1-8b']);
    expect(s.gpus ?? null).toBeNull();
    expect(subset(prepareRows(one), []).rows).toEqual([]);
  });
});
