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
