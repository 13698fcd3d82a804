import { resolveArchitecture } from '../../architecture/resolve.js';
import type { Architecture } from '../../architecture/schema.js';
import { SweetspotInputError } from '../../errors.js';
import { isDeepFrozen } from '../../freeze.js';
import { builtInProfile } from '../calibration/transfer.js';
import { checkKeys, optionKeys } from '../../options.js';
import type { Calibration, CalibrationInput } from '../calibration/document.js';
import type { EnergyForm } from '../form.js';
import { bindEstimator, calibrationOf, type Estimate, type Estimator, type EstimatorOptions } from './estimator.js';
import { isCoverage, nearOne, predictInterval } from './interval.js';
import { shownValue } from '../../arguments.js';

/**
 * Options of {@link estimate}: the calibration (a document or a shelf name; default the built-in
 * H100 one), the GPUs the model spans, the memory check, and an optional prediction interval.
 *
 * @example
 * const options: EstimateOptions = { calibration: 'h100-vllm', interval: 0.9 };
 * @category Estimate
 */
export interface EstimateOptions extends EstimatorOptions {
  /**
   * Nominal coverage of a prediction interval to attach as `intervalJ` (e.g. 0.9), from the
   * calibration's stored uncertainty (docs/fitting.md#prediction-intervals). Absent: no interval.
   */
  readonly interval?: number | undefined;
}

/**
 * One request (or one batch of identical requests) for {@link estimate}.
 * @example
 * const request: EstimateRequest = { nIn: 2048, nOut: 256, batch: 8 };
 * @category Estimate
 */
export interface EstimateRequest {
  readonly nIn: number;
  readonly nOut: number;
  /** Identical requests run together (default: the calibration's for forms fitted at one batch, else 1). */
  readonly batch?: number | undefined;
}

const REQUEST_KEYS = optionKeys<EstimateRequest>()('nIn', 'nOut', 'batch');
const OPTION_KEYS = optionKeys<EstimateOptions>()('calibration', 'gpus', 'onGpu', 'allowOverflow', 'ignoreMemory', 'waves', 'form', 'interval');
const IN_OPTIONS = Object.fromEntries([...OPTION_KEYS].map((k) => [k, `${k} belongs in the options, estimate(model, request, options)`]));
const IN_REQUEST = Object.fromEntries([...REQUEST_KEYS].map((k) => [k, `${k} belongs in the request, estimate(model, request, options)`]));

// Bound estimators, keyed by the calibration object, then the architecture object, then the options
// (the common call, without options, has its own slot). An object not frozen all the way down may
// be changed in place after it was bound: what a prediction reads from it (each parameter object
// and value, form, regime, precision, batch, profile, label fields; every field of an
// architecture) is remembered, compared on each use, and a change binds again.
interface Entry {
  readonly estimator: Estimator;
  /** Null for a calibration frozen all the way down. */
  readonly calibration: CalibrationWatch | null;
  /** Flat (holder, key, value) triples of an architecture not frozen all the way down, else null. */
  readonly arch: unknown[] | null;
}
interface Slot {
  /** Without options, by the function whose name errors carry. */
  readonly plain: Map<string, Entry>;
  readonly withOptions: Map<string, Entry>;
}
const bound = new WeakMap<object, WeakMap<object, Slot>>();
const formIds = new WeakMap<EnergyForm, number>();
const presetsByName = new Map<string, Architecture>();
const MAX_NAMES = 256;
// Bindings with options per (calibration, architecture): the options' key holds the GPU name as
// given, so a service passing its users' spellings of a GPU bound one model per spelling, and kept
// each for ever (20 000 spellings of one H100 held 147 MB). Past the bound the cache starts over.
const MAX_BINDINGS = 256;

type Loose = Record<string, unknown>;

/** Pushes (holder, key, value) for every value under `holder[key]`, containers included. */
function watchAll(holder: object, key: string, out: unknown[]): void {
  const v = (holder as Loose)[key];
  out.push(holder, key, v);
  if (v === null || typeof v !== 'object') return;
  for (const k in v) watchAll(v, k, out);
}

