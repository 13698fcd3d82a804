import { describe, expect, it } from 'vitest';
import { EnergyMonitor, WindowEnergyError, measureIdlePower, trapezoidEnergyJ, type MonitoredDevice } from '../../src/nvml/index.js';

/** A scripted GPU: tests set its power and counter between calls. */
class ScriptedDevice implements MonitoredDevice {
  powerNowW = 0;
  energyNowMj = 0;
  constructor(
    readonly index: number,
    readonly energyCounterSupported: boolean,
  ) {}
  totalEnergyMj() {
    return this.energyNowMj;
  }
  powerW() {
    return this.powerNowW;
  }
}

function manualClock() {
  let t = 0;
  return { clock: { nowS: () => t }, set: (s: number) => (t = s) };
}

function manualTimer() {
  const state = { running: 0, started: 0, periodS: NaN };
  const startTimer = (_tick: () => void, periodS: number) => {
    state.running++;
    state.started++;
    state.periodS = periodS;
    return () => {
      state.running--;
    };
  };
  return { state, startTimer };
}

describe('trapezoidEnergyJ', () => {
  it('integrates piecewise-linear power exactly', () => {
    expect(trapezoidEnergyJ([{ tS: 0, powerW: 100 }, { tS: 1, powerW: 300 }, { tS: 3, powerW: 300 }])).toBe(200 + 600);
    expect(trapezoidEnergyJ([{ tS: 5, powerW: 1 }])).toBe(0);
    expect(() => trapezoidEnergyJ([{ tS: 2, powerW: 1 }, { tS: 1, powerW: 1 }])).toThrow('out of time order');
  });
});

describe('EnergyMonitor with power integration', () => {
  it('integrates samples between the window ends with the trapezoid rule and reports the period', () => {
    const gpu = new ScriptedDevice(0, false);
    const { clock, set } = manualClock();
    const timer = manualTimer();
    const monitor = new EnergyMonitor({ devices: [gpu], clock, startTimer: timer.startTimer, samplingPeriodS: 0.1 });
    expect(monitor.method).toBe('power-integration');
    gpu.powerNowW = 100;
    monitor.beginWindow('w');
    expect(timer.state.running).toBe(1);
    expect(timer.state.periodS).toBe(0.1);
    set(0.1), (gpu.powerNowW = 200), monitor.sample();
    set(0.2), (gpu.powerNowW = 300), monitor.sample();
    set(0.25), (gpu.powerNowW = 100);
    const m = monitor.endWindow('w');
    // By hand: (100+200)/2·0.1 + (200+300)/2·0.1 + (300+100)/2·0.05 = 15 + 25 + 10 J.
    expect(m.energyJ[0]).toBeCloseTo(50, 12);
    expect(m.totalEnergyJ).toBeCloseTo(50, 12);
    expect(m.durationS).toBeCloseTo(0.25, 12);
    expect(m.method).toBe('power-integration');
    expect(m.samplingPeriodS).toBe(0.1);
    expect(m.sampleCount).toBe(4);
    expect(m.flags).toEqual([]);
    expect(timer.state.running).toBe(0);
  });

  it('measures overlapping and nested windows from the same samples', () => {
    const gpu = new ScriptedDevice(3, false);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [gpu], clock, startTimer: manualTimer().startTimer });
    gpu.powerNowW = 100;
    monitor.beginWindow('outer'); // t=0, 100 W
    set(1), (gpu.powerNowW = 200), monitor.sample();
    set(1.5), (gpu.powerNowW = 400);
    monitor.beginWindow('inner'); // t=1.5, 400 W
    set(2), (gpu.powerNowW = 400), monitor.sample();
    set(3), (gpu.powerNowW = 0);
    const inner = monitor.endWindow('inner'); // t=3, 0 W
    set(4), (gpu.powerNowW = 0), monitor.sample();
    set(5), (gpu.powerNowW = 100);
    monitor.beginWindow('late'); // overlaps outer only
    set(6), (gpu.powerNowW = 100);
    const outer = monitor.endWindow('outer');
    set(7);
    const late = monitor.endWindow('late');
    // inner: (400+400)/2·0.5 + (400+0)/2·1 = 200 + 200
    expect(inner.energyJ[3]).toBeCloseTo(400, 12);
    // outer: 150·1 + 300·0.5 + 400·0.5 + 200·1 + 0·1 + 50·1 + 100·1 = 850
    expect(outer.energyJ[3]).toBeCloseTo(850, 12);
    // late: samples at 5 and 6 (both 100 W) then 7 (100 W)
    expect(late.energyJ[3]).toBeCloseTo(200, 12);
    expect(outer.durationS).toBe(6);
  });

  it('flags a window with no sample inside, and still reports its energy', () => {
    const gpu = new ScriptedDevice(0, false);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [gpu], clock, startTimer: manualTimer().startTimer });
    gpu.powerNowW = 300;
    monitor.beginWindow('tiny');
    set(0.01);
    const m = monitor.endWindow('tiny');
    expect(m.energyJ[0]).toBeCloseTo(3, 12);
    expect(m.flags).toContain('shorter-than-sampling-period');
  });

  it('samples on a real timer and integrates constant power to power × duration', async () => {
    const gpu = new ScriptedDevice(0, false);
    gpu.powerNowW = 250;
    const monitor = new EnergyMonitor({ devices: [gpu], samplingPeriodS: 0.02 });
    monitor.beginWindow('real');
    await new Promise((r) => setTimeout(r, 200));
    const m = monitor.endWindow('real');
    expect(m.durationS).toBeGreaterThan(0.15);
    expect(m.sampleCount).toBeGreaterThanOrEqual(3);
    expect(m.energyJ[0]).toBeCloseTo(250 * m.durationS, 9);
  });
});

