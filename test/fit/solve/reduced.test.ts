import { describe, expect, it } from 'vitest';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { fitForm } from '../../../src/fit/solve/fit-form.js';
import { nnls } from '../../../src/fit/solve/nnls.js';
import { whitenedBasis } from '../../../src/fit/solve/problem.js';
import { ReducedSystem } from '../../../src/fit/solve/reduced.js';
import { lengths, noise } from '../helpers.js';

/** A deterministic pseudo-random matrix with badly scaled columns (like i², i, 1 over energies). */
function rows(m: number, p: number, seed = 1): { a: number[][]; b: number[] } {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const scale = Array.from({ length: p }, (_, k) => 10 ** (3 * k - 6));
  const a = Array.from({ length: m }, () => scale.map((c) => c * (0.1 + u())));
  const b = a.map(() => 1 + u());
  return { a, b };
}

const direct = (a: number[][], b: number[], theta: number[]) => a.reduce((s, row, i) => s + (row.reduce((t, v, k) => t + v * theta[k], 0) - b[i]) ** 2, 0);

describe('ReducedSystem: one QR of the rows', () => {
  it('keeps ‖Aθ − b‖² = ‖Rθ − c‖² + r0 for any θ (brute-force sums over the rows)', () => {
    const { a, b } = rows(1500, 4);
    const sys = new ReducedSystem(4);
    a.forEach((row, i) => sys.addRow(row, b[i]));
    expect(sys.rows).toBe(1500);
    for (const theta of [[0, 0, 0, 0], [1e6, 1e3, 1, 1e-3], [2e5, -7e2, 0.3, 5e-4]]) {
      const want = direct(a, b, theta);
      expect(Math.abs(sys.objective(theta) - want) / want).toBeLessThan(1e-10);
    }
  });

  it('gives RᵀR = AᵀA (the Gram matrix behind standard errors)', () => {
    const { a, b } = rows(200, 3, 7);
    const sys = new ReducedSystem(3);
    a.forEach((row, i) => sys.addRow(row, b[i]));
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) {
        const gram = a.reduce((s, row) => s + row[j] * row[k], 0);
        const rj = sys.column(j);
        const rk = sys.column(k);
        let rr = 0;
        for (let i = 0; i < 3; i++) rr += rj[i] * rk[i];
        expect(Math.abs(rr - gram) / Math.sqrt(a.reduce((s, r) => s + r[j] ** 2, 0) * a.reduce((s, r) => s + r[k] ** 2, 0))).toBeLessThan(1e-13);
      }
    }
  });

  it('stacks: two halves reduced apart and appended equal the whole, and a weighted row counts w·r²', () => {
    const { a, b } = rows(300, 3, 3);
    const whole = new ReducedSystem(3);
    const top = new ReducedSystem(3);
    const bottom = new ReducedSystem(3);
    a.forEach((row, i) => {
      whole.addRow(row, b[i]);
      (i < 150 ? top : bottom).addRow(row, b[i]);
    });
    top.append(bottom);
    expect(top.rows).toBe(300);
    const theta = [3e5, 2e2, 0.7];
    expect(Math.abs(top.objective(theta) - whole.objective(theta)) / whole.objective(theta)).toBeLessThan(1e-12);
    // A prior row: w·(θ1 − 5)² added to the objective.
    top.addRow([1, 0, 0], 5, 4);
    expect(top.objective(theta) - whole.objective(theta)).toBeCloseTo(4 * (theta[0] - 5) ** 2, -2);
    expect(Math.abs((top.objective(theta) - whole.objective(theta)) / (4 * (theta[0] - 5) ** 2) - 1)).toBeLessThan(1e-9);
  });

  it('refuses a non-finite value or weight instead of corrupting the triangle', () => {
    const sys = new ReducedSystem(2);
    expect(() => sys.addRow([1, NaN], 1)).toThrow(SweetspotInputError);
    expect(() => sys.addRow([1, 2], Infinity)).toThrow(/right-hand side/);
    expect(() => sys.addRow([1, 2], 1, -1)).toThrow(/weight/);
    expect(sys.rows).toBe(0);
    expect(sys.r0).toBe(0);
  });
});

describe('fitForm solves the reduced system exactly as NNLS on every row', () => {
  it('gives the θ and objective of NNLS over the full whitened basis', () => {
    const theta = [2e-5, 0.05, 3e-3, 1e-3, 3, 20];
    const xs = [16, 64, 256, 1024, 2048, 4000].flatMap((i) => [8, 32, 128, 512, 1500].map((o) => lengths(i, o)));
    const m = xs.map((x, i) => sweetspotForm.predictJ(theta, x, {}) * noise(i, 0.05));
    const fit = fitForm(sweetspotForm, xs, m);
    const full = nnls(whitenedBasis(sweetspotForm, xs, m, {}), new Float64Array(m.length).fill(1));
    fit.theta.forEach((v, k) => expect(Math.abs(v - full.x[k])).toBeLessThanOrEqual(1e-8 * Math.abs(full.x[k]) + 1e-30));
    expect(Math.abs(fit.solver.objective - full.objective) / full.objective).toBeLessThan(1e-10);
  });
});
