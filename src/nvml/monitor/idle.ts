import { checkFunction, checkShape, shownValue } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { MAX_TIMER_S } from './timer-limit.js';
import type { EnergyMonitor } from './monitor.js';
import type { WindowMeasurement } from './monitor-types.js';

/** Idle power found by {@link measureIdlePower}. */
export interface IdleMeasurement {
  readonly durationS: number;
  /** Per device index, watts. */
  readonly powerW: Readonly<Record<number, number>>;
  readonly totalPowerW: number;
  /** The idle window itself, with its method and flags. */
  readonly window: WindowMeasurement;
}

/** Waits `s` seconds of real time. */
export const sleepS = (s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000));

/**
 * Measures idle power over `durationS` seconds (nothing else should run on the GPUs), sets it on
 * the monitor so later windows report active energy (`total − idle power × duration`), and
 * returns it.
 *
 * @example
 * ```ts
 * const idle = await measureIdlePower(monitor, 5);
 * console.log(`idle ${idle.totalPowerW.toFixed(1)} W`);
 * ```
 */
export async function measureIdlePower(
  monitor: EnergyMonitor,
  durationS: number,
  sleep: (seconds: number) => Promise<void> = sleepS,
): Promise<IdleMeasurement> {
  checkShape('measureIdlePower(monitor)', monitor, 'an EnergyMonitor', { beginWindow: 'function', endWindow: 'function', cancelWindow: 'function', setIdlePower: 'function' });
  // Above MAX_TIMER_S the timer fires at once: a 1e300 s idle was measured over a millisecond.
  if (typeof durationS !== 'number' || !Number.isFinite(durationS) || durationS <= 0 || durationS > MAX_TIMER_S) {
    throw new SweetspotInputError(`idle duration must be a positive number of seconds ≤ ${MAX_TIMER_S} (the longest a timer waits), got ${shownValue(durationS)}`);
  }
  checkFunction('measureIdlePower(sleep)', sleep);
  const name = '__sweetspot_idle__';
  monitor.beginWindow(name);
  try {
    await sleep(durationS);
  } catch (error) {
    monitor.cancelWindow(name);
    throw error;
  }
  const window = monitor.endWindow(name);
  if (!(window.durationS > 0)) throw new SweetspotInputError(`measureIdlePower: the idle window lasted ${window.durationS} s; the monitor's clock did not advance`);
  const powerW: Record<number, number> = {};
  for (const [index, energyJ] of Object.entries(window.energyJ)) powerW[Number(index)] = energyJ / window.durationS;
  monitor.setIdlePower(powerW);
  const totalPowerW = Object.values(powerW).reduce((a, b) => a + b, 0);
  return { durationS: window.durationS, powerW, totalPowerW, window };
}
