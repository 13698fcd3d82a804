import { resolve } from 'node:path';
import { parseCalibration, type Calibration } from '../../energy/calibration.js';
import type { EnergyForm } from '../../energy/form.js';
import { SweetspotInputError } from '../../errors.js';
import { READ_LIMITS, readTextFile } from '../../text-input.js';

/**
 * Reads and validates `--calibration FILE`, and compiles its formula when it has one (loading
 * mathjs only then) with the energy layer's `calibrationForm`, as `energyModelAsync` does.
 *
 * @throws {SweetspotInputError} naming the file: unreadable, not JSON, or not a valid calibration.
 * @example
 * const { calibration, form } = await readCalibrationFile('calib.json', process.cwd());
 */
export async function readCalibrationFile(path: string, cwd: string): Promise<{ calibration: Calibration; form?: EnergyForm }> {
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
  const { calibrationForm } = await import('../../energy/calibration-form.js');
  return { calibration, form: await calibrationForm(calibration) };
}
