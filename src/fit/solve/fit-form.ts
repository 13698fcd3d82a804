import type { FeatureList, RowList } from '../data/row-list.js';
import type { EnergyForm, FormContext } from '../../energy/form.js';
import { SweetspotInputError } from '../../errors.js';
import { conditionNumber, undeterminedParams } from './identify.js';
import { dot, inverseSpd, norm2 } from './linalg.js';
import { levenbergMarquardt, type LmOptions } from './lm.js';
import { errorMetrics, type ErrorMetrics } from '../evaluate/metrics.js';
import { nnls } from './nnls.js';
import { linearPriorRows, priorDerivative, priorReport, priorRows, withPriorRows, type FormPrior, type PriorReport, type PriorRow } from './prior.js';
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
  /** With a prior: how far the data moved the parameter and how much it narrowed it. */
  readonly prior?: PriorReport;
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
  /**
   * Weakly determined parameters (standard error above the value), solver doubts, and rows no form
   * describes (energies per token over 4 decades apart; one prediction for rows that vary).
   */
  readonly warnings: string[];
  /**
   * Covariance of θ at the optimum (posterior covariance with a prior), in the form's parameter
   * order; rows and columns of parameters held at a bound or pinned are 0. Null when it cannot be
   * computed (singular, or no degrees of freedom left).
   */
  readonly covariance: number[][] | null;
  /**
   * Relative scatter of the rows about the fit, √(Σr²/(m − p_eff)), with p_eff the parameters the
   * data determined (the trace of the hat matrix under a prior): the σ of prediction intervals.
   */
  readonly residualSigma: number | null;
  /** The data scatter σ the prior rows were weighted with (null without a prior). */
  readonly priorSigma: number | null;
}

/** Options of {@link fitForm}. */
export interface FitFormOptions {
  readonly ctx?: FormContext;
  /** Starting points for a nonlinear form (default: {@link defaultStarts}). */
  readonly starts?: readonly (readonly number[])[];
  readonly lm?: LmOptions;
  /** Row labels for error messages (e.g. `line 12`), in row order. */
  readonly labels?: RowList<string>;
  /**
   * A prior on the parameters (docs/fitting.md#priors): the fit is then the maximum a posteriori
   * one, the prior entering as weighted residual rows, and data that cannot determine a parameter
   * leave it near its prior instead of being refused.
   */
  readonly prior?: FormPrior;
  /** Relative data scatter the prior rows are first weighted with (default 0.05); re-estimated from the residuals once. */
  readonly priorSigma?: number;
  /**
   * How the caller pins a parameter, offered when the rows cannot determine one (default
   * `pinParams(form, { NAME: value })`; `calibrate` names its `fix`, the command line `--fix
   * NAME=VALUE`). Null where the caller cannot pin (a baseline): only more varied lengths are offered.
   */
  readonly pin?: string | null;
}

/** Distinct configurations among the rows, counted up to `enough` (all rows are rarely needed). */
function distinctConfigs(features: FeatureList, enough: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < features.length; i++) {
    const x = features.at(i)!;
    seen.add(`${x.nIn}|${x.nOut}|${x.batch}|${x.params}|${x.weightBytesPerStep}`);
    if (seen.size >= enough) break;
  }
  return seen.size;
}

function refuse(form: EnergyForm, names: string[], why: string, features: FeatureList, pin: string | null): never {
  // One pass, one record read per row: a table's records are made when read.
  const nIn = new Set<number>();
  const nOut = new Set<number>();
  for (let i = 0; i < features.length; i++) {
    const x = features.at(i)!;
    nIn.add(x.nIn);
    nOut.add(x.nOut);
  }
  const spread = `rows span ${nIn.size} distinct n_in and ${nOut.size} distinct n_out`;
  throw new SweetspotInputError(
    `fit ${form.id}: cannot determine ${names.join(', ')}: ${why} (${spread}); measure more varied lengths${pin === null ? '' : `, or pin one of them (${pin})`}`,
  );
}

