import { SweetspotInputError, quoteInput } from '../../errors.js';
import type { EnergyForm } from '../form.js';
import { hardwareFormBase } from './hardware.js';
import { linearForm } from './linear.js';
import { perParamForm } from './per-param.js';
import { sweetspotForm } from './sweetspot.js';

const BUILT_IN: Readonly<Record<string, EnergyForm>> = {
  sweetspot: sweetspotForm,
  hardware: hardwareFormBase,
  linear: linearForm,
  'per-param': perParamForm,
};

/**
 * Ids of the built-in forms that {@link energyForm} returns.
 *
 * @example
 * BUILT_IN_FORMS // ['sweetspot', 'hardware', 'linear', 'per-param']
 */
export const BUILT_IN_FORMS: readonly string[] = Object.freeze(Object.keys(BUILT_IN));

/**
 * A built-in energy form by id: `sweetspot`, `hardware`, `linear` or `per-param`. Formulas are
 * compiled with `compileFormula` (asynchronous: it loads mathjs).
 *
 * @throws {SweetspotInputError} for `formula` or an unknown id, listing the built-in ones.
 * @example
 * energyForm('sweetspot').params.length // 6
 * @category Fitting
 */
export function energyForm(id: string): EnergyForm {
  // Own keys only: BUILT_IN['__proto__'] or ['toString'] would be Object.prototype's members.
  if (typeof id === 'string' && Object.hasOwn(BUILT_IN, id)) return BUILT_IN[id];
  if (id === 'formula') throw new SweetspotInputError(`energy form 'formula' is compiled from its text: use compileFormula(text)`);
  throw new SweetspotInputError(`unknown energy form ${quoteInput(id)} (built-in: ${BUILT_IN_FORMS.join(', ')}; or a formula via compileFormula)`);
}
