import type { Architecture } from '../../architecture/schema.js';
import { SweetspotInputError, checkString } from '../../errors.js';
import { MAX_GPUS } from '../limits.js';
import { checkShape, kindOf, shownValue } from '../../arguments.js';

// The head counts alone: what the rule reads (an Architecture, or any object with both counts).
function heads(where: string, arch: Pick<Architecture, 'numHeads' | 'numKvHeads'>): Pick<Architecture, 'numHeads' | 'numKvHeads'> {
  checkShape(where, arch, 'an architecture (numHeads, numKvHeads)', { numHeads: 'finite', numKvHeads: 'finite' });
  const { numHeads, numKvHeads } = arch;
  if (!(Number.isInteger(numHeads) && numHeads >= 1 && Number.isInteger(numKvHeads) && numKvHeads >= 1)) {
    throw new SweetspotInputError(`${where}: numHeads and numKvHeads must be integers ≥ 1, got ${numHeads} and ${numKvHeads}`);
  }
  return arch;
}

/**
 * Whether a model splits over `gpus` GPUs tensor parallel (docs/energy-models.md#memory): each GPU
 * takes whole attention heads, so the count must divide the query heads; the KV heads are split
 * when the count divides them and copied to every GPU of a group when the count is a multiple of
 * them (the rule of vLLM and TensorRT-LLM, which refuse any other count).
 *
 * @example
 * isTensorParallelDegree(preset('llama-3.1-70b'), 4) // true: 64 heads, 8 KV heads
 * isTensorParallelDegree(preset('llama-3.1-70b'), 3) // false
 */
export function isTensorParallelDegree(arch: Pick<Architecture, 'numHeads' | 'numKvHeads'>, gpus: number): boolean {
  const { numHeads, numKvHeads } = heads('isTensorParallelDegree(arch)', arch);
  return Number.isInteger(gpus) && gpus >= 1 && numHeads % gpus === 0 && (gpus <= numKvHeads ? numKvHeads % gpus === 0 : gpus % numKvHeads === 0);
}

/**
 * Every GPU count a model splits over tensor parallel, ascending ({@link isTensorParallelDegree};
 * at most its query heads, and at most `MAX_GPUS`).
 *
 * @example
 * tensorParallelDegrees(preset('llama-3.1-70b')) // [1, 2, 4, 8, 16, 32, 64]
 * tensorParallelDegrees(preset('qwen2-7b'))      // [1, 2, 4, 28]: 28 heads, 4 KV heads
 */
export function tensorParallelDegrees(arch: Pick<Architecture, 'numHeads' | 'numKvHeads'>): number[] {
  heads('tensorParallelDegrees(arch)', arch);
  const out: number[] = [];
  for (let g = 1; g <= Math.min(arch.numHeads, MAX_GPUS); g++) if (isTensorParallelDegree(arch, g)) out.push(g);
  return out;
}

/**
 * The smallest GPU count of at least `gpus` that the model splits over, or undefined when none
 * does (more GPUs than its query heads).
 *
 * @example
 * nextTensorParallelDegree(preset('llama-3.1-70b'), 3) // 4
 */
export function nextTensorParallelDegree(arch: Pick<Architecture, 'numHeads' | 'numKvHeads'>, gpus: number): number | undefined {
  heads('nextTensorParallelDegree(arch)', arch);
  if (typeof gpus !== 'number' || Number.isNaN(gpus)) throw new SweetspotInputError(`nextTensorParallelDegree(gpus): expected a number, got ${shownValue(gpus)}`);
  return tensorParallelDegrees(arch).find((g) => g >= gpus);
}

/**
 * `gpus` when the model splits over that many GPUs tensor parallel, else an error naming `where`,
 * the model's head counts and the counts it does split over (those up to 8, and beyond 8 up to the
 * first above `gpus`).
 *
 * @throws {SweetspotInputError} naming `where` (e.g. `estimate({ gpus })`).
 * @example
 * checkTensorParallel('estimate({ gpus })', preset('llama-3.1-70b'), 2) // 2
 * checkTensorParallel('estimate({ gpus })', preset('llama-3.1-70b'), 3) // throws: … allow 1, 2, 4, 8
 */
