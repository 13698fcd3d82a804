import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn } from './helpers.js';
import { plainPolynomial, sweetspotCalibration } from '../surface/helpers.js';

const THETA = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'sweetspot-surface-'));
  writeFileSync(join(cwd, 'calib.json'), JSON.stringify(sweetspotCalibration('llama-2-7b', THETA)));
});

const cli = (args: string[]) => cliIn(cwd, args);

describe('sweetspot surface', () => {
  it('CSV: every point of a small grid, by hand, with the context mask', async () => {
    const { code } = await cli(['surface', '--model', 'llama-2-7b', '--calibration', 'calib.json', '--in', '1000,4000', '--out', '64:160:32', '--metric', 'j-per-token', '--csv', 'grid.csv']);
    expect(code).toBe(0);
    const lines = readFileSync(join(cwd, 'grid.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('n_in,n_out,j_per_token,beyond_context,exceeds_memory');
    expect(lines.length).toBe(1 + 2 * 4);
    let k = 1;
    for (const i of [1000, 4000]) {
      for (const o of [64, 96, 128, 160]) {
        const [ci, co, v, beyond, memory] = lines[k++].split(',');
        // 13.5 GB of weights and at most 4160 tokens of KV cache at batch 1 fit an 80 GB H100.
        expect(memory).toBe('0');
        expect([Number(ci), Number(co)]).toEqual([i, o]);
        // llama-2-7b: 4096 positions, so 4000 + o − 1 > 4096 for o ≥ 98.
        if (i + o - 1 > 4096) {
          expect([v, beyond]).toEqual(['', '1']);
        } else {
          expect(beyond).toBe('0');
          expect(Number(v)).toBeCloseTo(plainPolynomial(THETA, i, o) / (i + o), 12);
        }
      }
    }
  });

  it('JSON summary: grid, best and worst of a log grid, region, and the SVG file', async () => {
    const { stdout } = await cli(['surface', '--model', 'llama-2-7b', '--calibration', 'calib.json', '--in', '64:4096:13', '--out', '64:4096:13', '--log', '--svg', 's.svg', '--json']);
    const j = JSON.parse(stdout);
    expect(j.grid.nIn).toEqual({ from: 64, to: 4096, count: 13 });
    expect(j.grid.points).toBe(169);
    // Brute force over the same log grid (sqrt(2) steps, rounded) with the 4096-token context.
    const axis = Array.from({ length: 13 }, (_, k) => (k === 0 ? 64 : k === 12 ? 4096 : Math.round(64 * Math.exp((Math.log(64) * k) / 12))));
    let best = { i: 0, o: 0, v: Infinity };
    let masked = 0;
    for (const i of axis) for (const o of axis) {
      if (i + o - 1 > 4096) { masked++; continue; }
      const v = plainPolynomial(THETA, i, o) / o;
      if (v < best.v) best = { i, o, v };
    }
    expect(j.grid.beyondContext).toBe(masked);
    expect([j.best.nIn, j.best.nOut]).toEqual([best.i, best.o]);
    expect(j.best.value).toBeCloseTo(best.v, 12);
    expect(j.svg).toBe(join(cwd, 's.svg'));
    expect(readFileSync(j.svg, 'utf8')).toContain(`data-n-in="${best.i}" data-n-out="${best.o}"`);
    expect(j.sweetRegion.withinPercent).toBe(10);
  });

  it('human summary on the built-in default', async () => {
    const { code, stdout } = await cli(['surface', '--model', 'gemma-2-2b', '--in', '64:4096:8', '--out', '64:4096:8', '--log']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/energy per output token over 8 prompt × 8 output lengths \(64 points, 0 beyond the context\)/);
    expect(stdout).toMatch(/best: {2}\d+ in \/ \d+ out: [\d.]+ J\/output token/);
    const points = Number(/of the grid \((\d+) points\)/.exec(stdout)?.[1]);
    expect(stdout).toContain(`within 10% of best: ${((points / 64) * 100).toFixed(1)}% of the grid (${points} points)`);
  });

  it.each([
    [['--in', '64:'], /--in: end '' is not a positive integer/],
    [['--out', 'x'], /--out: value 'x' is not a positive integer/],
    [['--in', '1:100000', '--out', '1:1000'], /grid: 100000 × 1000 = 100000000 points \(--in '1:100000' × --out '1:1000'\) exceeds the limit of 67108864/],
    // Refused from the text: a 2^29-point axis is never allocated.
    [['--in', '1:536870912', '--out', '1:2'], /grid: 536870912 × 2 = 1073741824 points \(--in '1:536870912' × --out '1:2'\) exceeds the limit/],
    [['--in', '5000:6000', '--out', '5000'], /no point of the grid fits llama-2-7b's context of 4096 tokens; lower --in or --out/],
    [['--csv', ''], /--csv needs a file name/],
  ])('bad arguments %j are errors naming them', async (extra, message) => {
    await expect(cli(['surface', '--model', 'llama-2-7b', '--calibration', 'calib.json', ...extra])).rejects.toThrow(message);
  });
});
