import type { RequestFeatures } from '../complexity/features.js';
import type { EnergyForm, FormContext } from '../energy/form.js';
import { SweetspotInputError } from '../errors.js';
import { conditionNumber, undeterminedParams } from './identify.js';
import { dot, inverseSpd, norm2 } from './linalg.js';
import { levenbergMarquardt, type LmOptions } from './lm.js';
import { errorMetrics, type ErrorMetrics } from './metrics.js';
import { nnls } from './nnls.js';
import { relativeProblem, whitenedBasis } from './problem.js';
import { defaultStarts } from './starts.js';

/** One fitted parameter with its unit and standard error. */
export interface FittedParam {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** σ·√((JᵀJ)⁻¹)_kk at the optimum; null for a parameter at a bound (or pinned), where it is not defined. */
  readonly stdErr: number | null;
  readonly atBound: boolean;
  /** Held at a value given by the user (lower = upper), not fitted. */
  readonly pinned: boolean;
}

/** How the solver ran, honestly. */
export interface SolverReport {
  /** `nnls`: exact Lawson–Hanson solve of a linear form; `lm`: bounded Levenberg–Marquardt, several starts. */
  readonly method: 'nnls' | 'lm';
  readonly iterations: number;
  readonly converged: boolean;
  readonly reason: string;
  /** Σ r² of the relative residuals at the solution. */
  readonly objective: number;
  /** Starts tried (1 for NNLS) and how many converged. */
  readonly starts: number;
  readonly startsConverged: number;
}

/** The result of fitting one form to one set of rows. */
export interface FitResult {
  readonly form: string;
  readonly theta: number[];
  readonly params: FittedParam[];
  readonly solver: SolverReport;
  readonly errors: ErrorMetrics;
  /** Relative residuals (pred − meas)/meas, in row order. */
  readonly residuals: number[];
  readonly predictedJ: number[];
  /**
   * Condition number of the column-scaled Jacobian over the parameters inside their bounds (1 when
   * none is): large values mean the data ties parameters together.
   */
  readonly conditionNumber: number;
  /** Weakly determined parameters (standard error above the value), and solver doubts. */
  readonly warnings: string[];
}

/** Options of {@link fitForm}. */
export interface FitFormOptions {
  readonly ctx?: FormContext;
  /** Starting points for a nonlinear form (default: {@link defaultStarts}). */
  readonly starts?: readonly (readonly number[])[];
  readonly lm?: LmOptions;
  /** Row labels for error messages (e.g. `line 12`), in row order. */
  readonly labels?: readonly string[];
}

function distinctCount(values: readonly number[]): number {
  return new Set(values).size;
}

function refuse(form: EnergyForm, names: string[], why: string, features: readonly RequestFeatures[]): never {
  const spread = `rows span ${distinctCount(features.map((x) => x.nIn))} distinct n_in and ${distinctCount(features.map((x) => x.nOut))} distinct n_out`;
  throw new SweetspotInputError(
    `fit ${form.id}: cannot determine ${names.join(', ')}: ${why} (${spread}); measure more varied lengths, or pin one of them (calibrate({ fix: { NAME: value } }))`,
  );
}

/**
 * Fits a form to measured energies by minimising Σ((E(θ,x_i) − m_i)/m_i)² within the parameter
 * bounds (docs/conventions.md). Forms linear in θ (with `basis`, bounds [0, ∞)) are solved exactly by
 * NNLS; the others by bounded Levenberg–Marquardt from several starts. Standard errors come from
 * σ²·(JᵀJ)⁻¹ at the optimum, with σ² = Σr²/(rows − free parameters).
 *
 * @throws {SweetspotInputError} when the rows cannot determine the parameters (too few distinct
 *   configurations, or a rank-deficient basis/Jacobian), naming the parameters; or when a
 *   prediction is not finite.
 * @example
 * const fit = fitForm(sweetspotForm, features, rows.map((r) => r.energyJ));
 * fit.errors.mape // in-sample MAPE, %
 */