describe('EnergyMonitor with the counter', () => {
  it('takes the counter difference, sums devices, and flags windows shorter than the update period', () => {
    const a = new ScriptedDevice(0, true);
    const b = new ScriptedDevice(1, true);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [a, b], clock, counterUpdatePeriodS: 0.1 });
    expect(monitor.method).toBe('counter');
    a.energyNowMj = 1_000_000;
    b.energyNowMj = 5_000;
    monitor.beginWindow('long');
    set(2);
    a.energyNowMj = 1_600_000;
    b.energyNowMj = 405_000;
    const m = monitor.endWindow('long');
    expect(m.energyJ).toEqual({ 0: 600, 1: 400 });
    expect(m.totalEnergyJ).toBe(1000);
    expect(m.flags).toEqual([]);
    expect(m.samplingPeriodS).toBeUndefined();

    monitor.beginWindow('short');
    set(2.05);
    a.energyNowMj += 30_000;
    b.energyNowMj += 10_000;
    const s = monitor.endWindow('short');
    expect(s.totalEnergyJ).toBe(40);
    expect(s.flags).toEqual(['shorter-than-counter-update']);
  });

  it('never reports 0 J when the counter has not ticked: estimates from power and says so', () => {
    const gpu = new ScriptedDevice(0, true);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [gpu], clock });
    gpu.energyNowMj = 777;
    gpu.powerNowW = 200;
    monitor.beginWindow('w');
    set(0.02);
    gpu.powerNowW = 300;
    const m = monitor.endWindow('w');
    expect(m.energyJ[0]).toBeCloseTo(((200 + 300) / 2) * 0.02, 12);
    expect(m.flags).toEqual(expect.arrayContaining(['shorter-than-counter-update', 'counter-unchanged']));
  });

  it('flags a counter that went backwards', () => {
    const gpu = new ScriptedDevice(0, true);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [gpu], clock });
    gpu.energyNowMj = 5000;
    gpu.powerNowW = 100;
    monitor.beginWindow('w');
    set(1);
    gpu.energyNowMj = 10;
    const m = monitor.endWindow('w');
    expect(m.energyJ[0]).toBeCloseTo(100, 12);
    expect(m.flags).toContain('counter-decreased');
  });

  it('uses power integration for every device when one lacks the counter, and refuses a forced counter', () => {
    const devices = [new ScriptedDevice(0, true), new ScriptedDevice(1, false)];
    expect(new EnergyMonitor({ devices }).method).toBe('power-integration');
    expect(() => new EnergyMonitor({ devices, method: 'counter' })).toThrow("GPU 1 has no energy counter");
  });
});

