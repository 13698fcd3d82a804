import type { RequestFeatures } from '../complexity/features.js';
import type { EnergyForm, FormContext } from '../energy/form.js';
import { SweetspotInputError } from '../errors.js';
import { conditionNumber, undeterminedParams } from './identify.js';
import { dot, inverseSpd, norm2 } from './linalg.js';
import { levenbergMarquardt, type LmOptions } from './lm.js';
import { errorMetrics, type ErrorMetrics } from './metrics.js';
import { nnls } from './nnls.js';
import { relativeProblem } from './problem.js';
import { ReducedSystem } from './reduced.js';
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

/** Distinct configurations among the rows, counted up to `enough` (all rows are rarely needed). */
function distinctConfigs(features: readonly RequestFeatures[], enough: number): number {
  const seen = new Set<string>();
  for (const x of features) {
    seen.add(`${x.nIn}|${x.nOut}|${x.batch}|${x.params}|${x.weightBytesPerStep}`);
    if (seen.size >= enough) break;
  }
  return seen.size;
}

function distinctCount(values: readonly number[]): number {
  return new Set(values).size;
}

function refuse(form: EnergyForm, names: string[], why: string, features: readonly RequestFeatures[]): never {
  const spread = `rows span ${distinctCount(features.map((x) => x.nIn))} distinct n_in and ${distinctCount(features.map((x) => x.nOut))} distinct n_out`;
  throw new SweetspotInputError(
    `fit ${form.id}: cannot determine ${names.join(', ')}: ${why} (${spread}); measure more varied lengths, or pin one of them (--fix NAME=VALUE)`,
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
  const configs = distinctConfigs(features, freeIdx.length + 1);
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
  // The linear path reduces the rows once (one QR: R, c, r0) and solves, checks and estimates
  // standard errors on that p × p system (docs/fitting.md); it is kept for the checks below.
  let reduced: ReducedSystem | undefined;
  if (linear) {
    reduced = reduceLinear(form, features, measuredJ, ctx, freeIdx, options.labels);
    const cols = freeIdx.map((_, j) => reduced!.column(j));
    const lost = undeterminedParams(
      cols,
      freeIdx.map((k) => names[k]),
    );
    if (lost.length) refuse(form, lost, 'their basis columns are linearly dependent on these rows', features);
    // The KKT tolerance of the full rows (as if NNLS ran on them): the triangle is only a shortcut.
    const c = reduced.rhs();
    const bNorm = Math.sqrt(dot(c, c) + reduced.r0);
    const tolerance = 10 * Number.EPSILON * Math.max(measuredJ.length, freeIdx.length) * Math.max(1, bNorm);
    const sol = nnls(cols, c, undefined, { tolerance });
    theta = specs.map((p) => p.lower);
    freeIdx.forEach((k, j) => (theta[k] = sol.x[j]));
    solver = {
      method: 'nnls',
      iterations: sol.iterations,
      converged: sol.converged,
      reason: sol.reason,
      objective: sol.objective + reduced.r0,
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
  // One pass over the rows: every prediction checked, residuals and Σr² together.
  const residuals = new Array<number>(predicted.length);
  const predictedJ = new Array<number>(predicted.length);
  let objective = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i];
    if (!Number.isFinite(p)) {
      throw new SweetspotInputError(`fit ${form.id}: ${options.labels?.[i] ?? `row ${i + 1}`}: prediction is ${p}`);
    }
    const r = p / measuredJ[i] - 1;
    residuals[i] = r;
    predictedJ[i] = p;
    objective += r * r;
  }
  // Standard errors over the parameters strictly inside their bounds. A linear form's Jacobian is
  // its whitened basis A, and AᵀA = RᵀR: the columns of R stand in for the rows.
  const atBound = specs.map((p, k) => theta[k] <= p.lower || theta[k] >= p.upper);
  const inner = freeIdx.filter((k) => !atBound[k]);
  let innerCols: Float64Array[];
  if (reduced) {
    innerCols = inner.map((k) => reduced!.column(freeIdx.indexOf(k)));
  } else {
    const jac = problem.jacobian(theta);
    innerCols = inner.map((k) => jac[k]);
    const lost = undeterminedParams(
      innerCols,
      inner.map((k) => names[k]),
    );
    if (lost.length) refuse(form, lost, 'the Jacobian at the optimum is rank-deficient (they trade off exactly)', features);
  }
  const se = standardErrors(innerCols, objective, measuredJ.length);
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
    conditionNumber: inner.length ? conditionNumber(innerCols) : 1,
    warnings,
    theta,
    params,
    solver: { ...solver, objective },
    errors: errorMetrics(predicted, measuredJ),
    residuals,
    predictedJ,
  };
}

/**
 * Rotates the whitened rows of a linear form into a {@link ReducedSystem} one at a time: row i is
 * `basis(x_i)/m_i` over the free parameters, with right-hand side `1 − Σ_pinned θ_k·basis_k(x_i)/m_i`
 * (pinned parameters move to the right). Nothing of size rows × parameters is held.
 */
function reduceLinear(
  form: EnergyForm,
  features: readonly RequestFeatures[],
  measuredJ: readonly number[],
  ctx: FormContext,
  freeIdx: readonly number[],
  labels?: readonly string[],
): ReducedSystem {
  const specs = form.params;
  const n = specs.length;
  const pinned = specs.flatMap((p, k) => (p.lower === p.upper ? [k] : []));
  const sys = new ReducedSystem(freeIdx.length);
  const b = new Float64Array(n);
  const row = new Float64Array(freeIdx.length);
  for (let i = 0; i < measuredJ.length; i++) {
    form.basis!(features[i], ctx, b);
    const w = 1 / measuredJ[i];
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(b[k] * w)) {
        throw new SweetspotInputError(`fit ${form.id}: ${labels?.[i] ?? `row ${i + 1}`}: basis term ${specs[k].name} is ${b[k] * w} (is the model's architecture known?)`);
      }
    }
    for (let j = 0; j < freeIdx.length; j++) row[j] = b[freeIdx[j]] * w;
    let rhs = 1;
    for (const k of pinned) rhs -= specs[k].lower * b[k] * w;
    sys.addRow(row, rhs);
  }
  return sys;
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