/**
 * Fits a form to measured energies by minimising Σ((E(θ,x_i) − m_i)/m_i)² within the parameter
 * bounds (docs/conventions.md). Forms linear in θ (with `basis`, bounds [0, ∞)) are solved exactly by
 * NNLS; the others by bounded Levenberg–Marquardt from several starts. Standard errors come from
 * σ²·(JᵀJ)⁻¹ at the optimum, with σ² = Σr²/(rows − free parameters).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on forms and prepared data `calibrate` checked. It checks
 * nothing; junk fails inside it.
 * @throws {SweetspotInputError} when the rows cannot determine the parameters (too few distinct
 *   configurations, or a rank-deficient basis/Jacobian), naming the parameters; or when a
 *   prediction is not finite.
 * @example
 * const fit = fitForm(sweetspotForm, features, rows.map((r) => r.energyJ));
 * fit.errors.mape // in-sample MAPE, %
 */
export function fitForm(
  formIn: EnergyForm,
  features: FeatureList,
  measuredJ: readonly number[],
  options: FitFormOptions = {},
): FitResult {
  const ctx = options.ctx ?? {};
  const pin = options.pin === undefined ? 'pinParams(form, { NAME: value })' : options.pin;
  const unused = unusedParams(formIn, features, ctx, options.prior);
  // A parameter no row depends on (e.g. the energy per score byte when attention is fused) and no
  // prior constrains is held at its lower bound rather than refused: it cannot matter here.
  const form: EnergyForm = unused.length
    ? { ...formIn, params: formIn.params.map((p, k) => (unused.includes(k) ? { ...p, upper: p.lower } : p)) }
    : formIn;
  const specs = form.params;
  const names = specs.map((p) => p.name);
  const freeIdx = specs.flatMap((p, k) => (p.lower < p.upper ? [k] : []));
  const prior = priorRows(specs, options.prior);
  // A prior on every free parameter determines them all: nothing is refused for lack of data.
  const covered = prior.length > 0 && freeIdx.every((k) => prior.some((r) => r.index === k));
  const configs = distinctConfigs(features, freeIdx.length + 1);
  if (!covered && configs <= freeIdx.length) {
    refuse(
      form,
      freeIdx.map((k) => names[k]),
      `${configs} distinct configuration(s) for ${freeIdx.length} free parameters (need at least ${freeIdx.length + 1})`,
      features,
      pin,
    );
  }
  const problem = relativeProblem(form, features, measuredJ, ctx);
  const linear = form.basis !== undefined && freeIdx.every((k) => specs[k].lower === 0 && specs[k].upper === Infinity);
  const m = measuredJ.length;
  // The linear path reduces the rows once (one QR: R, c, r0) and solves, checks and estimates
  // standard errors on that p × p system (docs/fitting.md); the prior's rows stack onto it.
  const reduced = linear ? reduceLinear(form, features, measuredJ, ctx, freeIdx, options.labels) : undefined;
  if (reduced && !covered) {
    const lost = undeterminedParams(
      freeIdx.map((_, j) => reduced.column(j)),
      freeIdx.map((k) => specs[k].name),
    );
    if (lost.length) refuse(form, lost, 'their basis columns are linearly dependent on these rows', features, pin);
  }
  // What the posterior reads of the data is JᵀJ: for a linear form AᵀA = RᵀR, so the columns of R
  // stand in for the rows' Jacobian.
  const dataJacobian = (theta: readonly number[]): readonly Float64Array[] =>
    reduced ? specs.map((_, k) => (freeIdx.includes(k) ? reduced.column(freeIdx.indexOf(k)) : new Float64Array(0))) : problem.jacobian([...theta]);
  const solve = (sigma: number, from?: number[], pilot = false): { theta: number[]; solver: SolverReport } =>
    reduced ? solveLinear(form, reduced, m, freeIdx, prior, sigma) : solveNonlinear(form, problem, prior, sigma, options, from, pilot);
  let sigma = options.priorSigma ?? 0.05;
  let { theta, solver } = prior.length > 0 ? solve(PILOT_SIGMA, undefined, true) : solve(sigma);
  if (prior.length > 0) {
    // The prior's weight is the data's scatter σ. Estimate σ from a pilot fit under a nearly flat
    // prior (close to maximum likelihood, yet defined where the data leave directions open), not
    // from a fit the prior already bent: that would feed a misfit back into a stronger prior.
    const r = residualsOf(problem.predict(theta), measuredJ);
    const post = posterior(dataJacobian(theta), dot(r, r), m, innerOf(specs, theta, freeIdx), prior, theta, PILOT_SIGMA);
    // Too few rows beyond what the fit used leave no estimate: keep the assumed scatter then.
    if (options.priorSigma === undefined && post.sigma !== null && post.dof >= 2) sigma = Math.min(0.5, Math.max(1e-6, post.sigma));
    ({ theta, solver } = solve(sigma, theta));
  }
  const predicted = problem.predict(theta);
  // One pass over the rows: every prediction checked, residuals and Σr² together.
  const residuals = new Array<number>(predicted.length);
  const predictedJ = new Array<number>(predicted.length);
  let objective = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i];
    if (!Number.isFinite(p)) {
      throw new SweetspotInputError(`fit ${form.id}: ${options.labels?.at(i) ?? `row ${i + 1}`}: prediction is ${p}`);
    }
    const r = p / measuredJ[i] - 1;
    residuals[i] = r;
    predictedJ[i] = p;
    objective += r * r;
  }
  // Standard errors over the parameters strictly inside their bounds.
  const jac = dataJacobian(theta);
  const atBound = specs.map((p, k) => theta[k] <= p.lower || theta[k] >= p.upper);
  const inner = innerOf(specs, theta, freeIdx);
  if (!covered) {
    const lost = undeterminedParams(
      inner.map((k) => jac[k]),
      inner.map((k) => names[k]),
    );
    if (lost.length && !linear) refuse(form, lost, 'the Jacobian at the optimum is rank-deficient (they trade off exactly)', features, pin);
  }
  const post = posterior(jac, objective, m, inner, prior, theta, sigma);
  const params: FittedParam[] = specs.map((p, k) => {
    const j = inner.indexOf(k);
    const stdErr = j >= 0 ? post.se[j] : null;
    const row = prior.find((r) => r.index === k);
    return {
      name: p.name,
      unit: p.unit,
      value: theta[k],
      stdErr,
      atBound: atBound[k],
      pinned: p.lower === p.upper,
      ...(row ? { prior: priorReport(row.prior, theta[k], stdErr, atBound[k]) } : {}),
    };
  });
  const warnings: string[] = [];
  for (const p of params) {
    if (p.stdErr !== null && p.stdErr > Math.abs(p.value) && !p.prior) {
      warnings.push(`${p.name} is weakly determined: standard error ${p.stdErr.toPrecision(3)} exceeds its value ${p.value.toPrecision(3)}`);
    }
    if (p.prior && p.atBound && !p.pinned && Math.abs(p.prior.shift) > 1) warnings.push(`${p.name} sits at its bound ${p.value.toPrecision(3)}: the data put it there against its prior`);
  }
  if (!solver.converged) warnings.push(`solver did not converge (${solver.reason})`);
  for (const k of unused) warnings.push(`${names[k]}: no row depends on it; held at ${specs[k].lower}`);
  warnings.push(...dataShapeWarnings(features, measuredJ, predictedJ, options.labels));
  const covariance = post.cov
    ? specs.map((_, a) => specs.map((__, b) => (inner.includes(a) && inner.includes(b) ? post.cov![inner.indexOf(a)][inner.indexOf(b)] : 0)))
    : null;
  return {
    form: form.id,
    conditionNumber: inner.length ? conditionNumber(inner.map((k) => jac[k])) : 1,
    warnings,
    theta,
    params,
    solver: { ...solver, objective },
    errors: errorMetrics(predicted, measuredJ),
    residuals,
    predictedJ,
    covariance,
    residualSigma: post.sigma,
    priorSigma: prior.length > 0 ? sigma : null,
  };
}

