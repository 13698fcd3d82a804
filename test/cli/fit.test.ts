import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCalibration } from '../../src/energy/calibration/document.js';
import { SweetspotInputError } from '../../src/errors.js';
import { fixtureDir, HW_THETA, SS_THETA } from './fit-fixtures.js';
import { cli } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = fixtureDir();
});

describe('sweetspot fit', () => {
  it('names itself, not the library function, when the rows as a whole are refused', async () => {
    writeFileSync(join(dir, 'mixed-gpus.csv'), 'model,gpu,n_in,n_out,energy_j\nllama-2-7b,H100 SXM,128,64,100\nllama-2-7b,A100 SXM4 80GB,128,128,150\n');
    writeFileSync(join(dir, 'mixed-batches.csv'), 'model,n_in,n_out,energy_j,batch_size\nllama-2-7b,128,64,100,1\nllama-2-7b,128,128,150,2\n');
    const gpus = cli(dir, ['fit', '--data', 'mixed-gpus.csv', '--save', 'mixed.json']);
    await expect(gpus).rejects.toThrow(SweetspotInputError);
    await expect(gpus).rejects.toThrow(/^fit: the rows mix 2 GPUs \(H100 SXM \| A100 SXM4 80GB\): keep one \(--gpu or --where\)$/);
    await expect(cli(dir, ['fit', '--data', 'mixed-batches.csv', '--form', 'linear', '--save', 'mixed.json'])).rejects.toThrow(
      /^fit: form linear describes calls at one batch size; the rows mix batches 1, 2 \(keep one: --where batch_size=N\)$/,
    );
  });

  it('fits the SweetSpot form per model, reports filters, and saves a valid calibration', async () => {
    const { code, stdout } = await cli(dir, ['fit', '--data', 'ss.csv', '--exclude-notes', 'iteration 0', '--prior', 'none', '--save', 'ss.json', '--json']);
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
    const kept = JSON.parse((await cli(dir, ['fit', '--data', 'ss.csv', '--prior', 'none', '--save', 'ss2.json', '--json'])).stdout);
    expect(kept.data.used).toBe(50);
    expect(kept.mape).toBeGreaterThan(2);
  });

  it('fits one hardware parameter set over all models, with a pinned parameter, and cross-validates', async () => {
    const { stdout } = await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--prior', 'none', '--attention', 'fused', '--kv-cache', 'off', '--cv', '3', '--save', 'hw.json', '--json']);
    const out = JSON.parse(stdout);
    expect(out.data.defaulted).toContainEqual({ field: 'kvCache', value: false, rows: 36, source: 'given' });
    expect(Object.keys(out.fits)).toEqual(['*']);
    expect(out.fits['*'].params.find((p: { name: string }) => p.name === 'staticPowerW')).toMatchObject({ value: 55, pinned: true });
    expect(out.mape).toBeLessThan(1e-4);
    expect(out.cv.map((c: { scheme: string }) => c.scheme)).toEqual(['3-fold', 'leave-one-model-out']);
    expect(out.cv[1].results.hardware.mape).toBeLessThan(1e-3);
    // Grouped by n_in: 12 groups of 3 rows (3 models × 4 n_in) dealt to 5 folds hold 3, 3, 2, 2, 2
    // groups; the 36 single-row configurations would give 8, 7, 7, 7, 7 rows.
    const grouped = JSON.parse((await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--prior', 'none', '--attention', 'fused', '--kv-cache', 'off', '--cv', '5', '--cv-group', 'n_in', '--save', 'hw.json', '--force', '--json'])).stdout);
    expect(grouped.cv[0].results.hardware.folds.map((f: { testRows: number }) => f.testRows)).toEqual([9, 9, 6, 6, 6]);
    expect(grouped.cv[0].scheme).toBe('5-fold grouped by n_in');
    await expect(cli(dir, ['fit', '--data', 'hw.csv', '--save', 'x.json', '--cv-group', 'n_in'])).rejects.toThrow(/--cv-group needs --cv K/);
    const saved = parseCalibration(readFileSync(join(dir, 'hw.json'), 'utf8'));
    expect(saved).toMatchObject({ form: 'hardware', regime: 'recompute', profile: 'a100-sxm4-40gb' });
    expect(saved.params.etaCompute.value / HW_THETA[3]).toBeCloseTo(1, 3);
  });

  it('fits the hardware form on a sweep measured on two GPUs (gpu = 2x NAME), each GPU paying eStep', async () => {
    const { stdout } = await cli(dir, ['fit', '--data', 'hw2.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--prior', 'none', '--attention', 'fused', '--kv-cache', 'off', '--save', 'hw2.json', '--json']);
    const out = JSON.parse(stdout);
    expect(out.mape).toBeLessThan(1e-4);
    const saved = parseCalibration(readFileSync(join(dir, 'hw2.json'), 'utf8'));
    expect(saved).toMatchObject({ form: 'hardware', gpu: 'NVIDIA A100-SXM4-40GB', profile: 'a100-sxm4-40gb' });
    expect(saved.params.eStep.value / HW_THETA[5]).toBeCloseTo(1, 4);
    expect(saved.params.etaCompute.value / HW_THETA[3]).toBeCloseTo(1, 4);
    // The SweetSpot form fits the two-GPU rows of each model, with the physics prior of two GPUs.
    const ss = JSON.parse((await cli(dir, ['fit', '--data', 'hw2.csv', '--kv-cache', 'off', '--attention', 'fused', '--save', 'ss2gpu.json', '--json'])).stdout);
    expect(Object.keys(ss.perModel)).toEqual(['llama-2-7b', 'mistral-7b']);
    expect(parseCalibration(readFileSync(join(dir, 'ss2gpu.json'), 'utf8')).note).toMatch(/calls on 2 GPUs each/);
  });

  it('without a prior, refuses the unpinned hardware form on data that cannot separate static power, naming the parameters', async () => {
    await expect(cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--kv-cache', 'off', '--prior', 'none', '--save', 'refused.json'])).rejects.toThrow(
      /cannot determine .*staticPowerW.*--fix/,
    );
  });

  it('under the default physics prior, fits the same data unpinned and says what determined each parameter', async () => {
    const { stdout } = await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--kv-cache', 'off', '--attention', 'fused', '--save', 'prior-a.json']);
    expect(stdout).toMatch(/parameter\s+value\s+unit\s+± sd\s+prior\s+moved\s+narrowed\s+determined by/);
    for (const name of ['eFlop', 'eByte', 'staticPowerW', 'etaCompute', 'etaMemory', 'eStep']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${name}\\s+\\S+.*(data|prior|data and prior|bound)\\n`));
    }
    const json = JSON.parse((await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--kv-cache', 'off', '--attention', 'fused', '--save', 'prior-b.json', '--json'])).stdout);
    expect(json.mape).toBeLessThan(1);
    const params = json.fits['*'].params as { name: string; value: number; prior: { determinedBy: string } }[];
    expect(params.map((p) => p.prior.determinedBy)).toContain('data');
    for (const p of params) expect(p.value).toBeGreaterThan(0);
  });

  it('reads the regime and the attention implementation from the engine column, and says so', async () => {
    writeFileSync(
      join(dir, 'hf.csv'),
      readFileSync(join(dir, 'hw.csv'), 'utf8').replace(/,hf,/g, ',"HF transformers pipeline, bf16, use_cache=False",'),
    );
    const { stdout } = await cli(dir, ['fit', '--data', 'hf.csv', '--form', 'hardware', '--save', 'hf.json']);
    expect(stdout).toMatch(/inferred  kv_cache off inferred from the engine .* for 36 row\(s\) without a value/);
    expect(stdout).toMatch(/inferred  attention transformers-sdpa inferred from the engine/);
    const saved = parseCalibration(readFileSync(join(dir, 'hf.json'), 'utf8'));
    expect(saved).toMatchObject({ regime: 'recompute', attention: 'transformers-sdpa', version: 2 });
    expect(saved.params.eFlop.prior?.determinedBy).toMatch(/^(data|prior|data and prior|bound)$/);
    const ev = (await cli(dir, ['evaluate', '--calibration', 'hf.json', '--data', 'hf.csv'])).stdout;
    expect(ev).toMatch(/attention transformers-sdpa/);
    expect(ev).toMatch(/all models: parameters and what determined them at the fit\n  eFlop .*(data|prior)/);
    expect(ev).toMatch(/90% prediction intervals: [\d.]+% of 36 rows inside \(nominal 90%\)/);
    const explicit = parseCalibration(
      (await cli(dir, ['fit', '--data', 'hf.csv', '--form', 'hardware', '--kv-cache', 'on', '--attention', 'eager', '--save', 'hf2.json', '--json'])).stdout
        .match(/"calibration": (\{[\s\S]*?\n  \}),\n  "fits"/)![1],
    );
    expect(explicit).toMatchObject({ regime: 'kv-cache', attention: 'eager' });
  });

  it('fits a formula form by LM to the same optimum NNLS finds for the equivalent linear form', async () => {
    const base = ['--data', 'ss.csv', '--model', 'mistral-7b', '--exclude-notes', 'cold', '--json'];
    const formula = JSON.parse((await cli(dir, ['fit', ...base, '--form', 'a*nIn*nIn + b*nIn*nOut + c*nOut*nOut + d*nOut + e', '--save', 'f.json'])).stdout);
    const pinned = JSON.parse((await cli(dir, ['fit', ...base, '--fix', 'theta2=0', '--prior', 'none', '--save', 'p.json'])).stdout);
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

describe('the measuring guide’s 3×2 grid', () => {
  it('fit --form sweetspot answers under the physics prior and says which coefficients the data determined', async () => {
    const { hardwareForm } = await import('../../src/energy/forms/hardware.js');
    const { resolveProfile } = await import('../../src/energy/hardware/profiles.js');
    const { featuresOf } = await import('../fit/helpers.js');
    const profile = resolveProfile('NVIDIA H100 80GB HBM3');
    const theta = [1.1e-12, 7e-11, 260, 0.55, 0.6, 0.3, 7e-11];
    const rows = ['model,n_in,n_out,energy_j,gpu,engine,kv_cache'];
    for (const i of [64, 256, 1024]) {
      for (const o of [64, 256]) rows.push(`facebook/opt-1.3b,${i},${o},${hardwareForm().predictJ(theta, featuresOf('opt-1.3b', i, o, 'kv-cache'), { profile })},NVIDIA H100 80GB HBM3,vllm,on`);
    }
    writeFileSync(join(dir, 'grid.csv'), `${rows.join('\n')}\n`);
    await expect(cli(dir, ['fit', '--data', 'grid.csv', '--form', 'sweetspot', '--prior', 'none', '--save', 'grid-none.json'])).rejects.toThrow(/6 distinct configuration/);
    const out = JSON.parse((await cli(dir, ['fit', '--data', 'grid.csv', '--form', 'sweetspot', '--save', 'grid.json', '--json'])).stdout);
    const params = out.fits['opt-1.3b'].params as { name: string; prior: { determinedBy: string } }[];
    expect(params).toHaveLength(6);
    expect(params.every((p) => ['data', 'prior', 'data and prior', 'bound'].includes(p.prior.determinedBy))).toBe(true);
    expect(params.some((p) => p.prior.determinedBy === 'data')).toBe(true);
    expect(out.mape).toBeLessThan(5);
  });
});

describe('fit --form hardware on a GPU beyond the A100 and H100', () => {
  // Rows made by the hardware form itself on the L40S profile, with known parameters and 1%
  // deterministic noise: three models, prompts from 16 to 2048 tokens, 1 to 256 output tokens.
  const TRUE = { eFlop: 4e-13, eByte: 8e-11, staticPowerW: 110, etaCompute: 0.55, etaMemory: 0.7, eStep: 0.05 };
  beforeAll(async () => {
    const { hardwareForm } = await import('../../src/energy/forms/hardware.js');
    const { resolveProfile } = await import('../../src/energy/hardware/profiles.js');
    const { featuresOf, noise } = await import('../fit/helpers.js');
    const profile = resolveProfile('NVIDIA L40S');
    const theta = [TRUE.eFlop, TRUE.eByte, TRUE.staticPowerW, TRUE.etaCompute, TRUE.etaMemory, TRUE.eStep, TRUE.eByte];
    const rows = ['model,n_in,n_out,batch_size,energy_j,gpu,engine,kv_cache'];
    let k = 0;
    for (const [id, model] of [['llama-2-7b', 'meta-llama/Llama-2-7b-hf'], ['opt-1.3b', 'facebook/opt-1.3b'], ['mistral-7b', 'mistralai/Mistral-7B-v0.1']]) {
      for (const i of [16, 128, 1024, 2048]) {
        for (const o of [1, 16, 256]) rows.push(`${model},${i},${o},1,${hardwareForm().predictJ(theta, featuresOf(id, i, o, 'kv-cache'), { profile }) * noise(k++, 0.01)},NVIDIA L40S,vllm,on`);
      }
    }
    writeFileSync(join(dir, 'l40s.csv'), `${rows.join('\n')}\n`);
  });

  type Param = { name: string; value: number; stdErr: number | null; pinned: boolean };
  const recovered = (params: Param[]) =>
    params
      .filter((p) => p.name in TRUE && !p.pinned)
      .map((p) => [p.name, Math.abs(p.value - TRUE[p.name as keyof typeof TRUE]) <= 3 * p.stdErr!, p.stdErr! < 0.3 * p.value]);

  it('recovers the parameters within their standard errors without a prior (static power pinned: it trades off with both efficiencies)', async () => {
    const out = JSON.parse(
      (await cli(dir, ['fit', '--data', 'l40s.csv', '--form', 'hardware', '--attention', 'fused', '--prior', 'none', '--fix', 'staticPowerW=110', '--save', 'l40s-none.json', '--json'])).stdout,
    );
    expect(out.mape).toBeLessThan(1);
    const params = out.fits[Object.keys(out.fits)[0]].params as Param[];
    const checks = recovered(params);
    expect(checks.map(([name]) => name)).toEqual(['eFlop', 'eByte', 'etaCompute', 'etaMemory', 'eStep']);
    for (const c of checks) expect(c).toEqual([c[0], true, true]);
    const saved = parseCalibration(readFileSync(join(dir, 'l40s-none.json'), 'utf8'));
    expect([saved.gpu, saved.profile]).toEqual(['NVIDIA L40S', 'l40s-48gb']);
    // The saved calibration predicts on the L40S: a model it never saw, checked against the form at
    // the true parameters, and its memory against the L40S's 48 GB.
    const { hardwareForm } = await import('../../src/energy/forms/hardware.js');
    const { resolveProfile } = await import('../../src/energy/hardware/profiles.js');
    const { featuresOf } = await import('../fit/helpers.js');
    const theta = [TRUE.eFlop, TRUE.eByte, TRUE.staticPowerW, TRUE.etaCompute, TRUE.etaMemory, TRUE.eStep, TRUE.eByte];
    const truthJ = hardwareForm().predictJ(theta, featuresOf('llama-3-8b', 512, 128, 'kv-cache'), { profile: resolveProfile('l40s-48gb') });
    const predicted = JSON.parse((await cli(dir, ['predict', '--calibration', 'l40s-none.json', '--model', 'llama-3-8b', '--in', '512', '--out', '128', '--json'])).stdout);
    expect(Math.abs(predicted.energyJ / truthJ - 1)).toBeLessThan(0.02);
    expect(predicted.gpuMemoryBytes).toBe(48e9);
  });

  it('answers under the L40S physics prior with every parameter free, the truth within three standard errors', async () => {
    const out = JSON.parse((await cli(dir, ['fit', '--data', 'l40s.csv', '--form', 'hardware', '--attention', 'fused', '--save', 'l40s-physics.json', '--json'])).stdout);
    const params = out.fits[Object.keys(out.fits)[0]].params as (Param & { prior: { source: string } })[];
    expect(params[0].prior.source).toMatch(/physics for l40s-48gb/);
    const checks = recovered(params);
    expect(checks.map(([name]) => name)).toEqual(['eFlop', 'eByte', 'staticPowerW', 'etaCompute', 'etaMemory', 'eStep']);
    for (const [name, within] of checks) expect([name, within]).toEqual([name, true]);
  });
});

describe('fit --help', () => {
  it('names every GPU family with a built-in profile', async () => {
    const { gpuKey, gpuWords } = await import('../../src/energy/hardware/gpu-names.js');
    const { HARDWARE_PROFILES } = await import('../../src/energy/hardware/profiles.js');
    const help = new Set(gpuWords((await cli(dir, ['fit', '--help'])).stdout));
    for (const p of HARDWARE_PROFILES) {
      const family = gpuKey(gpuWords(p.id))!.family;
      expect([p.id, help.has(family)]).toEqual([p.id, true]);
    }
  });
});

describe('fit and evaluate remedies, in flags', () => {
  it('a fit the rows cannot determine offers --fix NAME=VALUE; a baseline offers only more lengths', async () => {
    // Three configurations of one model for the SweetSpot form's six parameters.
    writeFileSync(join(dir, 'three.csv'), 'model,n_in,n_out,energy_j,gpu\nllama-2-7b,16,8,5,NVIDIA A100-SXM4-40GB\nllama-2-7b,64,64,30,NVIDIA A100-SXM4-40GB\nllama-2-7b,256,512,200,NVIDIA A100-SXM4-40GB\n');
    await expect(cli(dir, ['fit', '--data', 'three.csv', '--prior', 'none', '--save', 'three.json'])).rejects.toThrow(
      /cannot determine theta1, .*: 3 distinct configuration\(s\) for 6 free parameters .*; measure more varied lengths, or pin one of them \(--fix NAME=VALUE\)$/,
    );
    // Linear per model fits six configurations; the per-parameter baseline cannot split a and b on one model.
    writeFileSync(join(dir, 'six.csv'), ['model,n_in,n_out,energy_j,gpu', ...[16, 64].flatMap((i) => [8, 64, 512].map((o) => `llama-2-7b,${i},${o},${1 + 0.01 * i + 0.3 * o},NVIDIA A100-SXM4-40GB`))].join('\n'));
    const text = (await cli(dir, ['fit', '--data', 'six.csv', '--form', 'linear', '--save', 'six.json'])).stdout;
    expect(text).toMatch(/baseline +per-param: not fitted: fit per-param: cannot determine a, b: .*; measure more varied lengths\n/);
    expect(text).not.toMatch(/calibrate\(|NAME/);
  });

  it('fit --form hardware on an ambiguous gpu column names --profile; evaluate names --no-transfer', async () => {
    const rows = [16, 256, 1024].flatMap((i) => [8, 64, 512].map((o) => `llama-2-7b,${i},${o},${100 + i + o},A100,vllm`));
    writeFileSync(join(dir, 'a100.csv'), ['model,n_in,n_out,energy_j,gpu,engine', ...rows].join('\n'));
    await expect(cli(dir, ['fit', '--data', 'a100.csv', '--form', 'hardware', '--save', 'a100.json'])).rejects.toThrow(
      /^GPU 'A100' matches 4 profiles \(.*\); name the form factor and memory, e\.g\. 'NVIDIA A100 SXM4 40GB'; or give the profile outright: --profile NAME \(e\.g\. --profile 'A100 SXM4 80GB'\)$/,
    );
    // The remedy works.
    expect((await cli(dir, ['fit', '--data', 'a100.csv', '--form', 'hardware', '--profile', 'A100 SXM4 80GB', '--save', 'a100.json'])).code).toBe(0);
    const evaluated = (await cli(dir, ['evaluate', '--data', 'a100.csv'])).stdout;
    expect(evaluated).toContain("warning: 9 row(s) measured on another GPU than the calibration's, priced on the calibration's GPU (A100: the name fits 4 profiles: name the form factor and memory): this is a transfer test");
    writeFileSync(join(dir, 'l4.csv'), ['model,n_in,n_out,energy_j,gpu,engine', ...rows.map((r) => r.replace(',A100,', ',NVIDIA L4,'))].join('\n'));
    expect((await cli(dir, ['evaluate', '--data', 'l4.csv'])).stdout).toContain("(docs/energy-models.md#other-gpus; --no-transfer prices them on the calibration's GPU)");
    expect((await cli(dir, ['evaluate', '--data', 'l4.csv', '--no-transfer'])).stdout).toContain('(NVIDIA L4: not moved (--no-transfer))');
  });
});
