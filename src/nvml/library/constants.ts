import { shownValue } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
/**
 * NVML constants this adapter uses: return codes, field ids, architecture ids. Values are those of
 * NVIDIA's public `nvml.h`; they are part of the driver ABI and do not change between releases.
 *
 * @example
 * ```ts
 * import { NVML_RETURN } from 'sweetspot/nvml';
 * if (rc === NVML_RETURN.NOT_SUPPORTED) console.log('feature not available on this GPU');
 * ```
 */
export const NVML_RETURN = {
  SUCCESS: 0,
  UNINITIALIZED: 1,
  INVALID_ARGUMENT: 2,
  NOT_SUPPORTED: 3,
  NO_PERMISSION: 4,
  NOT_FOUND: 6,
  INSUFFICIENT_SIZE: 7,
  DRIVER_NOT_LOADED: 9,
  TIMEOUT: 10,
  FUNCTION_NOT_FOUND: 13,
  GPU_IS_LOST: 15,
  UNKNOWN: 999,
} as const;

/**
 * Field id of the instantaneous board power (milliwatts) for `nvmlDeviceGetFieldValues`.
 *
 * @example
 * ```ts
 * const request = { fieldId: NVML_FI_DEV_POWER_INSTANT, scopeId: 0 };
 * ```
 */
export const NVML_FI_DEV_POWER_INSTANT = 186;

/** `nvmlValueType_t` of a field value; power fields come back as unsigned int. */
export const NVML_VALUE_TYPE = {
  DOUBLE: 0,
  UNSIGNED_INT: 1,
  UNSIGNED_LONG: 2,
  UNSIGNED_LONG_LONG: 3,
  SIGNED_LONG_LONG: 4,
  SIGNED_INT: 5,
  UNSIGNED_SHORT: 6,
} as const;

/** Buffer size NVML guarantees is enough for a device name (NVML_DEVICE_NAME_V2_BUFFER_SIZE). */
export const NVML_DEVICE_NAME_BUFFER_SIZE = 96;

/**
 * `nvmlDeviceArchitecture_t` values → names. Unknown values are reported as `unknown(<n>)`.
 *
 * @example
 * ```ts
 * NVML_ARCHITECTURES[7]; // → 'ampere'
 * ```
 */
export const NVML_ARCHITECTURES: Readonly<Record<number, string>> = {
  2: 'kepler',
  3: 'maxwell',
  4: 'pascal',
  5: 'volta',
  6: 'turing',
  7: 'ampere',
  8: 'ada',
  9: 'hopper',
  10: 'blackwell',
  11: 'orin',
};

/** `NVML_DEVICE_ARCH_UNKNOWN`: what the driver reports for a chip it cannot name. */
const NVML_DEVICE_ARCH_UNKNOWN = 0xffffffff;

/**
 * Names an `nvmlDeviceArchitecture_t` value: `'hopper'` for 9, `'unknown'` for
 * NVML_DEVICE_ARCH_UNKNOWN (0xffffffff), `'unknown(42)'` for an id newer than this table.
 *
 * @example
 * ```ts
 * architectureName(9); // → 'hopper'
 * ```
 */
export function architectureName(id: number): string {
  if (typeof id !== 'number') throw new SweetspotInputError(`architectureName(id): expected an nvmlDeviceArchitecture_t number, got ${shownValue(id)}`);
  // NVML_DEVICE_ARCH_UNKNOWN is 0xffffffff: the driver does not know the chip either.
  if (id === NVML_DEVICE_ARCH_UNKNOWN) return 'unknown';
  return NVML_ARCHITECTURES[id] ?? `unknown(${String(id)})`;
}
