import { SweetspotInputError } from '../../errors.js';
import { MAX_AXIS_TOKENS } from '../grid/grid.js';

/**
 * An integer box of request lengths: every (nIn, nOut) with both inside their inclusive ranges.
 *
 * @example
 * const box: TokenBox = { nIn: [64, 4096], nOut: [64, 1024] };
 * @category Surfaces
 */
export interface TokenBox {
  /** [lowest, highest] prompt length, inclusive. */
  readonly nIn: readonly [number, number];
  /** [lowest, highest] output length, inclusive. */
  readonly nOut: readonly [number, number];
}

/**
 * The default box to search for sweet spots: prompts and outputs of 64…4096 tokens each (the
 * range the seed paper measured; 4033 × 4033 points).
 *
 * @example
 * sweetSpot(energy, DEFAULT_BOX).best
 * @category Surfaces
 */
export const DEFAULT_BOX: TokenBox = { nIn: [64, 4096], nOut: [64, 4096] };

/**
 * Checks a box: integer bounds in 1…2²⁹, low ≤ high.
 *
 * @throws {SweetspotInputError} naming the bad bound.
 * @example
 * checkBox({ nIn: [64, 4096], nOut: [64, 4096] }) // returns the box
 */
export function checkBox(box: TokenBox, where = 'box'): TokenBox {
  for (const axis of ['nIn', 'nOut'] as const) {
    const range = box?.[axis];
    if (!Array.isArray(range) || range.length !== 2) {
      throw new SweetspotInputError(`${where}.${axis}: must be [low, high], got ${JSON.stringify(range)}`);
    }
    const [lo, hi] = range;
    for (const [name, v] of [['low', lo], ['high', hi]] as const) {
      if (!Number.isSafeInteger(v) || v < 1 || v > MAX_AXIS_TOKENS) {
        throw new SweetspotInputError(`${where}.${axis}: ${name} bound must be an integer in 1..${MAX_AXIS_TOKENS}, got ${String(v)}`);
      }
    }
    if (hi < lo) throw new SweetspotInputError(`${where}.${axis}: high bound ${hi} is below low bound ${lo}`);
  }
  return box;
}

/**
 * The highest nOut of a row that fits the context: `nIn + nOut − 1 ≤ maxPositions`.
 *
 * @example
 * contextOutLimit(8000, 8192) // 193
 */
export function contextOutLimit(nIn: number, maxPositions: number): number {
  return maxPositions - nIn + 1;
}