/**
 * Energy per token (the call's energy over all its sequences' tokens) that no real LLM call spans
 * within one model on one GPU: batch 1 to 1024 and prefill- to decode-heavy calls stay within about
 * 10³ of each other (docs/fitting.md, "Standard errors, R², identifiability"), so 10⁴ means mixed units or columns.
 */
const PER_TOKEN_SPREAD_LIMIT = 1e4;

/**
 * Warnings about rows the form cannot describe, whatever its parameters: energies per token that
 * span more than physics allows (mixed units: J beside kWh or mJ), and a fit that predicts one
 * energy for every row while the rows vary (every length term driven to 0).
 */
function dataShapeWarnings(features: FeatureList, measuredJ: readonly number[], predictedJ: readonly number[], labels?: RowList<string>): string[] {
  const label = (i: number) => labels?.at(i) ?? `row ${i + 1}`;
  const out: string[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let loRow = 0;
  let hiRow = 0;
  let minP = Infinity;
  let maxP = -Infinity;
  let minM = Infinity;
  let maxM = -Infinity;
  for (let i = 0; i < measuredJ.length; i++) {
    const x = features.at(i)!;
    const perToken = measuredJ[i] / (x.batch * (x.nIn + x.nOut));
    if (perToken < lo) [lo, loRow] = [perToken, i];
    if (perToken > hi) [hi, hiRow] = [perToken, i];
    minP = Math.min(minP, predictedJ[i]);
    maxP = Math.max(maxP, predictedJ[i]);
    minM = Math.min(minM, measuredJ[i]);
    maxM = Math.max(maxM, measuredJ[i]);
  }
  if (hi / lo > PER_TOKEN_SPREAD_LIMIT) {
    out.push(
      `energies per token span ${Math.log10(hi / lo).toFixed(1)} decades (${lo.toPrecision(3)} J/token in ${label(loRow)} to ${hi.toPrecision(3)} J/token in ${label(hiRow)}); ` +
        'real calls of one model on one GPU stay within about 3: check that every row gives energy_j in joules and the call\'s whole batch',
    );
  }
  if (measuredJ.length > 1 && maxM > 2 * minM && maxP - minP <= 1e-9 * maxP) {
    out.push(`the fit predicts the same energy (${maxP.toPrecision(3)} J) for every row while the rows range from ${minM.toPrecision(3)} to ${maxM.toPrecision(3)} J: the form describes none of their variation`);
  }
  return out;
}

/** Prior weight of the pilot fit that estimates the data's scatter: a nearly flat prior. */
const PILOT_SIGMA = 1e-4;

/** Indices of free parameters whose gradient is 0 on every row (probed inside the bounds) and that no prior covers. */
function unusedParams(form: EnergyForm, features: FeatureList, ctx: FormContext, prior?: FormPrior): number[] {
  if (!form.gradient) return [];
  const probe = form.params.map((p) => (Number.isFinite(p.upper) ? (p.lower + p.upper) / 2 : Math.max(p.lower, 0) + 1));
  const g = new Float64Array(form.params.length);
  const used = form.params.map((p) => p.lower === p.upper || (prior !== undefined && p.name in prior));
  for (let i = 0; i < features.length; i++) {
    form.gradient(probe, features.at(i)!, ctx, g);
    g.forEach((v, k) => {
      if (v !== 0) used[k] = true;
    });
    if (used.every(Boolean)) return [];
  }
  return used.flatMap((u, k) => (u ? [] : [k]));
}

function residualsOf(predicted: ArrayLike<number>, measuredJ: readonly number[]): number[] {
  return Array.from(predicted, (p, i) => p / measuredJ[i] - 1);
}

function innerOf(specs: EnergyForm['params'], theta: readonly number[], freeIdx: readonly number[]): number[] {
  return freeIdx.filter((k) => !(theta[k] <= specs[k].lower || theta[k] >= specs[k].upper));
}

/**
 * Rotates the whitened rows of a linear form into a {@link ReducedSystem} one at a time: row i is
 * `basis(x_i)/m_i` over the free parameters, with right-hand side `1 − Σ_pinned θ_k·basis_k(x_i)/m_i`
 * (pinned parameters move to the right). Nothing of size rows × parameters is held.
 */
function reduceLinear(
  form: EnergyForm,
  features: FeatureList,
  measuredJ: readonly number[],
  ctx: FormContext,
  freeIdx: readonly number[],
  labels?: RowList<string>,
): ReducedSystem {
  const specs = form.params;
  const n = specs.length;
  const pinned = specs.flatMap((p, k) => (p.lower === p.upper ? [k] : []));
  const sys = new ReducedSystem(freeIdx.length);
  const b = new Float64Array(n);
  const row = new Float64Array(freeIdx.length);
  for (let i = 0; i < measuredJ.length; i++) {
    form.basis!(features.at(i)!, ctx, b);
    const w = 1 / measuredJ[i];
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(b[k] * w)) {
        throw new SweetspotInputError(`fit ${form.id}: ${labels?.at(i) ?? `row ${i + 1}`}: basis term ${specs[k].name} is ${b[k] * w} (is the model's architecture known?)`);
      }
    }
    for (let j = 0; j < freeIdx.length; j++) row[j] = b[freeIdx[j]] * w;
    let rhs = 1;
    for (const k of pinned) rhs -= specs[k].lower * b[k] * w;
    sys.addRow(row, rhs);
  }
  return sys;
}

