import { optionKeys, optionsObject } from '../../options.js';
import { paramCount } from '../../architecture/params.js';
import type { Architecture } from '../../architecture/schema.js';
import { termsKernel } from '../../complexity/terms.js';
import { weightBytesPerStep } from '../../complexity/weights.js';
import type { Calibration, CalibrationInput } from '../../energy/calibration/document.js';
import { calibrationLabel } from '../../energy/calibration/label.js';
import { calibrationOnGpu } from '../../energy/calibration/transfer.js';
import type { HardwareProfile } from '../../energy/hardware/profile.js';
import { checkGpus, checkWeightsFit } from '../../energy/hardware/memory.js';
import { checkTensorParallel } from '../../energy/hardware/tensor-parallel.js';
import { type MemoryLimit, memoryLimit } from '../../energy/hardware/memory-limit.js';
import { type EnergyModel, type EnergyModelOptions, energyModel, energyModelOnGpus } from '../../energy/predict/predict.js';
import { hardwareFormBase } from '../../energy/forms/hardware.js';
import { perParamForm } from '../../energy/forms/per-param.js';
import { type EnergyLabels, type EnergyLimits, type SurfaceEnergy, formEnergy, polynomialEnergy } from './energy.js';
import { hardwareEnergy } from './hardware-energy.js';
import { checkEnergyModel } from '../../energy/predict/check-model.js';
import { checkWavesOption } from '../../energy/hardware/waves.js';
import { wavesEnergy } from './waves-energy.js';

export { calibrationLabel };

/**
 * How a surface treats the GPUs' memory (docs/surface.md#memory).
 *
 * @example
 * const options: SurfaceMemoryOptions = { gpus: 2 };
 */
export interface SurfaceMemoryOptions {
  /** GPUs the model is split over (tensor parallel; default 1). */
  readonly gpus?: number | undefined;
  /**
   * Price the points whose KV cache does not fit too (engines that preempt sequences run such
   * batches in waves): only the weights are checked, as before the memory limit. Default false.
   */
  readonly ignoreMemory?: boolean | undefined;
  /**
   * Price the points whose KV cache does not fit at the batch in waves, as engines that preempt
   * sequences run them (docs/energy-models.md#batches-that-exceed-memory): only points of which
   * not even one sequence fits are masked. The hardware form prices the waves; the forms fitted
   * to measured calls keep their energy. Default: the model's own `waves` (from `energyModel`;
   * false unless `ignoreMemory`); not with `ignoreMemory`.
   */
  readonly waves?: boolean | undefined;
}

const MEMORY_KEYS = optionKeys<SurfaceMemoryOptions>()('gpus', 'ignoreMemory', 'waves');
const LABEL_KEYS = optionKeys<EnergyLabels>()('model', 'gpu', 'calibration');

/**
 * The memory limit of a bound model on `gpus` GPUs (default: those {@link onGpus} put it on, else
 * one), or undefined when it is not checked (no GPU profile, or `ignoreMemory`).
 *
 * @example
 * surfaceMemoryLimit(energyModel(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), { batch: 128 }))?.maxPositions // 3811
 */
export function surfaceMemoryLimit(model: EnergyModel, options: SurfaceMemoryOptions = {}): MemoryLimit | undefined {
  checkEnergyModel('surfaceMemoryLimit(model)', model);
  const { gpus, ignoreMemory, waves } = memoryOptions(model, optionsObject('surfaceMemoryLimit(model, options)', options, MEMORY_KEYS), 'surfaceMemoryLimit');
  const profile = model.context.profile;
  if (ignoreMemory || !profile) return undefined;
  // In waves a point is out of memory only when not even one of its sequences fits.
  return memoryLimit(model.arch, model.calibration, { batch: waves ? 1 : model.batch, regime: model.regime, gpus, profile });
}

// The memory options with the model's defaults: its GPUs, and its `waves` unless `ignoreMemory`
// is asked for (an explicit option wins over the model's default; both explicit are an error).
function memoryOptions(model: EnergyModel, o: SurfaceMemoryOptions, where: string): { gpus: number; ignoreMemory: boolean; waves: boolean } {
  const ignoreMemory = o.ignoreMemory === true;
  const waves = checkWavesOption({ waves: o.waves ?? (ignoreMemory ? undefined : model.waves), ignoreMemory: o.ignoreMemory }, where);
  if (o.gpus !== undefined) {
    checkGpus(o.gpus, `${where}({ gpus })`);
    checkTensorParallel(`${where}({ gpus })`, model.arch, o.gpus);
  }
  return { gpus: o.gpus ?? model.gpus ?? 1, ignoreMemory, waves };
}

