import type { Calibration } from './calibration.js';

/**
 * A label for a calibration in titles and results: the form, the engine, and whether it was fitted.
 *
 * @example
 * calibrationLabel(H100_DEFAULT_CALIBRATION) // 'hardware form, TensorRT-LLM-like (derived default) (built-in, not fitted)'
 */
export function calibrationLabel(c: Calibration): string {
  return `${c.form} form, ${c.engine}${c.fitted ? `, fitted on ${c.fittedOn?.rows ?? '?'} rows` : ' (built-in, not fitted)'}`;
}