function unchanged(watched: unknown[] | null): boolean {
  if (watched === null) return true;
  for (let i = 0; i < watched.length; i += 3) {
    if ((watched[i] as Loose)[watched[i + 1] as string] !== watched[i + 2]) return false;
  }
  return true;
}

/**
 * What a bound estimator read from a calibration, compared field by field (named loads, so the
 * check costs a few dozen nanoseconds): the fields that shape the model and its label, the
 * parameter objects of the form (shared) or of the model (per-model) and their values.
 */
class CalibrationWatch {
  private readonly form: unknown;
  private readonly formula: unknown;
  private readonly regime: unknown;
  private readonly attention: unknown;
  private readonly profile: unknown;
  private readonly engine: unknown;
  private readonly weightBytes: unknown;
  private readonly kvBytes: unknown;
  private readonly batch: unknown;
  private readonly fitted: unknown;
  private readonly fittedOn: unknown;
  private readonly fittedRows: unknown;
  private readonly params: unknown;
  private readonly models: unknown;
  /** models[key] and its `params` for a per-model calibration whose key is the model's id. */
  private readonly modelKey: string | undefined;
  private readonly model: unknown;
  private readonly holder: Loose | undefined;
  private readonly names: string[] = [];
  private readonly objects: unknown[] = [];
  private readonly values: unknown[] = [];
  /** Every model's values, when the key was found by resolving names (watched generically). */
  private readonly other: unknown[] | null = null;

  constructor(c: Loose, arch: Architecture) {
    this.form = c.form;
    this.formula = c.formula;
    this.regime = c.regime;
    this.attention = c.attention;
    this.profile = c.profile;
    this.engine = c.engine;
    this.weightBytes = c.weightBytes;
    this.kvBytes = c.kvBytes;
    this.batch = c.batch;
    this.fitted = c.fitted;
    this.fittedOn = c.fittedOn;
    this.fittedRows = isObject(c.fittedOn) ? c.fittedOn.rows : undefined;
    this.params = c.params;
    this.models = c.models;
    const models = isObject(c.models) ? c.models : {};
    const key = Object.hasOwn(models, arch.id) ? arch.id : arch.hfId !== undefined && Object.hasOwn(models, arch.hfId) ? arch.hfId : undefined;
    this.modelKey = key;
    this.model = key === undefined ? undefined : models[key];
    const entry = this.model;
    this.holder = key !== undefined && isObject(entry) && isObject(entry.params) ? entry.params : isObject(c.params) ? c.params : undefined;
    if (this.holder) {
      for (const name in this.holder) {
        const obj = this.holder[name];
        this.names.push(name);
        this.objects.push(obj);
        this.values.push(isObject(obj) ? obj.value : undefined);
      }
    }
    if (key === undefined && Object.keys(models).length > 0) {
      const other: unknown[] = [];
      for (const k in models) watchAll(models, k, other);
      this.other = other;
    }
  }

  same(c: Loose): boolean {
    if (
      c.form !== this.form ||
      c.formula !== this.formula ||
      c.regime !== this.regime ||
      c.attention !== this.attention ||
      c.profile !== this.profile ||
      c.engine !== this.engine ||
      c.weightBytes !== this.weightBytes ||
      c.kvBytes !== this.kvBytes ||
      c.batch !== this.batch ||
      c.fitted !== this.fitted ||
      c.fittedOn !== this.fittedOn ||
      c.params !== this.params ||
      c.models !== this.models
    ) {
      return false;
    }
    if (this.fittedRows !== undefined && (this.fittedOn as Loose).rows !== this.fittedRows) return false;
    if (this.modelKey !== undefined) {
      const entry = (this.models as Loose)[this.modelKey];
      if (entry !== this.model || (entry as Loose).params !== this.holder) return false;
    }
    const holder = this.holder;
    if (holder) {
      for (let k = 0; k < this.names.length; k++) {
        const obj = holder[this.names[k]];
        if (obj !== this.objects[k] || (obj as Loose).value !== this.values[k]) return false;
      }
    }
    return unchanged(this.other);
  }
}

