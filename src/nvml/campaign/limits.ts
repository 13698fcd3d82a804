/**
 * Limits of a measurement campaign (docs/measuring.md#limits), so that a plan or a server cannot
 * exhaust the measuring process's memory:
 * - `lengthTokens`: a prompt or output length; the prompt is sent as that many token ids.
 *   4 Mi tokens is beyond every model's context window.
 * - `requests`: requests in one plan (distinct prompt lengths × distinct output lengths ×
 *   repeats), which are listed before the first is sent; 10⁶ requests of a second each is 11 days.
 * - `responseBytes`: the body of one server response, read until this size and then refused.
 *
 * @example
 * CAMPAIGN_LIMITS.requests // 1000000
 */
export const CAMPAIGN_LIMITS = Object.freeze({
  lengthTokens: 1 << 22,
  requests: 1_000_000,
  responseBytes: 64 << 20,
});