/**
 * An {@link EnergyModel} (a calibration bound to an architecture) as a {@link SurfaceEnergy}, per
 * request (the call's energy over its batch), with the memory limit of the GPUs of the calibration's
 * profile the model was put on by {@link onGpus} (or `memory.gpus`; one by default) unless
 * `memory.ignoreMemory`, and in waves when the model is (`energyModel(…, { waves: true })`) or
 * `memory.waves` says so, as `model.energyJ` prices them. The SweetSpot, linear and per-parameter forms become
 * the polynomial, evaluated directly and searched in closed form; forms over complexity terms
 * (hardware, formulas) read a feature table, and the hardware form's rows are searched by
 * bisection (they are convex in nOut, docs/surface.md). Both agree with `model.energyJ`
 * to rounding (tested).
 *
 * @example
 * const energy = surfaceEnergyFromModel(energyModel(calibration, resolveArchitecture('llama-3.1-8b')));
 * energy.energyJ(1024, 1024)
 */
export function surfaceEnergyFromModel(model: EnergyModel, labels: Partial<EnergyLabels> = {}, memory: SurfaceMemoryOptions = {}): SurfaceEnergy {
  checkEnergyModel('surfaceEnergyFromModel(model)', model);
  optionsObject('surfaceEnergyFromModel(model, labels)', labels, LABEL_KEYS);
  const m = memoryOptions(model, optionsObject('surfaceEnergyFromModel(model, labels, memory)', memory, MEMORY_KEYS), 'surfaceEnergyFromModel');
  const c = model.calibration;
  const t = model.theta;
  const b = model.batch;
  const names: EnergyLimits & { maxPositions: number } = {
    model: labels.model ?? model.arch.id,
    gpu: labels.gpu ?? model.context.profile?.name ?? c.gpu,
    calibration: labels.calibration ?? calibrationLabel(c),
    maxPositions: model.maxPositions,
    memory: surfaceMemoryLimit(model, memory),
  };
  if (model.form.id === 'sweetspot') return polynomialEnergy([t[0] / b, t[1] / b, t[2] / b, t[3] / b, t[4] / b, t[5] / b], names);
  // E = a·i + b·o + c is the polynomial with θ1 = θ3 = θ4 = 0.
  if (model.form.id === 'linear') return polynomialEnergy([0, t[0] / b, 0, 0, t[1] / b, t[2] / b], names);
  // Per request, B·o·(a + b·P)/B = (a + b·P)·o: the polynomial with θ5 alone (when it is not 0,
  // which the polynomial refuses; the general path then reports the zero energy by its point).
  if (model.form.id === 'per-param' && model.form.predictJ === perParamForm.predictJ) {
    const perToken = t[0] + t[1] * paramCount(model.arch);
    if (perToken > 0 && Number.isFinite(perToken)) return polynomialEnergy([0, 0, 0, 0, perToken, 0], names);
  }
  const input = {
    ...names,
    form: model.form,
    theta: t,
    kernel: termsKernel(model.arch, c.kvBytes),
    settings: {
      batch: b,
      regime: model.regime,
      attention: model.attention,
      weightBytesPerStep: weightBytesPerStep(model.arch, c.weightBytes),
      params: paramCount(model.arch),
    },
    context: model.context,
  };
  const general = formEnergy(input);
  // Specialise only when the form computes exactly what hardwareEnergy assumes (same function).
  // Its tables hold no materialised scores: eager attention takes the general path.
  const hardware = model.form.predictJ === hardwareFormBase.predictJ;
  const fits = hardware && model.attention === 'fused' ? hardwareEnergy({ ...input, fallback: general }) : general;
  // Only the hardware form prices waves; formulas keep the energy of the calls they were fitted to.
  const profile = model.context.profile;
  if (!hardware || !m.waves || !profile) return fits;
  const whole = memoryLimit(model.arch, c, { batch: b, regime: model.regime, gpus: m.gpus, profile });
  return whole.maxPositions === Infinity ? fits : wavesEnergy(fits, input, whole);
}

