import type { RequestFeatures } from '../complexity/features.js';
import type { HardwareProfile } from './hardware/profile.js';

/**
 * One parameter of an energy form: its name, unit, bounds and meaning.
 *
 * @example
 * const spec: ParamSpec = { name: 'eByte', unit: 'J/byte', lower: 0, upper: Infinity, description: 'energy per HBM byte' };
 */
export interface ParamSpec {
  readonly name: string;
  /** Unit of the value, e.g. `J/token²`, `J/FLOP`, `W`, `1` for a ratio. */
  readonly unit: string;
  readonly lower: number;
  readonly upper: number;
  readonly description: string;
}

/**
 * What a form may need besides the parameters: the GPU it runs on.
 *
 * @example
 * const ctx: FormContext = { profile: resolveProfile('NVIDIA H100 80GB HBM3'), precision: 'bf16' };
 */
export interface FormContext {
  readonly profile?: HardwareProfile;
  /**
   * Key of `profile.peakFlops` the model computes in (`bf16`, `fp16`, `fp8`, …); forms that use
   * peak FLOP/s default to `bf16`. Added compatibly: contexts without it keep working.
   */
  readonly precision?: string;
}

/**
 * An energy model form: maps the features of a request (lengths and complexity terms) and a
 * parameter vector to the energy in joules of the whole measured call (all `batch` sequences).
 *
 * Forms with `basis` are linear in their parameters (energy = Σ θ_k·basis_k) and are fitted by an
 * exact non-negative least-squares solve; the others by a nonlinear least-squares fit.
 *
 * @example
 * const form: EnergyForm = energyForm('sweetspot');
 * form.predictJ([1e-6, 0.01, 1e-5, 1e-5, 0.3, 5], featuresFromTerms(requestTerms(arch, { nIn: 512, nOut: 128 })), {});
 * @category Fitting
 */
export interface EnergyForm {
  /** `sweetspot`, `hardware`, `linear`, `per-param`, or `formula`. */
  readonly id: string;
  /** Human-readable expression, for reports. */
  readonly expression: string;
  /** `per-model`: one parameter set per LLM; `shared`: one set for every LLM on a GPU/engine. */
  readonly scope: 'per-model' | 'shared';
  /** Needs a hardware profile in its context. */
  readonly needsProfile: boolean;
  readonly params: readonly ParamSpec[];
  /** E(θ, x) in joules. */
  predictJ(theta: ArrayLike<number>, x: RequestFeatures, ctx: FormContext): number;
  /** ∂E/∂θ_k at (θ, x), written into `out`. Forms without it are differentiated numerically. */
  gradient?(theta: ArrayLike<number>, x: RequestFeatures, ctx: FormContext, out: Float64Array): void;
  /** Basis values for forms linear in θ, written into `out` (length = params.length). */
  basis?(x: RequestFeatures, ctx: FormContext, out: Float64Array): void;
}
