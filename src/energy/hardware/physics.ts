import { peakFlopsAt, precisionFor } from './precision.js';
import type { HardwareProfile } from './profile.js';
import { checkString } from '../../errors.js';
import { checkProfile } from './profile.js';

/**
 * The physical estimates behind the hardware form's parameters for one GPU (docs/energy-models.md,
 * "The built-in H100 default"): values from the profile's datasheet figures and stated assumptions,
 * never from a measurement. The built-in H100 default and the fit's priors
 * (docs/fitting.md#priors) both start here.
 *
 * @example
 * const e = hardwarePhysics(resolveProfile('a100-sxm4-40gb'));
 * e.staticPowerW // ≈ 114 W: the H100 physics prior's 200/700 of TDP
 */
export interface HardwarePhysics {
  readonly eFlop: number;
  readonly eByte: number;
  readonly staticPowerW: number;
  readonly etaCompute: number;
  readonly etaMemory: number;
  readonly eStep: number;
  /** Per byte of materialised attention scores: as any HBM byte, before data say otherwise. */
  readonly eScore: number;
}

/** Achieved fraction of dense peak by large GEMMs (0.6–0.75 on H100 and A100; prefill-sized shapes at the low end). */
export const PHYSICS_ETA_COMPUTE = 0.6;
/** Achieved fraction of HBM bandwidth by batch-1 decode (0.55–0.75 of peak). */
export const PHYSICS_ETA_MEMORY = 0.65;
/** Busy-but-idle power as a fraction of TDP: idle board, clock tree, un-gated logic and leakage (200 W of H100's 700 W). */
export const PHYSICS_STATIC_FRACTION = 200 / 700;
/** HBM access ≈ 31 pJ/byte in the DRAM stack (O'Connor et al., MICRO 2017) and as much again in PHY, L2, crossbar and SRAM. */
export const PHYSICS_E_BYTE_J = 60e-12;
/** Launch, sampling and synchronisation gap per forward step at static power, s (CUDA-graph engines). */
export const PHYSICS_STEP_GAP_S = 0.5e-3;

/**
 * The hardware form's parameters as physics estimates them for a GPU profile at a precision:
 * static power a fixed fraction of TDP; eFlop from the power cap (`static + eFlop·ηc·peak = TDP`:
 * dense GEMMs run at the cap); eByte from HBM access energy; eStep a 0.5 ms gap at static power.
 * The precision defaults to the one 16-bit models run in on the GPU (`bf16`, or `fp16` on GPUs
 * without BF16).
 *
 * @throws {SweetspotInputError} for a precision the profile has no peak for.
 * @example
 * hardwarePhysics(resolveProfile('h100-sxm-80gb')).eFlop // (700 − 200)/(0.6 · 989.4e12) ≈ 0.842 pJ
 */
export function hardwarePhysics(profile: HardwareProfile, precision?: string): HardwarePhysics {
  checkProfile('hardwarePhysics(profile)', profile);
  // The default needs a checked profile: it is the GPU's own 16-bit precision.
  precision = precision === undefined ? precisionFor(2, profile) : checkString('hardwarePhysics(profile, precision)', precision);
  const staticPowerW = PHYSICS_STATIC_FRACTION * profile.tdpW;
  // A precision the GPU lacks is refused by name: another precision's peak would give a prior
  // off by the ratio of the two rates (docs/energy-models.md#hardware-profiles).
  const peak = peakFlopsAt(profile, precision);
  return {
    eFlop: (profile.tdpW - staticPowerW) / (PHYSICS_ETA_COMPUTE * peak),
    eByte: PHYSICS_E_BYTE_J,
    staticPowerW,
    etaCompute: PHYSICS_ETA_COMPUTE,
    etaMemory: PHYSICS_ETA_MEMORY,
    eStep: staticPowerW * PHYSICS_STEP_GAP_S,
    eScore: PHYSICS_E_BYTE_J,
  };
}
