import { describe, expect, it } from 'vitest';
import { CALIBRATION_LIMITS } from '../../src/energy/index.js';
import { checkCalibrationSize } from '../../src/energy/calibration/size.js';
import { calibrationByName, defaultCalibration, listCalibrations, parseCalibration, serializeCalibration } from '../../src/index.js';
import { inputError } from './helpers.js';

// The schema check costs memory for every bad value: a 16 MiB calibration of
// "sources": [{}, {}, …] ran the process out of memory after 200 s (a fatal error no caller can
// catch), "lines": ["", …] took 15 s and 3.4 GB. Values are counted before JSON.parse and the schema.

const limitMessage = `calibration: more than ${CALIBRATION_LIMITS.values} JSON values (CALIBRATION_LIMITS.values)`;

function documentWith(change: (d: Record<string, any>) => void): Record<string, any> {
  const d = JSON.parse(serializeCalibration(defaultCalibration()));
  change(d);
  return d;
}

describe('calibration documents are counted before they are checked', () => {
  it('refuses a 16 MiB file of empty objects as text, at once (the process ran out of memory)', async () => {
    const text = JSON.stringify(defaultCalibration()).replace('"sources":[', `"sources":[${'{},'.repeat(5_000_000)}`);
    expect(text.length).toBeLessThan(16 << 20);
    await inputError(() => parseCalibration(text), [limitMessage]);
  });

  it('refuses the same document given as an object, and in serializeCalibration', async () => {
    const big = documentWith((d) => (d.fittedOn.sources[0].lines = new Array(CALIBRATION_LIMITS.values).fill(1)));
    await inputError(() => parseCalibration(big), [limitMessage]);
    await inputError(() => serializeCalibration(big as never), [limitMessage]);
    // A cyclic object is refused at the limit, not walked for ever.
    const cycle = documentWith(() => {});
    cycle.fittedOn.self = cycle;
    await inputError(() => parseCalibration(cycle), [limitMessage]);
    // A sparse array is counted by its length.
    await inputError(() => parseCalibration(documentWith((d) => (d.fittedOn.models = new Array(2 ** 31)))), [limitMessage]);
  });

  it('counts text exactly: one value for the root, one per container and one per comma outside strings', () => {
    const text = JSON.stringify({ a: [1, 2, { b: 'x,y,[{' }], c: null });
    // root, [1,2,{…}], 1, 2, {…}, 'x,y,[{', null: 7 values.
    const limit = CALIBRATION_LIMITS.values;
    expect(() => checkCalibrationSize(text)).not.toThrow();
    expect(() => checkCalibrationSize(`[${'0,'.repeat(limit - 1)}0]`)).toThrow('more than'); // limit + 1 values
    expect(() => checkCalibrationSize(`[${'0,'.repeat(limit - 2)}0]`)).not.toThrow(); // limit values
  });

  it('every shelf calibration is far inside the limit and reads as before', () => {
    for (const { name } of listCalibrations()) {
      const text = serializeCalibration(calibrationByName(name));
      expect(parseCalibration(text)).toEqual(calibrationByName(name));
      expect(text.length).toBeLessThan(CALIBRATION_LIMITS.values);
    }
  });
});
