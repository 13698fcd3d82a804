import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { calibrate } from '../../../src/fit/calibrate.js';
import { crossValidate } from '../../../src/fit/evaluate/cv.js';
import { evaluate } from '../../../src/fit/evaluate/evaluate.js';
import type { MeasurementInput } from '../../../src/fit/data/measurement.js';
import { MeasurementSchema } from '../../../src/fit/data/schemas.js';
import { measurementRows } from '../../../src/fit/data/rows.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { lengths, noise } from '../helpers.js';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { dataFile } from '../../data-files.js';

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

describe('measurementRows on rows that are already whole measurements', () => {
  const whole = { model: 'llama-2-7b', nIn: 128, nOut: 64, energyJ: 210.5, batchSize: 1, kvCache: true, gpu: 'G', engine: 'vllm', latencyS: 1.5, repeats: 3, notes: 'n', line: 7, extra: { sweep: 'input' } };
  // Each a field the schema refuses, or one the quick test must leave to the schema.
  const variants: Record<string, unknown>[] = [
    {},
    { energyJ: 1e-10 },
    { energyJ: 1e-9 },
    { energyJ: 1e15 },
    { energyJ: 2e15 },
    { energyJ: NaN },
    { energyJ: Infinity },
    { energyJ: '210' },
    { nIn: 1.5 },
    { nIn: 2 ** 53 },
    { nIn: 0 },
    { nOut: -3 },
    { model: '' },
    { model: 3 },
    { gpu: 7 },
    { gpu: undefined, engine: undefined, notes: undefined, latencyS: undefined, repeats: undefined, line: undefined },
    { extra: { a: 1 } },
    { extra: ['x'] },
    { extra: undefined },
    { surprise: 1 },
    { latencyS: -1 },
    { latencyS: Infinity },
    { latencyS: 0 },
    { repeats: 0 },
    { line: 0 },
    { batchSize: undefined },
    { kvCache: 'yes' },
    { kvCache: undefined },
    { batchSize: 2.5 },
  ];

  it('accepts exactly what the schema accepts, with the same values, and names the same faults', () => {
    for (const v of variants) {
      const row = { ...whole, ...v };
      const want = MeasurementSchema.safeParse(row);
      if (want.success) {
        const got = measurementRows([row as MeasurementInput], 'calibrate').rows[0];
        expect({ ...got }).toEqual(want.data);
      } else {
        expect(() => measurementRows([row as MeasurementInput], 'calibrate')).toThrow(SweetspotInputError);
        const message = `calibrate(rows): ${want.error.issues.length} bad value(s)`;
        expect(() => measurementRows([row as MeasurementInput], 'calibrate')).toThrow(message);
      }
    }
    // An object of another class is not a plain row: the schema decides (it accepts its own fields).
    class Row {
      constructor(readonly model = 'm', readonly nIn = 1, readonly nOut = 1, readonly energyJ = 1, readonly batchSize = 1, readonly kvCache = true, readonly extra = {}) {}
    }
    expect(measurementRows([new Row() as unknown as MeasurementInput], 'calibrate').rows[0]).toEqual(MeasurementSchema.parse(new Row()));
  });

  it('reads every row of the public data the same as the schema does', () => {
    const rows = readMeasurements(readFileSync(dataFile('argonne_hopper_diag.csv'), 'utf8')).rows;
    const got = measurementRows(rows, 'calibrate');
    expect(got.defaulted).toEqual([]);
    expect(got.rows.map((r) => ({ ...r }))).toEqual(rows.map((r) => MeasurementSchema.parse(r)));
  });
});
