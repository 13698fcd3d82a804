import { describe, expect, it } from 'vitest';
import { inverseSpd, lstsq, svd } from '../../../src/fit/solve/linalg.js';
import { undeterminedParams } from '../../../src/fit/solve/identify.js';

const col = (...v: number[]) => Float64Array.from(v);

describe('linear algebra', () => {
  it('solves least squares like the normal equations (hand: line through 4 points)', () => {
    // y = 1 + 2t + noise; normal equations by hand: [4 6; 6 14] x = [Σy, Σty]
    const t = [0, 1, 2, 3];
    const y = [1.1, 2.9, 5.2, 6.8];
    const x = lstsq([col(1, 1, 1, 1), col(...t)], col(...y))!;
    const sy = y.reduce((a, b) => a + b, 0);
    const sty = t.reduce((a, v, i) => a + v * y[i], 0);
    const det = 4 * 14 - 36;
    expect(x[0]).toBeCloseTo((14 * sy - 6 * sty) / det, 12);
    expect(x[1]).toBeCloseTo((4 * sty - 6 * sy) / det, 12);
  });

  it('returns null for dependent columns', () => {
    expect(lstsq([col(1, 2, 3), col(2, 4, 6)], col(1, 1, 1))).toBeNull();
  });

  it('finds singular values of a known matrix', () => {
    // [[3, 0], [4, 5]] has singular values √45 and √5.
    const { s } = svd([col(3, 4), col(0, 5)]);
    expect(s[0]).toBeCloseTo(Math.sqrt(45), 12);
    expect(s[1]).toBeCloseTo(Math.sqrt(5), 12);
  });

  it('inverts an SPD matrix and refuses a singular one', () => {
    const inv = inverseSpd([
      [4, 2],
      [2, 3],
    ])!;
    expect(inv[0][0]).toBeCloseTo(3 / 8, 14);
    expect(inv[0][1]).toBeCloseTo(-2 / 8, 14);
    expect(inv[1][1]).toBeCloseTo(4 / 8, 14);
    expect(
      inverseSpd([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull();
  });

  it('names exactly the parameters in a dependency', () => {
    expect(undeterminedParams([col(1, 2, 3), col(2, 4, 6), col(1, 0, 0)], ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(undeterminedParams([col(1, 2, 3), col(0, 0, 0), col(1, 0, 0)], ['a', 'b', 'c'])).toEqual(['b']);
    expect(undeterminedParams([col(1, 2, 3), col(1, 0, 0)], ['a', 'c'])).toEqual([]);
  });
});
