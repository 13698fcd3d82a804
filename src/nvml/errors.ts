import { SweetspotInputError } from '../errors.js';

/** Why NVML could not be used at all. */
export type NvmlUnavailableReason = 'koffi' | 'library' | 'symbol';

/**
 * NVML cannot be used on this machine: koffi is not installed, `libnvidia-ml.so.1` cannot be
 * loaded, or it lacks a required function. The message says what to install. It extends
 * {@link SweetspotInputError} because the fix is in the user's environment, not in this library.
 *
 * @example
 * ```ts
 * import { openNvml, NvmlUnavailableError } from 'sweetspot/nvml';
 * try { await openNvml(); } catch (e) { if (e instanceof NvmlUnavailableError) console.log(e.reason); }
 * ```
 */
export class NvmlUnavailableError extends SweetspotInputError {
  readonly reason: NvmlUnavailableReason;
  constructor(reason: NvmlUnavailableReason, message: string) {
    super(message);
    this.name = 'NvmlUnavailableError';
    this.reason = reason;
  }
}

/**
 * An NVML call returned an error code. The message is NVML's own (`nvmlErrorString`), with the
 * function that failed and the numeric code, e.g.
 * `nvmlDeviceGetPowerUsage(gpu 0) failed: Insufficient Permissions (NVML return code 4)`.
 *
 * @example
 * ```ts
 * import { NvmlError, NVML_RETURN } from 'sweetspot/nvml';
 * try { device.totalEnergyMj(); } catch (e) {
 *   if (e instanceof NvmlError && e.code === NVML_RETURN.NOT_SUPPORTED) console.log('no counter');
 * }
 * ```
 */
export class NvmlError extends SweetspotInputError {
  /** The `nvmlReturn_t` value. */
  readonly code: number;
  /** The NVML function that failed. */
  readonly call: string;
  constructor(call: string, code: number, description: string) {
    super(`${call} failed: ${description} (NVML return code ${code})`);
    this.name = 'NvmlError';
    this.code = code;
    this.call = call;
  }
}

/**
 * A measurement window could not be measured truthfully: a GPU reported 0 J, a non-finite energy,
 * a power outside what a board can draw, or a counter that failed while power could not be read.
 * The window is never reported as 0 J (docs/measuring.md#how-energy-is-measured).
 *
 * @example
 * ```ts
 * try { monitor.endWindow('request'); } catch (e) { if (e instanceof WindowEnergyError) console.error(e.message); }
 * ```
 */
export class WindowEnergyError extends SweetspotInputError {
  constructor(message: string) {
    super(message);
    this.name = 'WindowEnergyError';
  }
}
