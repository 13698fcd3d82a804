import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { linearWidth, tableFromRows, tableRow } from '../../src/fit/index.js';
import type { Measurement } from '../../src/fit/data/measurement.js';

// Per-row and per-iteration helpers as sweetspot/fit exports them: checked, and otherwise the same.

const ROWS: Measurement[] = [
  { model: 'llama-2-7b', nIn: 128, nOut: 64, energyJ: 210.5, batchSize: 1, kvCache: true, extra: {} },
  { model: 'mistral-7b', nIn: 256, nOut: 32, energyJ: 190, batchSize: 2, kvCache: false, gpu: 'H100 SXM', extra: { note: 'x' } },
];

describe('tableRow (exported, checked)', () => {
  it('gives back each row a table was made from', () => {
    const t = tableFromRows(ROWS);
    expect(tableRow(t, 0)).toEqual(ROWS[0]);
    expect(tableRow(t, 1)).toEqual(ROWS[1]);
  });
  it('names a row index outside the table and a value that is no table', () => {
    const t = tableFromRows(ROWS);
    expect(() => tableRow(t, 2)).toThrow(/^tableRow\(i\): expected a row index in 0\.\.1, got 2$/);
    expect(() => tableRow(t, 'x' as never)).toThrow(/^tableRow\(i\): .*got "x"/);
    expect(() => tableRow(t, 0.5)).toThrow(SweetspotInputError);
    expect(() => tableRow(Object.create(null) as never, 0)).toThrow(/^tableRow\(table\): expected a MeasurementTable/);
  });
});

describe('linearWidth (exported, checked)', () => {
  it('is w·c on a log scale and w on a linear one', () => {
    expect(linearWidth({ center: 200, width: 0.5, scale: 'log', source: '' })).toBe(100);
    expect(linearWidth({ center: 200, width: 3, scale: 'linear', source: '' })).toBe(3);
  });
  it('names a bad prior', () => {
    expect(() => linearWidth({ center: 'x', width: 0.5, scale: 'log', source: '' } as never)).toThrow(/^linearWidth\(prior\): expected a ParamPrior: center must be a finite number/);
    expect(() => linearWidth({ center: 1, width: 0.5, scale: 'ln', source: '' } as never)).toThrow(/^linearWidth\(prior\): scale must be 'log' or 'linear', got "ln"/);
    expect(() => linearWidth({ center: 1, width: -1, scale: 'linear', source: '' })).toThrow(/width must be ≥ 0/);
    expect(() => linearWidth({ center: 1e300, width: 1e300, scale: 'log', source: '' })).toThrow(/the width overflows/);
  });
});
