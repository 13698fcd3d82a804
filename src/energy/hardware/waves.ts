import type { Architecture } from '../../architecture/schema.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../errors.js';
import { checkObject, checkWhere, kindOf } from '../../arguments.js';
import { checkMemory, fitsInMemory } from './memory.js';
import type { HardwareProfile } from './profile.js';
import { kvCacheCopies } from './tensor-parallel.js';

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
 * What counting a call's waves needs beyond its terms (docs/energy-models.md#batches-that-exceed-memory):
 * the model, its weights in memory, one GPU's name and memory, and the precision the refusal names.
 * Made once where a model is bound, so that counting allocates nothing per call.
 *
 * @example
 * const budget: WaveBudget = { arch, weightBytes: weightMemoryBytes(arch, 2), gpu: resolveProfile('a100-sxm4-40gb'), weightBytesPerParam: 2, kvBytesPerElement: 2 };
 */
export interface WaveBudget {
  readonly arch: Architecture;
  /** Bytes of the weights in memory (`weightMemoryBytes`). */
  readonly weightBytes: number;
  /** One GPU: its name, for messages, and its memory, bytes. */
  readonly gpu: Pick<HardwareProfile, 'name' | 'memoryBytes'>;
  readonly weightBytesPerParam: number;
  readonly kvBytesPerElement: number;
}

/**
 * The waves a call of `batch` sequences runs in on `gpus` GPUs ({@link waveCount}), or its
 * refusal when not even one sequence fits: the one refusal of the estimators, bound models and
 * fits in waves, a `SweetspotMemoryError` giving the bytes of one sequence
 * (docs/energy-models.md#batches-that-exceed-memory). `kvCacheBytes` is the whole batch's cache
 * at its last step, one copy (the copies of KV heads on more GPUs than heads are counted here); `remedy` replaces the request's remedies (for a measured row).
 *
 * @throws {SweetspotMemoryError} when not even one sequence fits, prefixed by `where`.
 * @example
 * wavesOrRefuse('estimate', budget, 1, 1024, 1024, 64, 64 * 1.073e9) // 3 on one A100 40GB (Llama-2-7B)
 */
export function wavesOrRefuse(where: string, budget: WaveBudget, gpus: number, nIn: number, nOut: number, batch: number, kvCacheBytes: number, remedy?: string): number {
  // On more GPUs than KV heads each head's cache is held on several (docs/energy-models.md#memory).
  const w = waveCount(budget.weightBytes, kvCacheBytes * kvCacheCopies(budget.arch, gpus), batch, gpus * budget.gpu.memoryBytes);
  if (w > 0) return w;
  const oneBytes = kvCacheBytes / batch;
  const request = { nIn, nOut, batch: 1, weightBytesPerParam: budget.weightBytesPerParam, kvBytesPerElement: budget.kvBytesPerElement };
  const refused = `${where} (in waves, not even one sequence fits)`;
  checkMemory(refused, budget.arch, budget.weightBytes, oneBytes, gpus, budget.gpu, request, remedy);
  // checkMemory applies the rule waveCount does; only the last ulp of kv/batch could part them.
  const tail = remedy === undefined ? '' : `; ${remedy}`;
  throw new SweetspotMemoryError(`${refused}: ${budget.arch.id} at nIn=${nIn}, nOut=${nOut} has no whole sequence that fits${tail}`, budget.weightBytes + oneBytes * kvCacheCopies(budget.arch, gpus), gpus * budget.gpu.memoryBytes, gpus);
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
  where = checkWhere('checkWavesOption', where);
  checkObject(`${where}(options)`, options);
  const { waves, ignoreMemory } = options;
  if (waves !== undefined && typeof waves !== 'boolean') throw new SweetspotInputError(`${where}({ waves }): expected true or false, got ${kindOf(waves)}`);
  if (waves === true && ignoreMemory === true) {
    throw new SweetspotInputError(`${where}({ waves, ignoreMemory }): choose one: waves prices a batch that exceeds memory as an engine runs it, in waves; ignoreMemory as if it were held at once`);
  }
  return waves === true;
}
