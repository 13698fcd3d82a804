import { checkShape } from '../arguments.js';
import type { EnergyForm } from './form.js';

/**
 * `form` when it has the shape of an {@link EnergyForm} (a built-in form, `energyForm(id)`,
 * `compileFormula`), else an error naming the argument and each bad field. Shallow and O(1): for
 * functions that take a form from the caller, once at their entry.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkEnergyForm('pinParams(form)', hardwareFormBase) // the form
 */
export function checkEnergyForm<T extends EnergyForm>(where: string, form: T): T {
  return checkShape(where, form, 'an energy form (from energyForm)', { id: 'string', scope: 'string', params: 'array', predictJ: 'function' });
}
