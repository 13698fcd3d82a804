import { describe, expect, it } from 'vitest';
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
    expect(() => errorMetrics([NaN], [1])).toThrow(RangeError);
    expect(() => errorMetrics([Infinity], [1])).toThrow(RangeError);
    expect(() => errorMetrics([1], [0])).toThrow(RangeError);
    expect(() => errorMetrics([], [])).toThrow(RangeError);
  });
});
