import type { Calibration } from './document.js';
import { checkShape } from '../../arguments.js';

/**
 * A label for a calibration in titles and results: the form, the engine, and whether it was fitted.
 *
 * @example
 * calibrationLabel(H100_DEFAULT_CALIBRATION) // 'hardware form, vLLM or TensorRT-LLM (fp16, pooled), fitted on 16 rows'
 */
export function calibrationLabel(c: Calibration): string {
  checkShape('calibrationLabel(calibration)', c, 'a calibration (from parseCalibration)', { form: 'string', engine: 'string', fitted: 'boolean' });
  return `${c.form} form, ${c.engine}${c.fitted ? `, fitted on ${c.fittedOn?.rows ?? '?'} rows` : ' (built-in, not fitted)'}`;
}
