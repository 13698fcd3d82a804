import { levenbergMarquardt as mlLm } from 'ml-levenberg-marquardt';
import { describe, expect, it } from 'vitest';
import { levenbergMarquardt, type LeastSquaresProblem } from '../../../src/fit/solve/lm.js';

// Stiff two-parameter problem: y = a·exp(−b·t) over t ∈ [0, 10], a = 5, b = 3 (fast decay: most rows ≈ 0).
const T = Array.from({ length: 40 }, (_, i) => i / 4);
const Y = T.map((t) => 5 * Math.exp(-3 * t) + 0.01);
const problem: LeastSquaresProblem = {
  lower: [0, 0],
  upper: [100, 100],
  residuals: ([a, b]) => Float64Array.from(T, (t, i) => a * Math.exp(-b * t) + 0.01 - Y[i]),
  jacobian: ([a, b]) => [Float64Array.from(T, (t) => Math.exp(-b * t)), Float64Array.from(T, (t) => -a * t * Math.exp(-b * t))],
};

describe('levenbergMarquardt', () => {
  it('recovers known parameters of a stiff exponential and says it converged', () => {
    const r = levenbergMarquardt(problem, [1, 0.1]);
    expect(r.converged).toBe(true);
    expect(['gradient', 'objective', 'step']).toContain(r.reason);
    expect(r.theta[0]).toBeCloseTo(5, 8);
    expect(r.theta[1]).toBeCloseTo(3, 8);
    expect(r.objective).toBeLessThan(1e-20);
  });

  it('fits Puromycin (Bates & Watts) where ml-levenberg-marquardt stalls: why the library has its own LM', () => {
    // Michaelis–Menten y = V·t/(K + t), treated Puromycin data; published optimum V = 212.68,
    // K = 0.06412, residual sum of squares 1195.449 (Bates & Watts, Nonlinear Regression, 1988).
    const t = [0.02, 0.02, 0.06, 0.06, 0.11, 0.11, 0.22, 0.22, 0.56, 0.56, 1.1, 1.1];
    const y = [76, 47, 97, 107, 123, 139, 159, 152, 191, 201, 207, 200];
    const mm: LeastSquaresProblem = {
      lower: [0, 0],
      upper: [1e4, 1e3],
      residuals: ([v, k]) => Float64Array.from(t, (ti, i) => (v * ti) / (k + ti) - y[i]),
      jacobian: ([v, k]) => [Float64Array.from(t, (ti) => ti / (k + ti)), Float64Array.from(t, (ti) => (-v * ti) / (k + ti) ** 2)],
    };
    const ours = levenbergMarquardt(mm, [100, 1]);
    expect(ours.converged).toBe(true);
    expect(ours.objective).toBeCloseTo(1195.449, 2);
    expect(ours.theta[0]).toBeCloseTo(212.68, 1);
    expect(ours.theta[1]).toBeCloseTo(0.06412, 4);
    const ml = mlLm({ x: t, y }, ([v, k]: number[]) => (ti: number) => (v * ti) / (k + ti), {
      initialValues: [100, 1],
      maxIterations: 1000,
      errorTolerance: 1e-30,
    });
    // Measured, not assumed: from this start the package never leaves a far worse point.
    expect(ml.parameterError).toBeGreaterThan(2 * 1195.449);
  });

  it('keeps parameters within bounds and finds the constrained optimum on a bound', () => {
    // Unconstrained optimum b = 3 lies above the upper bound 2: the answer sits on b = 2.
    const r = levenbergMarquardt({ ...problem, upper: [100, 2] }, [1, 0.5]);
    expect(r.theta[1]).toBe(2);
    expect(r.theta[0]).toBeGreaterThan(0);
    expect(r.converged).toBe(true);
  });

  it('reports max-iterations honestly instead of claiming convergence', () => {
    const r = levenbergMarquardt(problem, [1, 0.1], { maxIterations: 2 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('max-iterations');
  });

  it('never accepts a step that raises the objective (monotone along the path)', () => {
    const seen: number[] = [];
    const watched: LeastSquaresProblem = {
      ...problem,
      jacobian: (theta) => {
        const r = problem.residuals(theta);
        seen.push(r.reduce((s, v) => s + v * v, 0));
        return problem.jacobian(theta);
      },
    };
    levenbergMarquardt(watched, [50, 20]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1]);
  });

  it('says not-finite when the start gives NaN residuals', () => {
    const r = levenbergMarquardt({ ...problem, residuals: () => Float64Array.of(NaN) }, [1, 1]);
    expect(r).toMatchObject({ converged: false, reason: 'not-finite' });
  });
});
