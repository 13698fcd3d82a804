import { checkShape } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
/** MAPE, max APE (both %) and R² of predictions against measurements. */
export interface ErrorMetrics {
  readonly n: number;
  /** Mean absolute percentage error, %. */
  readonly mape: number;
  /** Largest absolute percentage error, %. */
  readonly maxApe: number;
  /** 1 − SS_res/SS_tot on the energies (J); 1 for a perfect fit, may be negative. */
  readonly r2: number;
}

/**
 * Error metrics of docs/conventions.md: `MAPE = mean(|pred − meas|/meas)·100`, the largest APE, and R²
 * on the energies.
 *
 * @throws {SweetspotInputError} on empty input, mismatched lengths, or a non-finite or non-positive value (a
 *   prediction that is NaN must never pass as an error of 0).
 * @example
 * errorMetrics([110, 90], [100, 100]) // { n: 2, mape: 10, maxApe: 10, r2: … }
 */
export function errorMetrics(predictedJ: ArrayLike<number>, measuredJ: ArrayLike<number>): ErrorMetrics {
  checkShape('errorMetrics(predictedJ, measuredJ)', { predictedJ, measuredJ }, 'two arrays of energies', { predictedJ: 'array-like', measuredJ: 'array-like' });
  const n = measuredJ.length;
  if (n === 0 || predictedJ.length !== n) throw new SweetspotInputError(`errorMetrics: ${predictedJ.length} predictions for ${n} measurements`);
  let ape = 0;
  let maxApe = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const p = predictedJ[i];
    const m = measuredJ[i];
    if (!Number.isFinite(p)) throw new SweetspotInputError(`errorMetrics: prediction ${i} is ${p}`);
    if (!(m > 0) || !Number.isFinite(m)) throw new SweetspotInputError(`errorMetrics: measurement ${i} is ${m}`);
    const e = Math.abs(p - m) / m;
    ape += e;
    maxApe = Math.max(maxApe, e);
    mean += m;
  }
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (predictedJ[i] - measuredJ[i]) ** 2;
    ssTot += (measuredJ[i] - mean) ** 2;
  }
  // With one distinct measured value R² is undefined: report 1 for an exact fit, else 0.
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  return { n, mape: (100 * ape) / n, maxApe: 100 * maxApe, r2 };
}
