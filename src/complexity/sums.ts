/**
 * Closed forms of the sums behind the complexity terms. Each is written as a sum of non-negative
 * parts (a start value plus increments over a count), never as a difference of two large prefix
 * sums, so that a short range far out (a few decode steps after a 10⁶-token prompt) keeps full
 * relative precision. Unchecked: the feature kernels call them per point; the entry exports the
 * checked wrappers of checked-sums.ts.
 */

/** Σ_{t=0}^{m-1} (a + t) for m ≥ 0. */
function arithmeticSum(a: number, m: number): number {
  return m * a + (m * (m - 1)) / 2;
}

/**
 * Σ_{c=a}^{b} min(c, W): keys attended by queries at positions a…b under window W.
 * Zero when b < a. `window` may be `Infinity`.
 *
 * @example
 * sumMin(1, 5, 3) // 1+2+3+3+3 = 12
 */
export function sumMin(a: number, b: number, window: number): number {
  if (b < a) return 0;
  let total = 0;
  const hiLinear = Math.min(b, window);
  if (hiLinear >= a) total += arithmeticSum(a, hiLinear - a + 1);
  const loFlat = Math.max(a, window + 1);
  if (b >= loFlat) total += (b - loFlat + 1) * window;
  return total;
}

/**
 * S_W(n) = Σ_{q=1}^{n} min(q, W): causal attention pairs of an n-token forward pass.
 *
 * @example
 * causalPairs(4, Infinity) // 10
 */
export function causalPairs(n: number, window: number): number {
  return sumMin(1, n, window);
}

/**
 * Σ_{n=a}^{b} S_W(n): attention pairs of forward passes over a…b tokens (recompute regime).
 *
 * @example
 * sumCausalPairs(1, 3, Infinity) // 1 + 3 + 6 = 10
 */
export function sumCausalPairs(a: number, b: number, window: number): number {
  if (b < a) return 0;
  let total = 0;
  const hiQuadratic = Math.min(b, window);
  if (hiQuadratic >= a) {
    // Σ_{t=0}^{m-1} (a+t)(a+t+1)/2 = m·a(a+1)/2 + (2a+1)·m(m−1)/4 + (m−1)m(2m−1)/12
    const m = hiQuadratic - a + 1;
    total += (m * a * (a + 1)) / 2 + ((2 * a + 1) * m * (m - 1)) / 4 + ((m - 1) * m * (2 * m - 1)) / 12;
  }
  const loLinear = Math.max(a, window + 1);
  if (b >= loLinear) {
    // S_W(n) = W(W+1)/2 + (n−W)·W for n > W
    const m = b - loLinear + 1;
    total += (m * window * (window + 1)) / 2 + window * arithmeticSum(loLinear - window, m);
  }
  return total;
}

/**
 * Σ_{n=a}^{b} n²: score-matrix elements of forward passes over a…b tokens when every pass
 * materialises its full n × n scores (eager attention, recompute regime). Zero when b < a. A sum
 * of non-negative parts from the start of the range: `m·a² + a·m(m−1) + (m−1)m(2m−1)/6`.
 *
 * @example
 * sumSquares(2, 4) // 4 + 9 + 16 = 29
 */
export function sumSquares(a: number, b: number): number {
  if (b < a) return 0;
  const m = b - a + 1;
  return m * a * a + a * m * (m - 1) + ((m - 1) * m * (2 * m - 1)) / 6;
}
