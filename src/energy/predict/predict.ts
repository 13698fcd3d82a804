import { checkKeys, optionKeys, optionsObject } from '../../options.js';
import { paramCount } from '../../architecture/params.js';
import { findPreset } from '../../architecture/resolve.js';
import type { Architecture } from '../../architecture/schema.js';
import { emptyFeatures, fillFeatures } from '../../complexity/features.js';
import { termsKernel, type AttentionImpl, type Regime } from '../../complexity/terms.js';
import { attentionFor } from '../attention.js';
import { weightBytesPerStep } from '../../complexity/weights.js';
import { SweetspotInputError } from '../../errors.js';
import { parseCalibration, type Calibration, type CalibrationInput, type ParamValues, type Uncertainty } from '../calibration/document.js';
import type { EnergyForm, FormContext } from '../form.js';
import type { HardwareProfile } from '../hardware/profile.js';
import { calibrationForm } from '../calibration/form.js';
import { energyForm } from '../forms/registry.js';
import type { Estimate } from './estimator.js';
import { bindsWithOptions, cachedEstimator } from './estimate.js';
import { describesOneBatch } from '../one-batch.js';
import { MAX_BATCH } from '../limits.js';
import { formContext } from '../hardware/precision.js';
import { resolveProfile } from '../hardware/profiles.js';
import { checkGpus, tensorParallelTheta, weightMemoryBytes } from '../hardware/memory.js';
import { checkEnergyModel } from './check-model.js';
import { checkWavesOption, type WaveBudget, wavesOrRefuse } from '../hardware/waves.js';
import { checkTensorParallel } from '../hardware/tensor-parallel.js';
import { shownValue } from '../../arguments.js';

/**
 * Options of {@link energyModel}.
 *
 * @example
 * energyModel(calib, arch, { batch: 8, allowOverflow: true })
 */
export interface EnergyModelOptions {
  /**
   * Identical requests run together (default: the calibration's `batch` for the forms that
   * describe calls at one batch, `sweetspot`, `linear` and a per-model `formula`, which refuse
   * any other (see `describesOneBatch`); 1 for the rest).
   */
  readonly batch?: number;
  /** Allow `nIn + nOut − 1` beyond the architecture's context. */
  readonly allowOverflow?: boolean;
  /** The compiled form of a `formula` calibration (from `compileFormula`); see {@link energyModelAsync}. */
  readonly form?: EnergyForm;
  /**
   * Price a batch whose KV cache exceeds the GPUs' memory in waves, as `EstimatorOptions.waves`
   * (docs/energy-models.md#batches-that-exceed-memory): one GPU's, or all of those `onGpus` puts
   * the model on. Recorded on the model (`waves`). Without it the model checks no memory.
   */
  readonly waves?: boolean;
}

const MODEL_OPTION_KEYS = optionKeys<EnergyModelOptions>()('batch', 'allowOverflow', 'form', 'waves');

/**
 * A calibration bound to one architecture and batch: energy of a request, fast.
 *
 * @example
 * const m: EnergyModel = energyModel(calib, preset('llama-3-8b'));
 * m.energyJ(512, 128)
 */
export interface EnergyModel {
  readonly calibration: Calibration;
  readonly arch: Architecture;
  readonly form: EnergyForm;
  /** Parameter values in the form's order. */
  readonly theta: Float64Array;
  readonly context: FormContext;
  readonly regime: Regime;
  /** The attention implementation the calibration's engine runs for this architecture. */
  readonly attention: AttentionImpl;
  readonly batch: number;
  /** Longest `nIn + nOut − 1` accepted: the context, or `Infinity` with `allowOverflow`. */
  readonly maxPositions: number;
  /** GPUs the model is split over (tensor parallel), as `onGpus` set it; absent: one. */
  readonly gpus?: number;
  /**
   * Whether a batch whose KV cache exceeds the GPUs' memory is priced in waves (the `waves`
   * option; docs/energy-models.md#batches-that-exceed-memory), counted against all `gpus` GPUs;
   * surfaces of the model take it as the default of their own `waves`. Absent: false.
   */
  readonly waves?: boolean;
  /**
   * Energy in joules of the whole call (all `batch` requests) at (nIn, nOut). Allocation-free;
   * checks only that the lengths are integers ≥ 1 within the context and that the result is a
   * finite positive number.
   */
  energyJ(nIn: number, nOut: number): number;
  /** What this model's prediction intervals need (the calibration's, or its model's); null when unknown. */
  readonly uncertainty: Uncertainty | null;
  /** ∂E/∂θ at (nIn, nOut), J per unit of each parameter; the array is reused by the next call. */
  gradientJ(nIn: number, nOut: number): Float64Array;
}

