import { describe, expect, it } from 'vitest';
import { calibrate, crossValidate, defaultCalibration, evaluate, sweetspotForm } from '../../src/index.js';
import { MEASUREMENT_LIMITS } from '../../src/fit/read/limits.js';
import { inputError } from './helpers.js';

// Rows given as an array are checked at every index: forEach skipped a hole ([row, , row]), so
// the fit went on with a row fewer and said nothing (filterMeasurements already refused one).

const rows = [100, 500, 1000, 2000].flatMap((i) => [50, 300, 1000].map((o) => ({ model: 'llama-3.1-8b', nIn: i, nOut: o, energyJ: 1 + i / 1000 + 3 * o })));

describe('holes in measurement rows', () => {
  it('calibrate, evaluate and crossValidate name a hole (it was skipped)', async () => {
    const holes = [...rows];
    delete holes[3];
    expect(3 in holes).toBe(false);
    await inputError(() => calibrate(holes, { form: sweetspotForm }), ['calibrate(rows): 1 bad value(s): rows[3]: expected an object, got undefined']);
    await inputError(() => evaluate(defaultCalibration(), holes), ['evaluate(rows): 1 bad value(s): rows[3]: expected an object, got undefined']);
    await inputError(() => crossValidate(holes, { kind: 'k-fold', k: 2 }, { form: sweetspotForm }), ['crossValidate(rows): 1 bad value(s): rows[3]']);
  });

  it(`stops at the ${MEASUREMENT_LIMITS.issues}th bad row of a sparse array of 2³⁰, saying where`, async () => {
    const sparse = new Array(2 ** 30);
    sparse[0] = rows[0];
    const error = await inputError(() => evaluate(defaultCalibration(), sparse), [
      `evaluate(rows): ${MEASUREMENT_LIMITS.issues}+ bad value(s) (checking stopped at rows[${MEASUREMENT_LIMITS.issues}] of ${2 ** 30}, after ${MEASUREMENT_LIMITS.issues} issues): rows[1]: expected an object`,
    ]);
    expect(error.issues).toHaveLength(MEASUREMENT_LIMITS.issues);
  });
});
