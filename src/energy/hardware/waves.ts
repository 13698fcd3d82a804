import { SweetspotInputError, checkString } from '../../errors.js';
import { checkObject, kindOf } from '../../arguments.js';
import { fitsInMemory } from './memory.js';

// The type first: a BigInt passes `>= 0` and then throws TypeError in the arithmetic, and a Symbol
// or a null-prototype object throws TypeError in the comparison itself.
const isByteCount = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v < Infinity;

/**
 * The largest batch whose weights plus KV cache fit (docs/energy-models.md#batches-that-exceed-memory):
 * `b = floor((available − weights) / kvPerSequence)`, 0 when not even one sequence fits. A
 * sequence without a KV cache (recompute regime, `kvPerSequenceBytes` 0) fits any batch while the
 * weights do: `Infinity` then.
 *
 * @example
 * maxWaveBatch(13.48e9, 1.073e9, 40e9) // 24: Llama-2-7B at 1024 + 1024 on one A100 40GB
 */
export function maxWaveBatch(weightBytes: number, kvPerSequenceBytes: number, availableBytes: number): number {
  for (const [name, v] of [['weightBytes', weightBytes], ['kvPerSequenceBytes', kvPerSequenceBytes], ['availableBytes', availableBytes]] as const) {
    if (!isByteCount(v)) throw new SweetspotInputError(`maxWaveBatch(${name}): expected a finite number ≥ 0, got ${kindOf(v)}`);
  }
  if (weightBytes > availableBytes) return 0;
  if (kvPerSequenceBytes === 0) return Infinity;
  return Math.floor((availableBytes - weightBytes) / kvPerSequenceBytes);
}

/**
 * Waves an engine that preempts sequences runs a call of `batch` sequences in
 * (docs/energy-models.md#batches-that-exceed-memory): 1 when weights plus the whole batch's KV
 * cache fit (the rule of `fitsInMemory`, so that waves never disagree with the memory check),
 * else `ceil(batch / b)` with `b` the largest batch that fits ({@link maxWaveBatch}); 0 when not
 * even one sequence fits. `kvCacheBytes` is the whole batch's cache at its last step.
 *
 * @throws {SweetspotInputError} for a byte count that is not a finite number ≥ 0 or a batch that is
 *   not an integer ≥ 1.
 * @example
 * waveCount(13.48e9, 64 * 1.073e9, 64, 40e9) // 3: Llama-2-7B at 1024 + 1024, batch 64, one A100 40GB
 */
export function waveCount(weightBytes: number, kvCacheBytes: number, batch: number, availableBytes: number): number {
  // A few comparisons: cheap beside the terms every caller has just computed.
  if (!(isByteCount(weightBytes) && isByteCount(kvCacheBytes) && isByteCount(availableBytes))) {
    throw new SweetspotInputError(`waveCount(weightBytes, kvCacheBytes, batch, availableBytes): byte counts must be finite numbers ≥ 0, got ${kindOf(weightBytes)}, ${kindOf(kvCacheBytes)}, ${kindOf(availableBytes)}`);
  }
  if (!(Number.isInteger(batch) && batch >= 1)) throw new SweetspotInputError(`waveCount(batch): expected an integer ≥ 1, got ${kindOf(batch)}`);
  if (fitsInMemory(weightBytes, kvCacheBytes, availableBytes)) return 1;
  if (weightBytes > availableBytes) return 0;
  // The whole batch does not fit, so b < batch; the clamp only guards the last ulp of kv/batch.
  const b = Math.min(batch - 1, Math.floor((availableBytes - weightBytes) / (kvCacheBytes / batch)));
  return b < 1 ? 0 : Math.ceil(batch / b);
}

/**
 * The `waves` option beside `ignoreMemory` (docs/energy-models.md#batches-that-exceed-memory):
 * true, false or absent; the two together are an error naming both, since one prices the batch
 * held at once and the other in waves.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkWavesOption({ waves: true }, 'estimate') // true
 */
export function checkWavesOption(options: { readonly waves?: unknown; readonly ignoreMemory?: unknown }, where: string): boolean {
  checkString('checkWavesOption(where)', where);
  checkObject(`${where}(options)`, options);
  const { waves, ignoreMemory } = options;
  if (waves !== undefined && typeof waves !== 'boolean') throw new SweetspotInputError(`${where}({ waves }): expected true or false, got ${kindOf(waves)}`);
  if (waves === true && ignoreMemory === true) {
    throw new SweetspotInputError(`${where}({ waves, ignoreMemory }): choose one: waves prices a batch that exceeds memory as an engine runs it, in waves; ignoreMemory as if it were held at once`);
  }
  return waves === true;
}