function modelParams(c: Calibration, arch: Architecture, form: EnergyForm): { params: ParamValues; where: string; uncertainty: Uncertainty | null } {
  if (form.scope === 'shared') return { params: c.params, where: 'params', uncertainty: c.uncertainty };
  let key = Object.hasOwn(c.models, arch.id) ? arch.id : arch.hfId !== undefined && Object.hasOwn(c.models, arch.hfId) ? arch.hfId : undefined;
  if (key === undefined) {
    // Rows name models as the data did (e.g. `meta-llama/Llama-2-7b-chat-hf`): accept a key that
    // resolves to this architecture's preset, but never guess between two.
    const matches = Object.keys(c.models).filter((k) => findPreset(k)?.id === arch.id);
    if (matches.length > 1) {
      throw new SweetspotInputError(`calibration: models ${matches.join(', ')} all resolve to '${arch.id}'; name the one to use by its key`);
    }
    key = matches[0];
  }
  if (key === undefined) {
    throw new SweetspotInputError(
      `calibration: model '${arch.id}' is not calibrated in this per-model '${c.form}' calibration (calibrated: ${Object.keys(c.models).join(', ')}); use a hardware calibration to predict unmeasured models`,
    );
  }
  return { params: c.models[key].params, where: `models.${key}.params`, uncertainty: c.models[key].uncertainty };
}

function thetaFor(params: ParamValues, where: string, form: EnergyForm): Float64Array {
  const names = form.params.map((p) => p.name);
  // Own keys only: a parameter named like an Object.prototype member (`toString`) is not "present".
  const missing = names.filter((n) => !Object.hasOwn(params, n));
  const extra = Object.keys(params).filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    const parts = [];
    if (missing.length) parts.push(`missing ${missing.join(', ')}`);
    if (extra.length) parts.push(`unknown ${extra.join(', ')}`);
    throw new SweetspotInputError(`calibration: ${where}: ${parts.join('; ')} (the '${form.id}' form has ${names.join(', ')})`);
  }
  const theta = new Float64Array(names.length);
  form.params.forEach((spec, k) => {
    const v = params[spec.name].value;
    if (v < spec.lower || v > spec.upper) {
      throw new SweetspotInputError(`calibration: ${where}.${spec.name}.value = ${v} is outside the form's range [${spec.lower}, ${spec.upper}]`);
    }
    theta[k] = v;
  });
  return theta;
}

function checkBatch(batch: number): void {
  if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH) throw new SweetspotInputError(`batch must be an integer ≥ 1 and ≤ ${MAX_BATCH}, got ${shownValue(batch)}`);
}

/**
 * Binds a calibration to an architecture: the returned model's `energyJ(nIn, nOut)` is the
 * energy of one call, computed from the complexity terms in the calibration's regime and precision,
 * without allocation (the surface calls it millions of times). Per-model forms need the
 * architecture's id (or Hugging Face id) among the calibration's `models`.
 *
 * @throws {SweetspotInputError} for a model missing from a per-model calibration (listing the
 *   calibrated ones), a `formula` calibration without its compiled form, parameters that do not
 *   match the form, an unknown profile, or a batch other than the calibrated one for the forms
 *   that describe calls at one batch (length-only forms and per-model formulas).
 * @example
 * const model = energyModel(H100_DEFAULT_CALIBRATION, preset('llama-3-8b'));
 * model.energyJ(1024, 1024) // joules for one request at batch 1
 */