export function fitForm(
  form: EnergyForm,
  features: readonly RequestFeatures[],
  measuredJ: readonly number[],
  options: FitFormOptions = {},
): FitResult {
  const ctx = options.ctx ?? {};
  const specs = form.params;
  const names = specs.map((p) => p.name);
  const freeIdx = specs.flatMap((p, k) => (p.lower < p.upper ? [k] : []));
  const configs = new Set(features.map((x) => `${x.nIn}|${x.nOut}|${x.batch}|${x.params}|${x.weightBytesPerStep}`)).size;
  if (configs <= freeIdx.length) {
    refuse(
      form,
      freeIdx.map((k) => names[k]),
      `${configs} distinct configuration(s) for ${freeIdx.length} free parameters (need at least ${freeIdx.length + 1})`,
      features,
    );
  }
  const problem = relativeProblem(form, features, measuredJ, ctx);
  const linear = form.basis !== undefined && freeIdx.every((k) => specs[k].lower === 0 && specs[k].upper === Infinity);
  let theta: number[];
  let solver: SolverReport;
  if (linear) {
    const all = whitenedBasis(form, features, measuredJ, ctx);
    checkFinite(form, all, options.labels);
    const cols = freeIdx.map((k) => all[k]);
    const lost = undeterminedParams(
      cols,
      freeIdx.map((k) => names[k]),
    );
    if (lost.length) refuse(form, lost, 'their basis columns are linearly dependent on these rows', features);
    // Pinned parameters (lower = upper) move to the right-hand side: A_free θ_free ≈ 1 − A_pinned θ_pinned.
    const rhs = new Float64Array(measuredJ.length).fill(1);
    specs.forEach((p, k) => {
      if (p.lower === p.upper) for (let i = 0; i < rhs.length; i++) rhs[i] -= p.lower * all[k][i];
    });
    const sol = nnls(cols, rhs);
    theta = specs.map((p) => p.lower);
    freeIdx.forEach((k, j) => (theta[k] = sol.x[j]));
    solver = {
      method: 'nnls',
      iterations: sol.iterations,
      converged: sol.converged,
      reason: sol.reason,
      objective: sol.objective,
      starts: 1,
      startsConverged: sol.converged ? 1 : 0,
    };
  } else {
    const starts = options.starts?.map((s) => [...s]) ?? defaultStarts(problem);
    let best: ReturnType<typeof levenbergMarquardt> | undefined;
    let iterations = 0;
    let converged = 0;
    for (const start of starts) {
      const run = levenbergMarquardt(problem, start, options.lm);
      iterations += run.iterations;
      if (run.converged) converged++;
      if (Number.isFinite(run.objective) && (!best || run.objective < best.objective)) best = run;
    }
    if (!best) throw new SweetspotInputError(`fit ${form.id}: every start gave non-finite predictions`);
    // Restart from the best point with fresh damping: after a long crawl along a valley (or across
    // the kinks of max()), the damping left behind can be far too high to finish the descent.
    for (let restart = 0; restart < 5; restart++) {
      const again = levenbergMarquardt(problem, best.theta, options.lm);
      iterations += again.iterations;
      if (!(again.objective < best.objective * (1 - 1e-12))) break;
      best = again;
    }
    theta = best.theta;
    solver = {
      method: 'lm',
      iterations,
      converged: best.converged,
      reason: best.reason,
      objective: best.objective,
      starts: starts.length,
      startsConverged: converged,
    };
  }
  const predicted = problem.predict(theta);
  predicted.forEach((p, i) => {
    if (!Number.isFinite(p)) {
      throw new SweetspotInputError(`fit ${form.id}: ${options.labels?.[i] ?? `row ${i + 1}`}: prediction is ${p}`);
    }
  });
  const residuals = Array.from(predicted, (p, i) => p / measuredJ[i] - 1);
  const objective = dot(residuals, residuals);
  // Standard errors over the parameters strictly inside their bounds.
  const jac = problem.jacobian(theta);
  const atBound = specs.map((p, k) => theta[k] <= p.lower || theta[k] >= p.upper);
  const inner = freeIdx.filter((k) => !atBound[k]);
  const lost = undeterminedParams(
    inner.map((k) => jac[k]),
    inner.map((k) => names[k]),
  );
  if (lost.length && !linear) refuse(form, lost, 'the Jacobian at the optimum is rank-deficient (they trade off exactly)', features);
  const se = standardErrors(
    inner.map((k) => jac[k]),
    objective,
    measuredJ.length,
  );
  const params: FittedParam[] = specs.map((p, k) => {
    const j = inner.indexOf(k);
    return { name: p.name, unit: p.unit, value: theta[k], stdErr: j >= 0 ? se[j] : null, atBound: atBound[k], pinned: p.lower === p.upper };
  });
  const warnings: string[] = [];
  for (const p of params) {
    if (p.stdErr !== null && p.stdErr > Math.abs(p.value)) {
      warnings.push(`${p.name} is weakly determined: standard error ${p.stdErr.toPrecision(3)} exceeds its value ${p.value.toPrecision(3)}`);
    }
  }
  if (!solver.converged) warnings.push(`solver did not converge (${solver.reason})`);
  return {
    form: form.id,
    conditionNumber: inner.length ? conditionNumber(inner.map((k) => jac[k])) : 1,
    warnings,
    theta,
    params,
    solver: { ...solver, objective },
    errors: errorMetrics(predicted, measuredJ),
    residuals,
    predictedJ: Array.from(predicted),
  };
}

function checkFinite(form: EnergyForm, cols: Float64Array[], labels?: readonly string[]): void {
  cols.forEach((c, k) => {
    const i = c.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) {
      throw new SweetspotInputError(`fit ${form.id}: ${labels?.[i] ?? `row ${i + 1}`}: basis term ${form.params[k].name} is ${c[i]} (is the model's architecture known?)`);
    }
  });
}

/** √diag(σ²(JᵀJ)⁻¹) with σ² = Σr²/(m − p); null entries where JᵀJ is not invertible. */
function standardErrors(cols: Float64Array[], objective: number, m: number): (number | null)[] {
  const p = cols.length;
  if (p === 0) return [];
  const scale = cols.map((c) => norm2(c) || 1);
  const gram = cols.map((ci, i) => cols.map((cj, j) => dot(ci, cj) / (scale[i] * scale[j])));
  const inv = inverseSpd(gram);
  const sigma2 = m > p ? objective / (m - p) : NaN;
  return cols.map((_, k) => {
    if (!inv || !Number.isFinite(sigma2)) return null;
    const v = (sigma2 * inv[k][k]) / (scale[k] * scale[k]);
    return Number.isFinite(v) && v >= 0 ? Math.sqrt(v) : null;
  });
}
