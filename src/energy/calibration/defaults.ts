import type { Calibration } from './document.js';
import { DEFAULT_CALIBRATION_NAME, calibrationByName } from './shelf.js';

/**
 * Built-in hardware-form calibration for H100 SXM 80GB, KV-cache engines of the vLLM /
 * TensorRT-LLM class, 16-bit weights and KV cache: the shelf's `h100`, **fitted to every public
 * H100 measurement the project holds** (`fitted: true`; `fittedOn` names each row's source), with
 * the physics derivation (`H100_PHYSICS_PRIOR` in `sweetspot/energy`) as the prior for what the data cannot
 * determine. It predicts any architecture from its complexity terms; docs/energy-models.md gives its
 * cross-validated errors and what it can and cannot be trusted for.
 *
 * @example
 * predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }).energyJ // ≈ 3.1 kJ
 * @category Calibrations
 */
export const H100_DEFAULT_CALIBRATION: Calibration = calibrationByName(DEFAULT_CALIBRATION_NAME);

/**
 * The built-in default calibration (a copy you may change; {@link H100_DEFAULT_CALIBRATION}
 * itself is frozen through and through).
 *
 * @example
 * const calib = defaultCalibration();
 * calib.fitted // true
 * @category Calibrations
 */
export function defaultCalibration(): Calibration {
  return structuredClone(H100_DEFAULT_CALIBRATION);
}
