import { SweetspotInputError } from '../../errors.js';
import { optionKeys, optionsObject } from '../../options.js';
import { bindNvml, type NvmlBinding } from './binding.js';
import { NVML_RETURN } from './constants.js';
import { NvmlDevice } from './device.js';
import { NvmlError } from '../errors.js';
import { loadKoffi, type KoffiImporter } from './koffi.js';
import { nvmlLibraryCandidates } from './library-path.js';

/** Options of {@link openNvml}. */
export interface OpenNvmlOptions {
  /** Path of the NVML library; default: `SWEETSPOT_NVML_LIB`, then the usual locations. */
  readonly libraryPath?: string;
  /** Environment read for `SWEETSPOT_NVML_LIB` (default `process.env`). */
  readonly env?: Record<string, string | undefined>;
  /** @internal Replaces `import('koffi')` (tests of the missing-koffi error). */
  readonly importKoffi?: KoffiImporter;
}

const OPEN_KEYS = optionKeys<OpenNvmlOptions>()('libraryPath', 'env', 'importKoffi');

/**
 * An initialised NVML session. Close it when done (NVML counts init/shutdown pairs).
 *
 * @example
 * ```ts
 * const nvml = await openNvml();
 * try {
 *   for (const gpu of nvml.devices()) console.log(gpu.index, gpu.name, gpu.powerW());
 * } finally {
 *   nvml.close();
 * }
 * ```
 */
export class Nvml {
  readonly libraryPath: string;
  #binding: NvmlBinding;
  #open = true;
  #devices = new Map<number, NvmlDevice>();

  /** @internal Use {@link openNvml}. */
  constructor(binding: NvmlBinding) {
    this.#binding = binding;
    this.libraryPath = binding.path;
  }

  #fail(call: string, rc: number): never {
    throw new NvmlError(call, rc, this.#binding.errorString(rc));
  }

  /** Number of GPUs NVML sees. */
  deviceCount(): number {
    if (!this.#open) this.#fail('nvmlDeviceGetCount_v2', NVML_RETURN.UNINITIALIZED);
    const result = this.#binding.deviceCount();
    if (result.rc !== NVML_RETURN.SUCCESS || result.value === undefined) this.#fail('nvmlDeviceGetCount_v2', result.rc);
    return result.value;
  }

  /** The GPU at NVML index `index`; an index out of range is a {@link SweetspotInputError} naming it. */
  device(index: number): NvmlDevice {
    const count = this.deviceCount();
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new SweetspotInputError(`gpu index ${String(index)} is out of range: this machine has ${count} GPU(s) (indices 0..${count - 1})`);
    }
    const cached = this.#devices.get(index);
    if (cached) return cached;
    const result = this.#binding.handleByIndex(index);
    if (result.rc !== NVML_RETURN.SUCCESS) this.#fail(`nvmlDeviceGetHandleByIndex_v2(${index})`, result.rc);
    const device = new NvmlDevice(this.#binding, index, result.value, () => this.#open);
    this.#devices.set(index, device);
    return device;
  }

  /** Every GPU, in index order. */
  devices(): NvmlDevice[] {
    return Array.from({ length: this.deviceCount() }, (_, i) => this.device(i));
  }

  /** Shuts NVML down. Idempotent; devices of this session stop working afterwards. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#binding.shutdown();
  }
}

/**
 * Loads koffi and NVML and initialises NVML. Fails with an {@link NvmlUnavailableError} saying
 * what to install when koffi, the library or a required function is missing, and with an
 * {@link NvmlError} (NVML's own message) when `nvmlInit_v2` fails, e.g. no driver loaded.
 *
 * @example
 * ```ts
 * import { openNvml } from 'sweetspot/nvml';
 * const nvml = await openNvml({ libraryPath: '/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1' });
 * console.log(nvml.deviceCount());
 * nvml.close();
 * ```
 */
export async function openNvml(openOptions?: OpenNvmlOptions): Promise<Nvml> {
  // A misspelt `libraryPath` would load the system library instead of the one asked for.
  const options = optionsObject('openNvml', openOptions, OPEN_KEYS);
  const koffi = await loadKoffi(options.importKoffi);
  const candidates = options.libraryPath ? [options.libraryPath] : nvmlLibraryCandidates(options.env ?? process.env);
  const binding = bindNvml(koffi, candidates);
  const rc = binding.init();
  if (rc !== NVML_RETURN.SUCCESS) {
    const message = binding.errorString(rc);
    binding.unload();
    throw new NvmlError('nvmlInit_v2', rc, message);
  }
  return new Nvml(binding);
}
