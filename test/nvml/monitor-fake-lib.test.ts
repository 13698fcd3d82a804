import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnergyMonitor, measureIdlePower, NvmlError, openNvml, type Nvml } from '../../src/nvml/index.js';
import { buildFakeNvml, type FakeNvml } from '../fixtures/fake-nvml/build.js';

// These tests go through koffi and the compiled fake libnvidia-ml: counters and power come from
// the control file, so expectations are the scripted values.
let fake: FakeNvml;
let nvml: Nvml | undefined;
beforeAll(() => {
  fake = buildFakeNvml();
});
afterEach(() => {
  nvml?.close();
  nvml = undefined;
});

function manualClock() {
  let t = 100;
  return { clock: { nowS: () => t }, advance: (s: number) => (t += s) };
}

describe('EnergyMonitor over the fake NVML library', () => {
  it('uses the counter of several devices and sums them', async () => {
    fake.set({ count: 2, 'dev0.energy_mj': 10_000_000, 'dev1.energy_mj': 20_000_000, 'dev0.power_mw': 1, 'dev1.power_mw': 1 });
    nvml = await openNvml({ libraryPath: fake.libraryPath });
    const { clock, advance } = manualClock();
    const monitor = new EnergyMonitor({ devices: nvml.devices(), clock });
    expect(monitor.method).toBe('counter');
    monitor.beginWindow('req');
    advance(1.5);
    fake.update({ 'dev0.energy_mj': 10_450_500, 'dev1.energy_mj': 20_300_000 });
    const m = monitor.endWindow('req');
    expect(m.energyJ).toEqual({ 0: 450.5, 1: 300 });
    expect(m.totalEnergyJ).toBe(750.5);
    expect(m.durationS).toBe(1.5);
    expect(m.flags).toEqual([]);
  });

  it('falls back to integrating sampled power when the counter is not supported', async () => {
    fake.set({ count: 1, 'dev0.energy_rc': 3, 'dev0.instant_mw': 100_000 });
    nvml = await openNvml({ libraryPath: fake.libraryPath });
    const { clock, advance } = manualClock();
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)], clock, startTimer: () => () => {}, samplingPeriodS: 0.5 });
    expect(monitor.method).toBe('power-integration');
    monitor.beginWindow('w');
    advance(0.5), fake.update({ 'dev0.instant_mw': 300_000 }), monitor.sample();
    advance(0.5), fake.update({ 'dev0.instant_mw': 500_000 }), monitor.sample();
    advance(0.25), fake.update({ 'dev0.instant_mw': 100_000 });
    const m = monitor.endWindow('w');
    // (100+300)/2·0.5 + (300+500)/2·0.5 + (500+100)/2·0.25 = 100 + 200 + 75 J
    expect(m.energyJ[0]).toBeCloseTo(375, 9);
    expect(m.method).toBe('power-integration');
    expect(m.samplingPeriodS).toBe(0.5);
    expect(m.sampleCount).toBe(4);
  });

  it('integrates on the real timer through FFI: constant power gives power × duration', async () => {
    fake.set({ count: 1, 'dev0.energy_rc': 3, 'dev0.instant_mw': 180_000 });
    nvml = await openNvml({ libraryPath: fake.libraryPath });
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)], samplingPeriodS: 0.02 });
    monitor.beginWindow('w');
    await new Promise((r) => setTimeout(r, 150));
    const m = monitor.endWindow('w');
    expect(m.sampleCount).toBeGreaterThanOrEqual(3);
    expect(m.energyJ[0]).toBeCloseTo(180 * m.durationS, 9);
  });

  it('measures idle from the counter and reports active energy', async () => {
    fake.set({ count: 1, 'dev0.energy_mj': 0, 'dev0.power_mw': 70_000 });
    nvml = await openNvml({ libraryPath: fake.libraryPath });
    const { clock, advance } = manualClock();
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)], clock });
    const idle = await measureIdlePower(monitor, 3, async (s) => {
      advance(s);
      fake.update({ 'dev0.energy_mj': 210_000 }); // 70 W × 3 s
    });
    expect(idle.powerW[0]).toBeCloseTo(70, 12);
    monitor.beginWindow('req');
    advance(0.5);
    fake.update({ 'dev0.energy_mj': 210_000 + 200_000 });
    const m = monitor.endWindow('req');
    expect(m.totalEnergyJ).toBe(200);
    expect(m.totalActiveEnergyJ).toBeCloseTo(200 - 70 * 0.5, 12);
  });

  it('surfaces an NVML error during a window with its message', async () => {
    fake.set({ count: 1, 'dev0.energy_mj': 1 });
    nvml = await openNvml({ libraryPath: fake.libraryPath });
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)] });
    monitor.beginWindow('w');
    fake.update({ 'dev0.energy_rc': 15 });
    expect(() => monitor.endWindow('w')).toThrow(NvmlError);
    expect(monitor.openWindows).toEqual([]);
  });
});
