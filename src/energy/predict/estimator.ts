import { paramCount } from '../../architecture/params.js';
import { resolveArchitecture } from '../../architecture/resolve.js';
import type { Architecture } from '../../architecture/schema.js';
import { emptyFeatures, fillFeatures } from '../../complexity/features.js';
import { termsKernel } from '../../complexity/terms.js';
import { weightBytesPerStep } from '../../complexity/weights.js';
import { SweetspotInputError } from '../../errors.js';
import { checkKeys, optionKeys } from '../../options.js';
import type { Calibration, CalibrationInput } from '../calibration/document.js';
import { H100_DEFAULT_CALIBRATION } from '../calibration/defaults.js';
import type { EnergyForm } from '../form.js';
import { calibrationLabel } from '../calibration/label.js';
import { checkGpus, checkMemory, fitsInMemory, tensorParallelTheta, weightMemoryBytes } from '../hardware/memory.js';
import { checkWavesOption, type WaveBudget, wavesOrRefuse } from '../hardware/waves.js';
import { checkTensorParallel, kvCacheCopies } from '../hardware/tensor-parallel.js';
import type { CallMetrics } from './metrics.js';
import { describesOneBatch } from '../one-batch.js';
import { MAX_BATCH } from '../limits.js';
import { energyModel } from './predict.js';
import { calibrationByName } from '../calibration/shelf.js';
import { calibrationOnGpu } from '../calibration/transfer.js';
import type { HardwareProfile } from '../hardware/profile.js';
import { shownValue } from '../../arguments.js';

/**
 * The calibration an option names: a document as given, a shelf name's calibration, or the
 * built-in default when none is given.
 *
 * @throws {SweetspotInputError} for an unknown shelf name, listing the known ones.
 * @example
 * calibrationOf('h100-vllm').engine
 */
export function calibrationOf(calibration: Calibration | CalibrationInput | string | undefined): Calibration | CalibrationInput {
  if (calibration === undefined) return H100_DEFAULT_CALIBRATION;
  return typeof calibration === 'string' ? calibrationByName(calibration) : calibration;
}

/**
 * How {@link createEstimator} (and {@link estimate}) bind a model.
 *
 * @example
 * const options: EstimatorOptions = { calibration: parseCalibration(text), gpus: 2 };
 * @category Estimate
 */
export interface EstimatorOptions {
  /**
   * The calibration to predict with: a document, or the name of a shelf calibration
   * (`listCalibrations()`, e.g. `'h100-vllm'`). Default: the built-in H100 default.
   */
  readonly calibration?: Calibration | CalibrationInput | string | undefined;
  /**
   * GPUs the model is split over (tensor parallel; default 1). The memory check counts all of
   * them; how the energy is summed over them is in docs/energy-models.md#memory.
   */
  readonly gpus?: number | undefined;
  /**
   * Another GPU to predict on (a name, as `resolveProfile` takes it, or a profile): a hardware
   * calibration is moved there by `transferCalibration` (ratios to physics;
   * docs/energy-models.md#other-gpus). Absent: the calibration's own GPU.
   */
  readonly onGpu?: string | HardwareProfile | undefined;
  /** Allow `nIn + nOut − 1` beyond the architecture's context. */
  readonly allowOverflow?: boolean | undefined;
  /**
   * Compute a request whose weights and KV cache exceed the GPUs' memory anyway, as if the batch
   * were held at once (which no GPU can do). To price it as an engine runs it, use `waves`.
   */
  readonly ignoreMemory?: boolean | undefined;
  /**
   * Price a batch whose KV cache exceeds the GPUs' memory as engines that preempt sequences (vLLM,
   * TensorRT-LLM) run it: in `w = ceil(batch / b)` waves of `batch / w` sequences, `b` the largest
   * batch that fits (docs/energy-models.md#batches-that-exceed-memory). A request of which not even
   * one sequence fits is still refused. The hardware form prices the waves (each re-reads the
   * weights); forms fitted to measured calls (SweetSpot, linear, per-parameter, formulas) keep
   * their energy, which already holds whatever the measured engine did. Default false; not with
   * `ignoreMemory`.
   */
  readonly waves?: boolean | undefined;
  /** The compiled form of a `formula` calibration (from `compileFormula`). */
  readonly form?: EnergyForm | undefined;
}

