import { resolveArchitecture } from '../architecture/resolve.js';
import type { Architecture } from '../architecture/schema.js';
import { SweetspotInputError } from '../errors.js';
import type { Calibration, CalibrationInput } from './calibration.js';
import { H100_DEFAULT_CALIBRATION } from './defaults.js';
import type { EnergyForm } from './form.js';
import { bindEstimator, type Estimate, type Estimator, type EstimatorOptions } from './estimator.js';

/**
 * One request (or one batch of identical requests) for {@link estimate}.
 *
 * @example
 * const request: EstimateRequest = { nIn: 2048, nOut: 256, batch: 8 };
 */
export interface EstimateRequest {
  readonly nIn: number;
  readonly nOut: number;
  /** Identical requests run together (default: the calibration's for forms fitted at one batch, else 1). */
  readonly batch?: number;
}

// Bound estimators, keyed by the calibration object, then the architecture object, then the options.
// A key that is not frozen all the way down may be changed in place after it was bound: its leaves
// are remembered and compared on every use (a few dozen reads), and a changed one is bound again.
interface Entry {
  readonly estimator: Estimator;
  readonly calibrationLeaves: unknown[] | null;
  readonly archLeaves: unknown[] | null;
}
const bound = new WeakMap<object, WeakMap<object, Map<string, Entry>>>();
const formIds = new WeakMap<EnergyForm, number>();
const presetsByName = new Map<string, Architecture>();
const MAX_NAMES = 256;
const END = Symbol('end');
// Fields a prediction does not read: skipped when comparing (they can be long).
const SKIP = new Set(['note', 'errors']);

function collect(v: unknown, out: unknown[]): void {
  if (v === null || typeof v !== 'object') {
    out.push(v);
    return;
  }
  for (const k in v) {
    if (SKIP.has(k)) continue;
    out.push(k);
    collect((v as Record<string, unknown>)[k], out);
  }
  out.push(END);
}

/** Index after `v`'s leaves when they equal `leaves` from `i`, else −1. */
function same(v: unknown, leaves: unknown[], i: number): number {
  if (v === null || typeof v !== 'object') return leaves[i] === v ? i + 1 : -1;
  for (const k in v) {
    if (SKIP.has(k)) continue;
    if (leaves[i] !== k) return -1;
    i = same((v as Record<string, unknown>)[k], leaves, i + 1);
    if (i < 0) return -1;
  }
  return leaves[i] === END ? i + 1 : -1;
}

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

function leavesOf(value: object): unknown[] | null {
  if (isDeepFrozen(value)) return null;
  const out: unknown[] = [];
  collect(value, out);
  return out;
}

function formKey(form: EnergyForm | undefined): number {
  if (form === undefined) return 0;
  let id = formIds.get(form);
  if (id === undefined) formIds.set(form, (id = nextFormId++));
  return id;
}
let nextFormId = 1;

/**
 * The estimator of (calibration, architecture, options), bound once and reused while neither
 * object changes. Internal: {@link estimate} and `predictEnergy` use it.
 *
 * @example
 * cachedEstimator(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), {}, 'estimate').estimate(512, 128)
 */
export function cachedEstimator(
  calibration: Calibration | CalibrationInput,
  arch: Architecture,
  options: Omit<EstimatorOptions, 'calibration'>,
  where: string,
): Estimator {
  if (typeof calibration !== 'object' || calibration === null || typeof arch !== 'object' || arch === null) {
    return bindEstimator(arch, { ...options, calibration }, where);
  }
  let byArch = bound.get(calibration);
  if (!byArch) bound.set(calibration, (byArch = new WeakMap()));
  let byOptions = byArch.get(arch);
  if (!byOptions) byArch.set(arch, (byOptions = new Map()));
  const key = `${options.gpus ?? 1}|${options.allowOverflow === true}|${options.ignoreMemory === true}|${formKey(options.form)}|${where}`;
  const hit = byOptions.get(key);
  if (
    hit &&
    (hit.calibrationLeaves === null || same(calibration, hit.calibrationLeaves, 0) === hit.calibrationLeaves.length) &&
    (hit.archLeaves === null || same(arch, hit.archLeaves, 0) === hit.archLeaves.length)
  ) {
    return hit.estimator;
  }
  const estimator = bindEstimator(arch, { ...options, calibration }, where);
  byOptions.set(key, { estimator, calibrationLeaves: leavesOf(calibration), archLeaves: leavesOf(arch) });
  return estimator;
}

function architectureOf(model: string | Architecture, where: string): Architecture {
  if (typeof model !== 'string') {
    if (typeof model !== 'object' || model === null) throw new SweetspotInputError(`${where}(model): expected a preset id, a Hugging Face id or an Architecture, got ${String(model)}`);
    return model;
  }
  let arch = presetsByName.get(model);
  if (!arch) {
    arch = resolveArchitecture(model);
    if (presetsByName.size >= MAX_NAMES) presetsByName.clear();
    presetsByName.set(model, arch);
  }
  return arch;
}

/**
 * The energy of one request in one call: the model by preset id, Hugging Face id or
 * `Architecture`, on the built-in H100 default unless a calibration is given. Returns the joules
 * of the whole call (`energyJ`), per request, per output token and per token, whether the
 * calibration was fitted, and its label. Repeated calls with the same calibration and model reuse
 * the bound model (see {@link createEstimator} for the fastest path and for what `gpus` means).
 *
 * @throws {SweetspotInputError} for an unknown model, a bad calibration or request (naming the field).
 * @throws {SweetspotMemoryError} when the weights and KV cache exceed the GPUs' memory.
 * @example
 * const e = estimate('meta-llama/Llama-3.1-8B-Instruct', { nIn: 2048, nOut: 256 });
 * e.energyJ; e.jPerOutputToken; e.fitted // false: the physics-derived default
 * estimate('llama-3.1-70b', { nIn: 1024, nOut: 256 }, { gpus: 2 }).energyPerRequestJ
 */
export function estimate(model: string | Architecture, request: EstimateRequest, options: EstimatorOptions = {}): Estimate {
  if (typeof request !== 'object' || request === null) throw new SweetspotInputError('estimate(model, request): request must be { nIn, nOut, batch? }');
  if (typeof options !== 'object' || options === null) throw new SweetspotInputError('estimate(model, request, options): options must be an object');
  const arch = architectureOf(model, 'estimate');
  const { calibration = H100_DEFAULT_CALIBRATION, ...rest } = options;
  return cachedEstimator(calibration, arch, rest, 'estimate').estimate(request.nIn, request.nOut, request.batch);
}