function isObject(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null;
}


function formKey(form: EnergyForm | undefined): number {
  if (form === undefined) return 0;
  // A form is an object (a built-in form, or compileFormula's); a name would fail as a WeakMap key.
  if (form === null || typeof form !== 'object') {
    throw new SweetspotInputError(`estimate({ form }): expected an energy form object (energyForm(id) or await compileFormula(text)), got ${form === null ? 'null' : typeof form}`);
  }
  let id = formIds.get(form);
  if (id === undefined) formIds.set(form, (id = nextFormId++));
  return id;
}
let nextFormId = 1;

/**
 * Whether any option that changes the binding is given (every key of EstimatorOptions but the
 * calibration): the one list the per-call paths read, so that a new option is added once.
 */
export function bindsWithOptions(o: Omit<EstimatorOptions, 'calibration'>): boolean {
  return o.gpus !== undefined || o.onGpu !== undefined || o.allowOverflow !== undefined || o.ignoreMemory !== undefined || o.waves !== undefined || o.form !== undefined;
}

// A GPU by name, or a built-in profile by its id (cachedEstimator has checked it is one).
function gpuKey(gpu: unknown): string {
  if (gpu === undefined) return '';
  if (typeof gpu === 'string') return `name:${gpu}`;
  if (typeof gpu !== 'object' || gpu === null) return `bad:${typeof gpu}`;
  return `profile:${(gpu as { id: string }).id}`;
}
const NO_OPTIONS: EstimatorOptions = Object.freeze({});

function bindEntry(calibration: object, arch: Architecture, options: Omit<EstimatorOptions, 'calibration'>, where: string): Entry {
  const estimator = bindEstimator(arch, { ...options, calibration: calibration as Calibration }, where);
  let archWatch: unknown[] | null = null;
  if (!isDeepFrozen(arch)) {
    archWatch = [];
    for (const k in arch) if (k !== 'sources') watchAll(arch, k, archWatch);
  }
  return { estimator, calibration: isDeepFrozen(calibration) ? null : new CalibrationWatch(calibration as Loose, arch), arch: archWatch };
}

function fresh(entry: Entry | undefined, calibration: object, arch: object): entry is Entry {
  return entry !== undefined && (entry.calibration === null || entry.calibration.same(calibration as Loose)) && unchanged(entry.arch);
}

/**
 * The estimator of (calibration, architecture, options), bound once and reused while neither
 * object changes. Internal: {@link estimate} and `predictEnergy` use it.
 *
 * @example
 * cachedEstimator(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), undefined, 'estimate').estimate(512, 128)
 */
export function cachedEstimator(
  calibration: Calibration | CalibrationInput,
  arch: Architecture,
  options: Omit<EstimatorOptions, 'calibration'> | undefined,
  where: string,
): Estimator {
  if (typeof calibration !== 'object' || calibration === null || typeof arch !== 'object' || arch === null) {
    return bindEstimator(arch, { ...options, calibration }, where);
  }
  let byArch = bound.get(calibration);
  if (!byArch) bound.set(calibration, (byArch = new WeakMap()));
  let slot = byArch.get(arch);
  if (!slot) byArch.set(arch, (slot = { plain: new Map(), withOptions: new Map() }));
  const plain = options === undefined || !bindsWithOptions(options);
  if (plain) {
    const hit = slot.plain.get(where);
    if (fresh(hit, calibration, arch)) return hit.estimator;
    const entry = bindEntry(calibration, arch, {}, where);
    slot.plain.set(where, entry);
    return entry.estimator;
  }
  let o = options as Omit<EstimatorOptions, 'calibration'>;
  // A profile object stands for the built-in profile it must equal (checked on each call, as it
  // could change): the key is that profile's id.
  if (typeof o.onGpu === 'object' && o.onGpu !== null) {
    const known = builtInProfile(`${where}({ onGpu })`, o.onGpu);
    if (known !== o.onGpu) o = { ...o, onGpu: known };
  }
  // Junk in waves gets its own key, so that the binding refuses it rather than a cached entry answering.
  const key = `${o.gpus ?? 1}|${gpuKey(o.onGpu)}|${o.allowOverflow === true}|${o.ignoreMemory === true}|${o.waves === undefined ? '' : o.waves === true ? 'waves' : o.waves === false ? 'no-waves' : 'junk'}|${formKey(o.form)}|${where}`;
  const hit = slot.withOptions.get(key);
  if (fresh(hit, calibration, arch)) return hit.estimator;
  const entry = bindEntry(calibration, arch, o, where);
  if (slot.withOptions.size >= MAX_BINDINGS) slot.withOptions.clear();
  slot.withOptions.set(key, entry);
  return entry.estimator;
}

