import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hardwareForm } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { crossValidate } from '../../../src/fit/evaluate/cv.js';
import { cvFolds, groupByColumns } from '../../../src/fit/evaluate/folds.js';
import { filterMeasurements } from '../../../src/fit/data/filter.js';
import type { Measurement } from '../../../src/fit/data/measurement.js';
import { selectRows, tableFromRows, type MeasurementTable } from '../../../src/fit/data/table.js';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { dataFile } from '../../data-files.js';
import { lengths, noise } from '../helpers.js';

const THETA = [2e-7, 3e-3, 4e-6, 1e-6, 0.15, 3];

/**
 * A table of one model built column by column: 600 prompt lengths × 100 output lengths, each
 * configuration measured `repeats` times with ±2 % noise; and each row's true energy.
 */
function sweepTable(repeats: number): { table: MeasurementTable; trueJ: Float64Array } {
  const n = 600 * 100 * repeats;
  const nIn = new Float64Array(n);
  const nOut = new Float64Array(n);
  const energyJ = new Float64Array(n);
  const trueJ = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    nIn[k] = 64 + (k % 600) * 6;
    nOut[k] = 64 + (Math.floor(k / 600) % 100) * 40;
    trueJ[k] = sweetspotForm.predictJ(THETA, lengths(nIn[k], nOut[k]), {});
    energyJ[k] = trueJ[k] * noise(k, 0.02);
  }
  const none = () => ({ texts: [], codes: new Int32Array(n).fill(-1) });
  const table: MeasurementTable = {
    kind: 'measurement-table',
    length: n,
    model: { texts: ['llama-3.1-8b'], codes: new Int32Array(n) },
    gpu: none(),
    engine: none(),
    notes: none(),
    nIn,
    nOut,
    batchSize: new Float64Array(n).fill(1),
    energyJ,
    kvCache: new Uint8Array(n).fill(1),
    latencyS: new Float64Array(n).fill(NaN),
    repeats: new Float64Array(n).fill(NaN),
    line: new Float64Array(n).fill(NaN),
    extra: new Map(),
  };
  return { table, trueJ };
}

describe('crossValidate on a measurement table', () => {
  it('cross-validates 300,000 rows in two folds of 150,000 (which overflowed the stack when the test rows were spread as arguments)', () => {
    const { table, trueJ } = sweepTable(5);
    const cv = crossValidate(table, { kind: 'k-fold', k: 2 }, { form: sweetspotForm, baselines: [], prior: 'none' });
    const s = cv.results.sweetspot;
    // 60,000 configurations of 5 repeats each, dealt alternately: 30,000 configurations a fold.
    expect(s.folds.map((f) => [f.testRows, f.trainRows, f.error])).toEqual([
      [150_000, 150_000, undefined],
      [150_000, 150_000, undefined],
    ]);
    expect(s).toMatchObject({ n: 300_000, unpredicted: 0, failedFolds: 0 });
    expect(cv.noiseFloor).toMatchObject({ configurations: 60_000, groups: 60_000, rows: 300_000 });
    // The pooled MAPE is the mean APE over every test row, so the folds' MAPEs weighted by their rows.
    const weighted = s.folds.reduce((sum, f) => sum + f.mape! * f.testRows, 0) / 300_000;
    expect(Math.abs(s.mape! - weighted)).toBeLessThan(1e-9 * weighted);
    // Fitted on 150,000 rows, the form predicts almost the true energies: the MAPE is that of the
    // true energies against the noisy ones, recomputed here row by row.
    let truthApe = 0;
    for (let i = 0; i < table.length; i++) truthApe += Math.abs(trueJ[i] - table.energyJ[i]) / table.energyJ[i];
    expect(Math.abs(s.mape! - (100 * truthApe) / table.length)).toBeLessThan(0.02);
    expect(s.coverage!.n).toBe(300_000);
  });

  const all = readMeasurements(readFileSync(dataFile('wilkins_a100_1d_sweeps.csv'), 'utf8'), { defaults: { kvCache: false } }).rows;
  const swing = filterMeasurements(all, { where: ['system=argonne-swing'], excludeNotes: 'iteration 0|exceeds' }).rows;

  it('gives the rows and their table the same results, folds grouped by columns included', () => {
    const table = tableFromRows(swing);
    const scheme = (rows: typeof swing | MeasurementTable) => ({ kind: 'k-fold' as const, k: 5, groupBy: groupByColumns(rows, ['n_in', 'n_out_max']) });
    const options = { form: hardwareForm(), attention: 'transformers-sdpa' as const };
    const fromRows = crossValidate(swing, scheme(swing), options);
    const fromTable = crossValidate(table, scheme(table), options);
    expect(fromTable).toEqual(fromRows);
    const lomo = crossValidate(table, { kind: 'leave-one-model-out' }, { form: sweetspotForm });
    expect(lomo.results.sweetspot.folds.map((f) => f.testRows)).toEqual(lomo.results.linear.folds.map((f) => f.testRows));
    // A split's predicates see row objects of the table.
    const split = crossValidate(table, { kind: 'split', name: 'input → output', train: (r) => r.extra.sweep === 'input', test: (r) => r.extra.sweep === 'output' }, options);
    expect(split.results.hardware.n).toBe(swing.filter((r) => r.extra.sweep === 'output').length);
  });

  it('folds a table whose texts include some no row uses (a selection) as its rows', () => {
    const table = tableFromRows(all);
    const picked = swing.map((r) => all.indexOf(r));
    const selected = selectRows(table, picked);
    const keys = swing.map((r) => r.model);
    expect(cvFolds(selected, keys, { kind: 'k-fold', k: 4, seed: 5 })).toEqual(cvFolds(swing, keys, { kind: 'k-fold', k: 4, seed: 5 }));
    expect(() => groupByColumns(selected, ['colour'])).toThrow(/groupByColumns\(rows, \['colour'\]\): no such column/);
  });

  it('reads the columns of groupByColumns from a table as the row objects give them', () => {
    // A third of the rows without latency, repeats or GPU: absent optional values.
    const rows = all.map((r, i): Measurement => (i % 3 ? r : { ...r, latencyS: undefined, repeats: undefined, gpu: undefined }));
    const table = tableFromRows(rows);
    const keys = rows.map((r) => r.model);
    // Numbers, absent optional numbers, texts (some absent), the regime and an extra column.
    for (const columns of [['n_in', 'n_out_max'], ['latency_s'], ['gpu', 'notes'], ['kv_cache', 'repeats', 'engine'], ['model', 'sweep', 'energy_j']]) {
      const groupBy = groupByColumns(table, columns);
      // A function groupByColumns did not make sees row objects: the path every other groupBy takes.
      const viaRows = (r: Measurement) => groupBy(r);
      expect(cvFolds(table, keys, { kind: 'k-fold', k: 3, seed: 2, groupBy })).toEqual(cvFolds(table, keys, { kind: 'k-fold', k: 3, seed: 2, groupBy: viaRows }));
      expect(cvFolds(rows, keys, { kind: 'k-fold', k: 3, seed: 2, groupBy })).toEqual(cvFolds(table, keys, { kind: 'k-fold', k: 3, seed: 2, groupBy }));
    }
  });

  it('names a bad cell of a table', () => {
    const { table } = sweepTable(1);
    table.energyJ[3] = -1;
    expect(() => crossValidate(table, { kind: 'k-fold', k: 2 }, { form: sweetspotForm })).toThrow(/crossValidate\(table\): 1 bad value\(s\): rows\[3\]: energyJ/);
  });
});
