import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../../src/errors.js';
import { errorMetrics } from '../../../src/fit/evaluate/metrics.js';

describe('errorMetrics', () => {
  it('computes MAPE, max APE and R² by hand', () => {
    const e = errorMetrics([110, 90, 330], [100, 100, 300]);
    expect(e.mape).toBeCloseTo(10, 12);
    expect(e.maxApe).toBeCloseTo(10, 12);
    // mean 166.67; SS_tot = 2·66.67² + 133.33² = 26666.67; SS_res = 100 + 100 + 900 = 1100
    expect(e.r2).toBeCloseTo(1 - 1100 / 26666.666666666668, 12);
  });

  it('refuses a NaN or infinite prediction instead of scoring it', () => {
    expect(() => errorMetrics([NaN], [1])).toThrow(SweetspotInputError);
    expect(() => errorMetrics([Infinity], [1])).toThrow(SweetspotInputError);
    expect(() => errorMetrics([1], [0])).toThrow(SweetspotInputError);
    expect(() => errorMetrics([], [])).toThrow(SweetspotInputError);
    expect(() => errorMetrics(undefined as never, [1])).toThrow(/errorMetrics\(predictedJ, measuredJ\): expected two arrays of energies: predictedJ must be an array or typed array, got undefined/);
  });
});
