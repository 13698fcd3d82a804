import type { ParamSpec } from '../../energy/form.js';
import { SweetspotInputError } from '../../errors.js';
import type { LeastSquaresProblem } from './lm.js';
import { checkArray, checkFinite, checkObject, checkShape, shownValue } from '../../arguments.js';

/**
 * A prior belief about one parameter, from physics (docs/fitting.md#priors): a centre and a width
 * (one standard deviation). On the `log` scale the width is in natural-log units, so 0.5 means
 * "within a factor e^0.5 ≈ 1.65 at one sigma"; on the `linear` scale it is in the parameter's unit.
 *
 * @example
 * const p: ParamPrior = { center: 0.6, width: 0.5, scale: 'log', source: 'large BF16 GEMMs reach 0.6–0.75 of peak' };
 */
export interface ParamPrior {
  readonly center: number;
  readonly width: number;
  readonly scale: 'log' | 'linear';
  /** Where the value comes from, for reports. */
  readonly source: string;
}

/**
 * Parameter name → prior. Parameters without an entry are left to the data alone.
 *
 * @example
 * const prior: FormPrior = { staticPowerW: { center: 114, width: 0.5, scale: 'log', source: '0.29 of TDP' } };
 */
export type FormPrior = Readonly<Record<string, ParamPrior>>;

/**
 * Checks a prior against a form's parameters: known names, finite positive widths, a positive
 * centre on the log scale.
 *
 * @throws {SweetspotInputError} naming the parameter at fault.
 * @example
 * checkPrior(hardwareForm().params, hardwarePrior(resolveProfile('a100-sxm4-40gb')))
 */
export function checkPrior(specs: readonly ParamSpec[], prior: FormPrior): void {
  checkArray('checkPrior(specs)', specs);
  const names = specs.map((p, k) => checkShape(`checkPrior(specs)[${k}]`, p, 'a parameter spec', { name: 'string' }).name);
  checkObject('prior', prior);
  for (const [name, p] of Object.entries(prior)) {
    checkShape(`prior: ${name}`, p, '{ center, width, scale, source }', { center: 'number', width: 'number', scale: 'string', source: 'string?' });
    if (!names.includes(name)) throw new SweetspotInputError(`prior: unknown parameter '${name}' (parameters: ${names.join(', ')})`);
    if (!(p.width > 0) || !Number.isFinite(p.width)) throw new SweetspotInputError(`prior: ${name}: width must be a positive finite number (got ${p.width})`);
    if (!Number.isFinite(p.center) || (p.scale === 'log' && !(p.center > 0))) {
      throw new SweetspotInputError(`prior: ${name}: centre must be finite${p.scale === 'log' ? ' and > 0 on the log scale' : ''} (got ${p.center})`);
    }
  }
}

/** One prior row of the least-squares problem: parameter index, centre, width, scale. */
export interface PriorRow {
  readonly index: number;
  readonly prior: ParamPrior;
}

/**
 * The prior rows of a form: one per parameter that has a prior and is free (a pinned parameter,
 * `lower = upper`, needs none).
 *
 * @example
 * priorRows(form.params, prior).map((r) => r.index) // [0, 1, 2, 3, 4, 5]
 */
export function priorRows(specs: readonly ParamSpec[], prior: FormPrior | undefined): PriorRow[] {
  checkArray('priorRows(specs)', specs);
  if (prior === undefined) return [];
  checkPrior(specs, prior);
  return specs.flatMap((s, index) => (prior[s.name] && s.lower < s.upper ? [{ index, prior: prior[s.name] }] : []));
}

// A log-scale prior at θ = 0 would be −∞: evaluate it at a floor far below the centre instead,
// where its pull is already very strong, so that the residual stays finite.
const LOG_FLOOR = 1e-9;

function logArg(theta: number, p: ParamPrior): number {
  return Math.max(theta, p.center * LOG_FLOOR);
}

/**
 * The value of one prior residual at θ_k, weighted by `sigma` (the relative scatter of the data),
 * so that it enters Σr² as `(σ·(g(θ) − g(c))/w)²`: the maximum a posteriori estimate of a
 * Gaussian relative likelihood with scatter σ under this prior minimises the augmented Σr².
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per prior row in the fitter's iterations. It checks
 * nothing; junk fails inside it.
 * @example
 * priorResidual(1.2, { center: 1, width: 0.1, scale: 'linear', source: '' }, 0.05) // 0.05·2 = 0.1
 */
export function priorResidual(theta: number, p: ParamPrior, sigma: number): number {
  return p.scale === 'log' ? (sigma * (Math.log(logArg(theta, p)) - Math.log(p.center))) / p.width : (sigma * (theta - p.center)) / p.width;
}

/**
 * ∂(prior residual)/∂θ_k.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per prior row in the fitter's iterations. It checks
 * nothing; junk fails inside it.
 * @example
 * priorDerivative(2, { center: 1, width: 0.5, scale: 'log', source: '' }, 0.1) // 0.1/(0.5·2) = 0.1
 */
export function priorDerivative(theta: number, p: ParamPrior, sigma: number): number {
  if (p.scale === 'linear') return sigma / p.width;
  // Below the floor the residual is held constant, but the solver must still see the pull back up.
  return sigma / (p.width * logArg(theta, p));
}

