import { resolve } from 'node:path';
import { parseCalibration, type Calibration } from '../../energy/calibration/document.js';
import type { EnergyForm } from '../../energy/form.js';
import { DEFAULT_CALIBRATION_NAME, calibrationByName, isCalibrationName } from '../../energy/calibration/shelf.js';
import { SweetspotInputError } from '../../errors.js';
import { READ_LIMITS, readTextFile } from '../../text-input.js';
import { calibrationOnGpu } from '../../energy/calibration/transfer.js';

/**
 * The `--calibration` a command was given, or the built-in default's shelf name (`h100`) without one.
 *
 * @example
 * calibrationOption({}) // 'h100'
 */
export function calibrationOption(values: Readonly<Record<string, unknown>>): string {
  return typeof values.calibration === 'string' ? values.calibration : DEFAULT_CALIBRATION_NAME;
}

/**
 * Reads and validates `--calibration NAME|FILE`: a name of the calibration shelf (`h100-vllm`,
 * `sweetspot calibrations` lists them) or a calibration file, and compiles a formula when the
 * calibration has one (loading mathjs only then) with the energy layer's `calibrationForm`, as
 * `energyModelAsync` does. A shelf name wins over a file of the same name: write `./h100` for the file.
 *
 * @throws {SweetspotInputError} naming the file: unreadable, not JSON, or not a valid calibration.
 * @example
 * const { calibration, form } = await readCalibrationFile('calib.json', process.cwd());
 * const { calibration: vllm } = await readCalibrationFile('h100-vllm', process.cwd());
 */
export async function readCalibrationFile(path: string, cwd: string): Promise<{ calibration: Calibration; form?: EnergyForm; shelfName?: string }> {
  if (isCalibrationName(path)) return { calibration: calibrationByName(path), shelfName: path };
  // Bounded, regular files only (docs/energy-models.md#limits-on-untrusted-input).
  const text = await readTextFile(resolve(cwd, path), { maxBytes: READ_LIMITS.calibrationBytes, what: `--calibration ${path}` });
  let calibration: Calibration;
  try {
    calibration = parseCalibration(text);
  } catch (error) {
    if (error instanceof SweetspotInputError) throw new SweetspotInputError(`--calibration ${path}: ${error.message}`, error.issues);
    throw error;
  }
  if (calibration.form !== 'formula') return { calibration };
  // The library's own path from a calibration to its form (stored negative values admitted).
  const { calibrationForm } = await import('../../energy/calibration/form.js');
  return { calibration, form: await calibrationForm(calibration) };
}

/**
 * Help line of `--on-gpu`, for the commands that predict.
 *
 * @example
 * const HELP = `Options:\n${ON_GPU_HELP}\n`;
 */
export const ON_GPU_HELP = `  --on-gpu NAME        predict on another GPU (e.g. 'A100 SXM4 40GB', 'L40S'; see
                       docs/energy-models.md#hardware-profiles): a hardware calibration is moved
                       there by ratios to physics (docs/energy-models.md#other-gpus)`;

/**
 * The calibration `--on-gpu NAME` asks for: the one given, moved to that GPU by
 * `transferCalibration`, or the one given when the option is absent.
 *
 * @throws {SweetspotInputError} naming the command and the option: an unknown or ambiguous GPU, or
 *   a calibration of another form than `hardware`.
 * @example
 * onGpuOption('predict', { 'on-gpu': 'L40S' }, H100_DEFAULT_CALIBRATION).profile // 'l40s'
 */
export function onGpuOption(command: string, values: Readonly<Record<string, unknown>>, calibration: Calibration): Calibration {
  const gpu = values['on-gpu'];
  if (typeof gpu !== 'string') return calibration;
  return calibrationOnGpu(`${command}: --on-gpu ${gpu}`, calibration, gpu);
}
