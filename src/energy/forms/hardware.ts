import type { RequestFeatures } from '../../complexity/features.js';
import { SweetspotInputError } from '../../errors.js';
import type { EnergyForm, FormContext, ParamSpec } from '../form.js';
import { peakFlopsAt, precisionFor } from '../hardware/precision.js';
import { checkShape, kindOf } from '../../arguments.js';
import { optionsObject } from '../../options.js';

/**
 * Parameter order of the hardware form (indices into θ).
 *
 * @example
 * HARDWARE_PARAMS.indexOf('etaMemory') // 4
 */
export const HARDWARE_PARAMS = ['eFlop', 'eByte', 'staticPowerW', 'etaCompute', 'etaMemory', 'eStep', 'eScore'] as const;

const SPECS: readonly ParamSpec[] = [
  { name: 'eFlop', unit: 'J/FLOP', lower: 0, upper: Infinity, description: 'dynamic energy per FLOP (multiply-add = 2 FLOPs)' },
  { name: 'eByte', unit: 'J/byte', lower: 0, upper: Infinity, description: 'dynamic energy per byte moved between HBM and the SMs' },
  { name: 'staticPowerW', unit: 'W', lower: 0, upper: Infinity, description: 'power drawn while busy regardless of work done, times the roofline time' },
  { name: 'etaCompute', unit: '1', lower: 0.01, upper: 1, description: 'achieved fraction of peak FLOP/s when compute-bound' },
  { name: 'etaMemory', unit: '1', lower: 0.01, upper: 1, description: 'achieved fraction of peak memory bandwidth when memory-bound' },
  { name: 'eStep', unit: 'J', lower: 0, upper: Infinity, description: 'fixed energy per forward step (launches, sampling, host sync)' },
  {
    name: 'eScore',
    unit: 'J/byte',
    lower: 0,
    upper: Infinity,
    description: 'dynamic energy per byte of attention scores materialised by eager or masked attention (HBM traffic and the element-wise arithmetic on it)',
  },
];

/**
 * eScore of θ: its seventh entry, or eByte for a six-entry θ (the layout before eScore existed,
 * which charged score bytes like any other byte).
 */
function eScoreOf(t: ArrayLike<number>): number {
  return t.length > 6 ? t[6] : t[1];
}

/**
 * Peak FLOP/s of the context's profile at its precision (default: the one 16-bit models run in,
 * `bf16` or `fp16` on GPUs without BF16), or an error naming the GPU and the missing precision.
 *
 * @throws {SweetspotInputError} without a profile, or for a precision the profile has no peak for.
 * @example
 * peakFlopsOf({ profile: resolveProfile('h100-sxm-80gb') }) // 989.4e12
 */
export function peakFlopsOf(ctx: FormContext): number {
  const profile = ctx.profile;
  if (!profile) throw new SweetspotInputError('hardware form: needs a hardware profile in its context');
  const precision = ctx.precision ?? precisionFor(2, profile);
  // Called per prediction: one lookup, and peakFlopsAt's checks only to explain a missing peak.
  return Object.hasOwn(profile.peakFlops, precision) ? profile.peakFlops[precision] : peakFlopsAt(profile, precision);
}

/**
 * Memory bandwidth of the context's profile, bytes/s.
 *
 * @throws {SweetspotInputError} without a profile.
 * @example
 * bandwidthOf({ profile: resolveProfile('h100-sxm-80gb') }) // 3.35e12
 */
export function bandwidthOf(ctx: FormContext): number {
  if (!ctx.profile) throw new SweetspotInputError('hardware form: needs a hardware profile in its context');
  return ctx.profile.memoryBandwidthBytesPerS;
}

/**
 * Roofline time of the request, s: per phase (prefill, decode) the longer of compute time at
 * `etaCompute·peak` and memory time at `etaMemory·bandwidth`. Phases are taken whole, so a phase
 * that is compute-bound in some steps and memory-bound in others is counted on its dominant
 * branch only (a lower bound of the per-step sum; exact for KV-cache decode at small batch,
 * which is memory-bound throughout).
 *
 * @example
 * rooflineTimeS(features, 0.6, 0.65, 989.4e12, 3.35e12) // seconds
 */
