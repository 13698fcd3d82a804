import { SweetspotInputError } from '../../errors.js';
import { optionKeys, optionsObject } from '../../options.js';
import { trapezoidEnergyJ } from './integrate.js';
import { MAX_TIMER_S } from './timer-limit.js';
import { WindowEnergyError } from '../errors.js';
import type { Clock, EnergyMethod, MonitoredDevice, TimerStarter, WindowFlag, WindowMeasurement, WindowMethod } from './monitor-types.js';
import { MAX_GPU_POWER_W, STUCK_AFTER_UPDATE_PERIODS, STUCK_COUNTER_MIN_POWER_W } from './sanity.js';
import { shownValue } from '../../arguments.js';

/** Options of {@link EnergyMonitor}. */
export interface EnergyMonitorOptions {
  /** GPUs to measure (at least one); energies are reported per device and summed. */
  readonly devices: readonly MonitoredDevice[];
  /** `'auto'` (default): the counter when every device has one, else power integration for all. */
  readonly method?: EnergyMethod | 'auto';
  /** Power sampling period for integration, seconds (default 0.1). */
  readonly samplingPeriodS?: number;
  /**
   * How often the driver updates the energy counter, seconds (default 0.1, a conservative figure
   * for Volta–Hopper). Shorter windows are flagged.
   */
  readonly counterUpdatePeriodS?: number;
  /** Idle power per device index, watts; enables active energy in every window. */
  readonly idlePowerW?: Readonly<Record<number, number>>;
  /** @internal Clock in seconds (default `performance.now()`). */
  readonly clock?: Clock;
  /** @internal Starts the sampling timer (default an unref'd `setInterval`). */
  readonly startTimer?: TimerStarter;
}

const MONITOR_KEYS = optionKeys<EnergyMonitorOptions>()('devices', 'method', 'samplingPeriodS', 'counterUpdatePeriodS', 'idlePowerW', 'clock', 'startTimer');

interface Reading {
  readonly tS: number;
  /** NaN where a power read failed alongside a counter read (see `powerErrors`). */
  readonly powerW: readonly number[];
  readonly energyMj?: readonly number[];
  /** Why a device's power is NaN: with the counter, power is only needed should the counter fail. */
  readonly powerErrors?: readonly unknown[];
}

/** Checks one power reading: finite, ≥ 0 and below any board's draw, or an error naming the GPU. */
function checkedPowerW(index: number, powerW: number): number {
  if (!Number.isFinite(powerW) || powerW < 0 || powerW > MAX_GPU_POWER_W) {
    throw new WindowEnergyError(`GPU ${index} reported a power of ${powerW} W, outside 0..${MAX_GPU_POWER_W} W: a sensor fault or NVML's "not available" value, not a reading`);
  }
  return powerW;
}

interface OpenWindow {
  readonly begin: Reading;
}

const defaultClock: Clock = { nowS: () => performance.now() / 1000 };

/**
 * Limits of a monitor (docs/measuring.md#limits), so that windows begun and never ended cannot
 * take memory without end or slow every later call:
 * - `samples`: power readings held for the open windows (power integration): 10⁶ is 28 hours at
 *   the default 0.1 s. Past it the oldest are dropped, and a window that began before them then
 *   fails with a {@link WindowEnergyError} when it ends, rather than returning less energy.
 * - `shownWindows`: open windows named in the error for an unknown one (the rest are counted).
 *
 * @example
 * MONITOR_LIMITS.samples // 1000000
 */
export const MONITOR_LIMITS = Object.freeze({ samples: 1_000_000, shownWindows: 10 });

const defaultTimer: TimerStarter = (tick, periodS) => {
  const timer = setInterval(tick, Math.max(1, Math.round(periodS * 1000)));
  // A measurement must never keep the process alive on its own.
  timer.unref();
  return () => clearInterval(timer);
};

/** Index of the first reading later than `tS` (at `tS` or later with `orAt`), by bisection. */
function firstAfter(samples: readonly Reading[], tS: number, orAt: boolean): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].tS > tS || (orAt && samples[mid].tS === tS)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_TIMER_S) throw new SweetspotInputError(`${name} must be a positive number of seconds ≤ ${MAX_TIMER_S}, got ${value}`);
  return value;
}

