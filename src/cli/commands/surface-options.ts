import { basename } from 'node:path';
import { loadArchitecture } from '../../architecture/load.js';
import { H100_DEFAULT_CALIBRATION } from '../../energy/defaults.js';
import { energyModel } from '../../energy/predict.js';
import { SweetspotInputError } from '../../errors.js';
import { parseAxisSpec } from '../../surface/axis-spec.js';
import type { TokenBox } from '../../surface/box.js';
import type { SurfaceEnergy } from '../../surface/energy.js';
import { calibrationLabel, surfaceEnergyFromModel } from '../../surface/from-model.js';
import type { TokenAxis } from '../../surface/grid.js';
import { METRICS, type MetricId } from '../../surface/metrics.js';
import { choiceOption, intOption, positiveOption, type ParsedOptions, requireString } from '../args.js';
import type { CliIo } from '../command.js';
import { readCalibrationFile } from './calibration-file.js';

/**
 * Options shared by `surface`, `sweetspot` and `advise`.
 *
 * @example
 * const SPECS = { ...ENERGY_SPECS, in: { type: 'string', multiple: false } } as const;
 */
export const ENERGY_SPECS = {
  model: { type: 'string', multiple: false },
  calibration: { type: 'string', multiple: false },
  batch: { type: 'string', multiple: false },
  metric: { type: 'string', multiple: false },
  json: { type: 'boolean', multiple: false },
} as const;

/**
 * Help lines of {@link ENERGY_SPECS}.
 *
 * @example
 * const HELP = `Options:\n${ENERGY_HELP}\n`;
 */
export const ENERGY_HELP = `  --model M            preset id, Hugging Face repo id, or a path to a config.json
  --calibration FILE   a calibration from 'sweetspot fit' (default: the built-in H100 SXM
                       default, derived from datasheets and physics, not fitted to measurements)
  --batch B            identical requests run together (default: the calibration's batch)`;

/**
 * Help lines of `--metric`.
 *
 * @example
 * const HELP = `Options:\n${METRIC_HELP}\n`;
 */
export const METRIC_HELP = `  --metric M           ${METRICS.join(' | ')}
                       (default j-per-output-token; relative = best J/output token over each point's)`;

/**
 * The model's energy per request, from `--model`, `--calibration` (or the default) and `--batch`.
 *
 * @example
 * const { energy, fitted } = await loadEnergy('sweetspot', values, io);
 */
export async function loadEnergy(command: string, values: ParsedOptions, io: CliIo): Promise<{ energy: SurfaceEnergy; fitted: boolean }> {
  const arch = await loadArchitecture(requireString(command, values, 'model'), io.cwd);
  const path = typeof values.calibration === 'string' ? values.calibration : undefined;
  const { calibration, form } = path ? await readCalibrationFile(path, io.cwd) : { calibration: H100_DEFAULT_CALIBRATION, form: undefined };
  const batch = values.batch === undefined ? undefined : intOption(command, values, 'batch');
  const model = energyModel(calibration, arch, { batch, form });
  const label = path ? `${basename(path)} (${calibrationLabel(calibration)})` : `built-in H100 default (${calibration.form} form, not fitted)`;
  return { energy: surfaceEnergyFromModel(model, { calibration: label }), fitted: calibration.fitted };
}

/**
 * `--metric`, default J per output token.
 *
 * @example
 * metricOption('surface', { metric: 'tokens-per-j' }) // 'tokens-per-j'
 */
export function metricOption(command: string, values: ParsedOptions): MetricId {
  return choiceOption(command, values, 'metric', METRICS, 'j-per-output-token');
}

/**
 * `--within`: the sweet region's tolerance in percent (default 10).
 *
 * @example
 * withinOption('surface', { within: '5' }) // 5
 */
export function withinOption(command: string, values: ParsedOptions): number {
  return values.within === undefined ? 10 : positiveOption(command, values, 'within', 10);
}

/**
 * An axis option in the range syntax (`A:B`, `A:B:S`, `a,b,c`), with `--log`.
 *
 * @example
 * axisOption({ in: '64:256:64' }, 'in', '64:4096', false) // Int32Array [64, 128, 192, 256]
 */
export function axisOption(values: ParsedOptions, name: 'in' | 'out', fallback: string, log: boolean): TokenAxis {
  const v = values[name];
  return parseAxisSpec(typeof v === 'string' ? v : fallback, `--${name}`, { log });
}

/**
 * A box option: `A:B` (or a single N). Steps, lists and --log make no sense for an integer box,
 * so they are errors naming the argument. Absent: 64…4096 (the seed paper's range).
 *
 * @example
 * boxOption({ in: '100:200' }) // { nIn: [100, 200], nOut: [64, 4096] }
 */
export function boxOption(values: ParsedOptions, names: { readonly in: string; readonly out: string } = { in: 'in', out: 'out' }): TokenBox {
  const range = (option: string): [number, number] => {
    const v = values[option];
    if (v === undefined) return [64, 4096];
    const text = String(v).trim();
    if (!/^\+?\d+(:\+?\d+)?$/.test(text)) {
      throw new SweetspotInputError(`--${option}: the sweet-spot search takes an integer box A:B (or one value N), got '${String(v)}'`);
    }
    const axis = parseAxisSpec(text, `--${option}`);
    return [axis[0], axis[axis.length - 1]];
  };
  return { nIn: range(names.in), nOut: range(names.out) };
}

/**
 * A number for people: 3 significant digits, no exponent below 10⁶.
 *
 * @example
 * human(2.40123) // '2.4'
 */
export function human(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/**
 * `J/token` style unit for people; relative efficiency has none.
 *
 * @example
 * unitText('J/token') // ' J/token'
 */
export function unitText(unit: string): string {
  return unit === '1' ? '' : ` ${unit}`;
}
