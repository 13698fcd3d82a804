import type { EnergyForm } from './form.js';
import { checkShape } from '../arguments.js';

/** The built-in forms that read only the lengths and the batch, never an architecture. */
const LENGTH_ONLY_FORMS: ReadonlySet<string> = new Set(['sweetspot', 'linear']);

/**
 * Whether a form id names a built-in form that reads only `nIn`, `nOut` and `batch` (`sweetspot`,
 * `linear`): such a per-model calibration needs no architecture to predict its own models.
 *
 * @example
 * isLengthOnlyForm('sweetspot') // true
 * isLengthOnlyForm('hardware')  // false
 */
export function isLengthOnlyForm(id: string): boolean {
  return LENGTH_ONLY_FORMS.has(id);
}

/**
 * Whether a form's calibrations describe calls at one batch only: the length-only forms, and a
 * per-model `formula` (one parameter set per model, fitted on rows of one batch, so the batch
 * dependence is never identified, even where the formula reads `batch`). `calibrate` refuses rows
 * that mix batches for these and records the batch; `energyModel` predicts only at it.
 *
 * @example
 * describesOneBatch(sweetspotForm)                                        // true
 * describesOneBatch(await compileFormula('a * nIn', { scope: 'per-model' })) // true
 * describesOneBatch(hardwareFormBase)                                      // false
 */
export function describesOneBatch(form: Pick<EnergyForm, 'id' | 'scope'>): boolean {
  checkShape('describesOneBatch(form)', form, 'an energy form', { id: 'string', scope: 'string' });
  return isLengthOnlyForm(form.id) || (form.id === 'formula' && form.scope === 'per-model');
}
