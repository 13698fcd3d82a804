import { MAX_GPUS } from '../../energy/limits.js';
import type { Measurement } from './measurement.js';
import { checkString } from '../../errors.js';

// `Nx NAME` (what `sweetspot measure --gpu 0,1` writes), `N x NAME`, `N× NAME`.
const COUNT_PREFIX = /^(\d+)\s*(?:[xX]\s+|×\s*)(\S.*)$/;

/**
 * A GPU text that states a count, split into the count and the GPU's name; undefined for a text
 * without one (docs/conventions.md#measurements).
 *
 * @example
 * splitGpuCount('2x NVIDIA L40S') // { gpus: 2, gpu: 'NVIDIA L40S' }
 * splitGpuCount('NVIDIA L40S') // undefined
 */
export function splitGpuCount(gpu: string): { gpus: number; gpu: string } | undefined {
  checkString('splitGpuCount(gpu)', gpu);
  return splitCount(gpu);
}

/** {@link splitGpuCount} without the argument check, for the readers' per-row path. */
function splitCount(gpu: string): { gpus: number; gpu: string } | undefined {
  const c = gpu.charCodeAt(0);
  if (!(c >= 48 && c <= 57)) return undefined;
  const m = COUNT_PREFIX.exec(gpu);
  return m ? { gpus: Number(m[1]), gpu: m[2].trimEnd() } : undefined;
}

/**
 * A measurement whose `gpu` states a count (`2x NVIDIA L40S`) as the GPU's name and `gpus`, or a
 * message saying why it cannot be read: a count outside 1…MAX_GPUS, or a `gpus` value that
 * disagrees with it. Other rows come back as they are.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): a valid measurement, from the readers and `measurementRows`.
 * @example
 * withGpuCount({ model: 'm', nIn: 1, nOut: 1, energyJ: 1, batchSize: 1, kvCache: true, extra: {}, gpu: '2x NVIDIA L40S' }) // { …, gpu: 'NVIDIA L40S', gpus: 2 }
 */
export function withGpuCount(row: Measurement): Measurement | { error: string } {
  if (row.gpu === undefined) return row;
  const split = splitCount(row.gpu);
  if (split === undefined) return row;
  if (split.gpus < 1 || split.gpus > MAX_GPUS) return { error: `gpu: '${row.gpu}' states ${split.gpus} GPUs; a count from 1 to ${MAX_GPUS} is required` };
  if (row.gpus !== undefined && row.gpus !== split.gpus) {
    return { error: `gpus: ${row.gpus} disagrees with gpu '${row.gpu}' (${split.gpus} GPUs); give one count` };
  }
  return { ...row, gpu: split.gpu, gpus: split.gpus };
}
