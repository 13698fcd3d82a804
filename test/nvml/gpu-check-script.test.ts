import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFakeNvml } from '../fixtures/fake-nvml/build.js';
import { hasPython3, needsPython3 } from '../python3.js';

// scripts/gpu_check.py is meant for a real GPU; here it runs against the fake library so its
// ctypes bindings (struct layout, out-parameters) are checked, and its verdict on a counter that
// never moves must be a failure.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe.skipIf(!hasPython3)(`scripts/gpu_check.py against the fake NVML library${needsPython3}`, () => {
  it('reads the device through ctypes and fails the checks when the counter does not move', () => {
    const fake = buildFakeNvml();
    fake.set({ count: 1, 'dev0.name': 'Fake H100', 'dev0.arch': 9, 'dev0.energy_mj': 5000, 'dev0.instant_mw': 71_500 });
    const out = mkdtempSync(join(tmpdir(), 'gpu-check-'));
    const r = spawnSync('python3', ['scripts/gpu_check.py', '--lib', fake.libraryPath, '--seconds', '0.2', '--probe-s', '0.1', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'gpu-check-python.json'), 'utf8'));
    expect(report).toMatchObject({ name: 'Fake H100', architecture_id: 9, power_source: 'field-instant', energy_counter_mj: 5000, counter_supported: true });
    expect(report.checks).toMatchObject({ counter_read: true, counter_moved: false, busy_far_above_idle: false });
    // Constant 71.5 W integrated over the idle window.
    expect(report.idle.integrated_j).toBeCloseTo(71.5 * report.idle.duration_s, 6);
    expect(r.stdout).toContain('FAIL counter_moved');
  });

  it('exits 2 when the library cannot be loaded', () => {
    const r = spawnSync('python3', ['scripts/gpu_check.py', '--lib', '/nonexistent/libnvidia-ml.so.1', '--out', mkdtempSync(join(tmpdir(), 'gpu-check-'))], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('FAIL nvml: cannot load libnvidia-ml.so.1');
  });
});