/**
 * Measures the energy of named windows of work on one or more GPUs, in the style of Zeus's
 * `ZeusMonitor`: `beginWindow(name)` … `endWindow(name)`. Windows may overlap and nest.
 *
 * With the counter method a window's energy is the difference of two reads of NVML's total-energy
 * counter. Without it, power is sampled on a timer while any window is open and integrated with
 * the trapezoid rule, the window's ends being sampled exactly. Short windows are flagged and never
 * reported as 0 J (see {@link WindowFlag}).
 *
 * @example
 * ```ts
 * import { openNvml, EnergyMonitor, measureIdlePower } from 'sweetspot/nvml';
 * const nvml = await openNvml();
 * const monitor = new EnergyMonitor({ devices: [nvml.device(0)] });
 * await measureIdlePower(monitor, 5);
 * monitor.beginWindow('request');
 * await fetch('http://127.0.0.1:8000/v1/completions', { method: 'POST', body: '…' });
 * const m = monitor.endWindow('request');
 * console.log(m.totalEnergyJ, m.totalActiveEnergyJ, m.method, m.flags);
 * ```
 */
export class EnergyMonitor {
  readonly method: EnergyMethod;
  readonly samplingPeriodS: number;
  readonly counterUpdatePeriodS: number;
  readonly devices: readonly MonitoredDevice[];
  #idlePowerW: Record<number, number> | undefined;
  #clock: Clock;
  #startTimer: TimerStarter;
  #stopTimer: (() => void) | undefined;
  #windows = new Map<string, OpenWindow>();
  /** Power readings since the oldest open window began (power integration only). */
  #samples: Reading[] = [];

  constructor(monitorOptions: EnergyMonitorOptions) {
    // A misspelt key (`samplingPeriod: 0.01`) would measure with the default silently.
    const options = optionsObject('EnergyMonitor', monitorOptions, MONITOR_KEYS);
    if (!options.devices || options.devices.length === 0) throw new SweetspotInputError('EnergyMonitor: devices must list at least one GPU');
    const indices = options.devices.map((d) => d.index);
    if (new Set(indices).size !== indices.length) throw new SweetspotInputError(`EnergyMonitor: devices repeat a GPU index (${indices.join(', ')})`);
    this.devices = [...options.devices];
    this.samplingPeriodS = positive('samplingPeriodS', options.samplingPeriodS ?? 0.1);
    this.counterUpdatePeriodS = positive('counterUpdatePeriodS', options.counterUpdatePeriodS ?? 0.1);
    const allCounters = this.devices.every((d) => d.energyCounterSupported);
    const method = options.method ?? 'auto';
    if (method === 'counter' && !allCounters) {
      const without = this.devices.filter((d) => !d.energyCounterSupported).map((d) => d.index);
      throw new SweetspotInputError(`EnergyMonitor: method 'counter' asked for, but GPU ${without.join(', ')} has no energy counter`);
    }
    if (method !== 'auto' && method !== 'counter' && method !== 'power-integration') {
      throw new SweetspotInputError(`EnergyMonitor: method must be 'auto', 'counter' or 'power-integration', got '${String(method)}'`);
    }
    this.method = method === 'auto' ? (allCounters ? 'counter' : 'power-integration') : method;
    this.#clock = options.clock ?? defaultClock;
    this.#startTimer = options.startTimer ?? defaultTimer;
    if (options.idlePowerW) this.setIdlePower(options.idlePowerW);
  }

  /** Idle power per device (watts) used for active energy; `undefined` until set. */
  get idlePowerW(): Readonly<Record<number, number>> | undefined {
    return this.#idlePowerW;
  }