const ESTIMATOR_OPTION_KEYS = optionKeys<EstimatorOptions>()('calibration', 'gpus', 'onGpu', 'allowOverflow', 'ignoreMemory', 'waves', 'form');
const PER_CALL = {
  nIn: 'lengths go to each call: estimator.estimate(nIn, nOut, batch)',
  nOut: 'lengths go to each call: estimator.estimate(nIn, nOut, batch)',
  batch: 'the batch goes to each call: estimator.estimate(nIn, nOut, batch)',
  interval: 'intervals come from estimate(model, request, { interval })',
};

/**
 * The energy of one call (all `batch` identical requests) with its per-token metrics
 * (docs/conventions.md), and what it was computed with.
 *
 * @example
 * const e: Estimate = estimate('llama-3.1-8b', { nIn: 2048, nOut: 256 });
 * e.energyJ; e.jPerOutputToken; e.fitted // true for the built-in default (fitted to public H100 measurements)
 * @category Estimate
 */
export interface Estimate extends CallMetrics {
  readonly nIn: number;
  readonly nOut: number;
  readonly batch: number;
  /** The architecture's id. */
  readonly model: string;
  /** What the calibration is: form, engine, fitted or built-in. */
  readonly calibration: string;
  /** False for a calibration derived from datasheets and physics rather than fitted to measurements. */
  readonly fitted: boolean;
  /** GPUs the model is split over. */
  readonly gpus: number;
  /**
   * Weights plus the KV cache held at the last step, bytes (at the calibration's precision; with
   * its copies on more GPUs than KV heads, docs/energy-models.md#memory).
   */
  readonly memoryBytes: number;
  /** Memory of the `gpus` GPUs, bytes; null when the calibration names no known GPU (then nothing was checked). */
  readonly gpuMemoryBytes: number | null;
  /**
   * Waves the call runs in (1 when it fits), present when the `waves` option is set
   * (docs/energy-models.md#batches-that-exceed-memory).
   */
  readonly waves?: number;
  /** A prediction interval of `energyJ` (low, high), when `estimate` is asked for one (`{ interval: 0.9 }`). */
  readonly intervalJ?: readonly [lowJ: number, highJ: number];
}

/**
 * Lengths and batches of many requests, for {@link Estimator.estimateMany}.
 *
 * @example
 * const batch: EstimateBatch = { nIn: Int32Array.of(512, 2048), nOut: Int32Array.of(128, 64) };
 */
export interface EstimateBatch {
  readonly nIn: ArrayLike<number>;
  readonly nOut: ArrayLike<number>;
  /** One batch for all, or one per request (default: the estimator's). */
  readonly batch?: number | ArrayLike<number> | undefined;
}

/**
 * A model bound to a calibration once (see {@link createEstimator}): per call, only the lengths are
 * checked, and nothing is allocated beyond the result.
 *
 * @example
 * const est: Estimator = createEstimator('llama-3.1-8b');
 * est.estimate(2048, 256).jPerOutputToken
 * @category Estimate
 */
export interface Estimator {
  readonly arch: Architecture;
  /** The validated calibration. */
  readonly calibration: Calibration;
  /** Label of the calibration (as {@link Estimate.calibration}). */
  readonly label: string;
  readonly fitted: boolean;
  readonly gpus: number;
  /** Batch used when a call gives none: the calibration's for forms fitted at one batch, else 1. */
  readonly defaultBatch: number;
  /** Energy and metrics of one call. */
  estimate(nIn: number, nOut: number, batch?: number): Estimate;
  /** Energy of one call in joules only (no result object). */
  energyJ(nIn: number, nOut: number, batch?: number): number;
  /**
   * Energies (J, whole call) of many requests into `out` (allocated when not given, else at least
   * as long as `nIn`). Each request is checked as by {@link Estimator.estimate}; the first bad one
   * throws, naming its index.
   */
  estimateMany(requests: EstimateBatch, out?: Float64Array): Float64Array;
}

