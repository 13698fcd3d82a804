import type { Architecture } from '../../architecture/schema.js';
import { emptyFeatures, fillFeatures, type RequestFeatures } from '../../complexity/features.js';
import type { EnergyForm, FormContext } from '../../energy/form.js';
import type { Regime } from '../../complexity/terms.js';
import { termsKernel } from '../../complexity/terms.js';
import { weightBytesPerStep } from '../../complexity/weights.js';
import { hardwareFormBase } from '../../energy/forms/hardware.js';
import { sweetspotForm } from '../../energy/forms/sweetspot.js';
import { hardwarePhysics } from '../../energy/hardware/physics.js';
import { precisionFor } from '../../energy/hardware/precision.js';
import type { HardwareProfile } from '../../energy/hardware/profile.js';
import { nnls } from './nnls.js';
import type { FormPrior } from './prior.js';
import type { FeatureList } from '../data/row-list.js';
import { checkShape } from '../../arguments.js';
import { checkArchitecture } from '../../architecture/schema.js';
import { SweetspotInputError } from '../../errors.js';
import { optionsObject } from '../../options.js';
import { checkEnergyForm } from '../../energy/check-form.js';
import { checkProfile } from '../../energy/hardware/profile.js';
import { checkGpus } from '../../energy/hardware/memory.js';
import { checkPrior } from './prior.js';
import { checkRowList } from '../data/row-list.js';

/**
 * Prior widths of the hardware form, natural-log units (one sigma): how far the physics estimate
 * of each parameter may be off for an unknown GPU, engine and workload (docs/fitting.md#priors).
 *
 * @example
 * HARDWARE_PRIOR_WIDTHS.staticPowerW // 0.5: within a factor 1.65 at one sigma
 */
export const HARDWARE_PRIOR_WIDTHS = {
  // GEMM efficiencies vary with shapes, clocks and kernels: 0.3–1 of peak is within one sigma of 0.6.
  etaCompute: 0.5,
  // Batch-1 decode reaches 0.4–1 of peak bandwidth.
  etaMemory: 0.4,
  // Busy-idle power depends on clocks, temperature and what else the board powers.
  staticPowerW: 0.5,
  // Per-FLOP and per-byte energies are known to a factor of two across process nodes and memory generations.
  eFlop: 0.7,
  eByte: 0.7,
  // Host overhead per step spans two orders of magnitude between CUDA-graph engines and Python loops.
  eStep: 2.5,
  // Score bytes pass through element-wise kernels whose arithmetic (exp, max, sums on CUDA cores)
  // costs energy beyond the HBM traffic: wider than eByte.
  eScore: 1,
} as const;

/**
 * The physics prior of the hardware form for a GPU: centres from {@link hardwarePhysics} (the
 * rules the built-in default uses), widths {@link HARDWARE_PRIOR_WIDTHS}, every parameter on the
 * log scale.
 *
 * @example
 * const prior = hardwarePrior(resolveProfile('a100-sxm4-40gb'));
 * calibrate(rows, { form: hardwareForm(), prior });
 */
export function hardwarePrior(profile: HardwareProfile, precision?: string): FormPrior {
  checkProfile('hardwarePrior(profile)', profile);
  const c = hardwarePhysics(profile, precision);
  const src = `physics for ${profile.id} (docs/energy-models.md)`;
  const w = HARDWARE_PRIOR_WIDTHS;
  return {
    eFlop: { center: c.eFlop, width: w.eFlop, scale: 'log', source: `${src}: (TDP − static)/(ηc·peak)` },
    eByte: { center: c.eByte, width: w.eByte, scale: 'log', source: `${src}: HBM access ≈ 60 pJ/byte` },
    staticPowerW: { center: c.staticPowerW, width: w.staticPowerW, scale: 'log', source: `${src}: 200/700 of TDP` },
    etaCompute: { center: c.etaCompute, width: w.etaCompute, scale: 'log', source: `${src}: GEMMs at 0.6 of peak` },
    etaMemory: { center: c.etaMemory, width: w.etaMemory, scale: 'log', source: `${src}: decode at 0.65 of bandwidth` },
    eStep: { center: c.eStep, width: w.eStep, scale: 'log', source: `${src}: 0.5 ms per step at static power` },
    eScore: { center: c.eScore, width: w.eScore, scale: 'log', source: `${src}: a score byte costs an HBM byte` },
  };
}

/** Relative width (one sigma, as a fraction of the centre) of the SweetSpot prior's non-zero coefficients. */
export const SWEETSPOT_PRIOR_WIDTH = 3;

