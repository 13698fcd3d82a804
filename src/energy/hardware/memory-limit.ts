import type { Architecture } from '../../architecture/schema.js';
import { emptyFeatures, fillFeatures } from '../../complexity/features.js';
import { type Regime, termsKernel } from '../../complexity/terms.js';
import { checkGpus, fitsInMemory, weightMemoryBytes } from './memory.js';
import type { HardwareProfile } from './profile.js';
import { gpusToFit, kvCacheCopies, tensorParallelDegrees } from './tensor-parallel.js';
import { checkArchitecture } from '../../architecture/schema.js';
import { checkShape } from '../../arguments.js';

/**
 * Longest `nIn + nOut − 1` the search for a memory limit looks at: 2³⁰ covers every point of a
 * box or grid (each axis stops at 2²⁹ tokens). A model whose KV cache at this length still fits
 * has no memory limit on any box.
 *
 * @example
 * MEMORY_SEARCH_POSITIONS // 1073741824
 */
export const MEMORY_SEARCH_POSITIONS = 2 ** 30;

/**
 * What the GPUs' memory allows a surface: the longest sequence whose weights plus KV cache fit,
 * and the figures to say so (docs/energy-models.md#memory, docs/surface.md).
 *
 * @example
 * const limit: MemoryLimit = surfaceEnergy(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), { batch: 128 }).memory!;
 * limit.maxPositions // 3811: nIn + nOut − 1 may not exceed it
 * @category Surfaces
 */
export interface MemoryLimit {
  /**
   * Largest `nIn + nOut − 1` at which weights + KV cache fit (`Infinity`: every length up to
   * {@link MEMORY_SEARCH_POSITIONS} fits; 0: not even one token does).
   */
  readonly maxPositions: number;
  /** Memory of the GPUs, bytes (`gpus ×` the profile's `memoryBytes`). */
  readonly availableBytes: number;
  /** Bytes of the weights alone. */
  readonly weightBytes: number;
  readonly gpus: number;
  /** Sequences that hold a KV cache at once (the calls' batch). */
  readonly batch: number;
  /**
   * Weights + the KV cache held at the last step of sequences of `positions` tokens, bytes (with
   * its copies on more GPUs than KV heads, `kvCacheCopies`).
   */
  neededBytes(positions: number): number;
  /**
   * The smallest GPU count the model splits over on which sequences of `positions` tokens fit
   * (`gpusToFit`: the copies of its KV heads counted), or undefined when none does; absent on a
   * limit made by hand.
   */
  gpusToFit?(positions: number): number | undefined;
  /** GPUs that hold each KV head's cache (`kvCacheCopies`; 1 while the GPUs split the KV heads); absent on a limit made by hand. */
  readonly kvCacheCopies?: number;
  /**
   * The GPU counts the model splits over tensor parallel (`tensorParallelDegrees`;
   * docs/energy-models.md#memory), which a refusal may suggest; absent on a limit made by hand.
   */
  readonly gpuCounts?: readonly number[];
}

/**
 * The memory limit of a model on `gpus` GPUs of a profile, as a limit on positions: the KV cache
 * held at the last step grows with `nIn + nOut − 1` alone and never shrinks (sliding windows cap
 * it), so the points that fit are exactly those up to one length, like the context. Each length
 * is judged by {@link fitsInMemory} on the bytes `fillFeatures` gives (the estimator's own rule
 * and bytes), and the limit is found by bisection: the longest length that fits, one more does
 * not. In the recompute regime there is no KV cache: only the weights count.
 *
 * @example
 * memoryLimit(preset('llama-3.1-8b'), { weightBytes: 2, kvBytes: 2 }, { batch: 128, regime: 'kv-cache', gpus: 1, profile: h100 }).maxPositions // 3811
 */
export function memoryLimit(
  arch: Architecture,
  precision: { readonly weightBytes: number; readonly kvBytes: number },
  run: { readonly batch: number; readonly regime: Regime; readonly gpus: number; readonly profile: HardwareProfile },
): MemoryLimit {
  checkArchitecture(arch, 'memoryLimit(arch)');
  checkShape('memoryLimit(precision)', precision, '{ weightBytes, kvBytes }', { weightBytes: 'finite', kvBytes: 'finite' });
  checkShape('memoryLimit(run)', run, '{ batch, regime, gpus, profile }', { batch: 'finite', regime: 'string', gpus: 'finite', profile: 'object' });
  checkShape('memoryLimit(run).profile', run.profile, 'a hardware profile', { name: 'string', memoryBytes: 'finite' });
  // A GPU count, as everywhere: it decides how many copies of the KV heads are held.
  checkGpus(run.gpus, 'memoryLimit(run.gpus)');
  const kernel = termsKernel(arch, precision.kvBytes);
  const weights = weightMemoryBytes(arch, precision.weightBytes);
  const available = run.gpus * run.profile.memoryBytes;
  const x = emptyFeatures();
  // nOut = 1: the cache held at the last step of a sequence of `positions` tokens.
  const oneCopyBytes = (positions: number): number => fillFeatures(kernel, positions, 1, run.batch, run.regime, 0, x).kvCacheBytes;
  // On more GPUs than KV heads each head's cache is held on several (docs/energy-models.md#memory).
  const copies = kvCacheCopies(arch, run.gpus);
  const kvCacheBytes = (positions: number): number => oneCopyBytes(positions) * copies;
  const fits = (positions: number): boolean => fitsInMemory(weights, kvCacheBytes(positions), available);
  let maxPositions: number;
  if (fits(MEMORY_SEARCH_POSITIONS)) maxPositions = Infinity;
  else if (!fits(1)) maxPositions = 0;
  else {
    let lo = 1; // fits
    let hi = MEMORY_SEARCH_POSITIONS; // does not
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    maxPositions = lo;
  }
  return {
    maxPositions,
    availableBytes: available,
    weightBytes: weights,
    gpus: run.gpus,
    batch: run.batch,
    neededBytes: (positions) => weights + kvCacheBytes(positions),
    gpuCounts: tensorParallelDegrees(arch),
    kvCacheCopies: copies,
    gpusToFit: (positions) => gpusToFit(arch, weights, oneCopyBytes(positions), run.profile.memoryBytes),
  };
}
