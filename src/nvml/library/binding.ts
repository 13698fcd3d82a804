import { NVML_DEVICE_NAME_BUFFER_SIZE, NVML_RETURN } from './constants.js';
import { NvmlUnavailableError } from '../errors.js';
import type { KoffiLibrary, KoffiLike } from './koffi.js';
import { NVML_LIBRARY_ENV } from './library-path.js';

/** An NVML device handle (an opaque pointer; koffi 3 gives pointers as bigint). */
export type NvmlHandle = unknown;

/** A return code and, on success, the value an NVML call wrote. */
export interface NvmlResult<T> {
  readonly rc: number;
  readonly value?: T;
}

/** One NVML field value as returned by `nvmlDeviceGetFieldValues`. */
export interface FieldValueResult {
  readonly rc: number;
  readonly valueType: number;
  /** The 8 raw bytes of the `nvmlValue_t` union, little-endian as the host writes it. */
  readonly raw: Uint8Array;
}

/**
 * Thin typed wrappers over the NVML C functions. Each returns the NVML return code rather than
 * throwing, so callers decide what NOT_SUPPORTED means. Optional functions (present only in newer
 * drivers) are `undefined` when the library lacks them.
 */
export interface NvmlBinding {
  readonly path: string;
  init(): number;
  shutdown(): number;
  errorString(rc: number): string;
  deviceCount(): NvmlResult<number>;
  handleByIndex(index: number): NvmlResult<NvmlHandle>;
  name(handle: NvmlHandle): NvmlResult<string>;
  powerUsageMw(handle: NvmlHandle): NvmlResult<number>;
  architecture?: (handle: NvmlHandle) => NvmlResult<number>;
  totalEnergyMj?: (handle: NvmlHandle) => NvmlResult<number>;
  fieldValue?: (handle: NvmlHandle, fieldId: number) => FieldValueResult;
  unload(): void;
}

function loadLibrary(koffi: KoffiLike, candidates: readonly string[]): { lib: KoffiLibrary; path: string } {
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      return { lib: koffi.load(path), path };
    } catch (error) {
      // koffi's message omits the library name; keep it per candidate so the user sees every try.
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new NvmlUnavailableError(
    'library',
    `cannot load the NVIDIA Management Library (libnvidia-ml.so.1): install the NVIDIA driver ` +
      `(its NVML library ships with it), or set ${NVML_LIBRARY_ENV} to the library's path. Tried: ${failures.join('; ')}`,
  );
}

function bindFunction(lib: KoffiLibrary, path: string, name: string, result: unknown, args: unknown[], required: true): (...a: unknown[]) => unknown;
function bindFunction(lib: KoffiLibrary, path: string, name: string, result: unknown, args: unknown[], required: false): ((...a: unknown[]) => unknown) | undefined;
function bindFunction(lib: KoffiLibrary, path: string, name: string, result: unknown, args: unknown[], required: boolean) {
  try {
    return lib.func(name, result, args);
  } catch (error) {
    if (!required) return undefined;
    throw new NvmlUnavailableError(
      'symbol',
      `the NVML library ${path} has no function ${name} (${(error as Error).message}); ` +
        `install a newer NVIDIA driver (R450 or later), or point ${NVML_LIBRARY_ENV} at its libnvidia-ml.so.1`,
    );
  }
}

/**
 * Loads NVML from the first loadable candidate path and binds its functions.
 *
 * @example
 * ```ts
 * const binding = bindNvml(await loadKoffi(), nvmlLibraryCandidates());
 * binding.init();
 * ```
 */
export function bindNvml(koffi: KoffiLike, candidates: readonly string[]): NvmlBinding {
  const { lib, path } = loadLibrary(koffi, candidates);
  try {
    return bindAll(koffi, lib, path);
  } catch (error) {
    lib.unload();
    throw error;
  }
}

