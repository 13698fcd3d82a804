/** What the monitor needs from a GPU; {@link NvmlDevice} is one, tests may pass their own. */
export interface MonitoredDevice {
  readonly index: number;
  readonly energyCounterSupported: boolean;
  /** Total-energy counter, millijoules. */
  totalEnergyMj(): number;
  /** Instantaneous power, watts. */
  powerW(): number;
}

/** How a window's energy was obtained. */
export type EnergyMethod = 'counter' | 'power-integration';

/**
 * Caveats attached to a window, never hidden:
 * - `shorter-than-counter-update`: the window is shorter than the counter's update period, so the
 *   counter difference is quantised (it may cover more or less than the window).
 * - `counter-unchanged`: a device's counter did not move; its energy was estimated from power
 *   read at both ends times the duration instead of reporting 0 J.
 * - `counter-decreased`: a device's counter went backwards (driver reload); estimated from power.
 * - `shorter-than-sampling-period`: power integration had only the two end readings.
 * - `zero-energy`: a device reported 0 J (power read as 0 W) — check the device.
 * - `active-energy-negative`: total minus idle energy came out below zero (idle power measured
 *   higher than during the window); the raw value is kept.
 */
export type WindowFlag =
  | 'shorter-than-counter-update'
  | 'counter-unchanged'
  | 'counter-decreased'
  | 'shorter-than-sampling-period'
  | 'zero-energy'
  | 'active-energy-negative';

/** The result of one measurement window (Zeus style). Per-device maps are keyed by GPU index. */
export interface WindowMeasurement {
  readonly name: string;
  readonly durationS: number;
  readonly method: EnergyMethod;
  /** Period of the power sampler; only with power integration. */
  readonly samplingPeriodS?: number;
  /** Number of power readings integrated (ends included); only with power integration. */
  readonly sampleCount?: number;
  readonly energyJ: Readonly<Record<number, number>>;
  readonly totalEnergyJ: number;
  /** Idle power per device, when the monitor knows it (see `measureIdlePower`). */
  readonly idlePowerW?: Readonly<Record<number, number>>;
  /** `energyJ − idlePowerW × durationS` per device, when idle power is known. */
  readonly activeEnergyJ?: Readonly<Record<number, number>>;
  readonly totalActiveEnergyJ?: number;
  readonly flags: readonly WindowFlag[];
}

/** A monotonic clock in seconds (injectable for tests). */
export interface Clock {
  nowS(): number;
}

/** Starts calling `tick` every `periodS` seconds; returns a function that stops it. */
export type TimerStarter = (tick: () => void, periodS: number) => () => void;
