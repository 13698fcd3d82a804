import { shownValue } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
/**
 * NVML's "not available" values (`NVML_VALUE_NOT_AVAILABLE_*` in nvml.h): a driver that cannot
 * read a sensor may answer SUCCESS with all bits set rather than an error code. Read as numbers
 * they are 4 294 967 295 mW (4.3 MW) or 1.8e19 mJ, never a measurement
 * (docs/measuring.md#limits-on-untrusted-input).
 *
 * @example
 * isNvmlNotAvailable(0xffffffff) // true
 */
export function isNvmlNotAvailable(raw: number): boolean {
  // koffi gives a uint64 above 2^53 as a bigint, which compares with numbers as it is; a string
  // would compare as NaN (false), a symbol throw a TypeError.
  if (typeof raw !== 'number' && typeof raw !== 'bigint') {
    throw new SweetspotInputError(`isNvmlNotAvailable(raw): expected a number or a bigint read from NVML, got ${shownValue(raw)}`);
  }
  // Unsigned 32- and 64-bit all-ones, and the signed -1 some fields use; 2^64−1 is not exact as a double.
  return raw === 0xffffffff || raw === -1 || raw >= 2 ** 64 - 4096;
}

/**
 * The most power one GPU board can draw, watts, for checking readings: the largest boards draw
 * under 3 kW, so a reading above 10 kW is a sensor fault or a "not available" value in disguise.
 *
 * @example
 * MAX_GPU_POWER_W // 10000
 */
export const MAX_GPU_POWER_W = 10_000;

/**
 * Below this mean power, watts, a counter that did not move is believable (a GPU nearly off);
 * above it a counter that did not move over a whole update period is stuck. Idle datacenter GPUs
 * draw 20–100 W.
 *
 * @example
 * STUCK_COUNTER_MIN_POWER_W // 1
 */
export const STUCK_COUNTER_MIN_POWER_W = 1;

/**
 * How many counter update periods a window must last before a counter that did not move counts as
 * stuck rather than not yet updated: two, so that a driver updating a little slower than assumed
 * is not taken for a broken one.
 *
 * @example
 * STUCK_AFTER_UPDATE_PERIODS // 2
 */
export const STUCK_AFTER_UPDATE_PERIODS = 2;