/** Options of {@link sweetspotPrior}. */
export interface SweetspotPriorOptions {
  readonly regime?: Regime;
  readonly weightBytes?: number;
  readonly kvBytes?: number;
  readonly batch?: number;
  readonly precision?: string;
  /**
   * GPUs each call runs on, tensor parallel (default 1): the prior is that of a call on all of
   * them, E(g) = E(1) + (g − 1)·eStep·(decodeSteps + 1) (docs/energy-models.md#memory, tensor parallelism).
   */
  readonly gpus?: number;
}

/**
 * The prior of the SweetSpot form for one model on one GPU, derived from the hardware form: the
 * hardware form at its physics centres ({@link hardwarePrior}) predicts a log-spaced grid of
 * (n_in, n_out) inside the model's context, and the SweetSpot polynomial fitted to those
 * predictions (relative NNLS) gives the centres. A coefficient with a positive centre gets a
 * relative width of {@link SWEETSPOT_PRIOR_WIDTH}; one the physics puts at 0 gets centre 0 and the
 * width at which its term would add 5% to the median energy of the grid. Linear scale throughout,
 * so that the exact NNLS path takes it as it is.
 *
 * @example
 * const prior = sweetspotPrior(preset('llama-2-7b'), resolveProfile('a100-sxm4-40gb'), { regime: 'recompute' });
 * prior.theta5.center // J per output token of the weight reads
 */
export function sweetspotPrior(arch: Architecture, profile: HardwareProfile, options: SweetspotPriorOptions = {}): FormPrior {
  checkArchitecture(arch, 'sweetspotPrior(arch)');
  checkProfile('sweetspotPrior(arch, profile)', profile);
  // No key check: priorSource hands its whole context (profile, resolve, …) on as the options.
  const { regime = 'kv-cache', weightBytes = 2, kvBytes = 2, batch = 1, precision: asked, gpus = 1 } = optionsObject('sweetspotPrior(arch, profile, options)', options);
  checkGpus(gpus, 'sweetspotPrior(arch, profile, { gpus })');
  const kernel = termsKernel(arch, kvBytes);
  // After weightBytesPerStep has checked weightBytes: the default precision is read from it.
  const wb = weightBytesPerStep(arch, weightBytes);
  const precision = asked ?? precisionFor(weightBytes, profile);
  const c = hardwarePhysics(profile, precision);
  // On g GPUs each pays the per-step energy: the θ predictions use on g GPUs (tensorParallelTheta).
  const theta = [c.eFlop, c.eByte, c.staticPowerW, c.etaCompute, c.etaMemory, c.eStep * gpus, c.eScore];
  const ctx = { profile, precision };
  const max = arch.maxPositions;
  const axis: number[] = [];
  for (let v = 16; v <= max / 2; v *= 2) axis.push(v);
  const x = emptyFeatures();
  const n = sweetspotForm.params.length;
  const basis = new Float64Array(n);
  const cols = Array.from({ length: n }, () => [] as number[]);
  const energies: number[] = [];
  for (const i of axis) {
    for (const o of axis) {
      if (i + o - 1 > max) continue;
      fillFeatures(kernel, i, o, batch, regime, wb, x);
      const e = hardwareFormBase.predictJ(theta, x, ctx);
      sweetspotForm.basis!(x, ctx, basis);
      energies.push(e);
      for (let k = 0; k < n; k++) cols[k].push(basis[k] / e);
    }
  }
  const fit = nnls(
    cols.map((col) => Float64Array.from(col)),
    new Float64Array(energies.length).fill(1),
  );
  const median = [...energies].sort((a, b) => a - b)[Math.floor(energies.length / 2)];
  const src = `hardware form at the physics of ${gpus === 1 ? profile.id : `${gpus} × ${profile.id}`} for ${arch.id}, ${regime} (docs/fitting.md#priors)`;
  const out: Record<string, FormPrior[string]> = {};
  sweetspotForm.params.forEach((p, k) => {
    const value = fit.x[k];
    if (value > 0) out[p.name] = { center: value, width: SWEETSPOT_PRIOR_WIDTH * value, scale: 'linear', source: src };
    else {
      const typical = [...cols[k]].map((v, j) => v * energies[j]).sort((a, b) => a - b)[Math.floor(energies.length / 2)] || 1;
      out[p.name] = { center: 0, width: (0.5 * median) / typical, scale: 'linear', source: `${src}; physics puts it at 0` };
    }
  });
  return out;
}

/**
 * A prior of a form linear in θ rescaled to the data: every centre and width times the one factor
 * s that best fits `s·E_prior(x_i)` to the measured energies in relative least squares
 * (`s = Σa_i/Σa_i²`, `a_i = E_prior(x_i)/m_i`). Physics then sets the proportions between the
 * terms (which the data may be unable to separate), the data the overall scale (which physics
 * knows only roughly: host overhead alone varies by orders of magnitude between engines); a
 * one-parameter fit is determined by any rows at all.
 *
 * @example
 * const prior = scalePriorToData(sweetspotPrior(arch, profile), sweetspotForm, features, measured);
 */