function solveLinear(
  form: EnergyForm,
  data: ReducedSystem,
  m: number,
  freeIdx: readonly number[],
  prior: readonly PriorRow[],
  sigma: number,
): { theta: number[]; solver: SolverReport } {
  const specs = form.params;
  // The prior's rows go below the data's (docs/fitting.md#priors): stacked onto a copy of the triangle.
  let sys = data;
  const rows = linearPriorRows(prior, freeIdx, sigma);
  if (rows.rhs.length > 0) {
    sys = new ReducedSystem(freeIdx.length);
    sys.append(data);
    const row = new Float64Array(freeIdx.length);
    for (let i = 0; i < rows.rhs.length; i++) {
      for (let j = 0; j < freeIdx.length; j++) row[j] = rows.cols[j][i];
      sys.addRow(row, rows.rhs[i]);
    }
  }
  const cols = freeIdx.map((_, j) => sys.column(j));
  // The KKT tolerance of the full rows (as if NNLS ran on them): the triangle is only a shortcut.
  const c = sys.rhs();
  const bNorm = Math.sqrt(dot(c, c) + sys.r0);
  const tolerance = 10 * Number.EPSILON * Math.max(m, freeIdx.length) * Math.max(1, bNorm);
  const sol = nnls(cols, c, undefined, { tolerance });
  const theta = specs.map((p) => p.lower);
  freeIdx.forEach((k, j) => (theta[k] = sol.x[j]));
  return {
    theta,
    solver: {
      method: 'nnls',
      iterations: sol.iterations,
      converged: sol.converged,
      reason: sol.reason,
      objective: sol.objective + sys.r0,
      starts: 1,
      startsConverged: sol.converged ? 1 : 0,
    },
  };
}

