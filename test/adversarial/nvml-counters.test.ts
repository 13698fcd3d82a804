import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/fit/read/csv.js';
import { run } from '../../src/cli/run.js';
import { EnergyMonitor, MAX_GPU_POWER_W, openNvml, type Nvml } from '../../src/nvml/index.js';
import { buildFakeNvml } from '../fixtures/fake-nvml/build.js';
import { startFakeServer, type FakeServer } from '../fixtures/fake-openai-server.js';
import { capture, cli, inputError, tempDir } from './helpers.js';

// Every test compiles its own fake libnvidia-ml, so that the counter's read count (which the
// reset knob counts) starts at zero; counters and power come from its knobs, times from a manual clock.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fakeGpu(state: Record<string, string | number>) {
  const fake = buildFakeNvml();
  fake.set({ count: 1, 'dev0.name': 'NVIDIA H100 80GB HBM3', 'dev0.energy_mj': 1_000_000, ...state });
  const nvml: Nvml = await openNvml({ libraryPath: fake.libraryPath });
  cleanups.push(() => nvml.close());
  let t = 10;
  const clock = { nowS: () => t };
  // One device object: its construction probes the counter once (read 1).
  const device = nvml.device(0);
  return { fake, nvml, device, clock, advance: (s: number) => (t += s) };
}

describe('nvml counters: a counter that does not advance, goes back, or is not available', () => {
  it('names a stuck counter in the method (it said `counter`) and in the flags', async () => {
    const { fake, device, clock, advance } = await fakeGpu({ 'dev0.energy_step_mj': 500, 'dev0.power_mw': 300_000 });
    const monitor = new EnergyMonitor({ devices: [device], clock });
    monitor.beginWindow('ok');
    advance(1);
    const ok = monitor.endWindow('ok');
    expect([ok.method, ok.energyJ[0]]).toEqual(['counter', 0.5]);
    fake.update({ 'dev0.energy_stuck': 1 });
    monitor.beginWindow('stuck');
    advance(1);
    const stuck = monitor.endWindow('stuck');
    // 300 W at both ends for 1 s: the estimate is 300 J, and it says where it came from.
    expect(stuck).toMatchObject({ method: 'power-endpoints (counter stuck)', methods: { 0: 'power-endpoints (counter stuck)' }, totalEnergyJ: 300 });
    expect(stuck.flags).toContain('counter-stuck');
    // Shorter than two of the counter's update periods (0.1 s), an unmoved counter is not called
    // stuck, only not updated yet: a driver a little slower than assumed is not a broken one.
    for (const durationS of [0.01, 0.15]) {
      monitor.beginWindow('short');
      advance(durationS);
      const short = monitor.endWindow('short');
      expect(short.method).toBe('power-endpoints (counter not updated)');
      expect(short.totalEnergyJ).toBeCloseTo(300 * durationS, 9);
    }
    monitor.beginWindow('over two periods');
    advance(0.25);
    expect(monitor.endWindow('over two periods').method).toBe('power-endpoints (counter stuck)');
  });

  it('names a reset counter (driver reload) in the method', async () => {
    // Reads: 1 probe, 2–3 the first window, 4–5 the second: the counter restarts from 0 after read 4.
    const { device, clock, advance } = await fakeGpu({ 'dev0.energy_step_mj': 2000, 'dev0.energy_reset_after': 4, 'dev0.power_mw': 100_000 });
    const monitor = new EnergyMonitor({ devices: [device], clock });
    const windows = ['before', 'across', 'after'].map((name) => {
      monitor.beginWindow(name);
      advance(0.5);
      return monitor.endWindow(name);
    });
    expect(windows.map((w) => w.method)).toEqual(['counter', 'power-endpoints (counter reset)', 'counter']);
    expect(windows.map((w) => w.totalEnergyJ)).toEqual([2, 50, 2]);
    expect(windows[1].flags).toContain('counter-decreased');
  });

  it("refuses NVML's not-available power (4294967295 mW was recorded as ~7e5 J per request)", async () => {
    const { device, clock, advance } = await fakeGpu({ 'dev0.power_na': 1, 'dev0.energy_step_mj': 700 });
    await inputError(() => device.powerW(), ['nvmlDeviceGetPowerUsage(gpu 0) failed: answered NVML\'s "not available" value (4294967295 mW) instead of a reading'], 'NvmlError');
    await inputError(() => new EnergyMonitor({ devices: [device], method: 'power-integration', clock }).beginWindow('w'), ['4294967295 mW'], 'NvmlError');
    // With a working counter the power reading is not needed, and the window measures.
    const monitor = new EnergyMonitor({ devices: [device], clock });
    monitor.beginWindow('w');
    advance(1);
    expect(monitor.endWindow('w')).toMatchObject({ method: 'counter', totalEnergyJ: 0.7 });
  });

  it('refuses a stuck counter whose power cannot be read either, and a not-available counter', async () => {
    const { fake, device, clock, advance } = await fakeGpu({ 'dev0.power_na': 1 });
    const monitor = new EnergyMonitor({ devices: [device], clock });
    monitor.beginWindow('w');
    advance(1);
    await inputError(() => monitor.endWindow('w'), ["window 'w': GPU 0's energy counter did not move and its power could not be read either", 'not available'], 'WindowEnergyError');
    fake.update({ 'dev0.energy_mj': '18446744073709551615' });
    await inputError(() => device.totalEnergyMj(), ['nvmlDeviceGetTotalEnergyConsumption(gpu 0) failed: answered NVML\'s "not available" value'], 'NvmlError');
  });

  it('never reports 0 J from endWindow (it returned totalEnergyJ: 0 with a flag)', async () => {
    const { device, clock, advance } = await fakeGpu({ 'dev0.power_mw': 0 });
    for (const method of ['counter', 'power-integration'] as const) {
      const monitor = new EnergyMonitor({ devices: [device], method, clock, startTimer: () => () => {} });
      monitor.beginWindow('w');
      advance(1);
      await inputError(() => monitor.endWindow('w'), ["window 'w': GPU 0 reported 0 J over 1 s"], 'WindowEnergyError');
    }
  });

  it(`refuses power above ${MAX_GPU_POWER_W} W as a reading`, async () => {
    const { device, clock } = await fakeGpu({ 'dev0.power_mw': 20_000_000 });
    await inputError(() => new EnergyMonitor({ devices: [device], method: 'power-integration', clock }).beginWindow('w'), [`GPU 0 reported a power of 20000 W, outside 0..${MAX_GPU_POWER_W} W`], 'WindowEnergyError');
  });
});

