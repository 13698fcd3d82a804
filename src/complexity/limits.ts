/**
 * The largest batch (identical requests run together) a request, a calibration, a prediction or
 * `--batch` may name (docs/energy-models.md#limits-on-untrusted-input). Serving engines run a few
 * hundred to a few thousand sequences at once; a batch beyond 65 536 is a typo or a tampered file,
 * and the batch multiplies every per-token term, so it is refused rather than extrapolated. It
 * lives in the complexity layer, the lowest that takes a batch, so that every entry above it
 * (`requestTerms`, `sweetspot terms`, `predict`, `estimate`, calibrations) refuses the same batches.
 *
 * @example
 * MAX_BATCH // 65536
 */
export const MAX_BATCH = 65_536;
