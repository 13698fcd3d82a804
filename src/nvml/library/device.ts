import type { NvmlBinding, NvmlHandle, NvmlResult } from './binding.js';
import { NVML_FI_DEV_POWER_INSTANT, NVML_RETURN, NVML_VALUE_TYPE, architectureName } from './constants.js';
import { NvmlError } from '../errors.js';
import { isNvmlNotAvailable } from '../monitor/sanity.js';

/** A read that succeeded with NVML's "not available" value: an error, never a number. */
function notAvailable(call: string, value: string): NvmlError {
  return new NvmlError(call, NVML_RETURN.NOT_SUPPORTED, `answered NVML's "not available" value (${value}) instead of a reading`);
}

/** Where instantaneous power comes from: the field-values query or the older power-usage call. */
export type PowerSource = 'field-instant' | 'power-usage';

/** What a device is, read once when it is opened. */
export interface DeviceInfo {
  readonly index: number;
  readonly name: string;
  /** `'hopper'`, `'ampere'`…; `'unknown'` when the driver lacks `nvmlDeviceGetArchitecture`. */
  readonly architecture: string;
  readonly energyCounterSupported: boolean;
}

/** Decodes the raw `nvmlValue_t` union by its value type; `undefined` for types power never uses. */
function decodeFieldValue(valueType: number, raw: Uint8Array): number | undefined {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (valueType) {
    case NVML_VALUE_TYPE.DOUBLE:
      return view.getFloat64(0, true);
    case NVML_VALUE_TYPE.UNSIGNED_INT:
      return view.getUint32(0, true);
    case NVML_VALUE_TYPE.SIGNED_INT:
      return view.getInt32(0, true);
    case NVML_VALUE_TYPE.UNSIGNED_LONG:
    case NVML_VALUE_TYPE.UNSIGNED_LONG_LONG:
      return Number(view.getBigUint64(0, true));
    case NVML_VALUE_TYPE.SIGNED_LONG_LONG:
      return Number(view.getBigInt64(0, true));
    case NVML_VALUE_TYPE.UNSIGNED_SHORT:
      return view.getUint16(0, true);
    default:
      return undefined;
  }
}

/**
 * One GPU seen through NVML. Reads throw {@link NvmlError} with NVML's own message on failure.
 *
 * @example
 * ```ts
 * const nvml = await openNvml();
 * const gpu = nvml.device(0);
 * console.log(gpu.name, gpu.architecture, gpu.powerW(), gpu.energyCounterSupported && gpu.totalEnergyMj());
 * ```
 */
export class NvmlDevice implements DeviceInfo {
  readonly index: number;
  readonly name: string;
  readonly architecture: string;
  readonly energyCounterSupported: boolean;
  #binding: NvmlBinding;
  #handle: NvmlHandle;
  #isOpen: () => boolean;
  #fieldUsable: boolean;

  /** @internal Use {@link Nvml.device}. */
  constructor(binding: NvmlBinding, index: number, handle: NvmlHandle, isOpen: () => boolean) {
    this.#binding = binding;
    this.#handle = handle;
    this.#isOpen = isOpen;
    this.index = index;
    this.#fieldUsable = binding.fieldValue !== undefined;
    this.name = this.#check('nvmlDeviceGetName', binding.name(handle));
    this.architecture = this.#readArchitecture();
    this.energyCounterSupported = this.#probeCounter();
  }

  #check<T>(call: string, result: NvmlResult<T>): T {
    if (result.rc !== NVML_RETURN.SUCCESS || result.value === undefined) {
      throw new NvmlError(`${call}(gpu ${this.index})`, result.rc, this.#binding.errorString(result.rc));
    }
    return result.value;
  }

  /**
   * The architecture's name; `'unknown'` when the driver lacks the call, answers NOT_SUPPORTED
   * (some boards and vGPUs), or reports NVML_DEVICE_ARCH_UNKNOWN. It is informative only, so it
   * never stops a device from being measured; other errors (e.g. GPU lost) still throw.
   */
  #readArchitecture(): string {
    if (!this.#binding.architecture) return 'unknown';
    const result = this.#binding.architecture(this.#handle);
    if (result.rc === NVML_RETURN.NOT_SUPPORTED || result.rc === NVML_RETURN.FUNCTION_NOT_FOUND) return 'unknown';
    return architectureName(this.#check('nvmlDeviceGetArchitecture', result));
  }

  #probeCounter(): boolean {
    if (!this.#binding.totalEnergyMj) return false;
    const result = this.#binding.totalEnergyMj(this.#handle);
    if (result.rc === NVML_RETURN.NOT_SUPPORTED) return false;
    this.#check('nvmlDeviceGetTotalEnergyConsumption', result);
    return true;
  }

  #assertOpen(): void {
    if (!this.#isOpen()) throw new NvmlError(`gpu ${this.index}`, NVML_RETURN.UNINITIALIZED, 'the NVML session was closed');
  }

  /** Total energy since the driver was loaded, in millijoules (Volta and newer). */
  totalEnergyMj(): number {
    this.#assertOpen();
    const read = this.#binding.totalEnergyMj;
    if (!read) {
      throw new NvmlError(`nvmlDeviceGetTotalEnergyConsumption(gpu ${this.index})`, NVML_RETURN.FUNCTION_NOT_FOUND, 'the NVML library has no such function');
    }
    const millijoules = this.#check('nvmlDeviceGetTotalEnergyConsumption', read(this.#handle));
    if (isNvmlNotAvailable(millijoules)) throw notAvailable(`nvmlDeviceGetTotalEnergyConsumption(gpu ${this.index})`, `${millijoules} mJ`);
    return millijoules;
  }

  /** Which call {@link powerW} uses now; it switches to `'power-usage'` once the field query is unsupported. */
  get powerSource(): PowerSource {
    return this.#fieldUsable ? 'field-instant' : 'power-usage';
  }

  /**
   * Board power in watts: the instantaneous-power field where the driver has it, else
   * `nvmlDeviceGetPowerUsage` (which recent GPUs average over about one second).
   */
  powerW(): number {
    this.#assertOpen();
    if (this.#fieldUsable && this.#binding.fieldValue) {
      const field = this.#binding.fieldValue(this.#handle, NVML_FI_DEV_POWER_INSTANT);
      const milliwatts = field.rc === NVML_RETURN.SUCCESS ? decodeFieldValue(field.valueType, field.raw) : undefined;
      // NVML's "not available" value falls through to the other call rather than reading as 4.3 MW.
      if (milliwatts !== undefined && Number.isFinite(milliwatts) && !isNvmlNotAvailable(milliwatts)) return milliwatts / 1000;
      // Old drivers answer an unknown field id with NOT_SUPPORTED or INVALID_ARGUMENT: stop asking.
      if (field.rc === NVML_RETURN.NOT_SUPPORTED || field.rc === NVML_RETURN.INVALID_ARGUMENT) this.#fieldUsable = false;
    }
    const milliwatts = this.#check('nvmlDeviceGetPowerUsage', this.#binding.powerUsageMw(this.#handle));
    if (isNvmlNotAvailable(milliwatts)) throw notAvailable(`nvmlDeviceGetPowerUsage(gpu ${this.index})`, `${milliwatts} mW`);
    return milliwatts / 1000;
  }

  /** The device's fixed facts as a plain object. */
  info(): DeviceInfo {
    return { index: this.index, name: this.name, architecture: this.architecture, energyCounterSupported: this.energyCounterSupported };
  }
}
