import { describe, expect, it } from 'vitest';
import { featureColumn, rowsAt } from '../../../src/fit/data/row-list.js';
import { measurementFeatures } from '../../../src/fit/features.js';
import { measurementRows } from '../../../src/fit/data/rows.js';
import { requestTerms } from '../../../src/complexity/terms.js';
import { preset } from '../../../src/architecture/registry.js';
import { resolveArchitecture } from '../../../src/architecture/resolve.js';
import { SweetspotInputError } from '../../../src/errors.js';

const rows = measurementRows(
  [
    { model: 'llama-3.1-8b', nIn: 128, nOut: 4, energyJ: 1, batchSize: 2 },
    { model: 'llama-3.1-8b', nIn: 256, nOut: 16, energyJ: 2 },
  ],
  'test',
).rows;

describe('featureColumn', () => {
  it('gives the example of its doc comment', () => {
    expect(featureColumn(measurementFeatures(rows), 'nIn')).toEqual([128, 256]);
  });

  it('reads the lengths and batch as the rows give them, and the terms as requestTerms computes them', () => {
    const x = measurementFeatures(rows, { resolve: resolveArchitecture });
    expect(featureColumn(x, 'nOut')).toEqual([4, 16]);
    expect(featureColumn(x, 'batch')).toEqual([2, 1]);
    const arch = preset('llama-3.1-8b');
    const flops = [requestTerms(arch, { nIn: 128, nOut: 4, batch: 2 }).prefill.flops, requestTerms(arch, { nIn: 256, nOut: 16, batch: 1 }).prefill.flops];
    const column = featureColumn(x, 'prefillFlops');
    column.forEach((v, i) => expect(v / flops[i]).toBeCloseTo(1, 12));
  });

  it('reads a view of rows in the view order', () => {
    expect(featureColumn(rowsAt(measurementFeatures(rows), [1, 0, 1]), 'nOut')).toEqual([16, 4, 16]);
  });

  it('names the argument for a field that is not a feature or a list that is not one', () => {
    const x = measurementFeatures(rows);
    expect(() => featureColumn(x, 'gpus' as never)).toThrow(SweetspotInputError);
    expect(() => featureColumn(x, 'energyJ' as never)).toThrow(/featureColumn\(features, name\): expected one of nIn, nOut/);
    expect(() => featureColumn(null as never, 'nIn')).toThrow(/featureColumn\(features\)/);
  });
});
