import { dot, lstsq } from './linalg.js';
import { checkArray, checkShape } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { optionKeys, optionsObject } from '../../options.js';

/** A least-squares problem: residuals r(θ) and their Jacobian (columns ∂r/∂θ_k). */
export interface LeastSquaresProblem {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  residuals(theta: readonly number[]): Float64Array;
  jacobian(theta: readonly number[]): Float64Array[];
}

/** Options of {@link levenbergMarquardt}. */
export interface LmOptions {
  readonly maxIterations?: number;
  /** Stop when accepted steps lower Σr² by less than this fraction, three times in a row. */
  readonly ftol?: number;
  /** Stop when the step is shorter than this fraction of ‖θ‖ (in scaled units). */
  readonly xtol?: number;
  /** Stop when the scaled projected gradient is below this. */
  readonly gtol?: number;
}

const LM_KEYS = optionKeys<LmOptions>()('maxIterations', 'ftol', 'xtol', 'gtol');

/** Why {@link levenbergMarquardt} stopped; the first three count as converged. */
export type LmReason = 'gradient' | 'objective' | 'step' | 'max-iterations' | 'stalled' | 'not-finite';

/** Result of one LM run. */
export interface LmResult {
  readonly theta: number[];
  /** Σ r² at `theta`. */
  readonly objective: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly reason: LmReason;
}

function sumSq(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return Number.isFinite(s) ? s : Infinity;
}

/**
 * Bounded Levenberg–Marquardt (textbook, with the safeguards ml-levenberg-marquardt lacks): steps
 * that do not lower Σr² are rejected and the damping raised (Nielsen's update), damping is scaled
 * per parameter by the running maximum of the Jacobian column norms (Moré), bounds are kept by
 * projection with parameters held at an active bound dropped from the step, and the result says
 * whether and why it converged.
 *
 * @example
 * // y = a·exp(b·t) through (0,2), (1,2e), (2,2e²)
 * const t = [0, 1, 2], y = t.map((v) => 2 * Math.exp(v));
 * const r = levenbergMarquardt({
 *   lower: [0, -5], upper: [10, 5],
 *   residuals: ([a, b]) => Float64Array.from(t, (v, i) => a * Math.exp(b * v) - y[i]),
 *   jacobian: ([a, b]) => [Float64Array.from(t, (v) => Math.exp(b * v)), Float64Array.from(t, (v) => a * v * Math.exp(b * v))],
 * }, [1, 0.5]);
 * r.theta // ≈ [2, 1]
 */