export function rooflineTimeS(x: RequestFeatures, etaCompute: number, etaMemory: number, peakFlops: number, bandwidth: number): number {
  checkShape('rooflineTimeS(features)', x, 'request features (from featuresFromTerms)', { prefillFlops: 'finite', prefillBytes: 'finite', decodeFlops: 'finite', decodeBytes: 'finite' });
  const rates = { etaCompute, etaMemory, peakFlops, bandwidth };
  for (const [name, value] of Object.entries(rates)) {
    if (!(typeof value === 'number' && value > 0 && value < Infinity)) throw new SweetspotInputError(`rooflineTimeS(${name}): expected a finite number > 0, got ${kindOf(value)}`);
  }
  const rc = etaCompute * peakFlops;
  const rm = etaMemory * bandwidth;
  return Math.max(x.prefillFlops / rc, x.prefillBytes / rm) + Math.max(x.decodeFlops / rc, x.decodeBytes / rm);
}

/**
 * Energy of one phase (prefill or decode) by the hardware form, J:
 * `eFlop·flops + eByte·bytes + eScore·S + staticPowerW·(max(flops/computeRate, bytes/memoryRate) + S/memoryRate)`,
 * S the phase's materialised score bytes (eager attention, docs/complexity.md; 0 when fused), with
 * `computeRate = etaCompute·peak` and `memoryRate = etaMemory·bandwidth`. The form's `predictJ` is
 * the sum over both phases plus `eStep·(decodeSteps + 1)`; the surface's fast path calls it with
 * θ divided by the batch and table differences, so both compute one formula. Pure and scalar (no
 * checks: the callers check their inputs and the result).
 *
 * @example
 * hardwarePhaseJ(2e-13, 3e-11, 55, 0.35 * 312e12, 0.6 * 1.555e12, 1e12, 2e10) // joules
 */
export function hardwarePhaseJ(
  eFlop: number,
  eByte: number,
  staticPowerW: number,
  computeRate: number,
  memoryRate: number,
  flops: number,
  bytes: number,
  scoreBytes = 0,
  eScore = eByte,
): number {
  // Materialised scores (eager attention) are written and read by their own element-wise kernels,
  // which run between the GEMMs rather than under them: their time adds to the phase's.
  const scores = scoreBytes > 0 ? eScore * scoreBytes + (staticPowerW * scoreBytes) / memoryRate : 0;
  return eFlop * flops + eByte * bytes + staticPowerW * Math.max(flops / computeRate, bytes / memoryRate) + scores;
}

/**
 * The weight bytes a phase of `steps` weight reads adds in waves: in w waves of B/w sequences each
 * wave reads the weights again, while FLOPs, KV and score bytes are per sequence, so `w·E1(B/w)`
 * is `E1(B)` with `(w − 1) · steps` more weight reads (and w times the steps' energy;
 * docs/energy-models.md#batches-that-exceed-memory). 0 for one wave, whatever the record holds.
 *
 * @example
 * waveWeightBytes({ ...x, waves: 3 }, x.decodeSteps) // 2 · decodeSteps · weightBytesPerStep
 */
export function waveWeightBytes(x: RequestFeatures, steps: number): number {
  const w = x.waves ?? 1;
  return w === 1 ? 0 : (w - 1) * steps * x.weightBytesPerStep;
}

/**
 * The hardware form (docs/energy-models.md): parameters belong to a GPU, engine and precision, never to an
 * LLM, and act on the complexity terms of any architecture:
 *
 * `E = eFlop·FLOPs + eByte·bytes + staticPowerW·T + eStep·(decodeSteps + 1)`, with
 * `T = Σ_phase max(FLOPs_p/(etaCompute·peak), bytes_p/(etaMemory·bandwidth))`.
 *
 * `etaCompute` and `etaMemory` enter nonlinearly (through 1/η and the max). The gradient is
 * analytic; at a phase's kink the compute branch is taken.
 *
 * Identifiability: from energy alone, within one branch only `eFlop + staticPowerW/(etaCompute·peak)`
 * and `eByte + staticPowerW/(etaMemory·bandwidth)` are determined; the kink between branches
 * determines their ratio. Fix `staticPowerW` (or the η) with {@link hardwareForm} when the data
 * cannot separate them, e.g. batch-1 sweeps without latency.
 *
 * @example
 * const e = hardwareForm().predictJ([6e-13, 6e-11, 250, 0.6, 0.75, 0.05], features, { profile })
 */
