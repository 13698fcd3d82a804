/**
 * The sums of sums.ts as the `sweetspot/complexity` entry exports them: each checks its arguments
 * and then calls the unchecked closed form, which the feature kernels call per point
 * (docs/complexity.md, docs/conventions.md#trusted-arguments). A string or a BigInt would
 * otherwise come back as NaN or a TypeError, and a negative count as a negative sum.
 */
import { shownValue } from '../arguments.js';
import { SweetspotInputError } from '../errors.js';
import * as sums from './sums.js';

function checkCount(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SweetspotInputError(`${fn}(${name}): must be an integer ≥ 0 (a token position or count), got ${shownValue(value)}`);
  }
}

function checkWindow(fn: string, window: number): void {
  if (typeof window !== 'number' || !((Number.isSafeInteger(window) && window >= 1) || window === Infinity)) {
    throw new SweetspotInputError(`${fn}(window): must be an integer ≥ 1 or Infinity (the attention window in tokens), got ${shownValue(window)}`);
  }
}

/**
 * Σ_{c=a}^{b} min(c, W): keys attended by queries at positions a…b under window W.
 * Zero when b < a. `window` may be `Infinity`.
 *
 * @throws {SweetspotInputError} when `a` or `b` is not an integer ≥ 0, or `window` not an integer ≥ 1 or `Infinity`.
 * @example
 * sumMin(1, 5, 3) // 1+2+3+3+3 = 12
 */
export function sumMin(a: number, b: number, window: number): number {
  checkCount('sumMin', 'a', a);
  checkCount('sumMin', 'b', b);
  checkWindow('sumMin', window);
  return sums.sumMin(a, b, window);
}

/**
 * S_W(n) = Σ_{q=1}^{n} min(q, W): causal attention pairs of an n-token forward pass.
 *
 * @throws {SweetspotInputError} when `n` is not an integer ≥ 0, or `window` not an integer ≥ 1 or `Infinity`.
 * @example
 * causalPairs(4, Infinity) // 10
 */
export function causalPairs(n: number, window: number): number {
  checkCount('causalPairs', 'n', n);
  checkWindow('causalPairs', window);
  return sums.causalPairs(n, window);
}

/**
 * Σ_{n=a}^{b} S_W(n): attention pairs of forward passes over a…b tokens (recompute regime).
 *
 * @throws {SweetspotInputError} when `a` or `b` is not an integer ≥ 0, or `window` not an integer ≥ 1 or `Infinity`.
 * @example
 * sumCausalPairs(1, 3, Infinity) // 1 + 3 + 6 = 10
 */
export function sumCausalPairs(a: number, b: number, window: number): number {
  checkCount('sumCausalPairs', 'a', a);
  checkCount('sumCausalPairs', 'b', b);
  checkWindow('sumCausalPairs', window);
  return sums.sumCausalPairs(a, b, window);
}

/**
 * Σ_{n=a}^{b} n²: score-matrix elements of forward passes over a…b tokens when every pass
 * materialises its full n × n scores (eager attention, recompute regime). Zero when b < a.
 *
 * @throws {SweetspotInputError} when `a` or `b` is not an integer ≥ 0.
 * @example
 * sumSquares(2, 4) // 4 + 9 + 16 = 29
 */
export function sumSquares(a: number, b: number): number {
  checkCount('sumSquares', 'a', a);
  checkCount('sumSquares', 'b', b);
  return sums.sumSquares(a, b);
}
