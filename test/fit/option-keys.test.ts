import { describe, expect, it } from 'vitest';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { tableFromRows } from '../../src/fit/data/table.js';
import { crossValidate } from '../../src/fit/evaluate/cv.js';
import { evaluate, predictRows, predictTable } from '../../src/fit/evaluate/evaluate.js';
import { prepareRows, prepareTable } from '../../src/fit/prepare.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { inputError } from '../adversarial/helpers.js';
import { lengths, noise } from './helpers.js';

const THETA = [2e-5, 0.05, 3e-3, 1e-3, 3, 20];
const lines = ['model,n_in,n_out,energy_j'];
let k = 0;
for (const i of [16, 64, 256, 1024]) for (const o of [8, 64, 512]) lines.push(`llama-2-7b,${i},${o},${sweetspotForm.predictJ(THETA, lengths(i, o), {}) * noise(k++, 0.01)}`);
const rows = readMeasurements(lines.join('\n'), { defaults: { kvCache: true } }).rows;
const { calibration } = calibrate(rows, { form: sweetspotForm, prior: 'none', baselines: [] });

// A misspelt option was ignored: `prio: 'none'` fitted with the physics prior, `levl: 0.5` checked
// 90 % intervals, and nothing said so.
describe('unknown keys of the fitting entry points are refused by name', () => {
  it('calibrate and crossValidate name the key, the nearest known one, and every known one', async () => {
    await inputError(() => calibrate(rows, { form: sweetspotForm, prio: 'none' } as never), [
      'calibrate options: unknown key "prio" (did you mean prior?); known: form, fix, formula, profile, precision, baselines, lm, gpu, engine, note, prior, resolve, weightBytes, kvBytes, attention, terms',
    ]);
    await inputError(() => crossValidate(rows, { kind: 'k-fold', k: 3 }, { form: sweetspotForm, levl: 0.5 } as never), [
      'crossValidate options: unknown key "levl" (did you mean level?); known: form, fix, baselines, profile, precision, lm, prior, level, resolve, weightBytes, kvBytes, attention, terms',
    ]);
    // CvOptions' own keys are refused by calibrate, which has no such option.
    await inputError(() => calibrate(rows, { form: sweetspotForm, level: 0.5 } as never), ['calibrate options: unknown key "level"']);
  });

  it('evaluate, predictTable and predictRows check their options, null included', async () => {
    await inputError(() => evaluate(calibration, rows, { baseline: [] } as never), ['evaluate options: unknown key "baseline" (did you mean baselines?); known: resolve, form, baselines, level']);
    await inputError(() => evaluate(calibration, rows, null as never), ['evaluate: options must be an object, got null']);
    const table = tableFromRows(rows);
    await inputError(() => predictTable(calibration, table, prepareTable(table), { levels: 0.9 } as never), ['predictTable options: unknown key "levels" (did you mean level?)']);
    await inputError(() => predictRows(calibration, prepareRows(rows), { fom: sweetspotForm } as never), ['predictRows options: unknown key "fom" (did you mean form?)']);
  });

  it('known keys, and unknown ones given as undefined, still work', () => {
    const ev = evaluate(calibration, rows, { baselines: [], level: 0.9, resolve: undefined, other: undefined } as never);
    expect(ev.n).toBe(rows.length);
    const table = tableFromRows(rows);
    // The same predictions by the table and by the rows (two paths to one answer).
    expect(predictTable(calibration, table, prepareTable(table))).toEqual(predictRows(calibration, prepareRows(rows), {}));
    const cv = crossValidate(rows, { kind: 'k-fold', k: 3 }, { form: sweetspotForm, prior: 'none', baselines: [], fix: undefined });
    expect(cv.results.sweetspot.mape).toBeLessThan(5);
  });
});
