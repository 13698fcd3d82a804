import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lstsq } from '../../../src/fit/solve/linalg.js';
import { nnls } from '../../../src/fit/solve/nnls.js';

/** The NNLS optimum by brute force: the best unconstrained LS over every column subset whose solution is ≥ 0. */
function bruteForce(cols: Float64Array[], b: Float64Array): number {
  let best = b.reduce((s, v) => s + v * v, 0);
  for (let mask = 1; mask < 1 << cols.length; mask++) {
    const idx = cols.flatMap((_, k) => ((mask >> k) & 1 ? [k] : []));
    const x = lstsq(
      idx.map((k) => cols[k]),
      b,
    );
    if (!x || x.some((v) => v < 0)) continue;
    let obj = 0;
    for (let i = 0; i < b.length; i++) {
      let r = b[i];
      idx.forEach((k, j) => (r -= cols[k][i] * x[j]));
      obj += r * r;
    }
    best = Math.min(best, obj);
  }
  return best;
}

describe('nnls (Lawson–Hanson)', () => {
  it('solves a hand example: a line with non-negative slope and intercept', () => {
    const r = nnls([Float64Array.of(0, 1, 2), Float64Array.of(1, 1, 1)], Float64Array.of(1, 3, 5));
    expect(r.x[0]).toBeCloseTo(2, 12);
    expect(r.x[1]).toBeCloseTo(1, 12);
    expect(r.objective).toBeLessThan(1e-20);
    expect(r).toMatchObject({ converged: true, reason: 'kkt' });
  });

  it('clamps a coefficient that would be negative to 0 and refits the rest', () => {
    // y = 3 − t: unconstrained slope −1; under x ≥ 0 the best is slope 0, intercept mean(y) = 2.
    const r = nnls([Float64Array.of(0, 1, 2), Float64Array.of(1, 1, 1)], Float64Array.of(3, 2, 1));
    expect(r.x[0]).toBe(0);
    expect(r.x[1]).toBeCloseTo(2, 12);
    expect(r.objective).toBeCloseTo(2, 12);
  });

  it('handles degenerate inputs: b = 0, b in the negative cone, duplicate columns, and an iteration cap', () => {
    const t = Float64Array.of(0, 1, 2);
    const one = Float64Array.of(1, 1, 1);
    expect(Array.from(nnls([t, one], new Float64Array(3)).x)).toEqual([0, 0]);
    // Every column points away from b: x = 0 is optimal and the objective is ‖b‖².
    const away = nnls([t, one], Float64Array.of(-1, -2, -3));
    expect(Array.from(away.x)).toEqual([0, 0]);
    expect(away.objective).toBeCloseTo(14, 12);
    expect(away).toMatchObject({ converged: true, reason: 'kkt' });
    // The same column twice: the fit is that of one column, whatever the split between the copies.
    const dup = nnls([one, Float64Array.from(one), t], Float64Array.of(1, 3, 5));
    expect(dup.x.every((v) => v >= 0)).toBe(true);
    expect(dup.x[0] + dup.x[1]).toBeCloseTo(1, 12);
    expect(dup.x[2]).toBeCloseTo(2, 12);
    expect(dup.objective).toBeLessThan(1e-20);
    // A cap on the outer iterations is said, never passed off as the optimum.
    const capped = nnls([t, one], Float64Array.of(1, 3, 5), 1);
    expect(capped).toMatchObject({ converged: false, reason: 'max-iterations' });
    expect(() => nnls([t, new Float64Array(3)], one)).toThrow(/column 1 is zero/);
  });

  it('reaches the brute-force optimum on random problems, including badly scaled columns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 5, maxLength: 5 }),
        (n, values, bv, exps) => {
          const m = 12;
          const cols = Array.from({ length: n }, (_, k) => Float64Array.from({ length: m }, (_, i) => values[k * m + i] * 10 ** exps[k]));
          const b = Float64Array.from(bv);
          if (cols.some((c) => c.every((v) => v === 0))) return;
          const r = nnls(cols, b);
          expect(r.x.every((v) => v >= 0)).toBe(true);
          const best = bruteForce(cols, b);
          expect(r.objective).toBeLessThanOrEqual(best * (1 + 1e-9) + 1e-24);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('nnls on a reduced system', () => {
  it('solving (R, c) of one QR with the rows\' tolerance gives the θ and, with r0, the objective of the full rows', async () => {
    const { ReducedSystem } = await import('../../../src/fit/solve/reduced.js');
    // A hand-sized problem with a bound active: y = 2t + 1 with a negative-intercept pull.
    const t = [0, 1, 2, 3, 4, 5];
    const y = [-0.5, 1.9, 4.2, 5.8, 8.1, 9.9];
    const cols = [Float64Array.from(t), Float64Array.from(t, () => 1)];
    const full = nnls(cols, Float64Array.from(y));
    const sys = new ReducedSystem(2);
    t.forEach((v, k) => sys.addRow([v, 1], y[k]));
    const c = sys.rhs();
    const reduced = nnls([sys.column(0), sys.column(1)], c, undefined, { tolerance: 10 * Number.EPSILON * 6 * Math.sqrt(y.reduce((s, v) => s + v * v, 0)) });
    expect(reduced.x[0]).toBeCloseTo(full.x[0], 12);
    expect(reduced.x[1]).toBe(full.x[1]);
    expect(reduced.objective + sys.r0).toBeCloseTo(full.objective, 12);
    // A tolerance above every gradient stops at once: θ = 0 is then accepted as optimal.
    expect(Array.from(nnls(cols, Float64Array.from(y), undefined, { tolerance: 1e9 }).x)).toEqual([0, 0]);
  });
});
