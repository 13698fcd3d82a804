import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn } from './helpers.js';
import { plainPolynomial, sweetspotCalibration } from '../surface/helpers.js';

// jpot = 0.01·o + 1 + 100/o + 1e-6·i: the sweet spot of any box is its lowest nIn at nOut = 100.
const THETA = [0, 0, 1e-6, 0.01, 1, 100];

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'sweetspot-advise-'));
  writeFileSync(join(cwd, 'calib.json'), JSON.stringify(sweetspotCalibration('llama-3.1-8b', THETA)));
});

const cli = (args: string[]) => cliIn(cwd, args);

describe('sweetspot advise', () => {
  it('JSON: the request, a truncation and a cap, priced by hand', async () => {
    const { code, stdout } = await cli(['advise', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', '--in', '2000', '--out', '1000', '--truncate-in', '500', '--cap-out', '200', '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(stdout);
    const e = plainPolynomial(THETA, 2000, 1000);
    expect(a.request.energyJ).toBeCloseTo(e, 9);
    expect(a.truncated.energyJ).toBeCloseTo(plainPolynomial(THETA, 500, 1000), 9);
    expect(a.capped.energyJ).toBeCloseTo(plainPolynomial(THETA, 2000, 200), 9);
    expect(a.capped.savedPercent).toBeCloseTo((100 * (e - plainPolynomial(THETA, 2000, 200))) / e, 9);
    expect([a.sweetSpot.nIn, a.sweetSpot.nOut]).toEqual([64, 100]);
    expect(a.relativeEfficiency).toBeCloseTo((3 + 64e-6) / (e / 1000), 12);
    expect(a.inSweetRegion).toBe(false);
    // The region: cost ≤ 1.1·(3 + 64e-6). In row i = 2000 that is 0.01·o² − b·o + 100 ≤ 0 with
    // b = 1.1·3.000064 − 1 − 0.002; the request's own row is the nearest, at the run's upper end.
    const b = 1.1 * 3.000064 - 1 - 2000e-6;
    const upper = Math.floor((b + Math.sqrt(b * b - 4)) / 0.02);
    expect([a.nearestSweet.nIn, a.nearestSweet.nOut]).toEqual([2000, upper]);
    expect(a.nearestSweet.logDistance).toBeCloseTo(Math.log(1000 / upper), 12);
  });

  it('human output names the sweet spot and the nearest efficient lengths', async () => {
    const { stdout } = await cli(['advise', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', '--in', '100', '--out', '120']);
    expect(stdout).toMatch(/request {4}100 in \/ 120 out/);
    expect(stdout).toMatch(/sweet spot \(64 in \/ 100 out/);
    expect(stdout).toMatch(/inside the sweet region/);
  });

  it('says plainly when the nearest efficient lengths ask for a longer output (more joules per request)', async () => {
    // jpot = 0.01·o + 1 + 100/o + 1e-6·i: at 20 output tokens (6.2 J/token) the region (o ≈ 55…180)
    // lies at longer outputs, so the nearest sweet point costs more per request than the request.
    const { stdout } = await cli(['advise', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', '--in', '1000', '--out', '20', '--cap-out', '10']);
    const e = plainPolynomial(THETA, 1000, 20);
    const eCap = plainPolynomial(THETA, 1000, 10);
    // The cap saves joules and says how much less efficient per output token it is.
    const capGain = e / 20 / (eCap / 10);
    expect(stdout).toContain(`capped     1000 in / 10 out: ${Number(eCap.toPrecision(3))} J per request (saves ${Number(((100 * (e - eCap)) / e).toPrecision(3))}%)`);
    expect(stdout).toContain(`${Number(capGain.toPrecision(3))}× as efficient per output token`);
    const near = stdout.match(/nearest {4}1000 in \/ (\d+) out: ([\d.]+) J per request \(([\d.]+)% more\)/);
    expect(near).not.toBeNull();
    const o = Number(near![1]);
    expect(o).toBeGreaterThan(20);
    expect(Number(near![3])).toBeCloseTo((100 * (plainPolynomial(THETA, 1000, o) - e)) / e, 0);
    expect(stdout).toContain(`changes: output 20 → ${o} (+${o - 20} tokens); more energy per request: a gain only if the longer output is wanted`);
  });

  it.each([
    [['--in', '100', '--out', '100', '--truncate-in', '200'], /--truncate-in must be an integer in 1..100/],
    [['--in', '100'], /--out is required/],
    [['--in', '100000', '--out', '100000'], /nIn \+ nOut - 1 = 199999 exceeds llama-3.1-8b's context of 131072/],
    [['--in', '10', '--out', '10', '--box-in', '1,2'], /--box-in: the sweet-spot search takes an integer box/],
  ])('bad arguments %j are errors naming them', async (extra, message) => {
    await expect(cli(['advise', '--model', 'llama-3.1-8b', '--calibration', 'calib.json', ...extra])).rejects.toThrow(message);
  });

  it('refuses a request whose KV cache does not fit, naming the flags; --ignore-memory advises it', async () => {
    // Batch 128 on an 80 GB H100: 3811 positions fit (16.06 GB of weights, 128 · 131072 bytes per token).
    await expect(cli(['advise', '--model', 'llama-3.1-8b', '--batch', '128', '--in', '3800', '--out', '13'])).rejects.toThrow(
      /needs 80\.0 GB \(weights \+ KV cache\), more than the 80 GB of GPU memory at batch 128; give --gpus 2, a smaller batch or shorter lengths, or --waves to price it in waves, as an engine that preempts sequences runs it \(--ignore-memory: as if the batch were held at once\)/,
    );
    const fits = JSON.parse((await cli(['advise', '--model', 'llama-3.1-8b', '--batch', '128', '--in', '3800', '--out', '12', '--json'])).stdout);
    expect(fits.request.nOut).toBe(12);
    const ignored = JSON.parse((await cli(['advise', '--model', 'llama-3.1-8b', '--batch', '128', '--in', '3800', '--out', '13', '--ignore-memory', '--json'])).stdout);
    expect(ignored.request.nOut).toBe(13);
  });
});
