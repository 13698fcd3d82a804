import type { Calibration } from './document.js';
import { checkShape } from '../../arguments.js';

/**
 * A label for a calibration in titles and results: the form, the engine, and whether it was fitted
 * (or moved from a fit on another GPU).
 *
 * @example
 * calibrationLabel(H100_DEFAULT_CALIBRATION) // 'hardware form, vLLM or TensorRT-LLM (fp16, pooled), fitted on 16 rows'
 */
export function calibrationLabel(c: Calibration): string {
  checkShape('calibrationLabel(calibration)', c, 'a calibration (from parseCalibration)', { form: 'string', engine: 'string', fitted: 'boolean', gpu: 'string?' });
  if (c.fitted) return `${c.form} form, ${c.engine}, fitted on ${c.fittedOn?.rows ?? '?'} rows`;
  // Not fitted but made from measurements: moved from a fit on another GPU (transferCalibration).
  if (c.fittedOn) return `${c.form} form, ${c.engine}, moved to ${c.gpu} from a fit on ${c.fittedOn.rows} rows`;
  return `${c.form} form, ${c.engine} (built-in, not fitted)`;
}