function solveNonlinear(
  form: EnergyForm,
  data: ReturnType<typeof relativeProblem>,
  prior: readonly PriorRow[],
  sigma: number,
  options: FitFormOptions,
  from?: number[],
  pilot = false,
): { theta: number[]; solver: SolverReport } {
  const problem = withPriorRows(data, prior, sigma);
  let starts = options.starts?.map((s) => [...s]) ?? defaultStarts(problem);
  if (prior.length > 0) {
    // The prior's centre is a start too: where physics expects the answer.
    const centre = form.params.map((p, k) => {
      const row = prior.find((r) => r.index === k);
      const v = row ? row.prior.center : p.lower === p.upper ? p.lower : starts[0]?.[k] ?? p.lower;
      return Math.min(p.upper, Math.max(p.lower, v));
    });
    // The pilot only estimates the scatter: a few starts suffice.
    starts = from ? [from, centre, ...starts.slice(0, 3)] : pilot ? [centre, ...starts.slice(0, 2)] : [centre, ...starts];
  }
  let best: ReturnType<typeof levenbergMarquardt> | undefined;
  let iterations = 0;
  let converged = 0;
  // The pilot's scatter needs no more than a rough optimum: a nearly flat prior leaves long valleys.
  const lm = pilot ? { ...options.lm, maxIterations: Math.min(options.lm?.maxIterations ?? 500, 60) } : options.lm;
  for (const start of starts) {
    const run = levenbergMarquardt(problem, start, lm);
    iterations += run.iterations;
    if (run.converged) converged++;
    if (Number.isFinite(run.objective) && (!best || run.objective < best.objective)) best = run;
  }
  if (!best) throw new SweetspotInputError(`fit ${form.id}: every start gave non-finite predictions`);
  // Restart from the best point with fresh damping: after a long crawl along a valley (or across
  // the kinks of max()), the damping left behind can be far too high to finish the descent.
  for (let restart = 0; restart < (pilot ? 0 : 5); restart++) {
    const again = levenbergMarquardt(problem, best.theta, options.lm);
    iterations += again.iterations;
    if (!(again.objective < best.objective * (1 - 1e-12))) break;
    best = again;
  }
  return {
    theta: best.theta,
    solver: {
      method: 'lm',
      iterations,
      converged: best.converged,
      reason: best.reason,
      objective: best.objective,
      starts: starts.length,
      startsConverged: converged,
    },
  };
}

