/** What the monitor needs from a GPU; {@link NvmlDevice} is one, tests may pass their own. */
export interface MonitoredDevice {
  readonly index: number;
  readonly energyCounterSupported: boolean;
  /** Total-energy counter, millijoules. */
  totalEnergyMj(): number;
  /** Instantaneous power, watts. */
  powerW(): number;
}

/** How a monitor measures windows. */
export type EnergyMethod = 'counter' | 'power-integration';

/**
 * How a window's energy was actually obtained: the monitor's method, or, when the counter could
 * not be used for the window, power read at the window's two ends times its duration, saying why
 * (docs/measuring.md#how-energy-is-measured):
 * - `power-endpoints (counter not updated)`: the window was shorter than the counter's update period;
 * - `power-endpoints (counter stuck)`: the counter did not move over a window of at least two update periods while power was at least 1 W;
 * - `power-endpoints (counter reset)`: the counter went backwards (driver reload, overflow).
 */
export type WindowMethod =
  | EnergyMethod
  | 'power-endpoints (counter not updated)'
  | 'power-endpoints (counter stuck)'
  | 'power-endpoints (counter reset)';

/**
 * Caveats attached to a window, never hidden:
 * - `shorter-than-counter-update`: the window is shorter than the counter's update period, so the
 *   counter difference is quantised (it may cover more or less than the window).
 * - `counter-unchanged`: a device's counter did not move; its energy was estimated from power
 *   read at both ends times the duration instead of reporting 0 J.
 * - `counter-decreased`: a device's counter went backwards (driver reload); estimated from power.
 * - `counter-stuck`: a device's counter did not move over a window of at least two update periods
 *   while the device drew power; estimated from power, and worth a look at the driver.
 * - `shorter-than-sampling-period`: power integration had only the two end readings.
 * - `active-energy-negative`: total minus idle energy came out below zero (idle power measured
 *   higher than during the window); the raw value is kept.
 */
export type WindowFlag =
  | 'shorter-than-counter-update'
  | 'counter-unchanged'
  | 'counter-decreased'
  | 'counter-stuck'
  | 'shorter-than-sampling-period'
  | 'active-energy-negative';

/** The result of one measurement window (Zeus style). Per-device maps are keyed by GPU index. */
export interface WindowMeasurement {
  readonly name: string;
  readonly durationS: number;
  /** How the energy was obtained: `counter` or `power-integration`, or a fallback naming why. */
  readonly method: WindowMethod;
  /** Per device index, where devices differ (one counter stuck, the others fine). */
  readonly methods: Readonly<Record<number, WindowMethod>>;
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
