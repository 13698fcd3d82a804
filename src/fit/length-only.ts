import type { Calibration } from '../energy/calibration/document.js';
import { firstFew } from '../first-few.js';
import { emptyFeatures } from '../complexity/features.js';
import { energyForm } from '../energy/forms/registry.js';
import { isLengthOnlyForm } from '../energy/one-batch.js';
import { SweetspotInputError } from '../errors.js';
import { shownValue } from '../arguments.js';

/**
 * Whether a calibration can predict `model` from lengths alone: a per-model `sweetspot` or
 * `linear` calibration that holds `model` under exactly that key. Such a calibration was fitted on
 * rows whose model has no known architecture (the fitter keeps the name as written), and none is
 * needed to predict it.
 *
 * @example
 * predictsWithoutArchitecture(calib, 'my-org/custom-7b') // true when calib.models has that key
 */
export function predictsWithoutArchitecture(c: Calibration, model: string): boolean {
  return isLengthOnlyForm(c.form) && Object.hasOwn(c.models, model);
}

/**
 * Energy (J) of one call of `model` by a per-model length-only calibration, without an
 * architecture (see {@link predictsWithoutArchitecture}). The same checks as `energyModel`: the
 * batch the calibration was fitted at, lengths that are integers ≥ 1, every parameter present,
 * and a finite positive result. No context check: without an architecture there is no context.
 *
 * @throws {SweetspotInputError} naming the model, the batch, a missing parameter or the bad result.
 * @example
 * lengthOnlyEnergyJ(calib, 'my-org/custom-7b', 512, 128, 1) // joules
 */
export function lengthOnlyEnergyJ(c: Calibration, model: string, nIn: number, nOut: number, batch: number): number {
  if (!predictsWithoutArchitecture(c, model)) {
    throw new SweetspotInputError(`calibration: model '${model}' is not calibrated in this '${c.form}' calibration (calibrated: ${firstFew(Object.keys(c.models), ', ')})`);
  }
  if (batch !== c.batch) {
    throw new SweetspotInputError(`batch ${batch}: the '${c.form}' form sees only lengths and was calibrated at batch ${c.batch}; it cannot predict another batch`);
  }
  for (const [name, v] of [['nIn', nIn], ['nOut', nOut]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new SweetspotInputError(`${name} must be an integer ≥ 1, got ${shownValue(v)}`);
  }
  const form = energyForm(c.form);
  const params = c.models[model].params;
  const theta = form.params.map((spec) => {
    if (!Object.hasOwn(params, spec.name)) throw new SweetspotInputError(`calibration: models.${model}.params: missing ${spec.name}`);
    return params[spec.name].value;
  });
  const e = form.predictJ(theta, { ...emptyFeatures(), nIn, nOut, batch }, {});
  if (!(e > 0 && e < Infinity)) throw new SweetspotInputError(`energy of ${model} at nIn=${nIn}, nOut=${nOut}: the '${c.form}' form predicts ${e} J, not a finite positive energy`);
  return e;
}
