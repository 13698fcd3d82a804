import { basename, resolve } from 'node:path';
import { loadArchitecture } from '../../architecture/load.js';
import { H100_DEFAULT_CALIBRATION } from '../../energy/calibration/defaults.js';
import { energyModel } from '../../energy/predict/predict.js';
import { MAX_BATCH, MAX_GPUS } from '../../energy/limits.js';
import { DEFAULT_CALIBRATION_NAME } from '../../energy/calibration/shelf.js';
import type { Calibration } from '../../energy/calibration/document.js';
import { TRANSFER_LOG_SIGMA, transferLogSigma } from '../../energy/calibration/transfer.js';
import { resolveProfile } from '../../energy/hardware/profiles.js';
import { SweetspotInputError } from '../../errors.js';
import { axisPlan, buildAxis } from '../../surface/grid/axis-spec.js';
import { type TokenBox, memoryText } from '../../surface/search/box.js';
import type { SurfaceEnergy } from '../../surface/energy/energy.js';
import { calibrationLabel, onGpus, surfaceEnergyFromModel, surfaceMemoryLimit } from '../../surface/energy/from-model.js';
import { checkTensorParallel } from '../../energy/hardware/tensor-parallel.js';
import type { MemoryLimit } from '../../energy/hardware/memory-limit.js';
import type { TokenGrid } from '../../surface/grid/grid.js';
import { MAX_SURFACE_POINTS } from '../../surface/grid/surface.js';
import { METRICS, type MetricId } from '../../surface/metrics.js';
import { choiceOption, optionalIntOption, type ParsedOptions, requireString } from '../args.js';
import type { CliIo } from '../command.js';
import { ON_GPU_HELP, onGpuOption, readCalibrationFile } from './calibration-file.js';

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
  gpus: { type: 'string', multiple: false },
  'on-gpu': { type: 'string', multiple: false },
  'ignore-memory': { type: 'boolean', multiple: false },
  waves: { type: 'boolean', multiple: false },
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
  --calibration C      a shelf name ('sweetspot calibrations' lists them: h100-vllm, …) or a
                       file from 'sweetspot fit' (default: h100, the built-in H100 SXM default
                       fitted to public vLLM and TensorRT-LLM measurements)
  --batch B            identical requests run together (default: the calibration's batch)
  --gpus G             GPUs the model is split over (tensor parallel; default 1; a count whose
                       GPUs can each take whole heads): refused when its weights do not fit in
                       their memory; points whose weights + KV cache do not fit are left out and
                       counted
${ON_GPU_HELP}
  --waves              price the points whose KV cache does not fit at the batch as engines that
                       preempt sequences run them: in waves of what fits (docs/energy-models.md);
                       only points of which not even one sequence fits are left out
  --ignore-memory      price the points whose KV cache does not fit too, as if the batch were
                       held at once`;

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
export async function loadEnergy(
  command: string,
  values: ParsedOptions,
  io: CliIo,
  batchOverride?: number,
): Promise<{ energy: SurfaceEnergy; fitted: boolean; moved: boolean; movedOffHbm: boolean; calibrationName: string; wholeBatch: MemoryLimit | undefined; gpus: number }> {
  const arch = await loadArchitecture(requireString(command, values, 'model'), io.cwd);
  const path = typeof values.calibration === 'string' ? values.calibration : undefined;
  const given = path ? await readCalibrationFile(path, io.cwd) : { calibration: H100_DEFAULT_CALIBRATION, form: undefined, shelfName: DEFAULT_CALIBRATION_NAME };
  const { form, shelfName } = given;
  const calibration = onGpuOption(command, values, given.calibration);
  const moved = calibration === given.calibration ? '' : `, moved to ${calibration.gpu} by ratios to physics`;
  const batch = batchOverride ?? optionalIntOption(command, values, 'batch', { max: MAX_BATCH });
  const gpus = optionalIntOption(command, values, 'gpus', { min: 1, max: MAX_GPUS }) ?? 1;
  checkTensorParallel(`${command}: --gpus`, arch, gpus);
  const waves = values.waves === true;
  const model = onGpus(energyModel(calibration, arch, { batch, form, waves }), gpus, command);
  // Per-request joules depend on the batch the requests share: name it whenever it is not 1.
  const batchText = model.batch === 1 ? '' : `, batch ${model.batch} (J per request = J per call / ${model.batch})`;
  const fittedText = calibration.fitted ? `fitted to ${calibration.fittedOn?.rows ?? 0} public rows` : 'not fitted';
  const calibrationName =
    (shelfName
      ? `${path ? '' : 'built-in default '}${shelfName} (${calibration.form} form, ${moved ? `fitted to ${calibration.fittedOn?.rows ?? 0} public rows` : fittedText})`
      : `${basename(path!)} (${calibrationLabel(given.calibration)})`) + moved;
  const label = calibrationName + batchText;
  const memory = { gpus, ignoreMemory: values['ignore-memory'] === true, waves };
  const energy = surfaceEnergyFromModel(model, { calibration: label }, memory);
  // In waves, the limit of the whole batch says which points were priced in waves (see wavesLine).
  const wholeBatch = waves && energy.memory && model.batch > 1 ? surfaceMemoryLimit(model, { gpus, waves: false }) : undefined;
  return { energy, fitted: calibration.fitted, moved: moved !== '', movedOffHbm: moved !== '' && offHbm(given.calibration, calibration), calibrationName, wholeBatch, gpus };
}

/**
 * The line that says how many points of a box or grid do not fit the GPUs' memory, or none.
 *
 * @example
 * memoryLine(energy, 2080) // ['2080 points do not fit in 80 GB of GPU memory at batch 128 (weights + KV cache): left out; --ignore-memory prices them']
 */
export function memoryLine(energy: SurfaceEnergy, outOfMemory: number, waves = false): string[] {
  if (outOfMemory === 0 || !energy.memory) return [];
  const points = outOfMemory === 1 ? '1 point does' : `${outOfMemory} points do`;
  // In waves the limit is one sequence's, and --ignore-memory cannot be given beside --waves.
  if (waves) return [`${points} not fit in ${memoryText(energy.memory)} (weights + KV cache), so not in waves either: left out`];
  // At batch 1 there are no waves to offer.
  if (energy.memory.batch === 1) return [`${points} not fit in ${memoryText(energy.memory)} (weights + KV cache): left out; --ignore-memory prices them`];
  return [`${points} not fit in ${memoryText(energy.memory)} (weights + KV cache): left out; --waves prices them in waves, --ignore-memory as if held at once`];
}

/**
 * The line that says which points `--waves` priced in waves: those beyond the memory limit of the
 * whole batch (`wholeBatch`, from {@link loadEnergy}; docs/energy-models.md#batches-that-exceed-memory),
 * or none: none when every length fits, or when every point the context allows does
 * (`contextPositions`, the surface's `maxPositions`).
 *
 * @example
 * wavesLine(wholeBatch, 131072) // ['in waves (--waves): points with nIn + nOut − 1 > 3811 do not fit in 80 GB of GPU memory at batch 128 and are priced as run in waves']
 */
export function wavesLine(wholeBatch: MemoryLimit | undefined, contextPositions: number): string[] {
  if (!wholeBatch) return [];
  if (wholeBatch.maxPositions === Infinity) return [`in waves (--waves): every length fits in ${memoryText(wholeBatch)}, so no point runs in waves`];
  if (wholeBatch.maxPositions >= contextPositions) {
    return [`in waves (--waves): every point within the context (nIn + nOut − 1 ≤ ${contextPositions}) fits in ${memoryText(wholeBatch)}, so no point runs in waves`];
  }
  return [`in waves (--waves): points with nIn + nOut − 1 > ${wholeBatch.maxPositions} do not fit in ${memoryText(wholeBatch)} and are priced as run in waves`];
}

/**
 * The files `--model` and `--calibration` may name, for `checkOutputs` to protect.
 *
 * @example
 * energyInputs({ model: './config.json', calibration: 'c.json' }) // [{ option: 'model', … }, { option: 'calibration', … }]
 */
export function energyInputs(values: ParsedOptions): { option: string; path: string }[] {
  return (['model', 'calibration'] as const).flatMap((option) => (typeof values[option] === 'string' && values[option] !== '' ? [{ option, path: values[option] as string }] : []));
}

/**
 * The first fields of every JSON answer: what model, GPU and calibration the numbers are for.
 *
 * @example
 * JSON.stringify({ ...energyJson(energy, fitted), metric })
 */
export function energyJson(energy: SurfaceEnergy, fitted: boolean): { model: string; gpu: string | null; calibration: string | null; fitted: boolean } {
  return { model: energy.model, gpu: energy.gpu ?? null, calibration: energy.calibration ?? null, fitted };
}

/**
 * The first line of every human answer, and the note that follows an unfitted calibration: the
 * model, the GPUs it is split over (`2 × NAME` with --gpus 2) and the calibration.
 *
 * @example
 * io.stdout([...energyHeader(energy, gpus), ...lines, ...notFittedNote(fitted)].join('\n'))
 */
export function energyHeader(energy: SurfaceEnergy, gpus: number): string[] {
  return [`${energy.model} on ${gpusText(energy.gpu, gpus)}, calibration: ${energy.calibration}`];
}

/**
 * The GPUs of an answer's title: the GPU's name, `G × NAME` on G of them (as memory errors write it).
 *
 * @example
 * gpusText('NVIDIA H100 SXM5 80GB', 2) // '2 × NVIDIA H100 SXM5 80GB'
 */
export function gpusText(gpu: string | undefined, gpus: number): string {
  const name = gpu ?? (gpus === 1 ? 'an unspecified GPU' : 'unspecified GPUs');
  return gpus === 1 ? name : `${gpus} × ${name}`;
}

/**
 * The note printed under numbers from a calibration that was not fitted to measurements (or was
 * fitted on another GPU and moved to this one with `--on-gpu`).
 *
 * @example
 * notFittedNote(false) // ['note: the calibration is not fitted to measurements; …']
 */
export function notFittedNote(fitted: boolean, moved = false, offHbm = false): string[] {
  if (moved) return [`note: the calibration was fitted on another GPU and moved to this one by ratios to physics; ${movedErrorText(offHbm)}.`];
  return fitted ? [] : ['note: the calibration is not fitted to measurements; trust the shape more than the joules.'];
}

/**
 * How far a moved calibration's answers were off in the public checks: about 10–30% between HBM
 * cards, about a third on the GDDR cards checked (docs/energy-models.md#other-gpus).
 *
 * @example
 * movedErrorText(false) // 'expect about 10–30% error (docs/energy-models.md#other-gpus)'
 */
export function movedErrorText(offHbm: boolean): string {
  return offHbm
    ? 'expect about a third error or more: moves to GDDR cards are checked on two cards only (docs/energy-models.md#gddr-cards)'
    : 'expect about 10–30% error (docs/energy-models.md#other-gpus)';
}

/**
 * Whether a move from one calibration's GPU to another's leaves the HBM cards the move is checked
 * on (`transferLogSigma` widens more then).
 *
 * @example
 * offHbm(H100_DEFAULT_CALIBRATION, transferCalibration(H100_DEFAULT_CALIBRATION, 'L40S')) // true
 */
export function offHbm(from: Calibration, to: Calibration): boolean {
  if (from.profile === null || to.profile === null) return false;
  return transferLogSigma(resolveProfile(from.profile), resolveProfile(to.profile)) > TRANSFER_LOG_SIGMA;
}

/**
 * A file option to write to (`--svg`, `--csv`), resolved against `cwd`; `null` when absent.
 *
 * @throws {SweetspotInputError} when the option is given without a file name.
 * @example
 * outputFileOption('surface', { svg: 'a.svg' }, 'svg', '/tmp') // '/tmp/a.svg'
 */
export function outputFileOption(command: string, values: ParsedOptions, name: string, cwd: string): string | null {
  const v = values[name];
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.length === 0) throw new SweetspotInputError(`${command}: --${name} needs a file name`);
  return resolve(cwd, v);
}

/**
 * The `sweetRegion` field of a `--json` answer.
 *
 * @example
 * regionJson(10, region) // { withinPercent: 10, points: 812, share: 0.05, nIn: [64, 900], nOut: [80, 400] }
 */
export function regionJson(
  withinPercent: number,
  region: { readonly count: number; readonly share: number; readonly nInRange: readonly [number, number]; readonly nOutRange: readonly [number, number] },
) {
  return { withinPercent, points: region.count, share: region.share, nIn: region.nInRange, nOut: region.nOutRange };
}

/**
 * A share 0…1 as a percentage for reports: one decimal, more digits when it would print as 0.0%
 * or 100.0% without being exactly 0 or 1.
 *
 * @example
 * percentOf(0.1234) // '12.3%'
 */
export function percentOf(share: number): string {
  const pct = share * 100;
  let digits = 1;
  while (digits < 6 && ((pct > 0 && Number(pct.toFixed(digits)) === 0) || (pct < 100 && Number(pct.toFixed(digits)) === 100))) digits++;
  return `${pct.toFixed(digits)}%`;
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
 * `--within`: the sweet region's tolerance in percent (default 10). 0 is allowed: the region is
 * then the points that tie with the best.
 *
 * @example
 * withinOption('surface', { within: '5' }) // 5
 */
export function withinOption(command: string, values: ParsedOptions): number {
  const v = values.within;
  if (v === undefined) return 10;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new SweetspotInputError(`${command}: --within must be a finite number ≥ 0 (percent), got '${String(v)}'`);
  return n;
}

/**
 * The grid of `--in` and `--out` in the range syntax (`A:B`, `A:B:S`, `a,b,c`), with `--log`.
 * Absent axes are 64:4096. A grid over {@link MAX_SURFACE_POINTS} is refused, naming both
 * arguments, before any axis is allocated (`--in 1:536870912` would be 2 GiB by itself).
 *
 * @throws {SweetspotInputError} naming the argument, or the grid and its limit.
 * @example
 * gridOption({ in: '64:256:64', out: '100' }, false).nIn // Int32Array [64, 128, 192, 256]
 */
export function gridOption(values: ParsedOptions, log: boolean): TokenGrid {
  const text = (name: 'in' | 'out') => (typeof values[name] === 'string' ? (values[name] as string) : '64:4096');
  const plans = { in: axisPlan(text('in'), '--in', { log }), out: axisPlan(text('out'), '--out', { log }) };
  const total = plans.in.count * plans.out.count;
  if (total > MAX_SURFACE_POINTS) {
    throw new SweetspotInputError(
      `grid: ${plans.in.count} × ${plans.out.count} = ${total} points (--in '${text('in')}' × --out '${text('out')}') exceeds the limit of ${MAX_SURFACE_POINTS}; use a step (A:B:S) or --log`,
    );
  }
  return { nIn: buildAxis(plans.in, '--in'), nOut: buildAxis(plans.out, '--out') };
}

/**
 * A box option: `A:B` (or a single N). Steps, lists and --log make no sense for an integer box,
 * so they are errors naming the argument. Absent: 64…4096 (the SweetSpot paper's range, docs/energy-models.md). Only the
 * bounds are read: no axis is built, however wide the box.
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
    const plan = axisPlan(text, `--${option}`);
    // The pattern above leaves a range (A:B) or one value (N); --log never applies to a box.
    if (plan.kind === 'range') return [plan.from, plan.to];
    if (plan.kind === 'points') return [plan.values[0], plan.values[0]];
    throw new SweetspotInputError(`--${option}: unexpected range '${text}'`);
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
 * What a cost basis divides by, for people.
 *
 * @example
 * `1.2× as efficient ${BASIS_TEXT['output-token']}` // '1.2× as efficient per output token'
 */
export const BASIS_TEXT = { request: 'per request', 'output-token': 'per output token', token: 'per token' } as const;

/**
 * `J/token` style unit for people; relative efficiency has none.
 *
 * @example
 * unitText('J/token') // ' J/token'
 */
export function unitText(unit: string): string {
  return unit === '1' ? '' : ` ${unit}`;
}

/**
 * The `memory` field of a `--json` answer: the GPUs' memory and the longest sequence that fits,
 * or null when memory is not checked (no GPU profile, or `--ignore-memory`).
 *
 * @example
 * memoryJson(energy) // { availableBytes: 80e9, gpus: 1, batch: 128, maxPositions: 3811 }
 */
export function memoryJson(energy: SurfaceEnergy): { availableBytes: number; gpus: number; batch: number; maxPositions: number | null } | null {
  const m = energy.memory;
  // JSON has no Infinity: null says no length is limited by memory.
  return m ? { availableBytes: m.availableBytes, gpus: m.gpus, batch: m.batch, maxPositions: m.maxPositions === Infinity ? null : m.maxPositions } : null;
}
