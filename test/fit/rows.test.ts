import { describe, expect, it } from 'vitest';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { crossValidate } from '../../src/fit/cv.js';
import { evaluate } from '../../src/fit/evaluate.js';
import type { MeasurementInput } from '../../src/fit/measurement.js';
import { MeasurementSchema } from '../../src/fit/schemas.js';
import { measurementRows } from '../../src/fit/rows.js';
import { SweetspotInputError } from '../../src/errors.js';
import { lengths, noise } from './helpers.js';

const THETA = [2e-5, 0.05, 3e-3, 1e-3, 3, 20];
let k = 0;
// Rows as a database gives them: no kv_cache, batch on some rows only.
const plain: MeasurementInput[] = ['llama-2-7b', 'mistral-7b'].flatMap((model) =>
  [16, 64, 256, 1024].flatMap((i) =>
    [8, 64, 512].map((o) => ({ model, nIn: i, nOut: o, energyJ: sweetspotForm.predictJ(THETA, lengths(i, o), {}) * noise(k++, 0.02), ...(i === 16 ? { batchSize: 1 } : {}) })),
  ),
);

describe('plain rows in', () => {
  it('validates them once, the same as the schema, and counts what the schema assumed', () => {
    const { rows, defaulted } = measurementRows(plain, 'evaluate');
    expect(rows).toEqual(plain.map((r) => MeasurementSchema.parse(r)));
    // 24 rows without kvCache; 18 without batchSize (those with nIn ≠ 16).
    expect(defaulted).toEqual([
      { field: 'kvCache', value: true, rows: 24, source: 'schema' },
      { field: 'batchSize', value: 1, rows: 18, source: 'schema' },
    ]);
  });

  it('evaluate and crossValidate take them and say what was assumed', () => {
    const { calibration } = calibrate(plain, { form: sweetspotForm });
    const ev = evaluate(calibration, plain);
    expect(ev.n).toBe(24);
    expect(ev.mape).toBeLessThan(3);
    expect(ev.defaulted).toContainEqual({ field: 'kvCache', value: true, rows: 24, source: 'schema' });
    const cv = crossValidate(plain, { kind: 'k-fold', k: 3 }, { form: sweetspotForm });
    expect(cv.results.sweetspot.n).toBe(24);
    expect(cv.defaulted).toEqual(ev.defaulted);
  });

  it('names every bad row by its index, in evaluate and crossValidate alike', () => {
    const bad = plain.map((r, i) => (i === 2 ? { ...r, nOut: 1.5 } : i === 7 ? { ...r, model: '' } : r));
    for (const [fn, where] of [
      [() => evaluate(calibrate(plain, { form: sweetspotForm }).calibration, bad), 'evaluate'],
      [() => crossValidate(bad, { kind: 'k-fold', k: 3 }, { form: sweetspotForm }), 'crossValidate'],
    ] as const) {
      let error: SweetspotInputError | undefined;
      try {
        fn();
      } catch (e) {
        error = e as SweetspotInputError;
      }
      expect(error).toBeInstanceOf(SweetspotInputError);
      expect(error!.message).toMatch(new RegExp(`^${where}\\(rows\\): 2 bad value\\(s\\)`));
      expect(error!.issues.map((m) => m.split(':')[0])).toEqual(['rows[2]', 'rows[7]']);
      expect(error!.issues[0]).toMatch(/nOut: .*\(got 1\.5\)/);
    }
  });

  it('names the line of a row read from a file, beside its index', () => {
    expect(() => measurementRows([{ model: 'm', nIn: 0, nOut: 1, energyJ: 1, line: 12 }], 'calibrate')).toThrow(/rows\[0\] \(line 12\): nIn: /);
  });
});
