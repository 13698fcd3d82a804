import { parseCalibration, type Calibration, type CalibrationInput } from './document.js';
import type { EnergyForm } from '../form.js';
import { compileFormula } from '../forms/formula.js';
import { energyForm } from '../forms/registry.js';

/**
 * The form a calibration's parameters belong to: the built-in form it names, or its `formula`
 * compiled (loading mathjs), per-model when it has `models`, otherwise shared. A formula
 * parameter takes its unit from the document, and its lower bound is widened to the lowest stored
 * value: the document keeps each value, not the bounds its fit ran under (a formula may be fitted
 * with e.g. `bounds: { c: [-10, 10] }`), so a value below the default 0 was fitted under wider
 * bounds and is admitted rather than refused. `energyModelAsync` and the CLI both use it.
 *
 * @example
 * const form = await calibrationForm(parseCalibration(text));
 * energyModel(calibration, preset('mistral-7b'), { form }).energyJ(512, 128)
 */
export async function calibrationForm(calibration: Calibration | CalibrationInput): Promise<EnergyForm> {
  const c = parseCalibration(calibration);
  if (c.form !== 'formula') return energyForm(c.form);
  const scope = Object.keys(c.models).length > 0 ? 'per-model' : 'shared';
  const compiled = await compileFormula(c.formula as string, { scope });
  const stored = [c.params, ...Object.values(c.models).map((m) => m.params)];
  const params = compiled.params.map((spec) => {
    const values = stored.flatMap((ps) => (Object.hasOwn(ps, spec.name) ? [ps[spec.name]] : []));
    return { ...spec, lower: values.reduce((m, v) => Math.min(m, v.value), spec.lower), unit: values[0]?.unit ?? spec.unit };
  });
  return { ...compiled, params };
}