export function energyModel(calibration: Calibration | CalibrationInput, arch: Architecture, modelOptions?: EnergyModelOptions): EnergyModel {
  const options = optionsObject('energyModel', modelOptions, MODEL_OPTION_KEYS);
  return bindModel(parseCalibration(calibration), arch, options, undefined);
}

/**
 * A bound model bound again on `gpus` GPUs (tensor parallel; docs/energy-models.md#memory), from
 * its own calibration, architecture, batch, context and form: the hardware form's per-step energy
 * is paid by each GPU, and a model in waves counts its waves against the memory of all of them
 * (docs/energy-models.md#batches-that-exceed-memory), so that `energyJ` is what
 * `estimate({ gpus, waves })` gives. The count is absolute: a model already on GPUs is moved,
 * not multiplied. Checks nothing about memory; the surfaces' `onGpus` refuses weights that do not fit.
 *
 * @example
 * energyModelOnGpus(energyModel(H100_DEFAULT_CALIBRATION, preset('llama-2-7b'), { batch: 64, waves: true }), 2).energyJ(1024, 1024)
 */
export function energyModelOnGpus(model: EnergyModel, gpus: number): EnergyModel {
  checkEnergyModel('energyModelOnGpus(model)', model);
  checkGpus(gpus, 'energyModelOnGpus(gpus)');
  checkTensorParallel('energyModelOnGpus(gpus)', model.arch, gpus);
  // The model's calibration was parsed when it was bound: bound again as it is, it stays the same object.
  return bindModel(model.calibration, model.arch, { batch: model.batch, allowOverflow: model.maxPositions === Infinity, form: model.form, waves: model.waves === true }, gpus);
}

/**
 * {@link energyModel} whose waves count against `memoryGpu`'s memory rather than the calibration's
 * GPU's: a measured row priced with the calibration's parameters (`evaluate`'s `transfer: false`)
 * ran on its own GPU, whose memory decided how its engine ran it
 * (docs/fitting.md#batches-that-ran-in-waves). Internal.
 *
 * @example
 * energyModelWithMemory(H100_DEFAULT_CALIBRATION, preset('llama-2-7b'), { batch: 64, waves: true }, resolveProfile('A100 SXM4 40GB')).energyJ(1024, 1024) // 3 waves
 */
export function energyModelWithMemory(calibration: Calibration | CalibrationInput, arch: Architecture, modelOptions: EnergyModelOptions, memoryGpu: HardwareProfile): EnergyModel {
  const options = optionsObject('energyModel', modelOptions, MODEL_OPTION_KEYS);
  return bindModel(parseCalibration(calibration), arch, options, undefined, memoryGpu);
}