  /** Sets idle power per device index, watts (every monitored device and no other, finite, ≥ 0). */
  setIdlePower(idlePowerW: Readonly<Record<number, number>>): void {
    if (idlePowerW === null || typeof idlePowerW !== 'object' || Array.isArray(idlePowerW)) {
      throw new SweetspotInputError(`idlePowerW: an object of watts by GPU index is required, got ${idlePowerW === null ? 'null' : Array.isArray(idlePowerW) ? 'an array' : typeof idlePowerW}`);
    }
    const copy: Record<number, number> = {};
    for (const d of this.devices) {
      const p = idlePowerW[d.index];
      if (p === undefined || !Number.isFinite(p) || p < 0) {
        throw new SweetspotInputError(`idlePowerW: GPU ${d.index} needs a finite power ≥ 0 W, got ${shownValue(p)}`);
      }
      copy[d.index] = p;
    }
    // A power for a GPU not monitored (a wrong index) would be dropped silently.
    const monitored = new Set(this.devices.map((d) => String(d.index)));
    for (const key in idlePowerW) {
      if (!monitored.has(key) && (idlePowerW as Record<string, unknown>)[key] !== undefined) {
        throw new SweetspotInputError(`idlePowerW: GPU ${/^\d{1,9}$/.test(key) ? key : JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)} is not monitored (devices ${[...monitored].join(', ')})`);
      }
    }
    this.#idlePowerW = copy;
  }

  /** Names of the windows open now. */
  get openWindows(): string[] {
    return [...this.#windows.keys()];
  }

  #read(withCounter: boolean): Reading {
    const tS = this.#clock.nowS();
    if (!withCounter) return { tS, powerW: this.devices.map((d) => checkedPowerW(d.index, d.powerW())) };
    // With the counter, power is only a fallback: a failed power read spoils nothing unless the
    // counter fails too, so the error is kept for that case.
    const powerErrors: unknown[] = [];
    const powerW = this.devices.map((d, i) => {
      try {
        return checkedPowerW(d.index, d.powerW());
      } catch (error) {
        powerErrors[i] = error;
        return NaN;
      }
    });
    return { tS, powerW, energyMj: this.devices.map((d) => d.totalEnergyMj()), powerErrors };
  }