/**
 * Binds a calibration to an architecture once, for services that price, route or admit many
 * requests: `estimate(nIn, nOut, batch?)` then costs a few tens of nanoseconds (npm run bench).
 * The same checks as {@link energyModel} run at binding; per call, the lengths, the batch, the
 * context and the memory of the GPUs (weights plus KV cache at the calibration's precision; see
 * docs/energy-models.md#memory).
 *
 * With `gpus: g` the memory check counts g GPUs. For the hardware form the energy is summed over
 * them: each GPU does 1/g of the FLOPs and bytes in 1/g of the time, so the dynamic and static
 * terms add up to the one-GPU figure, and each GPU pays the per-step energy, so
 * `E(g) = E(1) + (g − 1)·eStep·(decodeSteps + 1)`; communication is not modelled. Forms fitted to
 * measured calls keep the energy they were fitted to (the GPUs those calls spanned).
 *
 * @throws {SweetspotInputError} at binding for a bad calibration or architecture (as
 *   {@link energyModel}) or a bad `gpus`; per call for bad lengths or batch.
 * @throws {SweetspotMemoryError} per call for a request that does not fit in the GPUs' memory.
 * @example
 * const est = createEstimator('llama-3.1-8b');                  // preset id, HF id or Architecture; built-in H100 default
 * est.estimate(2048, 256).energyJ                               // joules of the call
 * est.estimateMany({ nIn: Int32Array.of(512, 4096), nOut: Int32Array.of(64, 64) }) // Float64Array of joules
 * @category Estimate
 */
export function createEstimator(model: string | Architecture, options: EstimatorOptions = {}): Estimator {
  if (typeof options !== 'object' || options === null) throw new SweetspotInputError('createEstimator(model, options): options must be an object');
  checkKeys('createEstimator(model, options): options', options, ESTIMATOR_OPTION_KEYS, PER_CALL);
  if (typeof model !== 'string' && (typeof model !== 'object' || model === null)) {
    throw new SweetspotInputError(`createEstimator(model): expected a preset id, a Hugging Face id or an Architecture, got ${shownValue(model)}`);
  }
  return bindEstimator(typeof model === 'string' ? resolveArchitecture(model) : model, options, 'estimate', { caller: 'createEstimator' });
}

/**
 * How a caller inside the library binds beyond {@link EstimatorOptions}. Internal.
 *
 * @example
 * const binding: Binding = { caller: 'createEstimator' };
 */
export interface Binding {
  /** The function the binding's errors name (`createEstimator`, `estimate`); default the per-call `where`. */
  readonly caller?: string;
  /**
   * The GPU whose memory the memory check and the waves count against, when not the calibration's:
   * a measured row priced with the calibration's parameters ran on its own GPU, whose memory decided
   * how its engine ran it (docs/fitting.md#batches-that-ran-in-waves).
   */
  readonly memoryGpu?: HardwareProfile;
  /**
   * The GPU count is a measured call's: it ran, so a count no tensor-parallel split allows (other
   * parallelism) is priced rather than refused.
   */
  readonly measured?: boolean;
}

/**
 * {@link createEstimator} with the name its per-call errors give (`estimate`, `predictEnergy`),
 * and the name its binding errors give (`binding.caller`: the function the caller called).
 *
 * @example
 * bindEstimator(preset('llama-3.1-8b'), {}, 'predictEnergy').energyJ(512, 128)
 */