/** Options of {@link surfaceEnergy}: the energy model's (`batch`, `allowOverflow`, `form`), the GPUs' memory, and the labels of its terms. */
export type SurfaceEnergyOptions = EnergyModelOptions &
  SurfaceMemoryOptions & {
    readonly labels?: Partial<EnergyLabels>;
    /** Another GPU (a name or a profile): a hardware calibration moved there (`transferCalibration`; docs/energy-models.md#other-gpus). */
    readonly onGpu?: string | HardwareProfile;
  };
const SURFACE_ENERGY_KEYS = optionKeys<SurfaceEnergyOptions>()('batch', 'allowOverflow', 'form', 'gpus', 'ignoreMemory', 'waves', 'labels', 'onGpu');

/**
 * A calibration bound to an architecture, ready for surfaces, sweet spots and advice.
 *
 * With `gpus`, the model is split over that many GPUs (see `createEstimator`). Points whose
 * weights and KV cache (at the batch and the calibration's precision) exceed the GPUs' memory are
 * masked, left out of sweet spots and advice, and counted (`memory` on the result;
 * docs/surface.md#memory); `ignoreMemory: true` prices them as if the batch were held at once,
 * `waves: true` as an engine runs them, in waves (docs/energy-models.md#batches-that-exceed-memory).
 * With `onGpu`, a hardware calibration is moved to that GPU first (docs/energy-models.md#other-gpus).
 *
 * @throws {SweetspotInputError} as `energyModel` (a model missing from a per-model calibration, …).
 * @throws {SweetspotMemoryError} when the weights alone exceed the GPUs' memory.
 * @example
 * const energy = surfaceEnergy(H100_DEFAULT_CALIBRATION, resolveArchitecture('llama-3.1-8b'));
 * sweetSpot(energy, DEFAULT_BOX).best
 * sweetSpot(surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch: 128 }), DEFAULT_BOX).outOfMemory // points that do not fit
 * sweetSpot(surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { onGpu: 'L40S' }), DEFAULT_BOX).best // on an L40S
 * @category Surfaces
 */
export function surfaceEnergy(
  calibration: Calibration | CalibrationInput,
  arch: Architecture,
  surfaceOptions?: SurfaceEnergyOptions,
): SurfaceEnergy {
  const options = optionsObject('surfaceEnergy', surfaceOptions, SURFACE_ENERGY_KEYS);
  const gpus = options.gpus ?? 1;
  const waves = checkWavesOption(options, 'surfaceEnergy');
  if (options.onGpu !== undefined) calibration = calibrationOnGpu('surfaceEnergy({ onGpu })', calibration, options.onGpu);
  const model = energyModel(calibration, arch, { batch: options.batch, allowOverflow: options.allowOverflow, form: options.form, waves });
  return surfaceEnergyFromModel(onGpus(model, gpus, 'surfaceEnergy'), options.labels, { gpus, ignoreMemory: options.ignoreMemory, waves });
}

/**
 * A bound model on `gpus` GPUs (tensor parallel; docs/energy-models.md#memory): refused when its
 * weights alone exceed their memory, else bound again there (`energyModelOnGpus`): the per-step
 * energy paid by each GPU, a model in waves (`waves`) counting its waves against all of their
 * memory, and the count recorded (`gpus`), so that `energyJ` agrees with `estimate({ gpus, waves })`
 * and a surface checks memory against all of them. The count is absolute: a model already on GPUs
 * is moved, not multiplied.
 *
 * @throws {SweetspotMemoryError} when the weights do not fit.
 * @example
 * surfaceEnergyFromModel(onGpus(energyModel(calibration, arch, { batch: 256 }), 2, 'surfaceEnergy')).memory?.gpus // 2
 * onGpus(energyModel(calibration, preset('llama-2-7b'), { batch: 64, waves: true }), 2, 'x').energyJ(1024, 1024) // one wave on 160 GB
 */
export function onGpus(model: EnergyModel, gpus: number, where: string): EnergyModel {
  checkEnergyModel(`${where}(model)`, model);
  checkGpus(gpus, `${where}({ gpus })`);
  checkTensorParallel(`${where}({ gpus })`, model.arch, gpus);
  checkWeightsFit(where, model.arch, model.calibration.weightBytes, gpus, model.context.profile);
  return energyModelOnGpus(model, gpus);
}
