import { nnls } from './nnls.js';
import type { LeastSquaresProblem } from './lm.js';

/**
 * Starting points for a nonlinear fit. Parameters with two finite bounds (efficiencies, ratios) get
 * a small grid inside their range (log-spaced when the range spans a decade or more); parameters
 * without an upper bound usually enter linearly (energy per FLOP, per byte, static power), and no
 * bound gives their scale, so for each grid point they are set by an exact NNLS on their Jacobian
 * columns — the best values for that grid point if they are linear, a sane scale if not.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on a problem `relativeProblem` made. It checks
 * nothing; junk fails inside it.
 * @example
 * const starts = defaultStarts(problem, 9);
 * starts.length // ≤ 9
 */
export function defaultStarts(problem: LeastSquaresProblem, maxStarts = 9): number[][] {
  const n = problem.lower.length;
  const lo = problem.lower;
  const hi = problem.upper;
  const boxed: number[] = [];
  const open: number[] = [];
  for (let k = 0; k < n; k++) {
    if (lo[k] === hi[k]) continue;
    if (Number.isFinite(lo[k]) && Number.isFinite(hi[k])) boxed.push(k);
    else open.push(k);
  }
  const levels = [0.2, 0.5, 0.85];
  const at = (k: number, q: number) =>
    lo[k] > 0 && hi[k] / lo[k] >= 10 ? lo[k] * (hi[k] / lo[k]) ** q : lo[k] + q * (hi[k] - lo[k]);
  // Grid over the boxed parameters: the full grid when small, else its diagonal and spread points.
  const grid: number[][] = [];
  const total = levels.length ** boxed.length;
  if (total <= maxStarts) {
    for (let c = 0; c < total; c++) {
      let rest = c;
      grid.push(boxed.map(() => {
        const q = levels[rest % levels.length];
        rest = Math.floor(rest / levels.length);
        return q;
      }));
    }
  } else {
    for (let c = 0; c < maxStarts; c++) grid.push(boxed.map((_, j) => levels[(c + j * (c % 2 ? 1 : 2)) % levels.length]));
  }
  const base = lo.map((l, k) => (lo[k] === hi[k] ? l : Number.isFinite(l) ? Math.max(l, 0) : 0));
  return grid.map((qs) => {
    const theta = base.slice();
    boxed.forEach((k, j) => (theta[k] = at(k, qs[j])));
    if (open.length > 0) {
      // Linear-in-θ parameters: their Jacobian column does not depend on them, so probe at 1.
      for (const k of open) theta[k] = 1;
      const jac = problem.jacobian(theta);
      const r0 = problem.residuals(theta);
      // r(θ) = Σ_open θ_k·J_k + rest; find θ_open ≥ 0 with r ≈ 0: J_open θ = J_open·1 − r0.
      const rhs = r0.map((v, i) => open.reduce((s, k) => s + jac[k][i], 0) - v);
      // A column no row depends on (e.g. energy per score byte under fused attention) says
      // nothing: its parameter starts at its lower bound and the others are solved without it.
      const live = open.filter((k) => jac[k].some((v) => v !== 0));
      for (const k of open) if (!live.includes(k)) theta[k] = Math.max(lo[k], 0);
      const cols = live.map((k) => jac[k]);
      if (cols.length > 0 && cols.every((c) => c.every(Number.isFinite)) && rhs.every(Number.isFinite)) {
        const sol = nnls(cols, Float64Array.from(rhs)).x;
        live.forEach((k, j) => (theta[k] = Math.min(hi[k], Math.max(lo[k], sol[j]))));
      }
    }
    return theta;
  });
}