export function checkTensorParallel(where: string, arch: Architecture, gpus: number): number {
  checkString('checkTensorParallel(where)', where);
  heads(`${where}: arch`, arch);
  if (!(typeof gpus === 'number' && Number.isInteger(gpus) && gpus >= 1)) throw new SweetspotInputError(`${where}: expected an integer GPU count ≥ 1, got ${shownValue(gpus)}`);
  if (isTensorParallelDegree(arch, gpus)) return gpus;
  const all = tensorParallelDegrees(arch);
  const above = all.find((g) => g > gpus);
  const shown = all.filter((g) => g <= Math.max(8, gpus) || g === above);
  const counts = arch.numKvHeads === arch.numHeads ? `its ${arch.numHeads} attention heads (as many KV heads)` : `its ${arch.numHeads} attention heads and ${arch.numKvHeads} KV head${arch.numKvHeads === 1 ? '' : 's'}`;
  throw new SweetspotInputError(
    `${where}: ${arch.id ?? 'the model'} does not split over ${gpus} GPUs tensor parallel: ${counts} allow ${shown.join(', ')}${shown.length < all.length ? ', …' : ''} (each GPU takes whole heads)`,
  );
}

/**
 * How many GPUs hold each KV head's cache when the model runs on `gpus` GPUs
 * (docs/energy-models.md#memory): 1 while the count divides the KV heads (they are split), and
 * `gpus / numKvHeads` when it is a multiple of them (each head is copied to that many GPUs, as
 * vLLM and TensorRT-LLM do). The memory the KV cache takes on all the GPUs is the cache times this.
 * 1 for a count that is not a tensor-parallel split (a measured call run otherwise).
 *
 * @example
 * kvCacheCopies(preset('llama-3.1-70b'), 8)  // 1: 8 KV heads, one on each GPU
 * kvCacheCopies(preset('llama-3.1-70b'), 16) // 2: each KV head on two GPUs
 */
export function kvCacheCopies(arch: Pick<Architecture, 'numHeads' | 'numKvHeads'>, gpus: number): number {
  const { numKvHeads } = heads('kvCacheCopies(arch)', arch);
  if (!(typeof gpus === 'number' && Number.isInteger(gpus) && gpus >= 1)) throw new SweetspotInputError(`kvCacheCopies(gpus): expected an integer GPU count ≥ 1, got ${kindOf(gpus)}`);
  return gpus > numKvHeads && isTensorParallelDegree(arch, gpus) ? gpus / numKvHeads : 1;
}

/**
 * The smallest GPU count the model splits over tensor parallel on which weights plus the KV cache
 * fit, its copies counted ({@link kvCacheCopies}), or undefined when none up to the model's query
 * heads (and `MAX_GPUS`) does. `kvCacheBytes` is one copy of the cache.
 *
 * @example
 * gpusToFit(preset('llama-3.1-70b'), 141.1e9, 0.4e9, 80e9) // 2
 */
export function gpusToFit(arch: Pick<Architecture, 'numHeads' | 'numKvHeads'>, weightBytes: number, kvCacheBytes: number, memoryBytesPerGpu: number): number | undefined {
  heads('gpusToFit(arch)', arch);
  for (const [name, v] of [['weightBytes', weightBytes], ['kvCacheBytes', kvCacheBytes], ['memoryBytesPerGpu', memoryBytesPerGpu]] as const) {
    if (!(typeof v === 'number' && v >= 0 && v < Infinity)) throw new SweetspotInputError(`gpusToFit(${name}): expected a finite number ≥ 0, got ${kindOf(v)}`);
  }
  return tensorParallelDegrees(arch).find((g) => weightBytes + kvCacheBytes * kvCacheCopies(arch, g) <= g * memoryBytesPerGpu);
}