function bindModel(c: Calibration, arch: Architecture, options: EnergyModelOptions, gpus: number | undefined, memoryGpu?: HardwareProfile): EnergyModel {
  let form: EnergyForm;
  if (c.form === 'formula') {
    if (!options.form) {
      throw new SweetspotInputError('calibration: a formula calibration needs its compiled form: use energyModelAsync, or pass { form: await compileFormula(formula) }');
    }
    if (options.form.id !== 'formula' || options.form.expression !== c.formula) {
      throw new SweetspotInputError(`energyModel: the given form '${options.form.expression}' is not the calibration's formula '${c.formula}'`);
    }
    form = options.form;
  } else {
    form = options.form ?? energyForm(c.form);
    if (form.id !== c.form) throw new SweetspotInputError(`energyModel: the given form '${form.id}' is not the calibration's form '${c.form}'`);
  }

  const { params, where, uncertainty } = modelParams(c, arch, form);
  const g = gpus ?? 1;
  // Each GPU pays the hardware form's per-step energy (docs/energy-models.md#memory).
  const theta = tensorParallelTheta(form, thetaFor(params, where, form), g);

  let batch: number;
  if (describesOneBatch(form)) {
    batch = options.batch ?? c.batch;
    checkBatch(batch);
    if (batch !== c.batch) {
      const why =
        form.id === 'formula'
          ? `a per-model formula calibration was fitted at batch ${c.batch} only (one parameter set per model from rows of one batch, so its batch dependence was never measured, even where the formula reads batch)`
          : `the '${c.form}' form sees only lengths and was calibrated at batch ${c.batch}`;
      throw new SweetspotInputError(`batch ${batch}: ${why}; it cannot predict another batch (use a hardware calibration)`);
    }
  } else {
    batch = options.batch ?? 1;
    checkBatch(batch);
  }

  let profile: HardwareProfile | undefined;
  if (form.needsProfile) {
    if (c.profile === null) throw new SweetspotInputError(`calibration: profile: the '${c.form}' form needs a hardware profile`);
    profile = resolveProfile(c.profile);
  } else if (c.profile !== null) {
    // Only a label for forms that do not compute with it: an unknown GPU is no error here.
    try {
      profile = resolveProfile(c.profile);
    } catch {
      profile = undefined;
    }
  }
  const context = formContext(form, profile, c.weightBytes);

  const kernel = termsKernel(arch, c.kvBytes);
  const wb = weightBytesPerStep(arch, c.weightBytes);
  const regime: Regime = c.regime;
  const attention = attentionFor(c.attention, arch);
  const features = emptyFeatures();
  // Only the per-parameter baseline reads it; computed once, not per call.
  features.params = paramCount(arch);
  const maxPositions = options.allowOverflow ? Infinity : arch.maxPositions;
  // In waves only where the memory is known: that of the model's GPUs (or of the GPU the caller names).
  const waves = checkWavesOption(options, 'energyModel');
  const memory = memoryGpu ?? profile;
  const budget: WaveBudget | undefined =
    waves && memory !== undefined
      ? { arch, weightBytes: weightMemoryBytes(arch, c.weightBytes), gpu: memory, weightBytesPerParam: c.weightBytes, kvBytesPerElement: c.kvBytes }
      : undefined;
  const wavesWhere = `energy of ${arch.id}`;

  const fail = (nIn: number, nOut: number, why: string): never => {
    throw new SweetspotInputError(`energy of ${arch.id} at nIn=${nIn}, nOut=${nOut}, batch=${batch}: ${why}`);
  };
  const energyJ = (nIn: number, nOut: number): number => {
    if (!Number.isInteger(nIn) || nIn < 1 || !Number.isInteger(nOut) || nOut < 1) fail(nIn, nOut, 'lengths must be integers ≥ 1');
    if (nIn + nOut - 1 > maxPositions) {
      fail(nIn, nOut, `nIn + nOut - 1 = ${nIn + nOut - 1} exceeds the context of ${arch.maxPositions} tokens (allowOverflow to compute it anyway)`);
    }
    fillFeatures(kernel, nIn, nOut, batch, regime, wb, features, attention);
    if (budget) features.waves = wavesOrRefuse(wavesWhere, budget, g, nIn, nOut, batch, features.kvCacheBytes);
    const e = form.predictJ(theta, features, context);
    if (!(e > 0 && e < Infinity)) {
      const values = form.params.map((p, k) => `${p.name}=${theta[k]}`).join(', ');
      fail(nIn, nOut, `the '${c.form}' form predicts ${e} J, which is not a finite positive energy (${values})`);
    }
    return e;
  };

  const grad = new Float64Array(theta.length);
  const gradientJ = (nIn: number, nOut: number): Float64Array => {
    energyJ(nIn, nOut);
    if (form.gradient) {
      form.gradient(theta, features, context, grad);
      return grad;
    }
    const t = Float64Array.from(theta);
    form.params.forEach((spec, k) => {
      // Central differences inside the bounds (one-sided at a bound), as the fitter does.
      const h = 6e-6 * (Math.abs(theta[k]) || 1e-6);
      const hi = theta[k] + h <= spec.upper ? theta[k] + h : theta[k];
      const lo = theta[k] - h >= spec.lower ? theta[k] - h : theta[k];
      t[k] = hi;
      const up = form.predictJ(t, features, context);
      t[k] = lo;
      const down = form.predictJ(t, features, context);
      t[k] = theta[k];
      grad[k] = hi === lo ? 0 : (up - down) / (hi - lo);
    });
    return grad;
  };
  return { calibration: c, arch, form, theta, context, regime, attention, batch, maxPositions, ...(gpus === undefined ? {} : { gpus }), waves, uncertainty, energyJ, gradientJ };
}

