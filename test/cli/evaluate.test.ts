import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from './fit-fixtures.js';
import { cli } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = fixtureDir();
  await cli(dir, ['fit', '--data', 'ss.csv', '--exclude-notes', 'cold', '--prior', 'none', '--save', 'ss.json']);
  await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--prior', 'none', '--attention', 'fused', '--kv-cache', 'off', '--where', 'split=train', '--save', 'hw-train.json']);
  writeFileSync(join(dir, 'falcon.csv'), 'model,n_in,n_out,energy_j\ntiiuae/falcon-7b,10,10,100\n');
});

describe('sweetspot evaluate', () => {
  it('prints mape, perModel (id → {mape, n}) and baselines as JSON', async () => {
    const { code, stdout } = await cli(dir, ['evaluate', '--calibration', 'ss.json', '--data', 'ss.csv', '--exclude-notes', 'cold', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.mape).toBeLessThan(1.5);
    // Exactly the fields the CLI contract names: id → { mape, n }.
    expect(Object.keys(out.perModel['llama-2-7b']).sort()).toEqual(['mape', 'n']);
    expect(out.perModel['llama-2-7b'].n).toBe(24);
    expect(out.perModel['mistral-7b'].mape).toBeGreaterThan(0);
    expect(out.baselines.linear.mape).toBeGreaterThan(out.mape);
    expect(out.perPoint).toHaveLength(24);
  });

  it('with the cold rows left in, their error shows in the MAPE', async () => {
    const all = JSON.parse((await cli(dir, ['evaluate', '--calibration', 'ss.json', '--data', 'ss.csv', '--json'])).stdout);
    expect(all.n).toBe(50);
    // Two good repeats and one at 10× the energy: APEs ≈ 0, 0 and 90 %, so the point's MAPE is ≈ 30 %.
    const point = all.perPoint.find((p: { n: number; nIn: number; nOut: number }) => p.nIn === 16 && p.nOut === 8 && p.n === 3);
    expect(point.mape).toBeGreaterThan(29);
    expect(point.mape).toBeLessThan(32);
  });

  it('names a model missing from a per-model calibration', async () => {
    await expect(cli(dir, ['evaluate', '--calibration', 'ss.json', '--data', 'falcon.csv'])).rejects.toThrow(/falcon-7b .*calibrated: llama-2-7b, mistral-7b/);
  });

  it('a hardware calibration fitted on two models predicts a third it never saw', async () => {
    const out = JSON.parse((await cli(dir, ['evaluate', '--calibration', 'hw-train.json', '--data', 'hw.csv', '--json'])).stdout);
    expect(Object.keys(out.perModel)).toEqual(['llama-2-7b', 'mistral-7b', 'falcon-7b']);
    expect(out.perModel['falcon-7b'].mape).toBeLessThan(0.01);
  });

  it('refuses rows of another regime and a broken calibration file, naming them', async () => {
    await expect(cli(dir, ['evaluate', '--calibration', 'hw-train.json', '--data', 'hw.csv', '--kv-cache', 'on'])).rejects.toThrow(/line 2: kv_cache: the row is kv-cache but the calibration is for the recompute regime/);
    writeFileSync(join(dir, 'broken.json'), '{"version": 3}');
    await expect(cli(dir, ['evaluate', '--calibration', 'broken.json', '--data', 'hw.csv'])).rejects.toThrow(/--calibration broken.json: calibration: version/);
    await expect(cli(dir, ['evaluate', '--calibration', 'hw-train.json'])).rejects.toThrow(/--data is required/);
  });

  it('evaluates the built-in default (h100) when no calibration is named, as predict does', async () => {
    writeFileSync(join(dir, 'h100.csv'), 'model,n_in,n_out,batch_size,energy_j,gpu\nllama-3-8b,1024,1024,1,3000,NVIDIA H100 80GB HBM3\nllama-2-7b,512,128,8,900,NVIDIA H100 80GB HBM3\n');
    const implicit = JSON.parse((await cli(dir, ['evaluate', '--data', 'h100.csv', '--json'])).stdout);
    const named = JSON.parse((await cli(dir, ['evaluate', '--calibration', 'h100', '--data', 'h100.csv', '--json'])).stdout);
    expect(implicit.calibration).toBe('h100');
    expect(implicit.perPoint).toEqual(named.perPoint);
    // The first row by hand from predict's answer: APE = |predicted − 3000| / 3000.
    const predicted = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--batch', '1', '--json'])).stdout).energyJ;
    expect(implicit.mape).toBeGreaterThan(0);
    expect(Object.keys(implicit.perModel)).toEqual(['llama-3-8b', 'llama-2-7b']);
    expect(implicit.perModel['llama-3-8b'].mape).toBeCloseTo((100 * Math.abs(predicted - 3000)) / 3000, 6);
  });

  it('prices rows on another GPU with the calibration moved there, unless --no-transfer', async () => {
    writeFileSync(join(dir, 'l40s.csv'), 'model,n_in,n_out,batch_size,energy_j,gpu\nllama-3-8b,1024,256,1,1500,NVIDIA L40S\n');
    const moved = JSON.parse((await cli(dir, ['evaluate', '--data', 'l40s.csv', '--json'])).stdout);
    const onL40s = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256', '--on-gpu', 'NVIDIA L40S', '--json'])).stdout).energyJ;
    const onH100 = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256', '--json'])).stdout).energyJ;
    expect(onL40s).not.toBeCloseTo(onH100, 0);
    expect(moved.perPoint[0].predictedJ).toBeCloseTo(onL40s, 9);
    expect(moved.warnings[0]).toMatch(/^1 row\(s\) measured on another GPU .*\(NVIDIA L40S\): priced by the calibration moved/);
    const text = (await cli(dir, ['evaluate', '--data', 'l40s.csv'])).stdout;
    expect(text).toContain('--no-transfer prices them on the calibration');
    // The baselines' notes speak the command line's flags too.
    expect(text).not.toContain('calibrate({');
    const unmoved = JSON.parse((await cli(dir, ['evaluate', '--data', 'l40s.csv', '--no-transfer', '--json'])).stdout);
    expect(unmoved.perPoint[0].predictedJ).toBeCloseTo(onH100, 9);
    expect(unmoved.warnings[0]).toMatch(/priced on the calibration's GPU \(NVIDIA L40S: not moved/);
  });
});