/**
 * Posterior (or, without a prior, sampling) covariance over the inner parameters:
 * `σ²·(J_augᵀJ_aug)⁻¹`, J_aug the data Jacobian with the prior rows below it, σ² = Σr²/(m − p_eff)
 * and p_eff = tr(JᵀJ·(J_augᵀJ_aug)⁻¹), the parameters the data determined (p without a prior).
 * Computed on the column-scaled matrices; null entries where the matrix is not invertible.
 */
function posterior(
  jac: readonly Float64Array[],
  objective: number,
  m: number,
  inner: readonly number[],
  prior: readonly PriorRow[],
  theta: readonly number[],
  priorSigma: number,
): { se: (number | null)[]; cov: number[][] | null; sigma: number | null; dof: number } {
  const p = inner.length;
  if (p === 0) return { se: [], cov: null, sigma: m > 0 ? Math.sqrt(objective / m) : null, dof: m };
  const cols = inner.map((k) => jac[k]);
  const scale = cols.map((c, j) => {
    const row = prior.find((r) => r.index === inner[j]);
    const extra = row ? priorDerivative(theta[inner[j]], row.prior, priorSigma) : 0;
    return Math.sqrt(dot(c, c) + extra * extra) || 1;
  });
  const data = cols.map((ci, i) => cols.map((cj, j) => dot(ci, cj) / (scale[i] * scale[j])));
  const aug = data.map((row, i) => row.slice());
  inner.forEach((k, i) => {
    const r = prior.find((x) => x.index === k);
    if (r) aug[i][i] += (priorDerivative(theta[k], r.prior, priorSigma) / scale[i]) ** 2;
  });
  const inv = inverseSpd(aug);
  if (!inv) return { se: cols.map(() => null), cov: null, sigma: null, dof: 0 };
  let pEff = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) pEff += data[i][j] * inv[j][i];
  const dof = m - pEff;
  const sigma2 = dof > 0.5 ? objective / dof : NaN;
  if (!Number.isFinite(sigma2)) return { se: cols.map(() => null), cov: null, sigma: null, dof };
  const cov = inv.map((row, i) => row.map((v, j) => (sigma2 * v) / (scale[i] * scale[j])));
  const se = cov.map((row, k) => (Number.isFinite(row[k]) && row[k] >= 0 ? Math.sqrt(row[k]) : null));
  return { se, cov, sigma: Math.sqrt(sigma2), dof };
}
