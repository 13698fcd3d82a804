import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn } from './helpers.js';
import { SweetspotInputError } from '../../src/errors.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { human } from '../../src/cli/options/surface-options.js';
import { energyModel, predictEnergy } from '../../src/energy/predict/predict.js';
import { transferCalibration } from '../../src/energy/calibration/transfer.js';
import { preset, sweetspotCalibration } from '../surface/helpers.js';

// jpot = 0.01·o + 1 + 100/o (+ 1e-6·i): minimum at o = √(100/0.01) = 100, value 3 (+ 1e-6·i), best at the lowest nIn.
const THETA = [0, 0, 1e-6, 0.01, 1, 100];

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'sweetspot-cli-'));
  writeFileSync(join(cwd, 'calib.json'), JSON.stringify(sweetspotCalibration('llama-3.1-8b', THETA)));
  writeFileSync(join(cwd, 'calib-7b.json'), JSON.stringify(sweetspotCalibration('llama-2-7b', THETA)));
});

const cli = (args: string[]) => cliIn(cwd, args);

describe('sweetspot sweetspot', () => {
  it('JSON: best, worst and savings ratio agree with the hand computation', async () => {
    const { code, stdout } = await cli(['sweetspot', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(stdout);
    expect(j.metric).toBe('j-per-output-token');
    expect(j.best.nIn).toBe(64);
    expect(j.best.nOut).toBe(100);
    expect(j.best.value).toBeCloseTo(0.01 * 100 + 1 + 100 / 100 + 1e-6 * 64, 12);
    // Worst: the longest prompt with the longest output: 40.96 + 1 + 100/4096 + 1e-6·4096.
    const worst = 0.01 * 4096 + 1 + 100 / 4096 + 1e-6 * 4096;
    expect([j.worst.nIn, j.worst.nOut]).toEqual([4096, 4096]);
    expect(j.worst.value).toBeCloseTo(worst, 10);
    expect(j.worstOverBest).toBeCloseTo(worst / j.best.value, 10);
    expect(j.box).toEqual({ nIn: [64, 4096], nOut: [64, 4096] });
    expect(j.fitted).toBe(false);
  });

  it('a box, another metric, and points beyond the context left out', async () => {
    const j = JSON.parse((await cli(['sweetspot', '--model', 'llama-2-7b', '--calibration', 'calib-7b.json', '--in', '3000:4000', '--out', '50:2000', '--metric', 'tokens-per-j', '--json'])).stdout);
    expect(j.metric).toBe('tokens-per-j');
    expect([j.best.nIn, j.best.nOut]).toEqual([3000, 100]);
    expect(j.best.value).toBeCloseTo(1 / (3 + 3000e-6), 12);
    // llama-2-7b has 4096 positions: for nIn = i, nOut ≤ 4097 − i. Points with nOut above that are left out.
    let beyond = 0;
    for (let i = 3000; i <= 4000; i++) beyond += Math.max(0, 2000 - Math.max(4097 - i, 49));
    expect(j.outOfContext).toBe(beyond);
    // Worst (fewest tokens per J): the highest cost that fits: at i = 3000, nOut = 1097, or at nOut = 50.
    const cost = (i: number, o: number) => 0.01 * o + 1 + 100 / o + 1e-6 * i;
    let worst = 0;
    for (let i = 3000; i <= 4000; i++) worst = Math.max(worst, cost(i, 50), cost(i, Math.min(2000, 4097 - i)));
    expect(1 / j.worst.value).toBeCloseTo(worst, 10);
  });

  it('the main job: the built-in default prints a summary and writes a heatmap', async () => {
    const { code, stdout } = await cli(['sweetspot', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--svg', 'spot.svg']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^llama-3\.1-8b on NVIDIA H100/);
    expect(stdout).toMatch(/sweet spot: \d+ prompt \+ \d+ output tokens: [\d.]+ J\/output token/);
    expect(stdout).toMatch(/worst\/best: [\d.]+×/);
    // The default is fitted (to public H100 rows): no "not fitted" note, and the label says so.
    expect(stdout).toMatch(/calibration: built-in default h100 \(hardware form, fitted to 16 public rows\)/);
    expect(stdout).not.toMatch(/not fitted to measurements/);
    const svg = readFileSync(join(cwd, 'spot.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // The heatmap marks the same point the summary prints.
    const [, nIn, nOut] = /sweet spot: (\d+) prompt \+ (\d+) output/.exec(stdout)!;
    expect(svg).toContain(`data-n-in="${nIn}" data-n-out="${nOut}"`);
    expect(svg).toContain('llama-3.1-8b');
    expect(svg).toContain('NVIDIA H100');
  });

  it.each([
    [['--in', '64:4096:2'], /--in: the sweet-spot search takes an integer box A:B/],
    [['--out', '10:5'], /--out: end 5 is below start 10/],
    [['--metric', 'watts'], /--metric must be one of j-per-output-token, j-per-token, j-per-request, tokens-per-j, relative/],
    [['--within', 'lots'], /--within must be a finite number ≥ 0 \(percent\), got 'lots'/],
    [['--within', 'Infinity'], /--within must be a finite number ≥ 0 \(percent\), got 'Infinity'/],
    [['--calibration', 'missing.json'], /--calibration missing.json: cannot read the file/],
  ])('bad arguments %j are errors naming them', async (extra, message) => {
    await expect(cli(['sweetspot', '--model', 'llama-3.1-8b', ...extra])).rejects.toThrow(message);
    await expect(cli(['sweetspot', '--model', 'llama-3.1-8b', ...extra])).rejects.toBeInstanceOf(SweetspotInputError);
  });

  it('--within 0: the region is the points tying with the best (a valid tolerance, not an error)', async () => {
    const j = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', '--in', '64:70', '--out', '90:110', '--within', '0', '--json'])).stdout);
    // jpot = 0.01·o + 1 + 100/o + 1e-6·i has one minimum, at (64, 100).
    // 7 × 21 points in the box, all within the context.
    expect(j.sweetRegion).toEqual({ withinPercent: 0, points: 1, share: 1 / 147, nIn: [64, 64], nOut: [100, 100] });
    const text = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', '--in', '64:70', '--out', '90:110', '--within', '0'])).stdout;
    expect(text).toContain('within 0% of best: 0.7% of the box (1 points), prompt 64..64, output 100..100');
  });

  it('--batch B: joules per request are the call energy over B, and the label says which batch', async () => {
    const j = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '8', '--in', '64:80', '--out', '64:80', '--json'])).stdout);
    expect(j.calibration).toContain('batch 8');
    const model = energyModel(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), { batch: 8 });
    expect(j.best.energyJ).toBeCloseTo(model.energyJ(j.best.nIn, j.best.nOut) / 8, 9);
    expect(j.best.value).toBeCloseTo(model.energyJ(j.best.nIn, j.best.nOut) / 8 / j.best.nOut, 12);
    const single = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--in', '64:80', '--out', '64:80', '--json'])).stdout);
    expect(single.calibration).not.toContain('batch');
  });

  it('--batch 1,8,64,256: one line per batch, each the single-batch answer', async () => {
    const box = ['--in', '64:1024', '--out', '64:512'];
    const { code, stdout } = await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '1,8,64,256', ...box]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[3]).toMatch(/^batch\s+sweet spot \(prompt \+ output\)/);
    for (const [k, batch] of [1, 8, 64, 256].entries()) {
      const one = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', String(batch), ...box, '--json'])).stdout);
      const ratio = human(one.worstOverBest).replace('.', '\\.');
      expect(lines[4 + k]).toMatch(new RegExp(`^\\s*${batch}\\s+${one.best.nIn} \\+ ${one.best.nOut}\\s.*\\s${one.worst.nIn} \\+ ${one.worst.nOut}\\s.*\\s${ratio}×\\s+${one.outOfMemory}$`));
    }
    expect(lines).toHaveLength(10);
  });

  it('--batch 1,8,64,128,256 on the default box: the points that do not fit, counted by hand, and the worst point that fits', async () => {
    const { code, stdout } = await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '1,8,64,128,256']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[3]).toMatch(/worst\/best\s+do not fit$/);
    // Llama-3.1-8B by hand: 8,030,261,248 parameters at 2 bytes, 131072 bytes of KV cache per
    // token (2 · 32 layers · 8 heads · 128 · 2 bytes); an 80 GB H100.
    const weights = 2 * (2 * 128256 * 4096 + 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096) + 4096);
    const rows = lines.slice(4, 9).map((l) => l.trim().split(/\s{2,}/));
    for (const [k, batch] of [1, 8, 64, 128, 256].entries()) {
      const positions = Math.floor((80e9 - weights) / (batch * 131072));
      let notFitting = 0;
      let worstIn = 0;
      for (let i = 64; i <= 4096; i++) {
        const fit = Math.min(4096, positions - i + 1);
        notFitting += 4096 - Math.max(63, fit);
        // J per output token is worst at the shortest output of the longest prompt that fits.
        if (fit >= 64) worstIn = i;
      }
      expect([batch, Number(rows[k][6])]).toEqual([batch, notFitting]);
      expect([batch, rows[k][3]]).toEqual([batch, `${worstIn} + 64`]);
    }
    expect(rows.map((r) => r[6])).toEqual(['0', '0', '162165', '9473634', '14681779']);
    expect(rows[3][3]).toBe('3748 + 64');
    expect(lines.at(-1)).toMatch(/^do not fit: points of the box whose weights \+ KV cache exceed 80 GB of GPU memory at that batch, left out \(--waves prices them in waves, --ignore-memory as if held at once\)$/);
    // --ignore-memory: the table of before, every point priced.
    const ignored = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '1,8,64,128,256', '--ignore-memory'])).stdout.trimEnd().split('\n');
    const before = ignored.slice(4, 9).map((l) => l.trim().split(/\s{2,}/));
    expect(before.map((r) => [r[3], r[5], r[6]])).toEqual([
      ['4096 + 64', '1.53×', '0'],
      ['4096 + 64', '5.03×', '0'],
      ['4096 + 64', '22.8×', '0'],
      ['4096 + 64', '32.8×', '0'],
      ['4096 + 64', '42.2×', '0'],
    ]);
    expect(ignored.at(-1)).toBe('memory not checked (--ignore-memory): every point is priced');
  });

  it('one batch: the text and JSON count the points that do not fit', async () => {
    const text = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '128'])).stdout;
    expect(text).toContain('9473634 points do not fit in 80 GB of GPU memory at batch 128 (weights + KV cache): left out; --waves prices them in waves, --ignore-memory as if held at once');
    const j = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '128', '--json'])).stdout);
    expect(j.outOfMemory).toBe(9473634);
    expect(j.memory).toEqual({ availableBytes: 80e9, gpus: 1, batch: 128, maxPositions: 3811 });
    expect([j.worst.nIn, j.worst.nOut]).toEqual([3748, 64]);
    const two = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '128', '--gpus', '2', '--json'])).stdout);
    expect(two.outOfMemory).toBe(0);
    expect(two.memory.availableBytes).toBe(160e9);
  });

  it('each metric names its own unit, in the text and the JSON: J per output token is not J per token', async () => {
    const box = ['--model', 'llama-3.1-8b', '--in', '64:512', '--out', '64:256'];
    const units: Record<string, string> = { 'j-per-output-token': 'J/output token', 'j-per-token': 'J/token', 'tokens-per-j': 'output tokens/J', 'j-per-request': 'J' };
    for (const [metric, unit] of Object.entries(units)) {
      const json = JSON.parse((await cli(['sweetspot', ...box, '--metric', metric, '--json'])).stdout);
      expect(json.unit).toBe(unit);
      const text = (await cli(['sweetspot', ...box, '--metric', metric])).stdout;
      // The sweet-spot line: 'N prompt + M output tokens: V UNIT (E J per request)'.
      expect(text).toMatch(new RegExp(`^sweet spot: \\d+ prompt \\+ \\d+ output tokens: [\\d.e+-]+ ${unit.replace('/', '\\/')} \\(`, 'm'));
    }
    // The default is J per output token, and a batch table says so in each cell.
    const table = (await cli(['sweetspot', ...box, '--batch', '1,8'])).stdout;
    expect(table).toMatch(/ J\/output token /);
    expect(table).not.toMatch(/ J\/token /);
  });

  it('--gpus G: the title names the G GPUs; a count the model does not split over is refused', async () => {
    const two = ['--model', 'llama-3.1-8b', '--gpus', '2'];
    const expected = 'llama-3.1-8b on 2 × NVIDIA H100 SXM5 80GB, calibration: built-in default h100';
    expect((await cli(['sweetspot', ...two])).stdout.split('\n')[0]).toMatch(new RegExp(`^${expected.replace(/[()]/g, '\\$&')}`));
    expect((await cli(['sweetspot', ...two, '--batch', '1,8'])).stdout.split('\n')[0]).toMatch(/^llama-3.1-8b on 2 × NVIDIA H100 SXM5 80GB, calibration: /);
    expect((await cli(['surface', ...two, '--in', '64:128:64', '--out', '64'])).stdout.split('\n')[0]).toMatch(/^llama-3.1-8b on 2 × NVIDIA H100 SXM5 80GB, calibration: /);
    expect((await cli(['advise', ...two, '--in', '512', '--out', '64'])).stdout.split('\n')[0]).toMatch(/^llama-3.1-8b on 2 × NVIDIA H100 SXM5 80GB, calibration: /);
    expect((await cli(['sweetspot', '--model', 'llama-3.1-8b'])).stdout.split('\n')[0]).toMatch(/^llama-3.1-8b on NVIDIA H100 SXM5 80GB, calibration: /);
    // 32 heads and 8 KV heads do not split over 3 GPUs.
    await expect(cli(['sweetspot', '--model', 'llama-3.1-8b', '--gpus', '3'])).rejects.toThrow(
      'sweetspot: --gpus: llama-3.1-8b does not split over 3 GPUs tensor parallel: its 32 attention heads and 8 KV heads allow 1, 2, 4, 8, … (each GPU takes whole heads)',
    );
    await expect(cli(['predict', '--model', 'llama-3.1-70b', '--in', '1024', '--out', '256', '--gpus', '3'])).rejects.toThrow(/^predict: --gpus: llama-3.1-70b does not split over 3 GPUs tensor parallel: its 64 attention heads and 8 KV heads allow 1, 2, 4, 8, …/);
  });

  it('--batch list --json: the batches array holds each batch\'s answer; worst/best grows with the batch', async () => {
    const j = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '1,8,64', '--in', '64:1024', '--out', '64:1024', '--json'])).stdout);
    expect(j.batches.map((b: { batch: number }) => b.batch)).toEqual([1, 8, 64]);
    const model = energyModel(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), { batch: 64 });
    const b64 = j.batches[2];
    expect(b64.best.energyJ).toBeCloseTo(model.energyJ(b64.best.nIn, b64.best.nOut) / 64, 9);
    const ratios = j.batches.map((b: { worstOverBest: number }) => b.worstOverBest);
    expect(ratios[0]).toBeLessThan(ratios[1]);
    expect(ratios[1]).toBeLessThan(ratios[2]);
    expect(j.calibration).not.toContain('batch');
  });

  it.each([
    [['--batch', '1,0'], /--batch must be integers in 1\.\.65536 separated by commas, got '0' in '1,0'/],
    [['--batch', '8,70000'], /got '70000'/],
    [['--batch', '8,x'], /got 'x'/],
    [['--batch', '8,8'], /--batch lists 8 twice/],
    [['--batch', '1,8', '--svg', 'a.svg'], /--svg draws one batch/],
  ])('bad batch lists %j are errors naming them', async (extra, message) => {
    await expect(cli(['sweetspot', '--model', 'llama-3.1-8b', ...extra])).rejects.toThrow(message);
  });

  it('--calibration takes a shelf name', async () => {
    const j = JSON.parse((await cli(['sweetspot', '--model', 'llama-3-8b', '--calibration', 'h100-vllm', '--in', '1024', '--out', '1024:1024', '--json'])).stdout);
    expect(j.calibration).toBe('h100-vllm (hardware form, fitted to 8 public rows)');
    expect(j.fitted).toBe(true);
  });

  it('a shelf name wins over a file of that name; ./name reads the file', async () => {
    writeFileSync(join(cwd, 'h100-trtllm'), JSON.stringify(sweetspotCalibration('llama-3.1-8b', THETA)));
    const byName = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--calibration', 'h100-trtllm', '--in', '64:80', '--out', '64:80', '--json'])).stdout);
    expect(byName.calibration).toMatch(/^h100-trtllm \(hardware form/);
    const byFile = JSON.parse((await cli(['sweetspot', '--model', 'llama-3.1-8b', '--calibration', './h100-trtllm', '--in', '64:80', '--out', '64:80', '--json'])).stdout);
    expect(byFile.calibration).toMatch(/^h100-trtllm \(sweetspot form/);
  });

  it('the main job (package.json) prints the batch table for batches 1, 8, 64, 128 and 256', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.scripts.main).toContain('sweetspot --model llama-3.1-8b --batch 1,8,64,128,256');
  });

  it('a model missing from a per-model calibration is an error naming it', async () => {
    await expect(cli(['sweetspot', '--model', 'mistral-7b', '--calibration', 'calib.json'])).rejects.toThrow(/model 'mistral-7b' is not calibrated/);
    await expect(cli(['sweetspot'])).rejects.toThrow(/--model is required/);
  });

  it('--on-gpu searches the surface of the calibration moved to that GPU, and says so', async () => {
    const { stdout } = await cli(['sweetspot', '--model', 'llama-3.1-8b', '--on-gpu', 'L40S', '--json']);
    const out = JSON.parse(stdout);
    expect(out.gpu).toBe('NVIDIA L40S 48GB');
    expect(out.fitted).toBe(false);
    const moved = transferCalibration(H100_DEFAULT_CALIBRATION, 'L40S');
    const e = predictEnergy(moved, preset('llama-3.1-8b'), { nIn: out.best.nIn, nOut: out.best.nOut }).energyJ;
    expect(out.best.energyJ).toBeCloseTo(e, 6);
    const text = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--on-gpu', 'L40S'])).stdout;
    expect(text).toContain('moved to NVIDIA L40S 48GB by ratios to physics');
    expect(text).toContain('note: the calibration was fitted on another GPU and moved to this one');
    // The L40S is a GDDR card: the range docs/energy-models.md#gddr-cards gives, not the HBM one.
    expect(text).toContain('expect about a third error or more: moves to GDDR cards are checked on two cards only (docs/energy-models.md#gddr-cards).');
    const hbm = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--on-gpu', 'A100 SXM4 80GB'])).stdout;
    expect(hbm).toContain('expect about 10–30% error (docs/energy-models.md#other-gpus).');
    const docs = readFileSync(new URL('../../docs/energy-models.md', import.meta.url), 'utf8');
    expect(docs).toContain('within about 10–30% on KV-cache\nengines');
    expect(docs).toContain('(about a third on the GDDR cards above');
    // One line per batch says it too.
    const table = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '1,8', '--on-gpu', 'L40S'])).stdout;
    expect(table).toContain('note: the calibration was fitted on another GPU and moved to this one');
  });
});
