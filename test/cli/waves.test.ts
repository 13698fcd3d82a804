import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paramCount } from '../../src/architecture/params.js';
import { preset } from '../../src/architecture/registry.js';
import { hardwareFormBase } from '../../src/energy/forms/hardware.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { featuresOf } from '../fit/helpers.js';
import { cli as cliIn } from './helpers.js';

let cwd: string;
const cli = (args: string[]) => cliIn(cwd, args);

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'sweetspot-waves-'));
  // Rows made in waves on one A100 40GB: w·E1(batch/w), from the hardware form at the fractional batch.
  const profile = resolveProfile('a100-sxm4-40gb');
  const truth = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4, 3e-11];
  const lines = ['model,n_in,n_out,batch_size,kv_cache,gpu,energy_j'];
  for (const model of ['llama-2-7b', 'mistral-7b']) {
    const weights = paramCount(preset(model)) * 2;
    for (const [i, o] of [[128, 128], [512, 256], [1024, 1024], [2048, 512]]) {
      for (const batch of [1, 8, 32, 64, 128]) {
        const b = Math.floor((profile.memoryBytes - weights) / featuresOf(model, i, o, 'kv-cache', 1).kvCacheBytes);
        const w = batch <= b ? 1 : Math.ceil(batch / b);
        const e = w * hardwareFormBase.predictJ(truth, featuresOf(model, i, o, 'kv-cache', batch / w), { profile });
        lines.push(`${model},${i},${o},${batch},on,NVIDIA A100-SXM4-40GB,${e}`);
      }
    }
  }
  writeFileSync(join(cwd, 'waves.csv'), `${lines.join('\n')}\n`);
});

