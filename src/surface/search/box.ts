import { SweetspotInputError } from '../../errors.js';
import type { SurfaceEnergy } from '../energy/energy.js';
import { MAX_AXIS_TOKENS } from '../grid/grid.js';
import { checkShape, checkWhere, kindOf, shownValue } from '../../arguments.js';

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
 * range the SweetSpot paper measured, docs/energy-models.md; 4033 × 4033 points).
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
  where = checkWhere('checkBox', where);
  for (const axis of ['nIn', 'nOut'] as const) {
    const range = box?.[axis];
    if (!Array.isArray(range) || range.length !== 2) {
      throw new SweetspotInputError(`${where}.${axis}: must be [low, high], got ${shownValue(range)}`);
    }
    const [lo, hi] = range;
    for (const [name, v] of [['low', lo], ['high', hi]] as const) {
      if (!Number.isSafeInteger(v) || v < 1 || v > MAX_AXIS_TOKENS) {
        throw new SweetspotInputError(`${where}.${axis}: ${name} bound must be an integer in 1..${MAX_AXIS_TOKENS}, got ${shownValue(v)}`);
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

/**
 * The longest `nIn + nOut − 1` the GPUs' memory allows an energy (its `memory.maxPositions`;
 * `Infinity` when memory is not checked). A row's outputs that fit are then
 * `contextOutLimit(nIn, memoryPositions(energy))` and below, a prefix as for the context
 * (docs/surface.md#memory).
 *
 * @example
 * contextOutLimit(4096, memoryPositions(energy)) // the longest output of prompt 4096 that fits
 */
export function memoryPositions(energy: Pick<SurfaceEnergy, 'memory'>): number {
  // The searches call this once per row: a typeof test, not a shape check.
  if (typeof energy !== 'object' || energy === null) throw new SweetspotInputError(`memoryPositions(energy): expected a SurfaceEnergy, got ${kindOf(energy)}`);
  return energy.memory?.maxPositions ?? Infinity;
}

/**
 * Why an empty search found nothing: the context, the memory, or both, for error messages.
 *
 * @example
 * `box: no point fits ${limitsText(energy)}` // "llama-3.1-8b's context of 131072 tokens and 80 GB of GPU memory at batch 128"
 */
export function limitsText(energy: SurfaceEnergy): string {
  checkShape('limitsText(energy)', energy, 'a SurfaceEnergy', { model: 'string', maxPositions: 'number', memory: 'object?' });
  const context = `${energy.model}'s context of ${energy.maxPositions} tokens`;
  const m = energy.memory;
  if (!m || m.maxPositions === Infinity) return context;
  return `${context} and ${memoryText(m)} (weights + KV cache; ${m.batch > 1 ? '{ waves: true } prices such points in waves, ' : ''}{ ignoreMemory: true } as if held at once)`;
}

/**
 * The GPU memory of a limit for people: `80 GB of GPU memory at batch 128` (decimal GB, as the
 * memory errors give them).
 *
 * @example
 * memoryText(energy.memory!) // '80 GB of GPU memory at batch 128'
 */
export function memoryText(m: { readonly availableBytes: number; readonly gpus: number; readonly batch: number }): string {
  checkShape('memoryText(memory)', m, 'a MemoryLimit (from memoryLimit)', { availableBytes: 'finite', gpus: 'finite', batch: 'finite' });
  const gb = Number((m.availableBytes / 1e9).toPrecision(4));
  return `${gb} GB of GPU memory${m.gpus > 1 ? ` (${m.gpus} GPUs)` : ''} at batch ${m.batch}`;
}