/**
 * The least-squares problem with the prior appended as weighted residual rows (the MAP problem):
 * residuals `[r_data(θ); σ·(g(θ_k) − g(c_k))/w_k]`, Jacobian extended to match. Any solver of
 * `min ‖r(θ)‖²` (our bounded Levenberg–Marquardt) then finds the MAP estimate.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on a problem and rows the fitter made. It checks
 * nothing; junk fails inside it.
 * @example
 * const map = withPriorRows(relativeProblem(form, x, m, ctx), priorRows(form.params, prior), 0.05);
 * levenbergMarquardt(map, start)
 */
export function withPriorRows(problem: LeastSquaresProblem, rows: readonly PriorRow[], sigma: number): LeastSquaresProblem {
  if (rows.length === 0) return problem;
  return {
    lower: problem.lower,
    upper: problem.upper,
    residuals(theta) {
      const r = problem.residuals(theta);
      const out = new Float64Array(r.length + rows.length);
      out.set(r);
      rows.forEach((row, j) => (out[r.length + j] = priorResidual(theta[row.index], row.prior, sigma)));
      return out;
    },
    jacobian(theta) {
      return problem.jacobian(theta).map((col, k) => {
        const out = new Float64Array(col.length + rows.length);
        out.set(col);
        rows.forEach((row, j) => {
          if (row.index === k) out[col.length + j] = priorDerivative(theta[k], row.prior, sigma);
        });
        return out;
      });
    },
  };
}

/**
 * The prior as rows to append to a linear system `A θ ≈ b` (columns of A and b): row j reads
 * `σ/w_j·θ_k ≈ σ/w_j·c_j`. It can be appended to the full whitened system or to a reduced one
 * (R, c) alike. A log-scale prior enters the linear path as the Gaussian with the same centre and
 * the same relative width (`w·c` in the parameter's unit): the first-order match of the log-normal
 * at its centre, which keeps the problem linear and exactly solvable by NNLS.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on rows `priorRows` made. It checks
 * nothing; junk fails inside it.
 * @param free indices (into the form's parameters) of the columns of A, in order
 * @example
 * const { cols, rhs } = linearPriorRows(priorRows(specs, prior), [0, 1, 2], 0.05);
 * // append cols[j] below A's column j and rhs below b
 */
export function linearPriorRows(rows: readonly PriorRow[], free: readonly number[], sigma: number): { cols: Float64Array[]; rhs: Float64Array } {
  const used = rows.filter((r) => free.includes(r.index));
  const cols = free.map(() => new Float64Array(used.length));
  const rhs = new Float64Array(used.length);
  used.forEach((row, j) => {
    const w = linearWidth(row.prior);
    cols[free.indexOf(row.index)][j] = sigma / w;
    rhs[j] = (sigma * row.prior.center) / w;
  });
  return { cols, rhs };
}

/**
 * The width of a prior in the parameter's own unit (a log-scale width w at centre c becomes w·c).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per prior row in the fitter's iterations. It checks
 * nothing; junk fails inside it.
 * @example
 * linearWidth({ center: 200, width: 0.5, scale: 'log', source: '' }) // 100
 */
export function linearWidth(p: ParamPrior): number {
  return p.scale === 'log' ? p.width * p.center : p.width;
}

/**
 * How the data and the prior shared in determining one parameter (docs/fitting.md#priors).
 *
 * @example
 * const s: PriorReport = fit.params[2].prior!; // s.narrowing < 0.5: the data determined it
 */
export interface PriorReport {
  readonly center: number;
  readonly width: number;
  readonly scale: 'log' | 'linear';
  readonly source: string;
  /** Posterior sd / prior sd, on the prior's scale: near 0 when the data determined the parameter, near 1 when the prior did. Null where no posterior sd exists (at a bound). */
  readonly narrowing: number | null;
  /** (posterior value − centre) / prior sd, on the prior's scale: how far the data moved it, in prior widths. */
  readonly shift: number;
  /** `data` (narrowing < 0.5), `prior` (> 0.9), `data and prior` in between, `bound` when the value sits on a bound. */
  readonly determinedBy: 'data' | 'prior' | 'data and prior' | 'bound';
}

/**
 * Compares a posterior value and standard error with the prior (see {@link PriorReport}).
 *
 * @example
 * priorReport({ center: 1, width: 0.5, scale: 'log', source: '' }, Math.E, 0.05 * Math.E, false).shift // 2
 */
export function priorReport(p: ParamPrior, value: number, stdErr: number | null, atBound: boolean): PriorReport {
  checkShape('priorReport(prior)', p, '{ center, width, scale, source }', { center: 'finite', width: 'finite', scale: 'string', source: 'string' });
  checkFinite('priorReport(prior, value)', value);
  if (stdErr !== null) checkFinite('priorReport(prior, value, stdErr)', stdErr);
  if (typeof atBound !== 'boolean') throw new SweetspotInputError(`priorReport(prior, value, stdErr, atBound): expected true or false, got ${shownValue(atBound)}`);
  const onScale = p.scale === 'log' ? Math.log(Math.max(value, p.center * LOG_FLOOR)) - Math.log(p.center) : value - p.center;
  const sdOnScale = stdErr === null ? null : p.scale === 'log' ? (value > 0 ? stdErr / value : null) : stdErr;
  const narrowing = sdOnScale === null ? null : sdOnScale / p.width;
  const determinedBy = atBound || narrowing === null ? 'bound' : narrowing < 0.5 ? 'data' : narrowing > 0.9 ? 'prior' : 'data and prior';
  return { center: p.center, width: p.width, scale: p.scale, source: p.source, narrowing, shift: onScale / p.width, determinedBy };
}