describe('--waves (docs/energy-models.md#batches-that-exceed-memory)', () => {
  it('predict --waves prices Llama-2-7B at batch 64 on one H100 (82.2 GB) as 2 waves of 32: twice batch 32', async () => {
    const args = ['predict', '--model', 'llama-2-7b', '--in', '1024', '--out', '1024', '--json'];
    const inWaves = JSON.parse((await cli([...args, '--batch', '64', '--waves'])).stdout);
    const half = JSON.parse((await cli([...args, '--batch', '32'])).stdout);
    expect(inWaves.waves).toBe(2);
    expect(inWaves.energyJ / (2 * half.energyJ) - 1).toBeLessThan(1e-12);
    expect(inWaves.energyJ / (2 * half.energyJ) - 1).toBeGreaterThan(-1e-12);
    expect(half.waves).toBeUndefined();
    const text = (await cli(['predict', '--model', 'llama-2-7b', '--in', '1024', '--out', '1024', '--batch', '64', '--waves'])).stdout;
    expect(text).toMatch(/82\.2 GB of weights and KV cache on 1 GPU\(s\) of 80\.0 GB in all: run in 2 waves of 32 sequences \(--waves\)/);
    await expect(cli(['predict', '--model', 'llama-2-7b', '--in', '1024', '--out', '1024', '--batch', '64'])).rejects.toThrow(/or --waves to price it in waves/);
    await expect(cli([...args, '--batch', '64', '--waves', '--ignore-memory'])).rejects.toThrow(/--waves, --ignore-memory: choose one/);
  });

  it('predict --waves prints the sequences per wave in full: 2 waves of 2000, 3 of 21845.33, 3 of 21.33', async () => {
    const line = async (args: string[]) => (await cli(['predict', ...args, '--waves'])).stdout.split('\n').find((l) => l.startsWith('memory'));
    // docs/energy-models.md: Llama-3.1-8B at 64 + 64, batch 4000, on one H100: b = 3841, two waves of 2000.
    expect(await line(['--model', 'llama-3.1-8b', '--in', '64', '--out', '64', '--batch', '4000'])).toMatch(/: run in 2 waves of 2000 sequences \(--waves\)$/);
    // By hand: 8,030,261,248 parameters at 2 bytes = 16,060,522,496 bytes; 15 tokens × 131,072 bytes
    // = 1,966,080 bytes per sequence; b = floor((80e9 − 16,060,522,496) / 1,966,080) = 32521, so
    // 65536 runs in ceil(65536 / 32521) = 3 waves of 21845.33.
    expect(await line(['--model', 'llama-3.1-8b', '--in', '8', '--out', '8', '--batch', '65536'])).toMatch(/: run in 3 waves of 21845\.33 sequences \(--waves\)$/);
    // Llama-2-7B at 1024 + 1024, batch 64, on one A100 40GB: b = 24, 3 waves of 21.33.
    expect(await line(['--model', 'llama-2-7b', '--in', '1024', '--out', '1024', '--batch', '64', '--on-gpu', 'a100-sxm4-40gb'])).toMatch(/: run in 3 waves of 21\.33 sequences \(--waves\)$/);
  });

  it('sweetspot --waves prices every point of the box: at batch 128, 4096 + 64 runs in 2 waves of 64 and costs what it costs at batch 64', async () => {
    const out = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '64,128', '--waves'])).stdout.trimEnd().split('\n');
    const rows = out.slice(4, 6).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[3], r[6]])).toEqual([
      ['64', '4096 + 64', '0'],
      ['128', '4096 + 64', '0'],
    ]);
    expect(rows[1][4]).toBe(rows[0][4]);
    // The figure docs/batching.md gives: worst/best 33.2× at batch 128 in waves.
    expect(rows[1][5]).toBe('33.2×');
    expect(out.at(-1)).toMatch(/^in waves \(--waves\): points whose KV cache does not fit at the batch are priced as run in waves/);
  });

  it('sweetspot and surface with one batch say which points --waves priced in waves, and never offer --ignore-memory beside it', async () => {
    // Llama-3.1-8B on one L4 (24e9 bytes): 16,060,522,496 bytes of weights leave 7,939,477,504, at
    // 131,072 bytes per token: one sequence fits up to floor(60573.9) = 60573 positions, a batch of 8
    // up to floor(7571.7) = 7571.
    const args = ['--model', 'llama-3.1-8b', '--on-gpu', 'L4', '--batch', '8', '--waves'];
    const spot = (await cli(['sweetspot', ...args, '--in', '1024:100000', '--out', '64:128'])).stdout;
    // Left out: nIn + nOut − 1 > 60573, i.e. nIn > 60574 − nOut: Σ over nOut = 64..128 of (39426 + nOut) = 2,568,930.
    expect(spot).toContain('2568930 points do not fit in 24 GB of GPU memory at batch 1 (weights + KV cache), so not in waves either: left out\n');
    expect(spot).toContain('in waves (--waves): points with nIn + nOut − 1 > 7571 do not fit in 24 GB of GPU memory at batch 8 and are priced as run in waves\n');
    expect(spot).not.toContain('--ignore-memory');
    const json = JSON.parse((await cli(['sweetspot', ...args, '--in', '1024:100000', '--out', '64:128', '--json'])).stdout);
    expect([json.outOfMemory, json.worst.nIn + json.worst.nOut - 1]).toEqual([2568930, 60573]);
    const grid = (await cli(['surface', ...args, '--in', '1024:9216:1024', '--out', '64'])).stdout;
    expect(grid).toContain('in waves (--waves): points with nIn + nOut − 1 > 7571 do not fit in 24 GB of GPU memory at batch 8 and are priced as run in waves\n');
    expect(grid).not.toMatch(/left out|--ignore-memory/);
    // Without --waves the same box offers both ways of pricing the points.
    expect((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--on-gpu', 'L4', '--batch', '8', '--in', '1024:9000', '--out', '64'])).stdout).toContain('left out; --waves prices them in waves, --ignore-memory as if held at once');
  });

  it('says no point runs in waves when every point the context allows fits at the batch', async () => {
    // Llama-2-7B on 2 H100s: 13,476,831,232 bytes of weights leave 146,523,168,768 of 160e9; a batch
    // of 64 holds 64 · 524,288 bytes per position, so up to floor(4366.7) = 4366 positions, beyond
    // the model's context of 4096.
    const args = ['sweetspot', '--model', 'llama-2-7b', '--batch', '64', '--waves', '--gpus', '2'];
    const within = (await cli(args)).stdout;
    expect(within).toContain('in waves (--waves): every point within the context (nIn + nOut − 1 ≤ 4096) fits in 160 GB of GPU memory (2 GPUs) at batch 64, so no point runs in waves\n');
    expect(within).not.toContain('priced as run in waves');
    // On one H100 (80e9 bytes) the limit is floor(1982.2) = 1982, inside the context: those beyond run in waves.
    const one = (await cli(args.slice(0, -2))).stdout;
    expect(one).toContain('in waves (--waves): points with nIn + nOut − 1 > 1982 do not fit in 80 GB of GPU memory at batch 64 and are priced as run in waves\n');
  });

  it('fit --waves recovers rows made in waves, and evaluate --waves predicts them; without --waves both read them as held at once', async () => {
    const fit = JSON.parse((await cli(['fit', '--data', 'waves.csv', '--form', 'hardware', '--prior', 'none', '--fix', 'staticPowerW=55', '--waves', '--save', 'w.json', '--json'])).stdout);
    expect(fit.mape).toBeLessThan(1e-4);
    const inWaves = JSON.parse((await cli(['evaluate', '--data', 'waves.csv', '--calibration', './w.json', '--waves', '--json'])).stdout);
    expect(inWaves.mape).toBeLessThan(1e-4);
    const atOnce = JSON.parse((await cli(['evaluate', '--data', 'waves.csv', '--calibration', './w.json', '--json'])).stdout);
    expect(atOnce.mape).toBeGreaterThan(1);
    const plain = JSON.parse((await cli(['fit', '--data', 'waves.csv', '--form', 'hardware', '--prior', 'none', '--fix', 'staticPowerW=55', '--save', 'p.json', '--json'])).stdout);
    expect(plain.mape).toBeGreaterThan(1);
  });
});