export function bindEstimator(arch: Architecture, options: EstimatorOptions, where: string, binding: Binding = {}): Estimator {
  const caller = binding.caller ?? where;
  const gpus = checkGpus(options.gpus ?? 1, `${caller}({ gpus })`);
  const named = calibrationOf(options.calibration);
  const calibration = options.onGpu === undefined ? named : calibrationOnGpu(`${caller}({ onGpu })`, named, options.onGpu);
  const bound = energyModel(calibration, arch, { allowOverflow: options.allowOverflow, form: options.form });
  // After energyModel has checked the architecture: whole heads on each GPU (docs/energy-models.md#memory).
  if (gpus !== 1 && binding.measured !== true) checkTensorParallel(`${caller}({ gpus })`, arch, gpus);
  const c = bound.calibration;
  const form = bound.form;
  const oneBatch = describesOneBatch(form);
  const oneBatchWhy =
    form.id === 'formula'
      ? `a per-model formula calibration was fitted at batch ${c.batch} only (its batch dependence was never measured)`
      : `the '${c.form}' form sees only lengths and was calibrated at batch ${c.batch}`;
  const defaultBatch = bound.batch;
  const theta = tensorParallelTheta(form, bound.theta, gpus);
  const context = bound.context;
  // The GPU whose memory is checked: the calibration's, unless the binding names the row's.
  const profile = binding.memoryGpu ?? context.profile;
  const kernel = termsKernel(arch, c.kvBytes);
  const wb = weightBytesPerStep(arch, c.weightBytes);
  const weightsBytes = weightMemoryBytes(arch, c.weightBytes);
  const gpuMemoryBytes = profile ? gpus * profile.memoryBytes : null;
  // On more GPUs than KV heads each head's cache is held on several (docs/energy-models.md#memory).
  const kvCopies = kvCacheCopies(arch, gpus);
  const waves = checkWavesOption(options, caller);
  const checkingMemory = profile !== undefined && options.ignoreMemory !== true;
  const budget: WaveBudget | undefined = waves && profile ? { arch, weightBytes: weightsBytes, gpu: profile, weightBytesPerParam: c.weightBytes, kvBytesPerElement: c.kvBytes } : undefined;
  const regime = bound.regime;
  const attention = bound.attention;
  const maxPositions = bound.maxPositions;
  const label = calibrationLabel(c);
  const fitted = c.fitted;
  const features = emptyFeatures();
  // Only the per-parameter baseline reads it.
  features.params = paramCount(arch);

  const fail = (nIn: number, nOut: number, batch: number, why: string, index?: number): never => {
    const at = index === undefined ? '' : `request ${index}: `;
    throw new SweetspotInputError(`${where}: ${at}${arch.id} at nIn=${String(nIn)}, nOut=${String(nOut)}, batch=${String(batch)}: ${why}`);
  };

  // The whole per-call path: checks, terms, memory, energy. No allocation.
  const energyAt = (nIn: number, nOut: number, batch: number, index?: number): number => {
    if (!Number.isInteger(nIn) || nIn < 1 || !Number.isInteger(nOut) || nOut < 1) fail(nIn, nOut, batch, 'lengths must be integers ≥ 1', index);
    if (batch !== defaultBatch) {
      if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH) fail(nIn, nOut, batch, `batch must be an integer ≥ 1 and ≤ ${MAX_BATCH}`, index);
      if (oneBatch) fail(nIn, nOut, batch, `batch ${batch}: ${oneBatchWhy}; it cannot predict another batch (use a hardware calibration)`, index);
    }
    if (nIn + nOut - 1 > maxPositions) {
      fail(nIn, nOut, batch, `nIn + nOut - 1 = ${nIn + nOut - 1} exceeds the context of ${arch.maxPositions} tokens (allowOverflow to compute it anyway)`, index);
    }
    fillFeatures(kernel, nIn, nOut, batch, regime, wb, features, attention);
    if (waves) features.waves = 1;
    if (checkingMemory && !fitsInMemory(weightsBytes, features.kvCacheBytes * kvCopies, gpuMemoryBytes as number)) {
      const at = index === undefined ? where : `${where}: request ${index}`;
      if (waves) {
        features.waves = wavesOrRefuse(at, budget!, gpus, nIn, nOut, batch, features.kvCacheBytes);
        return predict(nIn, nOut, batch, index);
      }
      checkMemory(at, arch, weightsBytes, features.kvCacheBytes, gpus, profile!, {
        nIn,
        nOut,
        batch,
        weightBytesPerParam: c.weightBytes,
        kvBytesPerElement: c.kvBytes,
      });
    }
    return predict(nIn, nOut, batch, index);
  };
  const predict = (nIn: number, nOut: number, batch: number, index?: number): number => {
    const e = form.predictJ(theta, features, context);
    if (!(e > 0 && e < Infinity)) fail(nIn, nOut, batch, `the '${c.form}' form predicts ${e} J, which is not a finite positive energy`, index);
    return e;
  };

  const energyJ = (nIn: number, nOut: number, batch: number = defaultBatch): number => energyAt(nIn, nOut, batch);

  // Two literals, chosen at binding: a spread of an optional field in the per-call literal costs
  // V8 its fast object construction (about 30 ns a call; npm run bench).
  const estimatePlain = (nIn: number, nOut: number, batch: number = defaultBatch): Estimate => {
    const e = energyAt(nIn, nOut, batch);
    return {
      energyJ: e,
      energyPerRequestJ: e / batch,
      jPerOutputToken: e / (batch * nOut),
      jPerToken: e / (batch * (nIn + nOut)),
      outputTokensPerJ: (batch * nOut) / e,
      nIn,
      nOut,
      batch,
      model: arch.id,
      calibration: label,
      fitted,
      gpus,
      memoryBytes: weightsBytes + features.kvCacheBytes * kvCopies,
      gpuMemoryBytes,
    };
  };
  const estimateInWaves = (nIn: number, nOut: number, batch: number = defaultBatch): Estimate => {
    const e = energyAt(nIn, nOut, batch);
    return {
      energyJ: e,
      energyPerRequestJ: e / batch,
      jPerOutputToken: e / (batch * nOut),
      jPerToken: e / (batch * (nIn + nOut)),
      outputTokensPerJ: (batch * nOut) / e,
      nIn,
      nOut,
      batch,
      model: arch.id,
      calibration: label,
      fitted,
      gpus,
      memoryBytes: weightsBytes + features.kvCacheBytes * kvCopies,
      gpuMemoryBytes,
      waves: features.waves ?? 1,
    };
  };
  const estimateOne = waves ? estimateInWaves : estimatePlain;

  const estimateMany = (requests: EstimateBatch, out?: Float64Array): Float64Array => {
    if (typeof requests !== 'object' || requests === null) throw new SweetspotInputError(`estimateMany(requests): expected { nIn, nOut, batch? } arrays`);
    const { nIn, nOut } = requests;
    const b = requests.batch ?? defaultBatch;
    const n = nIn?.length;
    if (typeof n !== 'number' || nOut?.length !== n) {
      throw new SweetspotInputError(`estimateMany({ nIn, nOut }): expected two arrays of the same length, got ${shownValue(n)} and ${String(nOut?.length)}`);
    }
    const perRequest = typeof b !== 'number';
    if (perRequest && (b as ArrayLike<number>).length !== n) {
      throw new SweetspotInputError(`estimateMany({ batch }): ${(b as ArrayLike<number>).length} batches for ${n} requests`);
    }
    if (out !== undefined && !(out instanceof Float64Array && out.length >= n)) {
      throw new SweetspotInputError(`estimateMany(requests, out): out must be a Float64Array of at least ${n} elements`);
    }
    const result = out ?? new Float64Array(n);
    for (let k = 0; k < n; k++) result[k] = energyAt(nIn[k], nOut[k], perRequest ? (b as ArrayLike<number>)[k] : (b as number), k);
    return result;
  };

  return { arch, calibration: c, label, fitted, gpus, defaultBatch, estimate: estimateOne, energyJ, estimateMany };
}