  /**
   * Takes one power reading now. The timer calls this while a window is open; call it yourself
   * only with a custom timer.
   */
  sample(): void {
    if (this.method !== 'power-integration' || this.#windows.size === 0) return;
    this.#samples.push(this.#read(false));
    if (this.#samples.length > MONITOR_LIMITS.samples) {
      // A window left open holds every reading since it began: the older half goes, and the
      // windows that began before the last one dropped can no longer be measured.
      const dropped = this.#samples.length >> 1;
      this.#droppedThroughS = this.#samples[dropped - 1].tS;
      this.#samples = this.#samples.slice(dropped);
    }
  }

  /** The time of the last reading dropped at `MONITOR_LIMITS.samples`; windows begun by then cannot be measured. */
  #droppedThroughS = -Infinity;

  /** Starts the window `name`; a window of that name must not be open already. */
  beginWindow(name: string): void {
    if (typeof name !== 'string' || name === '') throw new SweetspotInputError('beginWindow: name must be a non-empty string');
    if (this.#windows.has(name)) throw new SweetspotInputError(`beginWindow: a window named '${name}' is already open`);
    const begin = this.#read(this.method === 'counter');
    this.#windows.set(name, { begin });
    if (this.method === 'power-integration') {
      this.#samples.push(begin);
      if (!this.#stopTimer) {
        // A timer that throws would crash the process from a timer callback: keep its error for endWindow.
        this.#stopTimer = this.#startTimer(() => this.#safeSample(), this.samplingPeriodS);
      }
    }
  }

  /** The first power read that failed on the timer, and when: every window open then is spoiled. */
  #sampleError: { readonly error: unknown; readonly tS: number } | undefined;
  #safeSample(): void {
    try {
      this.sample();
    } catch (error) {
      this.#sampleError ??= { error, tS: this.#clock.nowS() };
    }
  }

  /** Ends the window `name` and returns its measurement. */
  endWindow(name: string): WindowMeasurement {
    const window = this.#windows.get(name);
    if (!window) throw new SweetspotInputError(`endWindow: no window named '${name}' is open (open: ${this.#openList()})`);
    // The window closes even when the final read fails: a failed measurement is not retried.
    this.#windows.delete(name);
    try {
      const end = this.#read(this.method === 'counter');
      // Every reading is a real sample: windows still open integrate through it too.
      if (this.method === 'power-integration') this.#samples.push(end);
      // Every window that was open when a timer read failed lacks samples over the gap: each one
      // reports the error, not only the first to end (windows begun later are unaffected).
      if (this.#sampleError !== undefined && window.begin.tS <= this.#sampleError.tS) throw this.#sampleError.error;
      if (window.begin.tS <= this.#droppedThroughS) {
        throw new WindowEnergyError(
          `window '${name}': open for ${end.tS - window.begin.tS} s, longer than the ${MONITOR_LIMITS.samples} power readings a monitor holds (MONITOR_LIMITS.samples); its first readings were dropped (was a window begun and never ended?)`,
        );
      }
      return this.method === 'counter' ? this.#fromCounter(name, window.begin, end) : this.#fromSamples(name, window.begin, end);
    } finally {
      this.#prune();
    }
  }

  /** Drops the window `name` without measuring (e.g. a failed request); unknown names are ignored. */
  cancelWindow(name: string): void {
    this.#windows.delete(name);
    this.#prune();
  }

  /** Stops the sampler and forgets every open window. */
  close(): void {
    this.#windows.clear();
    this.#prune();
  }

  #prune(): void {
    if (this.#windows.size === 0) {
      this.#stopTimer?.();
      this.#stopTimer = undefined;
      this.#samples = [];
      // A sampler error belongs to the windows that were open; later windows start clean.
      this.#sampleError = undefined;
      this.#droppedThroughS = -Infinity;
      return;
    }
    // Windows are kept in the order they began, on a clock that does not go back: the first is
    // the oldest (no pass over every open window at every end).
    const oldestS = this.#windows.values().next().value!.begin.tS;
    if (this.#samples.length === 0 || this.#samples[0].tS >= oldestS) return;
    this.#samples = this.#samples.slice(firstAfter(this.#samples, oldestS, true));
  }

  /** The open windows for a message: the first few by name, the rest counted. */
  #openList(): string {
    const max = MONITOR_LIMITS.shownWindows;
    const names: string[] = [];
    for (const name of this.#windows.keys()) {
      if (names.length === max) break;
      names.push(name);
    }
    const more = this.#windows.size - names.length;
    return names.length === 0 ? 'none' : `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }

  #fromCounter(name: string, begin: Reading, end: Reading): WindowMeasurement {
    const durationS = end.tS - begin.tS;
    const flags = new Set<WindowFlag>();
    const short = durationS < this.counterUpdatePeriodS;
    if (short) flags.add('shorter-than-counter-update');
    const energyJ: Record<number, number> = {};
    const methods: Record<number, WindowMethod> = {};
    this.devices.forEach((d, i) => {
      const deltaMj = end.energyMj![i] - begin.energyMj![i];
      const endpointsJ = ((begin.powerW[i] + end.powerW[i]) / 2) * durationS;
      if (deltaMj > 0) {
        const counterJ = deltaMj / 1000;
        if (durationS > 0 && counterJ / durationS > MAX_GPU_POWER_W && !short) {
          throw new WindowEnergyError(`window '${name}': GPU ${d.index}'s energy counter rose by ${counterJ} J in ${durationS} s, over ${MAX_GPU_POWER_W} W: not a reading`);
        }
        energyJ[d.index] = counterJ;
        methods[d.index] = 'counter';
        return;
      }
      // The counter cannot be used for this window: the power read at both ends is the estimate
      // left, and the method says so (never `counter`).
      let method: WindowMethod;
      if (deltaMj < 0) {
        flags.add('counter-decreased');
        method = 'power-endpoints (counter reset)';
      } else if (durationS >= STUCK_AFTER_UPDATE_PERIODS * this.counterUpdatePeriodS && endpointsJ / durationS >= STUCK_COUNTER_MIN_POWER_W) {
        flags.add('counter-stuck');
        method = 'power-endpoints (counter stuck)';
      } else {
        flags.add('counter-unchanged');
        method = 'power-endpoints (counter not updated)';
      }
      const powerError = begin.powerErrors?.[i] ?? end.powerErrors?.[i];
      if (powerError !== undefined) {
        throw new WindowEnergyError(`window '${name}': GPU ${d.index}'s energy counter ${deltaMj < 0 ? 'went backwards' : 'did not move'} and its power could not be read either (${(powerError as Error).message ?? String(powerError)})`);
      }
      energyJ[d.index] = endpointsJ;
      methods[d.index] = method;
    });
    return this.#finish({ name, durationS, method: 'counter', methods, energyJ, flags });
  }

  #fromSamples(name: string, begin: Reading, end: Reading): WindowMeasurement {
    const durationS = end.tS - begin.tS;
    // Readings are in time order: the window's are found by bisection, not a pass over all held.
    const samples = this.#samples;
    const inside = samples.slice(firstAfter(samples, begin.tS, false), firstAfter(samples, end.tS, true));
    const points = [begin, ...inside, end];
    const flags = new Set<WindowFlag>();
    if (inside.length === 0) flags.add('shorter-than-sampling-period');
    const energyJ: Record<number, number> = {};
    const methods: Record<number, WindowMethod> = {};
    this.devices.forEach((d, i) => {
      energyJ[d.index] = trapezoidEnergyJ(points.map((p) => ({ tS: p.tS, powerW: p.powerW[i] })));
      methods[d.index] = 'power-integration';
    });
    return this.#finish({
      name,
      durationS,
      method: 'power-integration',
      methods,
      energyJ,
      flags,
      samplingPeriodS: this.samplingPeriodS,
      sampleCount: points.length,
    });
  }

  #finish(m: {
    name: string;
    durationS: number;
    method: EnergyMethod;
    methods: Record<number, WindowMethod>;
    energyJ: Record<number, number>;
    flags: Set<WindowFlag>;
    samplingPeriodS?: number;
    sampleCount?: number;
  }): WindowMeasurement {
    const values = Object.values(m.energyJ);
    const flags = [...m.flags].join(', ') || 'none';
    if (values.some((e) => !Number.isFinite(e))) {
      throw new WindowEnergyError(`window '${m.name}': energy is not finite (${values.join(', ')} J; flags: ${flags}); check the GPU's power readings`);
    }
    // A GPU that ran for the window drew energy: 0 J is a failed reading, never a measurement.
    const zero = this.devices.filter((d) => !(m.energyJ[d.index] > 0));
    if (zero.length > 0) {
      throw new WindowEnergyError(`window '${m.name}': GPU ${zero.map((d) => d.index).join(', ')} reported ${zero.map((d) => m.energyJ[d.index]).join(', ')} J over ${m.durationS} s (flags: ${flags}); check the device's counter and power readings`);
    }
    const totalEnergyJ = values.reduce((a, b) => a + b, 0);
    // The window's method is the monitor's unless a device fell back; the worst fallback is named.
    const fallbacks: WindowMethod[] = ['power-endpoints (counter stuck)', 'power-endpoints (counter reset)', 'power-endpoints (counter not updated)'];
    const used = Object.values(m.methods);
    const method = fallbacks.find((f) => used.includes(f)) ?? m.method;
    const result: WindowMeasurement = {
      name: m.name,
      durationS: m.durationS,
      method,
      methods: m.methods,
      ...(m.samplingPeriodS !== undefined ? { samplingPeriodS: m.samplingPeriodS, sampleCount: m.sampleCount } : {}),
      energyJ: m.energyJ,
      totalEnergyJ,
      flags: [],
    };
    const idle = this.#idlePowerW;
    if (!idle) return { ...result, flags: [...m.flags] };
    const activeEnergyJ: Record<number, number> = {};
    for (const d of this.devices) activeEnergyJ[d.index] = m.energyJ[d.index] - idle[d.index] * m.durationS;
    const active = Object.values(activeEnergyJ);
    if (active.some((e) => e < 0)) m.flags.add('active-energy-negative');
    return {
      ...result,
      idlePowerW: { ...idle },
      activeEnergyJ,
      totalActiveEnergyJ: active.reduce((a, b) => a + b, 0),
      flags: [...m.flags],
    };
  }
}
