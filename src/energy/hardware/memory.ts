import { paramCount } from '../../architecture/params.js';
import type { Architecture } from '../../architecture/schema.js';
import { SweetspotInputError, SweetspotMemoryError, checkString } from '../../errors.js';
import type { EnergyForm } from '../form.js';
import { hardwareFormBase } from '../forms/hardware.js';
import type { HardwareProfile } from './profile.js';
import { MAX_GPUS } from '../limits.js';
import { gpusToFit, kvCacheCopies, tensorParallelDegrees } from './tensor-parallel.js';
import { checkArchitecture } from '../../architecture/schema.js';
import { checkFinite, checkShape, checkWhere, shownValue } from '../../arguments.js';

/**
 * GPU count a request spans: an integer in 1..{@link MAX_GPUS}.
 *
 * @throws {SweetspotInputError} naming `where` (e.g. `estimate({ gpus })`).
 * @example
 * checkGpus(2, 'estimate({ gpus })') // 2
 */
export function checkGpus(gpus: number, where: string): number {
  where = checkWhere('checkGpus', where);
  if (!Number.isInteger(gpus) || gpus < 1 || gpus > MAX_GPUS) {
    throw new SweetspotInputError(`${where}: must be an integer in 1..${MAX_GPUS} (GPUs the model is split over), got ${shownValue(gpus)}`);
  }
  return gpus;
}

/**
 * Bytes the weights take in memory: every unique parameter at `weightBytes` each (a tied LM head
 * counted once; docs/energy-models.md#memory).
 *
 * @example
 * weightMemoryBytes(preset('llama-2-7b'), 2) // 2 · 6_738_415_616
 */
export function weightMemoryBytes(arch: Architecture, weightBytes: number): number {
  return paramCount(arch) * weightBytes;
}

/**
 * The memory rule (docs/energy-models.md#memory), the one definition every check uses: weights
 * plus the KV cache held at the last step fit when their sum is at most the GPUs' memory.
 *
 * @example
 * fitsInMemory(16e9, 70e9, 80e9) // false
 */
export function fitsInMemory(weightBytes: number, kvCacheBytes: number, availableBytes: number): boolean {
  return weightBytes + kvCacheBytes <= availableBytes;
}

/**
 * What a memory error offers for a batch of which one sequence still fits: pricing it in waves,
 * as engines that preempt sequences run it, or as if it were held at once.
 *
 * @example
 * `…, or ${WAVES_HINT}`
 */