export function scalePriorToData(
  prior: FormPrior,
  form: EnergyForm,
  features: FeatureList,
  measuredJ: readonly number[],
  ctx: FormContext = {},
): FormPrior {
  checkEnergyForm('scalePriorToData(prior, form)', form);
  checkPrior(form.params, prior);
  checkRowList('scalePriorToData(prior, form, features)', features);
  checkShape('scalePriorToData(prior, form, features, measuredJ)', { measuredJ }, 'an array of energies', { measuredJ: 'array-like' });
  if (measuredJ.length !== features.length) throw new SweetspotInputError(`scalePriorToData: ${features.length} feature rows for ${measuredJ.length} energies`);
  optionsObject('scalePriorToData(prior, form, features, measuredJ, ctx)', ctx);
  const theta = form.params.map((p) => prior[p.name]?.center ?? 0);
  let num = 0;
  let den = 0;
  for (let i = 0; i < features.length; i++) {
    const a = form.predictJ(theta, features.at(i)!, ctx) / measuredJ[i];
    num += a;
    den += a * a;
  }
  const s = den > 0 && Number.isFinite(num / den) && num > 0 ? num / den : 1;
  return Object.fromEntries(
    Object.entries(prior).map(([name, p]) => [
      name,
      p.scale === 'log'
        ? { ...p, center: p.center * s, source: `${p.source}; scaled ×${s.toPrecision(3)} to the data` }
        : { ...p, center: p.center * s, width: p.width * s, source: `${p.source}; scaled ×${s.toPrecision(3)} to the data` },
    ]),
  );
}

/**
 * Where a fit takes its prior from: `physics` (the default: {@link hardwarePrior} for the hardware
 * form, {@link sweetspotPrior} scaled to each model's rows for the SweetSpot form, none for the
 * others), `none` (maximum likelihood, refusing what the data cannot determine), or a prior given
 * outright.
 *
 * @example
 * calibrate(rows, { form: hardwareForm(), prior: 'none' }) // the plain fit
 */
export type PriorOption = 'physics' | 'none' | FormPrior;

/**
 * The prior of one parameter set: given the model key (or `*` for a shared form) and the rows it
 * is fitted on.
 *
 * @example
 * const source: PriorSource = () => hardwarePrior(profile);
 */
export type PriorSource = (key: string, features: FeatureList, measuredJ: readonly number[]) => FormPrior | undefined;

/** What {@link priorSource} needs to derive a physics prior. */
export interface PriorContext {
  readonly profile?: HardwareProfile;
  readonly precision?: string;
  readonly regime?: Regime;
  readonly weightBytes?: number;
  readonly kvBytes?: number;
  readonly batch?: number;
  /** Model key → architecture, for per-model priors; a throw means none is known. */
  readonly resolve?: (key: string) => Architecture;
}

/**
 * Turns a {@link PriorOption} into the prior of each parameter set a fit makes. A physics prior
 * needs a hardware profile (and, for the SweetSpot form, the model's architecture): without them
 * the fit runs without a prior, as before.
 *
 * @example
 * const prior = priorSource(hardwareForm(), 'physics', { profile });
 * fitRows(form, x, m, keys, ctx, { prior });
 */
export function priorSource(form: EnergyForm, option: PriorOption | undefined, pc: PriorContext): PriorSource | undefined {
  checkEnergyForm('priorSource(form)', form);
  if (option !== undefined && option !== 'physics' && option !== 'none') checkPrior(form.params, option);
  optionsObject('priorSource(form, option, context)', pc);
  if (option === 'none') return undefined;
  if (option !== undefined && option !== 'physics') return () => option;
  const profile = pc.profile;
  if (!profile) return undefined;
  if (form.id === 'hardware') {
    const prior = hardwarePrior(profile, pc.precision);
    return () => prior;
  }
  if (form.id === 'sweetspot') {
    return (key, features, measuredJ) => {
      let arch: Architecture;
      try {
        if (!pc.resolve) return undefined;
        arch = pc.resolve(key);
      } catch {
        return undefined;
      }
      // The model's rows ran on one count (fitRows refuses a mix): the prior of a call on that many GPUs.
      const base = sweetspotPrior(arch, profile, { ...pc, gpus: features.length > 0 ? (features.at(0)!.gpus ?? 1) : 1 });
      return scalePriorToData(base, form, features, measuredJ);
    };
  }
  return undefined;
}