describe('idle power and active energy', () => {
  it('measures idle power over a window and reports active = total − idle × duration', async () => {
    const gpu = new ScriptedDevice(0, true);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [gpu], clock });
    gpu.energyNowMj = 0;
    const idle = await measureIdlePower(monitor, 4, async (s) => {
      set(s);
      gpu.energyNowMj = 4 * 60_000; // 60 W for 4 s
    });
    expect(idle.powerW).toEqual({ 0: 60 });
    expect(idle.totalPowerW).toBe(60);
    monitor.beginWindow('req');
    set(6);
    gpu.energyNowMj += 2 * 300_000; // 300 W for 2 s
    const m = monitor.endWindow('req');
    expect(m.totalEnergyJ).toBe(600);
    expect(m.idlePowerW).toEqual({ 0: 60 });
    expect(m.activeEnergyJ).toEqual({ 0: 600 - 60 * 2 });
    expect(m.totalActiveEnergyJ).toBe(480);
  });

  it('keeps a negative active energy and flags it', () => {
    const gpu = new ScriptedDevice(0, true);
    const { clock, set } = manualClock();
    const monitor = new EnergyMonitor({ devices: [gpu], clock, idlePowerW: { 0: 100 } });
    monitor.beginWindow('w');
    set(1);
    gpu.energyNowMj = 50_000;
    const m = monitor.endWindow('w');
    expect(m.totalActiveEnergyJ).toBe(-50);
    expect(m.flags).toContain('active-energy-negative');
  });

  it('rejects bad idle input naming it', async () => {
    const monitor = new EnergyMonitor({ devices: [new ScriptedDevice(0, true)] });
    await expect(measureIdlePower(monitor, 0)).rejects.toThrow('idle duration must be a positive number');
    expect(() => monitor.setIdlePower({ 1: 5 })).toThrow('idlePowerW: GPU 0');
  });
});

describe('window bookkeeping', () => {
  it('rejects a duplicate or unknown window name, and cancels cleanly', () => {
    const timer = manualTimer();
    const monitor = new EnergyMonitor({ devices: [new ScriptedDevice(0, false)], startTimer: timer.startTimer });
    monitor.beginWindow('a');
    expect(() => monitor.beginWindow('a')).toThrow("a window named 'a' is already open");
    expect(() => monitor.endWindow('b')).toThrow("no window named 'b' is open (open: a)");
    monitor.cancelWindow('a');
    expect(monitor.openWindows).toEqual([]);
    expect(timer.state.running).toBe(0);
    expect(() => new EnergyMonitor({ devices: [] })).toThrow('at least one GPU');
    expect(() => new EnergyMonitor({ devices: [new ScriptedDevice(0, true)], samplingPeriodS: 0 })).toThrow('samplingPeriodS');
  });

  it('reports a power read that failed on the timer at the end of the window, then starts clean', () => {
    const gpu = new ScriptedDevice(0, false);
    let tick = () => {};
    const monitor = new EnergyMonitor({ devices: [gpu], startTimer: (t) => ((tick = t), () => {}) });
    monitor.beginWindow('w');
    const powerW = gpu.powerW;
    gpu.powerW = () => {
      throw new Error('GPU fell off the bus');
    };
    expect(() => tick()).not.toThrow();
    gpu.powerW = powerW;
    expect(() => monitor.endWindow('w')).toThrow('GPU fell off the bus');
    // A clean window at 0 W is refused as a failed reading (never 0 J); at 50 W it measures.
    monitor.beginWindow('zero');
    expect(() => monitor.endWindow('zero')).toThrow(WindowEnergyError);
    gpu.powerNowW = 50;
    monitor.beginWindow('next');
    const next = monitor.endWindow('next');
    expect(next.energyJ[0]).toBeGreaterThan(0);
    expect(next.energyJ[0]).toBeCloseTo(50 * next.durationS, 9);
  });

  it('reports a failed timer read in every window open at the time, not only the first to end', () => {
    const gpu = new ScriptedDevice(0, false);
    gpu.powerNowW = 100;
    const { clock, set } = manualClock();
    let tick = () => {};
    const monitor = new EnergyMonitor({ devices: [gpu], clock, startTimer: (t) => ((tick = t), () => {}) });
    monitor.beginWindow('outer');
    set(1);
    monitor.beginWindow('inner');
    set(2);
    const powerW = gpu.powerW;
    gpu.powerW = () => {
      throw new Error('GPU fell off the bus');
    };
    tick();
    gpu.powerW = powerW;
    set(3);
    monitor.beginWindow('later');
    set(4);
    expect(() => monitor.endWindow('inner')).toThrow('GPU fell off the bus');
    // Begun after the failure: its samples are whole.
    expect(monitor.endWindow('later').energyJ[0]).toBe(100);
    expect(() => monitor.endWindow('outer')).toThrow('GPU fell off the bus');
    expect(monitor.openWindows).toEqual([]);
  });

  it('rejects energy that is not finite instead of returning NaN', () => {
    const gpu = new ScriptedDevice(0, false);
    const monitor = new EnergyMonitor({ devices: [gpu], startTimer: manualTimer().startTimer });
    gpu.powerNowW = NaN;
    expect(() => monitor.beginWindow('w')).toThrow(/GPU 0 reported a power of NaN W/);
    gpu.powerNowW = 100;
    monitor.beginWindow('w');
    gpu.powerNowW = Infinity;
    expect(() => monitor.endWindow('w')).toThrow(WindowEnergyError);
  });
});
