import type { Architecture } from '../../architecture/schema.js';
import { SweetspotInputError } from '../../errors.js';
import { checkKeys, optionKeys } from '../../options.js';
import type { Calibration, CalibrationInput } from '../calibration/document.js';
import type { EnergyForm } from '../form.js';
import { energyModel, type EnergyModel } from './predict.js';
import { checkEnergyModel } from './check-model.js';
import { shownValue } from '../../arguments.js';

/**
 * Whether `level` is a coverage an interval can have: in (0, 1), and below 1 by enough that the
 * two-sided quantile's argument (1 + level) / 2 stays below 1 in doubles (level ≤ 1 − 2⁻⁵²;
 * 0.9999999999999999 rounded it to 1 and was refused as `normalQuantile: p … got 1`).
 *
 * @example
 * isCoverage(0.9) // true
 * isCoverage(0.9999999999999999) // false
 */
export function isCoverage(level: unknown): level is number {
  return typeof level === 'number' && level > 0 && (1 + level) / 2 < 1;
}

/**
 * Why a level just below 1 is refused, for a message; empty for any other level.
 *
 * @example
 * nearOne(0.9999999999999999) // ' (at most 1 − 2⁻⁵², so that its two-sided quantile is finite)'
 */
export function nearOne(level: unknown): string {
  return typeof level === 'number' && level > 0.5 && level < 1 && !isCoverage(level) ? ' (at most 1 − 2⁻⁵², so that its two-sided quantile is finite)' : '';
}

/**
 * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
 *
 * @example
 * normalQuantile(0.95) // 1.6448536…
 */
export function normalQuantile(p: number): number {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) throw new SweetspotInputError(`normalQuantile: p must lie in (0, 1), got ${shownValue(p)}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * A prediction with its interval (docs/fitting.md#prediction-intervals).
 *
 * @example
 * const { energyJ, lowJ, highJ } = predictInterval(calib, arch, { nIn: 512, nOut: 128 });
 * @category Estimate
 */
export interface EnergyInterval {
  /** The point prediction of the calibration, J (the whole call). */
  readonly energyJ: number;
  /** Lower and upper bounds of the central interval, J. */
  readonly lowJ: number;
  readonly highJ: number;
  /** Nominal coverage, e.g. 0.9. */
  readonly level: number;
  /** σ of log E: √(residualSigma² + gᵀΣg), g = ∂log E/∂θ. */
  readonly sdLog: number;
  /** The parameter part of sdLog alone (√gᵀΣg), 0 without a covariance. */
  readonly parameterSdLog: number;
}

/**
 * The interval of one prediction from a bound model: log-normal, since fits are relative.
 * `log E_true ~ N(log E + logBias, residualSigma² + gᵀΣg)`, with Σ the parameter covariance
 * (posterior under a prior) and g the gradient of log E. The interval is
 * `E·exp(logBias ± z·sd)`, z the normal quantile of (1 + level)/2.
 *
 * @throws {SweetspotInputError} when the calibration carries no uncertainty (a version-1 document,
 *   or a fit that left no degrees of freedom), for a level outside (0, 1), or for a model put on
 *   several GPUs by `onGpus` (intervals are for one GPU, as `estimate` gives them).
 * @example
 * const model = energyModel(calib, preset('llama-2-7b'));
 * intervalOf(model, 512, 128, 0.9)
 */
export function intervalOf(model: EnergyModel, nIn: number, nOut: number, level = 0.9): EnergyInterval {
  checkEnergyModel('intervalOf(model)', model);
  if (!isCoverage(level)) throw new SweetspotInputError(`interval: level must lie in (0, 1), got ${shownValue(level)}${nearOne(level)}`);
  // The uncertainty is of the calibration's own parameters on one GPU, as `estimate` gives intervals.
  if (model.gpus !== undefined && model.gpus !== 1) throw new SweetspotInputError(`interval: intervals are for one GPU; this model of ${model.arch.id} is on ${model.gpus} (onGpus)`);
  const u = model.uncertainty;
  if (!u) {
    throw new SweetspotInputError(
      `interval: the calibration of ${model.arch.id} carries no uncertainty (a version-1 document, or a fit without degrees of freedom left): refit it with 'sweetspot fit' to get intervals`,
    );
  }
  const e = model.energyJ(nIn, nOut);
  let paramVar = 0;
  if (u.covariance) {
    const g = model.gradientJ(nIn, nOut);
    const n = g.length;
    if (u.covariance.length !== n || u.covariance.some((row) => row.length !== n)) {
      throw new SweetspotInputError(`interval: uncertainty.covariance must be ${n} × ${n} (the form's parameters), got ${u.covariance.length} rows`);
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) paramVar += (g[a] / e) * u.covariance[a][b] * (g[b] / e);
    paramVar = Math.max(0, paramVar);
  }
  const sdLog = Math.sqrt(u.residualSigma ** 2 + paramVar);
  const z = normalQuantile((1 + level) / 2);
  const lowJ = e * Math.exp(u.logBias - z * sdLog);
  const highJ = e * Math.exp(u.logBias + z * sdLog);
  // A tampered or absurd uncertainty (residualSigma: 1e308, a covariance of 1e300s) would give
  // [0, Infinity] or NaN bounds: no interval at all, so it is refused by name rather than returned.
  if (!(sdLog < Infinity && lowJ > 0 && highJ < Infinity)) {
    throw new SweetspotInputError(
      `interval: the calibration's uncertainty of ${model.arch.id} (residualSigma ${u.residualSigma}, logBias ${u.logBias}${u.covariance ? ', covariance' : ''}) gives no finite interval at nIn=${nIn}, nOut=${nOut}: [${lowJ}, ${highJ}] J`,
    );
  }
  return { energyJ: e, lowJ, highJ, level, sdLog, parameterSdLog: Math.sqrt(paramVar) };
}

// Checked complete against the request's type at compile time, as every other key list.
const INTERVAL_REQUEST_KEYS = optionKeys<Parameters<typeof predictInterval>[2]>()('nIn', 'nOut', 'batch', 'level', 'form', 'allowOverflow', 'waves');

/**
 * The energy of one request with its prediction interval (default 90%), from a calibration that
 * stores its uncertainty (every calibration `sweetspot fit` writes, and the built-in default).
 *
 * @throws {SweetspotInputError} as {@link energyModel} and {@link intervalOf}.
 * @example
 * predictInterval(H100_DEFAULT_CALIBRATION, preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }) // { energyJ: ≈3116, lowJ: ≈2566, highJ: ≈3784, level: 0.9, … }
 * @category Estimate
 */
export function predictInterval(
  calibration: Calibration | CalibrationInput,
  arch: Architecture,
  request: { readonly nIn: number; readonly nOut: number; readonly batch?: number; readonly level?: number; readonly form?: EnergyForm; readonly allowOverflow?: boolean; readonly waves?: boolean },
): EnergyInterval {
  if (request === null || typeof request !== 'object') {
    throw new SweetspotInputError(`predictInterval(calibration, arch, request): request must be { nIn, nOut, batch?, level? }, got ${request === null ? 'null' : typeof request}`);
  }
  checkKeys('predictInterval(calibration, arch, request): request', request, INTERVAL_REQUEST_KEYS);
  const model = energyModel(calibration, arch, { batch: request.batch, form: request.form, allowOverflow: request.allowOverflow, waves: request.waves });
  return intervalOf(model, request.nIn, request.nOut, request.level ?? 0.9);
}