function architectureOf(model: string | Architecture, where: string): Architecture {
  if (typeof model !== 'string') {
    if (typeof model !== 'object' || model === null) throw new SweetspotInputError(`${where}(model): expected a preset id, a Hugging Face id or an Architecture, got ${shownValue(model)}`);
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
 * e.energyJ; e.jPerOutputToken; e.fitted // true: the default is fitted to public H100 measurements
 * estimate('llama-3.1-8b', { nIn: 2048, nOut: 256 }, { interval: 0.9 }).intervalJ // [lowJ, highJ]
 * estimate('llama-3.1-8b', { nIn: 4096, nOut: 64, batch: 128 }, { gpus: 2 }).energyPerRequestJ // ≈ 106: 85.8 GB does not fit one H100
 * estimate('llama-2-7b', { nIn: 1024, nOut: 1024, batch: 64 }, { waves: true }).waves // 2: 82.2 GB does not fit one H100, 61 sequences do
 * @category Estimate
 */
export function estimate(model: string | Architecture, request: EstimateRequest, options: EstimateOptions = NO_OPTIONS): Estimate {
  if (typeof request !== 'object' || request === null) throw new SweetspotInputError('estimate(model, request): request must be { nIn, nOut, batch? }');
  if (typeof options !== 'object' || options === null) throw new SweetspotInputError('estimate(model, request, options): options must be an object');
  // The per-request path: compare the keys inline and build a message only for a stray one.
  for (const k in request) if (k !== 'nIn' && k !== 'nOut' && k !== 'batch') checkKeys('estimate(model, request, options): request', request, REQUEST_KEYS, IN_OPTIONS);
  if (options !== NO_OPTIONS) for (const k in options) if (!OPTION_KEYS.has(k)) checkKeys('estimate(model, request, options): options', options, OPTION_KEYS, IN_REQUEST);
  const arch = architectureOf(model, 'estimate');
  const calibration = calibrationOf(options.calibration);
  const rest = bindsWithOptions(options) ? options : undefined;
  const estimator = cachedEstimator(calibration, arch, rest, 'estimate');
  const result = estimator.estimate(request.nIn, request.nOut, request.batch);
  if (options.interval === undefined) return result;
  const level = options.interval;
  if (!isCoverage(level)) throw new SweetspotInputError(`estimate({ interval }): a coverage in (0, 1) such as 0.9, got ${shownValue(level)}${nearOne(level)}`);
  // The stored covariance is of the one-GPU parameters; how it carries over to a split is not modelled.
  if (result.gpus !== 1) throw new SweetspotInputError(`estimate({ interval, gpus }): intervals are for one GPU; got gpus = ${result.gpus}`);
  const { lowJ, highJ } = predictInterval(estimator.calibration, arch, { nIn: result.nIn, nOut: result.nOut, batch: result.batch, level, form: options.form, allowOverflow: options.allowOverflow, waves: options.waves });
  return { ...result, intervalJ: [lowJ, highJ] };
}
