/**
 * The largest batch (identical requests run together) a calibration, a prediction or `--batch`
 * may name (docs/energy-models.md#limits-on-untrusted-input). Serving engines run a few hundred to
 * a few thousand sequences at once; a batch beyond 65 536 is a typo or a tampered file, and the
 * batch multiplies every per-token term, so it is refused rather than extrapolated.
 *
 * @example
 * MAX_BATCH // 65536
 */
export const MAX_BATCH = 65_536;

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
