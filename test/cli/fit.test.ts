import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCalibration } from '../../src/energy/calibration.js';
import { SweetspotInputError } from '../../src/errors.js';
import { fixtureDir, HW_THETA, SS_THETA } from './fit-fixtures.js';
import { cli } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = fixtureDir();
});

describe('sweetspot fit', () => {
  it('fits the SweetSpot form per model, reports filters, and saves a valid calibration', async () => {
    const { code, stdout } = await cli(dir, ['fit', '--data', 'ss.csv', '--exclude-notes', 'iteration 0', '--save', 'ss.json', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.data).toMatchObject({ read: 50, used: 48 });
    expect(out.data.filters).toEqual([{ filter: 'notes!~/iteration 0/', before: 50, kept: 48, dropped: 2 }]);
    expect(Object.keys(out.perModel)).toEqual(['llama-2-7b', 'mistral-7b']);
    expect(out.mape).toBeLessThan(1.5);
    expect(out.baselines.linear.mape).toBeGreaterThan(out.mape);
    expect(out.noiseFloor.mapePct).toBeGreaterThan(0);
    expect(out.fits['llama-2-7b'].solver).toMatchObject({ method: 'nnls', converged: true });
    const saved = parseCalibration(readFileSync(join(dir, 'ss.json'), 'utf8'));
    expect(saved.form).toBe('sweetspot');
    expect(saved.engine).toBe('TRT, fp16');
    expect(saved.models['mistral-7b'].params.theta5.value / SS_THETA[4]).toBeCloseTo(1, 1);
    expect(saved.fittedOn!.rows).toBe(48);
  });

  it('keeps a cold start when not told to drop it, and the fit is worse for it', async () => {
    const kept = JSON.parse((await cli(dir, ['fit', '--data', 'ss.csv', '--save', 'ss2.json', '--json'])).stdout);
    expect(kept.data.used).toBe(50);
    expect(kept.mape).toBeGreaterThan(2);
  });

  it('fits one hardware parameter set over all models, with a pinned parameter, and cross-validates', async () => {
    const { stdout } = await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--kv-cache', 'off', '--cv', '3', '--save', 'hw.json', '--json']);
    const out = JSON.parse(stdout);
    expect(out.data.defaulted).toEqual({ kvCache: 36 });
    expect(Object.keys(out.fits)).toEqual(['*']);
    expect(out.fits['*'].params.find((p: { name: string }) => p.name === 'staticPowerW')).toMatchObject({ value: 55, pinned: true });
    expect(out.mape).toBeLessThan(1e-4);
    expect(out.cv.map((c: { scheme: string }) => c.scheme)).toEqual(['3-fold', 'leave-one-model-out']);
    expect(out.cv[1].results.hardware.mape).toBeLessThan(1e-3);
    // Grouped by n_in: 12 groups of 3 rows (3 models × 4 n_in) dealt to 5 folds hold 3, 3, 2, 2, 2
    // groups; the 36 single-row configurations would give 8, 7, 7, 7, 7 rows.
    const grouped = JSON.parse((await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--kv-cache', 'off', '--cv', '5', '--cv-group', 'n_in', '--save', 'hw.json', '--force', '--json'])).stdout);
    expect(grouped.cv[0].results.hardware.folds.map((f: { testRows: number }) => f.testRows)).toEqual([9, 9, 6, 6, 6]);
    expect(grouped.cv[0].scheme).toBe('5-fold grouped by n_in');
    await expect(cli(dir, ['fit', '--data', 'hw.csv', '--save', 'x.json', '--cv-group', 'n_in'])).rejects.toThrow(/--cv-group needs --cv K/);
    const saved = parseCalibration(readFileSync(join(dir, 'hw.json'), 'utf8'));
    expect(saved).toMatchObject({ form: 'hardware', regime: 'recompute', profile: 'a100-sxm4-40gb' });
    expect(saved.params.etaCompute.value / HW_THETA[3]).toBeCloseTo(1, 3);
  });

  it('refuses the unpinned hardware form on data that cannot separate static power, naming the parameters', async () => {
    await expect(cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--kv-cache', 'off', '--save', 'x.json'])).rejects.toThrow(
      /cannot determine .*staticPowerW.*--fix/,
    );
  });

  it('fits a formula form by LM to the same optimum NNLS finds for the equivalent linear form', async () => {
    const base = ['--data', 'ss.csv', '--model', 'mistral-7b', '--exclude-notes', 'cold', '--json'];
    const formula = JSON.parse((await cli(dir, ['fit', ...base, '--form', 'a*nIn*nIn + b*nIn*nOut + c*nOut*nOut + d*nOut + e', '--save', 'f.json'])).stdout);
    const pinned = JSON.parse((await cli(dir, ['fit', ...base, '--fix', 'theta2=0', '--save', 'p.json'])).stdout);
    expect(formula.calibration.form).toBe('formula');
    expect(formula.fits['*'].solver.method).toBe('lm');
    expect(pinned.fits['mistral-7b'].solver.method).toBe('nnls');
    const lm = formula.fits['*'].solver.objective;
    const exact = pinned.fits['mistral-7b'].solver.objective;
    expect(Math.abs(lm - exact) / exact).toBeLessThan(1e-6);
  });

  it('reports every bad row of the data on one error with line and field', async () => {
    const error = await cli(dir, ['fit', '--data', 'bad.csv', '--save', 'x.json']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SweetspotInputError);
    const e = error as SweetspotInputError;
    expect(e.message).not.toContain('\n');
    expect(e.issues).toEqual(["line 3: n_in: expected a number, got 'x'", "line 4: energy_j: out of range: energies from 1e-9 J to 1e15 J per call are accepted (got '-2')"]);
  });

  it('names a bad argument: missing --data/--save, unknown form, bad --where, bad --fix, bad --kv-cache, missing file', async () => {
    await expect(cli(dir, ['fit', '--save', 'x.json'])).rejects.toThrow(/--data is required/);
    await expect(cli(dir, ['fit', '--data', 'ss.csv'])).rejects.toThrow(/--save is required/);
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--form', 'cubic'])).rejects.toThrow(/--form 'cubic' is not a form/);
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--where', 'colour=red'])).rejects.toThrow(/unknown column 'colour'/);
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--fix', 'theta9=1'])).rejects.toThrow(/no parameter 'theta9'/);
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--kv-cache', 'maybe'])).rejects.toThrow(/--kv-cache must be one of on, off/);
    await expect(cli(dir, ['fit', '--data', 'nope.csv', '--save', 'x.json'])).rejects.toThrow(/--data nope.csv: cannot read the file \(ENOENT\)/);
  });

  it('says when the file holds no rows at all, apart from when filters leave none', async () => {
    writeFileSync(join(dir, 'empty.csv'), 'model,n_in,n_out,energy_j\r\n');
    await expect(cli(dir, ['fit', '--data', 'empty.csv', '--save', 'x.json'])).rejects.toThrow(/--data empty.csv: the file holds no measurement rows/);
  });

  it('says when filters leave no rows', async () => {
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--where', 'site=zzz'])).rejects.toThrow(/no rows left/);
  });

  it('prints a text report naming the solver outcome', async () => {
    const { stdout } = await cli(dir, ['fit', '--data', 'ss.csv', '--exclude-notes', 'cold', '--save', 'ss3.json']);
    expect(stdout).toMatch(/filter {4}notes!~\/cold\/: kept 48 of 50, dropped 2/);
    expect(stdout).toMatch(/solver nnls: converged \(kkt\)/);
    expect(stdout).toMatch(/baseline {2}linear: MAPE/);
  });
});
