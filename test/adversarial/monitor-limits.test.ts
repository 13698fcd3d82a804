import { describe, expect, it } from 'vitest';
import { EnergyMonitor, MONITOR_LIMITS, WindowEnergyError, type MonitoredDevice } from '../../src/nvml/index.js';
import { inputError } from './helpers.js';

/** A GPU drawing a constant `powerW`, its counter following a manual clock exactly. */
function steadyGpu(powerW: number, counter: boolean) {
  let t = 0;
  const device: MonitoredDevice = { index: 0, energyCounterSupported: counter, totalEnergyMj: () => powerW * t * 1000, powerW: () => powerW };
  let tick: (() => void) | undefined;
  const monitor = new EnergyMonitor({
    devices: [device],
    clock: { nowS: () => t },
    // The test drives the sampler: `sample` advances the clock one period and takes a reading.
    startTimer: (f) => {
      tick = f;
      return () => (tick = undefined);
    },
  });
  return {
    monitor,
    advance: (s: number) => (t += s),
    sample: (count: number, periodS = 0.1) => {
      for (let k = 0; k < count; k++) {
        t += periodS;
        tick?.();
      }
    },
  };
}

describe('nvml monitor: windows begun and never ended, and many at once', () => {
  it('opens and ends 10⁶ overlapping windows in linear time (Math.min over every open window: RangeError, and a pass per end)', () => {
    const { monitor, advance } = steadyGpu(200, true);
    const n = 1_000_000;
    for (let k = 0; k < n; k++) monitor.beginWindow(`w${k}`);
    advance(1);
    let totalJ = 0;
    for (let k = 0; k < n; k += 1000) totalJ += monitor.endWindow(`w${k}`).totalEnergyJ;
    // Each window ended ran 1 s at 200 W, whichever order the others end in.
    expect(totalJ).toBeCloseTo(200 * 1000, 6);
    monitor.close();
    expect(monitor.openWindows).toEqual([]);
  });

  it('names a few open windows, not all 10⁵, when asked to end an unknown one (the message listed every name)', async () => {
    const { monitor } = steadyGpu(200, true);
    for (let k = 0; k < 100_000; k++) monitor.beginWindow(`w${k}`);
    const error = await inputError(() => monitor.endWindow('nope'), ["endWindow: no window named 'nope' is open (open: w0, w1, w2, w3, w4, w5, w6, w7, w8, w9 and 99990 more)"]);
    expect(error.message.length).toBeLessThan(200);
    monitor.close();
    await inputError(() => monitor.endWindow('nope'), ["endWindow: no window named 'nope' is open (open: none)"]);
  });

  it('holds at most MONITOR_LIMITS.samples power readings for a forgotten window, and says so when it ends (the readings grew without end)', () => {
    const { monitor, sample } = steadyGpu(100, false);
    expect(monitor.method).toBe('power-integration');
    monitor.beginWindow('forgotten');
    sample(MONITOR_LIMITS.samples);
    // A window begun after the oldest readings were dropped is measured exactly.
    monitor.beginWindow('later');
    sample(10);
    const later = monitor.endWindow('later');
    expect(later.totalEnergyJ).toBeCloseTo(100 * 1, 6);
    expect(later.sampleCount).toBe(11);
    // The forgotten window has lost its first readings: an error, never a smaller energy.
    let caught: unknown;
    try {
      monitor.endWindow('forgotten');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WindowEnergyError);
    expect((caught as Error).message).toMatch(/^window 'forgotten': open for 100001(\.\d+)? s, longer than the 1000000 power readings a monitor holds/);
    // Once every window is closed the monitor starts clean.
    monitor.beginWindow('fresh');
    sample(5);
    expect(monitor.endWindow('fresh').totalEnergyJ).toBeCloseTo(100 * 0.5, 6);
  });

  it('measures a window that stays under the limit the same as before: the trapezoid over every reading', () => {
    const { monitor, sample, advance } = steadyGpu(300, false);
    monitor.beginWindow('a');
    sample(1000);
    monitor.beginWindow('b');
    sample(10, 0.05);
    advance(0.01);
    const b = monitor.endWindow('b');
    expect(b.sampleCount).toBe(12);
    expect(b.totalEnergyJ).toBeCloseTo(300 * 0.51, 9);
    const a = monitor.endWindow('a');
    expect(a.totalEnergyJ).toBeCloseTo(300 * (100 + 0.51), 6);
  });
});
