import { checkShape } from '../../arguments.js';
import type { EnergyModel } from './predict.js';

/**
 * `model` when it has the shape of an {@link EnergyModel} (what `energyModel` returns), else an
 * error naming the argument and each missing field. Shallow and O(1): for functions that take a
 * bound model from the caller; the model's own numbers were checked when it was bound.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkEnergyModel('intervalOf(model)', energyModel(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'))) // the model
 */
export function checkEnergyModel(where: string, model: EnergyModel): EnergyModel {
  return checkShape(where, model, 'an energy model (from energyModel)', {
    calibration: 'object',
    arch: 'object',
    form: 'object',
    theta: 'array-like',
    batch: 'number',
    regime: 'string',
    context: 'object',
    maxPositions: 'number',
    energyJ: 'function',
    gradientJ: 'function',
    gpus: 'number?',
    waves: 'boolean?',
  });
}