describe('nvml counters: the warning reaches the CSV, the summary and fit', () => {
  async function server(delayMs: number): Promise<FakeServer> {
    const s = await startFakeServer({ delayMs: () => delayMs });
    cleanups.push(() => s.close());
    return s;
  }

  it('records a stuck counter truthfully in every row, warns in the summary, and fit says so', async () => {
    const fake = buildFakeNvml();
    // The counter never moves; the GPU draws 300 W. Each request takes at least 250 ms, over two of
    // the counter's 0.1 s update periods, so the counter is stuck, not merely not yet updated.
    fake.set({ count: 1, 'dev0.name': 'NVIDIA H100 80GB HBM3', 'dev0.energy_mj': 5_000_000, 'dev0.energy_stuck': 1, 'dev0.power_mw': 300_000 });
    const s = await server(250);
    const dir = tempDir('adversarial-nvml-');
    const measured = await cli(dir, ['measure', '--endpoint', s.url, '--model', 'llama-2-7b', '--in', '8,64', '--out', '4,32', '--repeats', '1', '--warmup', '0', '--idle-s', '0', '--csv', 'runs.csv', '--nvml-lib', fake.libraryPath]);
    expect(measured.code).toBe(0);
    expect(measured.stdout).toContain("warning: 4 of 4 request(s) measured by power-endpoints (counter stuck): power at the window's ends × its duration, not the counter");
    const { header, records } = parseCsv(readFileSync(join(dir, 'runs.csv'), 'utf8'));
    const rows = records.map(({ fields }) => Object.fromEntries(header.map((h, i) => [h, fields[i]])));
    expect(rows.map((r) => r.energy_method)).toEqual(Array(4).fill('power-endpoints (counter stuck)'));
    for (const r of rows) {
      expect(r.notes).toContain('energy by power-endpoints (counter stuck)');
      expect(r.flags).toContain('counter-stuck');
      // 300 W × the window's duration (at least the server's 250 ms).
      expect(Number(r.energy_j) / Number(r.window_s)).toBeCloseTo(300, 9);
    }
    const fitted = await cli(dir, ['fit', '--data', 'runs.csv', '--form', 'linear', '--save', 'c.json']);
    expect(fitted.stdout).toContain("warning   4 of 4 rows have energy_method 'power-endpoints (counter stuck)'");
    const json = await cli(dir, ['fit', '--data', 'runs.csv', '--form', 'linear', '--save', 'd.json', '--json']);
    expect(JSON.parse(json.stdout).data.warnings).toHaveLength(1);
  });

  it("stops a campaign on NVML's not-available power with one line, recording nothing", async () => {
    const fake = buildFakeNvml();
    fake.set({ count: 1, 'dev0.energy_rc': 3, 'dev0.power_na': 1 });
    const s = await server(0);
    const dir = tempDir('adversarial-nvml-');
    const c = capture(dir);
    await inputError(run(['measure', '--endpoint', s.url, '--model', 'm', '--in', '8', '--out', '4', '--warmup', '0', '--idle-s', '0', '--csv', 'runs.csv', '--nvml-lib', fake.libraryPath], c.io), ['4294967295 mW'], 'NvmlError');
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('retries a window the GPU measured as 0 J, then stops naming it, recording nothing', async () => {
    const fake = buildFakeNvml();
    fake.set({ count: 1, 'dev0.energy_mj': 1000, 'dev0.power_mw': 0 });
    const s = await server(0);
    const dir = tempDir('adversarial-nvml-');
    const c = capture(dir);
    await inputError(run(['measure', '--endpoint', s.url, '--model', 'm', '--in', '8', '--out', '4', '--warmup', '0', '--idle-s', '0', '--retries', '1', '--csv', 'runs.csv', '--nvml-lib', fake.libraryPath], c.io), ['failed after 2 attempt(s)', 'GPU 0 reported 0 J'], 'CampaignError');
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