function bindAll(koffi: KoffiLike, lib: KoffiLibrary, path: string): NvmlBinding {
  const handleOut = koffi.out(koffi.pointer('void *'));
  const uintOut = koffi.out(koffi.pointer('uint32_t'));
  const u64Out = koffi.out(koffi.pointer('uint64_t'));
  // nvmlFieldValue_t: two uint32, two int64, two 32-bit enums, then an 8-byte union (40 bytes).
  // The union is taken as raw bytes and decoded by valueType, which avoids koffi union semantics.
  const fieldValueType = koffi.struct({
    fieldId: 'uint32_t',
    scopeId: 'uint32_t',
    timestamp: 'int64_t',
    latencyUsec: 'int64_t',
    valueType: 'int32_t',
    nvmlReturn: 'int32_t',
    value: koffi.array('uint8_t', 8),
  });

  const bind = (name: string, result: unknown, args: unknown[]) => bindFunction(lib, path, name, result, args, true);
  const bindOptional = (name: string, result: unknown, args: unknown[]) =>
    bindFunction(lib, path, name, result, args, false);

  const init = bind('nvmlInit_v2', 'int', []);
  const shutdown = bind('nvmlShutdown', 'int', []);
  const errorString = bind('nvmlErrorString', 'const char *', ['int']);
  const getCount = bind('nvmlDeviceGetCount_v2', 'int', [uintOut]);
  const getHandle = bind('nvmlDeviceGetHandleByIndex_v2', 'int', ['uint32_t', handleOut]);
  const getName = bind('nvmlDeviceGetName', 'int', ['void *', 'uint8_t *', 'uint32_t']);
  const getPowerUsage = bind('nvmlDeviceGetPowerUsage', 'int', ['void *', uintOut]);
  const getArchitecture = bindOptional('nvmlDeviceGetArchitecture', 'int', ['void *', uintOut]);
  const getEnergy = bindOptional('nvmlDeviceGetTotalEnergyConsumption', 'int', ['void *', u64Out]);
  const getFieldValues = bindOptional('nvmlDeviceGetFieldValues', 'int', [
    'void *',
    'int',
    koffi.inout(koffi.pointer(fieldValueType)),
  ]);

  const outCall = <T>(fn: (...a: unknown[]) => unknown, ...args: unknown[]): NvmlResult<T> => {
    const box: unknown[] = [null];
    const rc = fn(...args, box) as number;
    return rc === NVML_RETURN.SUCCESS ? { rc, value: box[0] as T } : { rc };
  };

  return {
    path,
    init: () => init() as number,
    shutdown: () => shutdown() as number,
    errorString: (rc) => String(errorString(rc) ?? `unknown NVML error ${rc}`),
    deviceCount: () => outCall<number>(getCount),
    handleByIndex: (index) => outCall<NvmlHandle>(getHandle, index),
    name: (handle) => {
      const buffer = Buffer.alloc(NVML_DEVICE_NAME_BUFFER_SIZE);
      const rc = getName(handle, buffer, buffer.length) as number;
      if (rc !== NVML_RETURN.SUCCESS) return { rc };
      const end = buffer.indexOf(0);
      return { rc, value: buffer.toString('utf8', 0, end < 0 ? buffer.length : end) };
    },
    powerUsageMw: (handle) => outCall<number>(getPowerUsage, handle),
    architecture: getArchitecture && ((handle) => outCall<number>(getArchitecture, handle)),
    totalEnergyMj: getEnergy && ((handle) => {
      const r = outCall<number | bigint>(getEnergy, handle);
      // koffi gives a bigint only above 2^53 mJ (≈ 285 years at 1 kW): Number() is exact below that.
      return r.value === undefined ? { rc: r.rc } : { rc: r.rc, value: Number(r.value) };
    }),
    fieldValue: getFieldValues && ((handle, fieldId) => {
      const request = { fieldId, scopeId: 0, timestamp: 0, latencyUsec: 0, valueType: 0, nvmlReturn: 0, value: [0, 0, 0, 0, 0, 0, 0, 0] };
      const rc = getFieldValues(handle, 1, request) as number;
      if (rc !== NVML_RETURN.SUCCESS) return { rc, valueType: -1, raw: new Uint8Array(8) };
      return { rc: request.nvmlReturn, valueType: request.valueType, raw: Uint8Array.from(request.value) };
    }),
    unload: () => lib.unload(),
  };
}
