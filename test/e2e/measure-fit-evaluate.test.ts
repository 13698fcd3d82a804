import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { buildFakeNvml, type FakeNvml } from '../fixtures/fake-nvml/build.js';
import { startFakeServer, type FakeServer } from '../fixtures/fake-openai-server.js';

// The whole user path through the CLI: measure a (fake) GPU serving a (fake) model, fit the
// SweetSpot form to what was measured, evaluate and predict. The fake GPU's energy counter moves by
// a known SweetSpot polynomial per request (integer millijoules), so the fit must recover its
// coefficients and predict unmeasured points exactly: an independent expectation end to end.
const THETA_MJ = { theta1: 1, theta2: 30, theta3: 2, theta4: 1, theta5: 400, theta6: 5000 };
const polyMj = (i: number, o: number) =>
  THETA_MJ.theta1 * i * i + THETA_MJ.theta2 * i + THETA_MJ.theta3 * i * o + THETA_MJ.theta4 * o * o + THETA_MJ.theta5 * o + THETA_MJ.theta6;

let fake: FakeNvml;
let server: FakeServer;
let energyMj = 7_000_000;
let dir: string;

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: dir }, out, err };
}

beforeAll(async () => {
  fake = buildFakeNvml();
  fake.set({ count: 1, 'dev0.name': 'NVIDIA H100 80GB HBM3', 'dev0.energy_mj': energyMj, 'dev0.power_mw': 70_000 });
  server = await startFakeServer({
    onRequest: (body) => {
      energyMj += polyMj(body.prompt.length, body.max_tokens);
      fake.update({ 'dev0.energy_mj': energyMj });
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'sweetspot-e2e-'));
});
afterAll(async () => {
  await server?.close();
});

describe('measure → fit → evaluate → predict', () => {
  it('recovers the energy law the GPU followed', async () => {
    const m = cli();
    const measureArgs = ['measure', '--endpoint', server.url, '--model', 'facebook/opt-1.3b', '--in', '64,128,256,512,1024',
      '--out', '16,64,256', '--repeats', '1', '--warmup', '1', '--idle-s', '0.05', '--csv', 'runs.csv', '--nvml-lib', fake.libraryPath];
    expect(await run(measureArgs, m.io), m.err.join('')).toBe(0);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 15);

    const f = cli();
    expect(await run(['fit', '--data', 'runs.csv', '--form', 'sweetspot', '--prior', 'none', '--save', 'calib.json', '--json'], f.io), f.err.join('')).toBe(0);
    const calibration = JSON.parse(readFileSync(join(dir, 'calib.json'), 'utf8'));
    const params = calibration.models['opt-1.3b']?.params ?? calibration.models['facebook/opt-1.3b']?.params;
    expect(params, JSON.stringify(calibration.models)).toBeDefined();
    for (const [name, mj] of Object.entries(THETA_MJ)) {
      expect(params[name].value / (mj / 1000), name).toBeCloseTo(1, 6);
    }

    const e = cli();
    expect(await run(['evaluate', '--calibration', 'calib.json', '--data', 'runs.csv', '--json'], e.io), e.err.join('')).toBe(0);
    const evaluation = JSON.parse(e.out.join(''));
    expect(evaluation.mape).toBeLessThan(1e-6);
    expect(Object.values(evaluation.perModel as Record<string, { n: number }>)[0].n).toBe(15);

    // A point that was never measured.
    const p = cli();
    expect(await run(['predict', '--calibration', 'calib.json', '--model', 'facebook/opt-1.3b', '--in', '700', '--out', '100', '--json'], p.io)).toBe(0);
    const prediction = JSON.parse(p.out.join(''));
    expect(prediction.energyJ / (polyMj(700, 100) / 1000)).toBeCloseTo(1, 6);
    expect(prediction.jPerOutputToken).toBeCloseTo(prediction.energyJ / 100, 9);
  });
});
