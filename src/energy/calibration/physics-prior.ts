import type { Calibration } from './document.js';
import { deepFreeze } from '../../freeze.js';
import { resolveProfile } from '../hardware/profiles.js';

// Every value below comes from a datasheet figure or a stated physical assumption; none was
// adjusted to match a measurement. docs/energy-models.md gives the reasoning and its limits. The
// fitted default (defaults.ts) uses these values as its prior: the parameters public H100 data
// cannot determine keep them.
const H100 = resolveProfile('h100-sxm-80gb');

/** Achieved fraction of dense BF16 peak by prefill GEMMs of ~10³ tokens (large cuBLAS GEMMs reach 0.6–0.75). */
const ETA_COMPUTE = 0.6;
/**
 * Achieved fraction of HBM bandwidth by batch-1 decode (weight-streaming GEMVs, attention, gaps
 * between kernels); single-stream decode on H100 typically reaches 0.55–0.75 of peak.
 */
const ETA_MEMORY = 0.65;
/**
 * Power drawn while busy, whatever the work: the idle board (70 W) plus the clock tree and
 * un-gated logic of an active die and leakage at load temperature; roughly 0.3 of TDP.
 */
const STATIC_POWER_W = 200;
/**
 * Dynamic energy per byte from HBM to the SMs: ~3.9 pJ/bit in the DRAM stack (O'Connor et al.,
 * MICRO 2017, HBM2) ≈ 31 pJ/byte, about as much again for PHY, L2, crossbar and SM-side SRAM.
 */
const E_BYTE_J = 60e-12;
/**
 * Dynamic energy per FLOP, from the power limit: dense BF16 GEMMs on H100 SXM run at the 700 W
 * limit, so `static + eFlop·ηc·peak = TDP`, i.e. eFlop = (700 − 200) W / (0.6 · 989.4 TFLOP/s).
 */
const E_FLOP_J = (H100.tdpW - STATIC_POWER_W) / (ETA_COMPUTE * (H100.peakFlops.bf16 as number));
/** Per forward step: ~0.5 ms of launch and sampling gaps (CUDA graphs) at static power. */
const E_STEP_J = STATIC_POWER_W * 0.5e-3;
/**
 * Its interval (docs/energy-models.md): the checks against public H100 points found the prior
 * low by 2–38% (measured/predicted 1.02–1.61, median about 1.27), so predictions carry that bias
 * as a log offset of 0.2 and a scatter of 0.2 in log E: a 90% interval of 0.88–1.70 × the
 * prediction. No covariance: the parameters were derived, not fitted.
 */
const UNCERTAINTY = { residualSigma: 0.2, logBias: 0.2, covariance: null };

/**
 * The physics prior of the H100 default: the hardware form for H100 SXM 80GB, KV-cache regime,
 * 16-bit weights and KV cache, derived from datasheet figures and physics and **not fitted to
 * measurements** (`fitted: false`). It was the built-in default before the default was fitted to
 * public H100 measurements; the fit keeps its values for the parameters the data cannot
 * determine (docs/energy-models.md).
 *
 * @example
 * predictEnergy(H100_PHYSICS_PRIOR, preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }).energyJ // ≈ 2.5 kJ
 */
export const H100_PHYSICS_PRIOR: Calibration = deepFreeze(
  // Trusted data, written as the schema's output: the tests check it (docs/conventions.md#built-in-data).
  ({
    version: 2,
    attention: 'fused',
    form: 'hardware',
    formula: null,
    regime: 'kv-cache',
    gpu: H100.name,
    profile: H100.id,
    engine: 'TensorRT-LLM/vLLM class (derived from physics)',
    weightBytes: 2,
    kvBytes: 2,
    batch: 1,
    params: {
      eFlop: { value: E_FLOP_J, unit: 'J/FLOP', stdErr: null },
      eByte: { value: E_BYTE_J, unit: 'J/byte', stdErr: null },
      staticPowerW: { value: STATIC_POWER_W, unit: 'W', stdErr: null },
      etaCompute: { value: ETA_COMPUTE, unit: '1', stdErr: null },
      etaMemory: { value: ETA_MEMORY, unit: '1', stdErr: null },
      eStep: { value: E_STEP_J, unit: 'J', stdErr: null },
      // Fused attention (TensorRT-LLM, vLLM) materialises no scores; were it eager, a score byte would cost an HBM byte.
      eScore: { value: E_BYTE_J, unit: 'J/byte', stdErr: null },
    },
    models: {},
    fittedOn: null,
    fitted: false,
    note:
      'Physics prior derived from the H100 SXM datasheet (989.4 TFLOP/s dense BF16, 3.35 TB/s, 700 W) and physical estimates ' +
      '(HBM energy per byte, static power, achieved efficiencies); NOT fitted to our measurements. Expect magnitudes within ' +
      'tens of percent, not percent-level accuracy. See docs/energy-models.md.',
    errors: null,
    uncertainty: UNCERTAINTY,
  }) satisfies Calibration,
);