export const hardwareFormBase: EnergyForm = {
  id: 'hardware',
  expression:
    'eFlop·totalFlops + eByte·totalBytes + eScore·scoreBytes + staticPowerW·Σ_phase [max(flops/(etaCompute·peak), bytes/(etaMemory·bandwidth)) + scoreBytes/(etaMemory·bandwidth)] + eStep·gpus·(decodeSteps + 1)',
  scope: 'shared',
  needsProfile: true,
  params: SPECS,
  predictJ(t, x, ctx) {
    const rc = t[3] * peakFlopsOf(ctx);
    const rm = t[4] * bandwidthOf(ctx);
    const w = x.waves ?? 1;
    const prefillBytes = x.prefillBytes + waveWeightBytes(x, 1);
    const decodeBytes = x.decodeBytes + waveWeightBytes(x, x.decodeSteps);
    return (
      hardwarePhaseJ(t[0], t[1], t[2], rc, rm, x.prefillFlops, prefillBytes, x.prefillScoreBytes, eScoreOf(t)) +
      hardwarePhaseJ(t[0], t[1], t[2], rc, rm, x.decodeFlops, decodeBytes, x.decodeScoreBytes, eScoreOf(t)) +
      // Each of the call's GPUs pays the per-step energy (docs/energy-models.md#memory, tensor parallelism).
      t[5] * (x.decodeSteps + 1) * (x.gpus ?? 1) * w
    );
  },
  gradient(t, x, ctx, out) {
    const ec = t[3];
    const em = t[4];
    const rc = ec * peakFlopsOf(ctx);
    const rm = em * bandwidthOf(ctx);
    // Each phase contributes through its active branch: d(F/(ηc·peak))/dηc = −F/(ηc²·peak) = −tc/ηc.
    const w = x.waves ?? 1;
    const prefillBytes = x.prefillBytes + waveWeightBytes(x, 1);
    const decodeBytes = x.decodeBytes + waveWeightBytes(x, x.decodeSteps);
    const tcP = x.prefillFlops / rc;
    const tmP = prefillBytes / rm;
    const tcD = x.decodeFlops / rc;
    const tmD = decodeBytes / rm;
    const scores = x.prefillScoreBytes + x.decodeScoreBytes;
    const tS = scores / rm;
    let dEc = 0;
    let dEm = tS > 0 ? -tS / em : 0;
    if (tcP >= tmP) dEc -= tcP / ec;
    else dEm -= tmP / em;
    if (tcD >= tmD) dEc -= tcD / ec;
    else dEm -= tmD / em;
    out[0] = x.totalFlops;
    const totalBytes = w === 1 ? x.totalBytes : prefillBytes + decodeBytes;
    out[1] = out.length > 6 ? totalBytes : totalBytes + scores;
    out[2] = Math.max(tcP, tmP) + Math.max(tcD, tmD) + tS;
    out[3] = t[2] * dEc;
    out[4] = t[2] * dEm;
    out[5] = (x.decodeSteps + 1) * (x.gpus ?? 1) * w;
    if (out.length > 6) out[6] = scores;
  },
};

/**
 * Values to pin some hardware parameters to (the fit then sees them with lower = upper).
 *
 * @example
 * const fixed: HardwareFixed = { staticPowerW: 80 };
 */
export type HardwareFixed = Partial<Record<(typeof HARDWARE_PARAMS)[number], number>>;

/**
 * The hardware form, optionally with some parameters pinned: a pinned parameter keeps its place
 * in θ but gets `lower = upper = value`, so a bounded fitter leaves it there. Use it when the data
 * cannot identify a parameter (see the identifiability note on {@link hardwareFormBase}).
 *
 * @throws {SweetspotInputError} for an unknown name, or a value outside the parameter's range.
 * @example
 * const form = hardwareForm({ staticPowerW: 80, etaCompute: 0.6 });
 * form.params.find((p) => p.name === 'staticPowerW') // { lower: 80, upper: 80, … }
 * @category Fitting
 */
export function hardwareForm(fixed: HardwareFixed = {}): EnergyForm {
  const names = Object.keys(optionsObject('hardwareForm(fixed)', fixed));
  if (names.length === 0) return hardwareFormBase;
  const params = SPECS.map((spec) => {
    if (!(spec.name in fixed)) return spec;
    const value = fixed[spec.name as keyof HardwareFixed] as number;
    if (!Number.isFinite(value) || value < spec.lower || value > spec.upper) {
      throw new SweetspotInputError(`hardware form: fixed ${spec.name} = ${value} is outside [${spec.lower}, ${spec.upper}]`);
    }
    return { ...spec, lower: value, upper: value, description: `${spec.description} (fixed)` };
  });
  for (const name of names) {
    if (!(HARDWARE_PARAMS as readonly string[]).includes(name)) {
      throw new SweetspotInputError(`hardware form: unknown parameter '${name}' to fix (known: ${HARDWARE_PARAMS.join(', ')})`);
    }
  }
  return { ...hardwareFormBase, params };
}
