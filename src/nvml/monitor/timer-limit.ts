/**
 * The longest delay, seconds, that a timer can wait: `setTimeout` and `setInterval` take at most
 * 2³¹−1 ms and fire at once (with a warning) above it, so a longer per-request timeout would abort
 * every request immediately (docs/measuring.md#limits-on-untrusted-input).
 *
 * @example
 * MAX_TIMER_S // 2147483.647
 */
export const MAX_TIMER_S = (2 ** 31 - 1) / 1000;
