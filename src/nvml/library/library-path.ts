import { checkObject, kindOf } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';

/**
 * Environment variable naming the NVML library to load instead of the usual search.
 *
 * @example
 * ```sh
 * SWEETSPOT_NVML_LIB=/usr/local/nvidia/lib64/libnvidia-ml.so.1 npx sweetspot measure …
 * ```
 */
export const NVML_LIBRARY_ENV = 'SWEETSPOT_NVML_LIB';

/**
 * Where `libnvidia-ml.so.1` is looked for, in order. With `SWEETSPOT_NVML_LIB` set, only that path
 * is tried (so a wrong override fails loudly instead of silently picking another library).
 * Otherwise the bare soname comes first (the dynamic loader's own search: ld.so.cache,
 * LD_LIBRARY_PATH), then the places drivers and containers usually put it.
 *
 * @example
 * ```ts
 * nvmlLibraryCandidates({ SWEETSPOT_NVML_LIB: '/opt/nvml/libnvidia-ml.so.1' });
 * // → ['/opt/nvml/libnvidia-ml.so.1']
 * ```
 */
export function nvmlLibraryCandidates(env: Record<string, string | undefined> = process.env): string[] {
  checkObject('nvmlLibraryCandidates(env)', env);
  const override = env[NVML_LIBRARY_ENV];
  if (override !== undefined && typeof override !== 'string') throw new SweetspotInputError(`nvmlLibraryCandidates(env): ${NVML_LIBRARY_ENV} must be a path, got ${kindOf(override)}`);
  if (override !== undefined && override.trim() !== '') return [override.trim()];
  if (process.platform === 'win32') return ['nvml.dll', 'C:\\Windows\\System32\\nvml.dll'];
  return [
    'libnvidia-ml.so.1',
    '/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1',
    '/usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1',
    '/usr/lib64/libnvidia-ml.so.1',
    '/usr/lib/libnvidia-ml.so.1',
    '/usr/local/nvidia/lib64/libnvidia-ml.so.1',
    '/usr/lib/wsl/lib/libnvidia-ml.so.1',
  ];
}