/**
 * {@link energyModel} for any calibration, compiling a `formula` calibration's text first (which
 * loads mathjs) with `calibrationForm`. A formula calibration with `models` is per-model,
 * otherwise shared. Its parameters take their units from the document, and a stored value below 0
 * (fitted under wider bounds than the default `[0, ∞)`, which the document does not record) is
 * accepted.
 *
 * @example
 * const model = await energyModelAsync(parseCalibration(text), preset('mistral-7b'));
 */
export async function energyModelAsync(
  calibration: Calibration | CalibrationInput,
  arch: Architecture,
  options: Omit<EnergyModelOptions, 'form'> = {},
): Promise<EnergyModel> {
  const c = parseCalibration(calibration);
  if (c.form !== 'formula') return energyModel(c, arch, options);
  return energyModel(c, arch, { ...options, form: await calibrationForm(c) });
}

/**
 * What {@link predictEnergy} returns: an {@link Estimate}.
 *
 * @example
 * const { energyJ, jPerOutputToken } = predictEnergy(calib, arch, { nIn: 512, nOut: 128 });
 */
export type EnergyPrediction = Estimate;

/**
 * A request for {@link predictEnergy}.
 *
 * @example
 * const request: PredictRequest = { nIn: 512, nOut: 128, batch: 4 };
 */
export interface PredictRequest {
  readonly nIn: number;
  readonly nOut: number;
  readonly batch?: number | undefined;
  readonly allowOverflow?: boolean | undefined;
  /** GPUs the model is split over (tensor parallel; default 1): see {@link createEstimator}. */
  readonly gpus?: number;
  /** Compute a request that exceeds the GPUs' memory anyway: see `EstimatorOptions.ignoreMemory`. */
  readonly ignoreMemory?: boolean;
  /** Price a batch that exceeds the GPUs' memory in waves: see `EstimatorOptions.waves`. */
  readonly waves?: boolean;
  /** The compiled form of a formula calibration. */
  readonly form?: EnergyForm;
}

const PREDICT_REQUEST_KEYS = optionKeys<PredictRequest>()('nIn', 'nOut', 'batch', 'allowOverflow', 'gpus', 'ignoreMemory', 'waves', 'form');

/**
 * The energy of one request (or one batch of identical requests) and its per-token metrics
 * (docs/conventions.md). What it parses and binds is kept for the next call with the same
 * calibration and architecture objects (compared leaf by leaf unless frozen, so a changed object
 * is read again), so a loop over requests costs about as much as {@link createEstimator}.
 * Refuses a request that does not fit in the memory of the calibration's GPU unless `gpus` says
 * how many it spans.
 *
 * @throws {SweetspotInputError} as {@link energyModel}, and for lengths that are not integers ≥ 1.
 * @throws {SweetspotMemoryError} when the weights and KV cache exceed the GPUs' memory.
 * @example
 * predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }).jPerOutputToken
 * @category Estimate
 */
export function predictEnergy(calibration: Calibration | CalibrationInput, arch: Architecture, request: PredictRequest): EnergyPrediction {
  if (typeof request !== 'object' || request === null) throw new SweetspotInputError('predictEnergy(calibration, arch, request): request must be { nIn, nOut, batch? }');
  checkKeys('predictEnergy(calibration, arch, request): request', request, PREDICT_REQUEST_KEYS);
  const options = bindsWithOptions(request) ? { gpus: request.gpus, allowOverflow: request.allowOverflow, ignoreMemory: request.ignoreMemory, waves: request.waves, form: request.form } : undefined;
  return cachedEstimator(calibration, arch, options, 'predictEnergy').estimate(
    request.nIn,
    request.nOut,
    request.batch,
  );
}
