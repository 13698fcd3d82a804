import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFakeNvml } from '../fixtures/fake-nvml/build.js';
import { hasPython3, needsPython3 } from '../python3.js';

// scripts/gpu-check.sh is meant for a real H100; here both of its checks (python ctypes and the
// built dist/nvml through koffi) run against the fake library, whose counter never moves, so the
// verdict must be a failure — with the evidence written to $OUT and a summary naming each part.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('scripts/gpu-check.sh', () => {
  it.skipIf(!hasPython3)(`runs both checks, writes its evidence under $OUT, and ends with a FAIL summary when the counter does not move${needsPython3}`, () => {
    if (!existsSync(join(ROOT, 'dist/nvml/index.js'))) throw new Error('dist/ is missing: run npx tsup first');
    const fake = buildFakeNvml();
    fake.set({ count: 1, 'dev0.name': 'Fake H100', 'dev0.arch': 9, 'dev0.energy_mj': 5000, 'dev0.instant_mw': 70_000 });
    const out = mkdtempSync(join(tmpdir(), 'gpu-check-out-'));
    const r = spawnSync('bash', ['scripts/gpu-check.sh', '--seconds', '0.3'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 110_000,
      env: { ...process.env, OUT: out, SWEETSPOT_NVML_LIB: fake.libraryPath },
    });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('RESULT: FAIL');
    expect(r.stdout).toContain('python check: FAIL (exit 1)');
    expect(r.stdout).toContain('node check:   FAIL (exit 1)');
    expect(readdirSync(out).sort()).toEqual(['gpu-check-node.json', 'gpu-check-python.json', 'gpu-check.txt']);
    // The log in $OUT is the whole output, summary included.
    expect(readFileSync(join(out, 'gpu-check.txt'), 'utf8').trim().split('\n').at(-1)).toBe('RESULT: FAIL');
    const py = JSON.parse(readFileSync(join(out, 'gpu-check-python.json'), 'utf8'));
    const js = JSON.parse(readFileSync(join(out, 'gpu-check-node.json'), 'utf8'));
    // No GPU backend here (numpy on the CPU at best): the load check fails, and a counter that never
    // moves fails both its own check and the comparison with integrated power.
    expect(py).toMatchObject({
      name: 'Fake H100',
      counter_supported: true,
      checks: { gpu_load_ran: false, counter_read: true, counter_moved: false, counter_matches_integration: false },
    });
    expect(js).toMatchObject({
      name: 'Fake H100',
      architecture: 'hopper',
      energyCounterSupported: true,
      checks: { gpuLoadRan: false, counterRead: true, counterMoved: false, counterMatchesIntegration: false },
    });
    // Both read the scripted 70 W through their own bindings.
    expect(py.idle.integrated_j / py.idle.duration_s).toBeCloseTo(70, 6);
    expect(js.idle.integration.totalEnergyJ / js.idle.integration.durationS).toBeCloseTo(70, 6);
  });

  it('refuses an unknown argument', () => {
    const r = spawnSync('bash', ['scripts/gpu-check.sh', '--nope'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OUT: mkdtempSync(join(tmpdir(), 'gpu-check-out-')) } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown argument '--nope'");
  });
});
