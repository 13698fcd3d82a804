// The batch limit belongs to the complexity layer, which requestTerms checks it in; energy re-exports it.
export { MAX_BATCH } from '../complexity/limits.js';

/**
 * The most GPUs a model may be split over (`gpus`, `--gpus`;
 * docs/energy-models.md#limits-on-untrusted-input). Tensor-parallel groups are a few GPUs to a
 * few nodes; a count beyond 4096 is a typo (`--gpus 1000000` once priced a 64 + 64-token request at
 * 7.7 MJ, 4 · 10⁴ times its 192 J on one GPU), so it is refused rather than extrapolated.
 *
 * @example
 * MAX_GPUS // 4096
 */
export const MAX_GPUS = 4096;

/**
 * Limits of a calibration document beyond its size in bytes (`READ_LIMITS.calibrationBytes`;
 * docs/energy-models.md#limits-on-untrusted-input):
 * - `values`: JSON values at any depth (objects, arrays, strings, numbers, booleans, nulls). The
 *   built-in calibrations hold 58 to 896; a per-model calibration of a thousand models a few tens
 *   of thousands. The schema check costs memory for every bad value (a 16 MiB file of empty
 *   objects ran the process out of memory), so larger documents are refused before it.
 *
 * @example
 * CALIBRATION_LIMITS.values // 131072
 */
export const CALIBRATION_LIMITS = Object.freeze({
  values: 1 << 17,
});