export const WAVES_HINT = '{ waves: true } to price it in waves, as an engine that preempts sequences runs it ({ ignoreMemory: true }: as if the batch were held at once)';

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`;

/**
 * The memory check of a bound model: throws when weights plus the KV cache held at the last step
 * exceed the memory of `gpus` GPUs of the profile. The figures are in decimal GB, as datasheets
 * give them. Activations and the engine's workspace are not counted, so a request that passes can
 * still fail on a real engine; one that fails here cannot run as described. `kvCacheBytes` is one
 * copy of the cache: on more GPUs than KV heads each head is held on several, and the copies
 * count (`kvCacheCopies`).
 *
 * @throws {SweetspotMemoryError} saying how much is needed and how much there is.
 * @example
 * checkMemory('estimate', arch, 141e9, 2e8, 1, h100, { nIn: 1024, nOut: 256, batch: 1, weightBytes: 2, kvBytes: 2 })
 */
export function checkMemory(
  where: string,
  arch: Architecture,
  weightBytes: number,
  kvCacheBytes: number,
  gpus: number,
  profile: Pick<HardwareProfile, 'name' | 'memoryBytes'>,
  request: { readonly nIn: number; readonly nOut: number; readonly batch: number; readonly weightBytesPerParam: number; readonly kvBytesPerElement: number },
  /** What to do about it, when not the request's remedies (more GPUs, a smaller batch): a measured row is told to check its GPU columns. */
  given?: string,
): void {
  // Only reached when a request does not fit (the estimators test fitsInMemory first), so these
  // checks cost the fast path nothing.
  checkString('checkMemory(where)', where);
  checkArchitecture(arch, 'checkMemory(arch)');
  checkFinite('checkMemory(weightBytes)', weightBytes);
  checkFinite('checkMemory(kvCacheBytes)', kvCacheBytes);
  checkGpus(gpus, 'checkMemory(gpus)');
  checkShape('checkMemory(profile)', profile, 'a hardware profile', { name: 'string', memoryBytes: 'finite' });
  checkShape('checkMemory(request)', request, '{ nIn, nOut, batch, weightBytesPerParam, kvBytesPerElement }', { nIn: 'finite', nOut: 'finite', batch: 'finite', weightBytesPerParam: 'finite', kvBytesPerElement: 'finite' });
  // Beyond as many GPUs as KV heads, each head's cache is held on several GPUs (docs/energy-models.md#memory).
  const copies = kvCacheCopies(arch, gpus);
  const heldKvBytes = kvCacheBytes * copies;
  const needed = weightBytes + heldKvBytes;
  const available = gpus * profile.memoryBytes;
  if (fitsInMemory(weightBytes, heldKvBytes, available)) return;
  const { nIn, nOut, batch } = request;
  const on = gpus === 1 ? `one ${profile.name}` : `${gpus} × ${profile.name}`;
  // Suggest a GPU count only when one within the limit that the model splits over (whole heads on
  // each GPU; docs/energy-models.md#memory) would hold it, the copies of its KV heads counted.
  const atLeast = Math.ceil((weightBytes + kvCacheBytes) / profile.memoryBytes);
  const moreGpus = atLeast <= MAX_GPUS ? gpusToFit(arch, weightBytes, kvCacheBytes, profile.memoryBytes) : undefined;
  const fewer = weightBytes > available ? 'fewer bytes per weight' : 'a smaller batch or shorter lengths';
  const remedy =
    moreGpus !== undefined
      ? `give { gpus: ${moreGpus} } (tensor parallel)${weightBytes > available ? ' or' : ','} ${fewer}`
      : atLeast > MAX_GPUS
        ? `more than ${MAX_GPUS} GPUs would be needed: use ${fewer}`
        : atLeast <= Math.max(...tensorParallelDegrees(arch))
          ? `no GPU count ${arch.id} splits over holds it (beyond its ${arch.numKvHeads} KV head${arch.numKvHeads === 1 ? '' : 's'} each GPU holds a whole head's cache, ${gb(kvCacheBytes / arch.numKvHeads)}): use ${fewer}`
          : `${atLeast} or more GPUs would be needed, more than ${arch.id} splits over (its ${arch.numHeads} attention heads and ${arch.numKvHeads} KV head${arch.numKvHeads === 1 ? '' : 's'} allow at most ${Math.max(...tensorParallelDegrees(arch))}): use ${fewer}`;
  const hint =
    given ??
    (weightBytes > available ? `the weights alone do not fit: ${remedy}` : remedy) + (weightBytes <= available && batch > 1 ? `, or ${WAVES_HINT}` : '');
  const what =
    request.kvBytesPerElement === 0
      ? `${arch.id} needs ${gb(needed)} for its weights alone (at ${request.weightBytesPerParam} bytes/parameter)`
      : `${arch.id} at nIn=${nIn}, nOut=${nOut}, batch=${batch} needs ${gb(needed)} (weights ${gb(weightBytes)} at ${request.weightBytesPerParam} bytes/parameter + KV cache ${gb(heldKvBytes)} at ${request.kvBytesPerElement} bytes/element${copies === 1 ? '' : `, each of its ${arch.numKvHeads} KV head${arch.numKvHeads === 1 ? '' : 's'} held on ${copies} GPUs`})`;
  throw new SweetspotMemoryError(
    `${where}: ${what}, more than the ${gb(available)} of ${on}; ${hint}`,
    needed,
    available,
    gpus,
  );
}

/**
 * Parameter values of a bound form on `gpus` GPUs (tensor parallel; docs/energy-models.md#memory):
 * the hardware form's per-step energy is paid by each GPU, so `eStep` is multiplied by `gpus`;
 * every other term adds up to the one-GPU figure. Other forms keep theirs (they were fitted to the
 * measured calls, whatever GPUs those spanned).
 *
 * @example
 * tensorParallelTheta(hardwareFormBase, Float64Array.of(1e-12, 6e-11, 200, 0.6, 0.65, 0.1), 4)[5] // 0.4
 */
export function tensorParallelTheta(form: EnergyForm, theta: Float64Array, gpus: number): Float64Array {
  const eStep = form.params.findIndex((p) => p.name === 'eStep');
  if (gpus === 1 || form.predictJ !== hardwareFormBase.predictJ || eStep < 0) return theta;
  const out = Float64Array.from(theta);
  out[eStep] *= gpus;
  return out;
}

/**
 * Refuses a model whose weights alone exceed the memory of `gpus` GPUs of the profile: no request
 * of any length can run (the surfaces' check; single requests are checked with their KV cache).
 *
 * @throws {SweetspotMemoryError} saying how much is needed and how much there is.
 * @example
 * checkWeightsFit('surfaceEnergy', preset('llama-3.1-8b'), 2, 1, resolveProfile('h100-sxm-80gb')) // fits
 */
export function checkWeightsFit(where: string, arch: Architecture, weightBytes: number, gpus: number, profile: HardwareProfile | undefined): void {
  if (!profile) return;
  const weights = weightMemoryBytes(arch, weightBytes);
  if (fitsInMemory(weights, 0, gpus * profile.memoryBytes)) return;
  checkMemory(where, arch, weights, 0, gpus, profile, { nIn: 1, nOut: 1, batch: 1, weightBytesPerParam: weightBytes, kvBytesPerElement: 0 });
}
