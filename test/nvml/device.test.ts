import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NvmlError, NvmlUnavailableError, openNvml, type Nvml } from '../../src/nvml/index.js';
import { buildFakeNvml, type FakeNvml } from '../fixtures/fake-nvml/build.js';

const koffi = createRequire(import.meta.url)('koffi');

/** Reads the fake library's call counters through its own exported function. */
function calls(fake: FakeNvml, name: string): number {
  return koffi.load(fake.libraryPath).func('fake_nvml_calls', 'int', ['const char *'])(name);
}

let fake: FakeNvml;
let open: Nvml | undefined;
beforeAll(() => {
  fake = buildFakeNvml();
});
afterEach(() => {
  open?.close();
  open = undefined;
});

describe('openNvml over a fake libnvidia-ml (real FFI)', () => {
  it('reads names, architectures, counters and power of several devices', async () => {
    fake.set({
      count: 3,
      'dev0.name': 'NVIDIA H100 80GB HBM3',
      'dev0.arch': 9,
      'dev0.energy_mj': 123456789012,
      'dev0.power_mw': 700000,
      'dev0.instant_mw': 612345,
      'dev1.name': 'NVIDIA A100-SXM4-40GB',
      'dev1.arch': 7,
      'dev1.energy_mj': 42,
      'dev1.power_mw': 55000,
      'dev2.arch': 77,
      'dev2.energy_rc': 3,
      'dev2.power_mw': 10,
    });
    open = await openNvml({ libraryPath: fake.libraryPath });
    expect(open.deviceCount()).toBe(3);
    const [d0, d1, d2] = open.devices();
    expect(d0.info()).toEqual({ index: 0, name: 'NVIDIA H100 80GB HBM3', architecture: 'hopper', energyCounterSupported: true });
    expect(d0.totalEnergyMj()).toBe(123456789012);
    // The instantaneous field wins over the (averaged) power usage.
    expect(d0.powerW()).toBeCloseTo(612.345, 9);
    expect(d0.powerSource).toBe('field-instant');
    expect(d1.name).toBe('NVIDIA A100-SXM4-40GB');
    expect(d1.architecture).toBe('ampere');
    expect(d1.totalEnergyMj()).toBe(42);
    expect(d1.powerW()).toBeCloseTo(55, 9);
    expect(d2.name).toBe('Fake GPU 2');
    expect(d2.architecture).toBe('unknown(77)');
    expect(d2.energyCounterSupported).toBe(false);
  });

  it('opens a device whose architecture NVML cannot name (NOT_SUPPORTED, NVML_DEVICE_ARCH_UNKNOWN) as unknown', async () => {
    fake.set({ count: 2, 'dev0.arch_rc': 3, 'dev0.energy_mj': 1, 'dev1.arch': 0xffffffff, 'dev1.energy_mj': 1 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    expect(open.device(0).architecture).toBe('unknown');
    expect(open.device(1).architecture).toBe('unknown');
  });

  it('still fails opening a device when the architecture read reports a real error', async () => {
    fake.set({ count: 1, 'dev0.arch_rc': 15 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    expect(() => open!.device(0)).toThrow('nvmlDeviceGetArchitecture(gpu 0) failed: fake NVML: GPU is lost (NVML return code 15)');
  });

  it('decodes the field value union at offset 32 by its value type (unsigned int, double, unsigned long long)', async () => {
    // The fake fills timestamp/latency with sentinels and the union's upper bytes with 0xA5: a
    // wrong struct layout or a decode of the wrong width reads nonsense instead of these watts.
    fake.set({ count: 3, 'dev0.instant_mw': 431250, 'dev1.instant_mw': 431250, 'dev1.instant_type': 0, 'dev2.instant_mw': 5_000_000_123, 'dev2.instant_type': 3 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    const [d0, d1, d2] = open.devices();
    expect(d0.powerW()).toBe(431.25);
    expect(d1.powerW()).toBe(431.25);
    expect(d2.powerW()).toBe(5_000_000.123);
    expect([d0, d1, d2].map((d) => d.powerSource)).toEqual(['field-instant', 'field-instant', 'field-instant']);
  });

  it('follows the scripted counter between reads', async () => {
    fake.set({ count: 1, 'dev0.energy_mj': 1000 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    const gpu = open.device(0);
    expect(gpu.totalEnergyMj()).toBe(1000);
    fake.update({ 'dev0.energy_mj': 2500 });
    expect(gpu.totalEnergyMj()).toBe(2500);
  });

  it('falls back to nvmlDeviceGetPowerUsage when the instant field is not supported, and stops asking', async () => {
    fake.set({ count: 1, 'dev0.power_mw': 250000, 'dev0.instant_rc': 3 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    const gpu = open.device(0);
    const fieldsBefore = calls(fake, 'fields');
    expect(gpu.powerW()).toBeCloseTo(250, 9);
    expect(gpu.powerSource).toBe('power-usage');
    expect(gpu.powerW()).toBeCloseTo(250, 9);
    expect(calls(fake, 'fields') - fieldsBefore).toBe(1);
  });

  it('turns NVML return codes into errors carrying nvmlErrorString messages', async () => {
    fake.set({ count: 1, 'dev0.energy_mj': 5, 'dev0.power_rc': 4, 'dev0.instant_rc': 3 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    const gpu = open.device(0);
    expect(() => gpu.powerW()).toThrow(NvmlError);
    expect(() => gpu.powerW()).toThrow('nvmlDeviceGetPowerUsage(gpu 0) failed: fake NVML: Insufficient Permissions (NVML return code 4)');
    fake.update({ 'dev0.energy_rc': 15 });
    try {
      gpu.totalEnergyMj();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NvmlError);
      expect((error as NvmlError).code).toBe(15);
      expect((error as Error).message).toContain('fake NVML: GPU is lost');
    }
  });

  it('reports a failing nvmlInit_v2 with its message and does not leave NVML initialised', async () => {
    fake.set({ init_rc: 9 });
    await expect(openNvml({ libraryPath: fake.libraryPath })).rejects.toThrow(
      'nvmlInit_v2 failed: fake NVML: Driver Not Loaded (NVML return code 9)',
    );
  });

  it('rejects an out-of-range GPU index naming it', async () => {
    fake.set({ count: 2 });
    open = await openNvml({ libraryPath: fake.libraryPath });
    expect(() => open!.device(2)).toThrow('gpu index 2 is out of range: this machine has 2 GPU(s) (indices 0..1)');
    expect(() => open!.device(-1)).toThrow('gpu index -1');
  });

  it('balances init and shutdown, and refuses reads after close', async () => {
    fake.set({ count: 1, 'dev0.energy_mj': 7 });
    const initsBefore = calls(fake, 'init');
    const shutdownsBefore = calls(fake, 'shutdown');
    const nvml = await openNvml({ libraryPath: fake.libraryPath });
    const gpu = nvml.device(0);
    nvml.close();
    nvml.close();
    expect(calls(fake, 'init') - initsBefore).toBe(1);
    expect(calls(fake, 'shutdown') - shutdownsBefore).toBe(1);
    expect(() => gpu.totalEnergyMj()).toThrow('the NVML session was closed');
  });
});

describe('drivers without some functions', () => {
  it('treats a missing energy function as an unsupported counter, and missing fields as power usage', async () => {
    const old = buildFakeNvml({ omit: ['ENERGY', 'FIELDS', 'ARCH'] });
    old.set({ count: 1, 'dev0.power_mw': 80000 });
    open = await openNvml({ libraryPath: old.libraryPath });
    const gpu = open.device(0);
    expect(gpu.energyCounterSupported).toBe(false);
    expect(gpu.architecture).toBe('unknown');
    expect(gpu.powerSource).toBe('power-usage');
    expect(gpu.powerW()).toBeCloseTo(80, 9);
    expect(() => gpu.totalEnergyMj()).toThrow('nvmlDeviceGetTotalEnergyConsumption');
  });

  it('names a missing required function and what to install', async () => {
    const broken = buildFakeNvml({ omit: ['INIT'] });
    const attempt = openNvml({ libraryPath: broken.libraryPath });
    await expect(attempt).rejects.toBeInstanceOf(NvmlUnavailableError);
    await expect(openNvml({ libraryPath: broken.libraryPath })).rejects.toThrow(
      new RegExp(`the NVML library ${broken.libraryPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has no function nvmlInit_v2.*install a newer NVIDIA driver`),
    );
  });
});

describe('missing koffi or library', () => {
  it('names the library, every path tried, and the env override', async () => {
    const error = await openNvml({ env: { SWEETSPOT_NVML_LIB: '/nonexistent/dir/libnvidia-ml.so.1' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NvmlUnavailableError);
    expect((error as NvmlUnavailableError).reason).toBe('library');
    expect((error as Error).message).toContain('libnvidia-ml.so.1');
    expect((error as Error).message).toContain('SWEETSPOT_NVML_LIB');
    expect((error as Error).message).toContain('Tried: /nonexistent/dir/libnvidia-ml.so.1:');
  });

  it('loads the library named by SWEETSPOT_NVML_LIB', async () => {
    fake.set({ count: 1, 'dev0.name': 'via env' });
    open = await openNvml({ env: { SWEETSPOT_NVML_LIB: fake.libraryPath } });
    expect(open.libraryPath).toBe(fake.libraryPath);
    expect(open.device(0).name).toBe('via env');
  });

  it('says to install koffi when it cannot be imported', async () => {
    const importKoffi = () => Promise.reject(Object.assign(new Error("Cannot find package 'koffi'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const error = await openNvml({ importKoffi }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NvmlUnavailableError);
    expect((error as NvmlUnavailableError).reason).toBe('koffi');
    expect((error as Error).message).toContain('npm install koffi');
  });
});