export function levenbergMarquardt(problem: LeastSquaresProblem, start: readonly number[], options: LmOptions = {}): LmResult {
  checkShape('levenbergMarquardt(problem)', problem, 'a LeastSquaresProblem', { lower: 'array', upper: 'array', residuals: 'function', jacobian: 'function' });
  checkArray('levenbergMarquardt(problem, start)', start);
  if (problem.lower.length !== start.length || problem.upper.length !== start.length) {
    throw new SweetspotInputError(`levenbergMarquardt(problem, start): ${start.length} start values for ${problem.lower.length} lower and ${problem.upper.length} upper bounds`);
  }
  const { maxIterations = 500, ftol = 1e-12, xtol = 1e-12, gtol = 1e-10 } = optionsObject('levenbergMarquardt(problem, start, options)', options, LM_KEYS);
  const n = start.length;
  const lo = problem.lower;
  const hi = problem.upper;
  let theta = start.map((v, k) => Math.min(hi[k], Math.max(lo[k], v)));
  let r = problem.residuals(theta);
  let f = sumSq(r);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { theta, objective: f, iterations: 0, evaluations, converged: false, reason: 'not-finite' };
  const d = new Array<number>(n).fill(0);
  let mu = -1;
  let nu = 2;
  let iterations = 0;
  let reason: LmReason = 'max-iterations';
  let smallDrops = 0;
  let jac = problem.jacobian(theta);
  while (iterations < maxIterations) {
    iterations++;
    const g = jac.map((c) => dot(c, r));
    const jtj = jac.map((ci) => jac.map((cj) => dot(ci, cj)));
    for (let k = 0; k < n; k++) d[k] = Math.max(d[k], Math.sqrt(jtj[k][k]));
    // A parameter at a bound whose gradient pushes it outward stays there this step.
    const free = theta.map((v, k) => !((v <= lo[k] && g[k] > 0) || (v >= hi[k] && g[k] < 0)));
    let pg = 0;
    for (let k = 0; k < n; k++) if (free[k] && d[k] > 0) pg = Math.max(pg, Math.abs(g[k]) / d[k]);
    if (pg <= gtol * Math.max(Math.sqrt(f), 1e-300)) {
      reason = 'gradient';
      break;
    }
    if (mu < 0) mu = 1e-3 * jtj.reduce((m, row, k) => Math.max(m, row[k] / Math.max(d[k] * d[k], 1e-300)), -Infinity);
    const idx = free.flatMap((fr, k) => (fr && d[k] > 0 ? [k] : []));
    let accepted = false;
    for (let attempt = 0; attempt < 60 && !accepted; attempt++) {
      // Solve min ‖J h + r‖² + μ‖D h‖² by Householder QR of [J D⁻¹; √μ I] (z = D h) rather than the
      // normal equations: those square the condition number, which for energy forms (J/FLOP next
      // to W) is already large, and a garbled step is then rejected until the damping stalls.
      const m = r.length;
      const sqrtMu = Math.sqrt(mu);
      const cols = idx.map((k, j) => {
        const c = new Float64Array(m + idx.length);
        const col = jac[k];
        for (let i = 0; i < m; i++) c[i] = col[i] / d[k];
        c[m + j] = sqrtMu;
        return c;
      });
      const rhs = new Float64Array(m + idx.length);
      for (let i = 0; i < m; i++) rhs[i] = -r[i];
      const z = lstsq(cols, rhs);
      if (!z) {
        mu *= nu;
        nu *= 2;
        continue;
      }
      const hFree = idx.map((k, j) => z[j] / d[k]);
      const cand = theta.slice();
      idx.forEach((k, j) => (cand[k] = Math.min(hi[k], Math.max(lo[k], theta[k] + hFree[j]))));
      const h = cand.map((v, k) => v - theta[k]);
      let stepScaled = 0;
      let thetaScaled = 0;
      for (let k = 0; k < n; k++) {
        stepScaled += (d[k] * h[k]) ** 2;
        thetaScaled += (d[k] * theta[k]) ** 2;
      }
      if (Math.sqrt(stepScaled) <= xtol * (Math.sqrt(thetaScaled) + xtol)) {
        reason = 'step';
        return { theta, objective: f, iterations, evaluations, converged: true, reason };
      }
      const rNew = problem.residuals(cand);
      evaluations++;
      const fNew = sumSq(rNew);
      // Predicted decrease of Σr² by the linear model for the (projected) step actually taken.
      let jh2 = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) jh2 += h[i] * jtj[i][j] * h[j];
      const predicted = -(2 * dot(g, h) + jh2);
      const rho = predicted > 0 ? (f - fNew) / predicted : -1;
      if (fNew < f && rho > 0) {
        accepted = true;
        const relDrop = (f - fNew) / f;
        theta = cand;
        r = rNew;
        f = fNew;
        mu *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
        jac = problem.jacobian(theta);
        // One tiny drop may be a step cut short by a kink of max() (the hardware form's roofline);
        // three in a row mean the descent has really stalled.
        smallDrops = relDrop <= ftol ? smallDrops + 1 : 0;
        if (smallDrops >= 3) {
          return { theta, objective: f, iterations, evaluations, converged: true, reason: 'objective' };
        }
      } else {
        mu *= nu;
        nu *= 2;
      }
    }
    if (!accepted) {
      reason = 'stalled';
      break;
    }
  }
  return { theta, objective: f, iterations, evaluations, converged: reason === 'gradient', reason };
}
