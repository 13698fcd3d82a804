import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCalibration } from '../../src/energy/calibration/document.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { predictEnergy } from '../../src/energy/predict/predict.js';
import { transferCalibration } from '../../src/energy/calibration/transfer.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { preset } from '../../src/architecture/registry.js';
import { fixtureDir } from './fit-fixtures.js';
import { cli } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = fixtureDir();
  await cli(dir, ['fit', '--data', 'ss.csv', '--exclude-notes', 'cold', '--save', 'ss.json']);
});

describe('sweetspot predict', () => {
  it('computes energyJ from the saved parameters (hand check) and the per-token metrics', async () => {
    const { code, stdout } = await cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'llama-2-7b', '--in', '500', '--out', '100', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const p = parseCalibration(readFileSync(join(dir, 'ss.json'), 'utf8')).models['llama-2-7b'].params;
    const [i, o] = [500, 100];
    const e = p.theta1.value * i * i + p.theta2.value * i + p.theta3.value * i * o + p.theta4.value * o * o + p.theta5.value * o + p.theta6.value;
    expect(out.energyJ).toBeCloseTo(e, 9);
    expect(out.jPerOutputToken).toBeCloseTo(e / 100, 9);
    expect(out.jPerToken).toBeCloseTo(e / 600, 9);
    expect(out.outputTokensPerJ).toBeCloseTo(100 / e, 12);
    expect(out).toMatchObject({ model: 'llama-2-7b', nIn: 500, nOut: 100, batch: 1 });
  });

  it('uses the built-in H100 default without --calibration, as estimate does', async () => {
    const out = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256', '--batch', '8', '--json'])).stdout);
    const expected = predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-3-8b'), { nIn: 1024, nOut: 256, batch: 8 }).energyJ;
    expect(out.energyJ).toBeCloseTo(expected, 9);
    expect(out).toMatchObject({ model: 'llama-3-8b', batch: 8, gpus: 1 });
    const text = (await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256'])).stdout;
    expect(text).toContain('hardware calibration');
  });

  it('names what is wrong: a model not calibrated, another batch, bad lengths, missing options', async () => {
    await expect(cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'falcon-7b', '--in', '5', '--out', '5'])).rejects.toThrow(/falcon-7b' is not calibrated/);
    await expect(cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'llama-2-7b', '--in', '5', '--out', '5', '--batch', '4'])).rejects.toThrow(/batch 4: .*calibrated at batch 1/);
    await expect(cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'llama-2-7b', '--in', '0', '--out', '5'])).rejects.toThrow(/--in must be an integer ≥ 1/);
    await expect(cli(dir, ['predict', '--calibration', 'ss.json', '--in', '5', '--out', '5'])).rejects.toThrow(/--model is required/);
    await expect(cli(dir, ['predict', '--calibration', 'nope.json', '--model', 'llama-2-7b', '--in', '5', '--out', '5'])).rejects.toThrow(/cannot read the file/);
  });

  it('refuses a request beyond the context unless allowed', async () => {
    await expect(cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'llama-2-7b', '--in', '4000', '--out', '200'])).rejects.toThrow(/exceeds the context/);
    const ok = await cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'llama-2-7b', '--in', '4000', '--out', '200', '--allow-overflow', '--json']);
    expect(JSON.parse(ok.stdout).energyJ).toBeGreaterThan(0);
  });

  it('predicts a model calibrated under a name with no known architecture, from the saved parameters', async () => {
    writeFileSync(join(dir, 'custom.csv'), readFileSync(join(dir, 'ss.csv'), 'utf8').replaceAll('meta-llama/Llama-2-7b-hf', 'my-org/custom-7b'));
    await cli(dir, ['fit', '--data', 'custom.csv', '--exclude-notes', 'cold', '--save', 'custom.json']);
    const out = JSON.parse((await cli(dir, ['predict', '--calibration', 'custom.json', '--model', 'my-org/custom-7b', '--in', '500', '--out', '100', '--json'])).stdout);
    const p = parseCalibration(readFileSync(join(dir, 'custom.json'), 'utf8')).models['my-org/custom-7b'].params;
    const e = p.theta1.value * 500 ** 2 + p.theta2.value * 500 + p.theta3.value * 500 * 100 + p.theta4.value * 100 ** 2 + p.theta5.value * 100 + p.theta6.value;
    expect(out).toMatchObject({ model: 'my-org/custom-7b', batch: 1 });
    expect(out.energyJ).toBeCloseTo(e, 9);
    expect(out.jPerOutputToken).toBeCloseTo(e / 100, 9);
    await expect(cli(dir, ['predict', '--calibration', 'custom.json', '--model', 'my-org/custom-7b', '--in', '5', '--out', '5', '--batch', '2'])).rejects.toThrow(/batch 2: .*calibrated at batch 1/);
  });

  it('--on-gpu predicts on another GPU through transferCalibration, and names a GPU it cannot place', async () => {
    const out = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--on-gpu', 'A100 SXM4 40GB', '--json'])).stdout);
    const moved = transferCalibration(H100_DEFAULT_CALIBRATION, 'a100-sxm4-40gb');
    expect(out.energyJ).toBeCloseTo(predictEnergy(moved, preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }).energyJ, 9);
    expect(out.gpuMemoryBytes).toBe(40e9);
    const text = (await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--on-gpu', 'A100 SXM4 40GB'])).stdout;
    expect(text).toContain('hardware calibration, NVIDIA A100 SXM4 40GB');
    expect(text).toContain('moved to this GPU by ratios to physics; expect about 10–30% error (docs/energy-models.md#other-gpus)');
    // A GDDR card: wider interval (σ 0.4 in log E, against 0.2) and the error the GDDR checks show.
    const gddr = (await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--on-gpu', 'L40S'])).stdout;
    expect(gddr).toContain('expect about a third error or more: moves to GDDR cards are checked on two cards only (docs/energy-models.md#gddr-cards)');
    const l40s = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--on-gpu', 'L40S', '--json'])).stdout);
    expect(Math.log(l40s.interval.highJ / l40s.energyJ)).toBeGreaterThan(1.645 * 0.4);
    expect(Math.log(out.interval.highJ / out.energyJ)).toBeLessThan(1.645 * 0.3);
    await expect(cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '8', '--out', '8', '--on-gpu', 'A100'])).rejects.toThrow(/^predict: --on-gpu A100: GPU 'A100' matches 4 profiles/);
    await expect(cli(dir, ['predict', '--calibration', 'ss.json', '--model', 'llama-2-7b', '--in', '8', '--out', '8', '--on-gpu', 'L40S'])).rejects.toThrow(/--on-gpu L40S: only a hardware calibration moves to another GPU; this one is 'sweetspot'/);
  });

  it('prints no interval on several GPUs (intervals are for one), and says when the calibration was moved', async () => {
    const two = JSON.parse((await cli(dir, ['predict', '--model', 'llama-2-7b', '--in', '1024', '--out', '1024', '--batch', '8', '--gpus', '2', '--json'])).stdout);
    expect(two.interval).toBeNull();
    expect((await cli(dir, ['predict', '--model', 'llama-2-7b', '--in', '1024', '--out', '1024', '--batch', '8', '--gpus', '2'])).stdout).toContain('interval  none: intervals are for one GPU');
    const moved = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256', '--on-gpu', 'L40S', '--json'])).stdout);
    expect(moved).toMatchObject({ fitted: false, moved: true });
    const own = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256', '--json'])).stdout);
    expect(own).toMatchObject({ fitted: true, moved: false });
    const text = (await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '256', '--on-gpu', 'L40S'])).stdout;
    expect(text).toContain('widened for the move to another GPU');
    expect(text).toContain('note      the calibration was fitted on NVIDIA H100 and moved to this GPU by ratios to physics');
  });

  it('says when a request lies outside the rows the calibration was fitted on', async () => {
    const out = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '4096', '--out', '64', '--batch', '8', '--json'])).stdout);
    expect(out.outsideFit).toEqual(['prompt 4096 (rows: 1024)', 'output 64 (rows: 1024)']);
    const inside = JSON.parse((await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--batch', '16', '--json'])).stdout);
    expect(inside.outsideFit).toEqual([]);
    const text = (await cli(dir, ['predict', '--model', 'llama-3-8b', '--in', '4096', '--out', '64', '--batch', '8'])).stdout;
    expect(text).toContain('note      outside the rows it was fitted on: prompt 4096 (rows: 1024), output 64 (rows: 1024); the interval does not cover extrapolation');
  });

  it('--ignore-memory says the batch does not fit, and how it was priced', async () => {
    // Llama-3.1-8B at 4096 + 64, batch 128: 85.8 GB of weights and KV cache on one 80 GB H100.
    const text = (await cli(dir, ['predict', '--model', 'llama-3.1-8b', '--in', '4096', '--out', '64', '--batch', '128', '--ignore-memory'])).stdout;
    expect(text).toMatch(/memory    85\.8 GB of weights and KV cache on 1 GPU\(s\) of 80\.0 GB in all: does not fit, priced as if held at once \(--ignore-memory\)/);
    const fits = (await cli(dir, ['predict', '--model', 'llama-3.1-8b', '--in', '4096', '--out', '64', '--batch', '8', '--ignore-memory'])).stdout;
    expect(fits).not.toContain('does not fit');
  });

  it('--interval sets the coverage of the interval, and refuses one outside (0, 1)', async () => {
    const args = ['predict', '--model', 'llama-3-8b', '--in', '1024', '--out', '1024', '--json'];
    const at = async (p?: string) => JSON.parse((await cli(dir, p === undefined ? args : [...args, '--interval', p])).stdout).interval;
    const [i90, i80, i99] = [await at(), await at('0.8'), await at('0.99')];
    expect(i90.level).toBe(0.9);
    expect(i80.level).toBe(0.8);
    // Nested intervals: a lower coverage is narrower, a higher one wider.
    expect(i80.lowJ).toBeGreaterThan(i90.lowJ);
    expect(i80.highJ).toBeLessThan(i90.highJ);
    expect(i99.lowJ).toBeLessThan(i90.lowJ);
    expect(i99.highJ).toBeGreaterThan(i90.highJ);
    // The library gives the same interval at that level.
    const est = estimate('llama-3-8b', { nIn: 1024, nOut: 1024 }, { interval: 0.8 });
    expect(i80.lowJ).toBeCloseTo(est.intervalJ![0], 6);
    expect((await cli(dir, [...args.slice(0, -1), '--interval', '0.8'])).stdout).toContain('J for the call (80%, from');
    for (const bad of ['1', '0', '90', 'x', '']) await expect(cli(dir, [...args, '--interval', bad])).rejects.toThrow(/--interval must be a coverage between 0 and 1 such as 0\.9/);
  });
});
