import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { energyModel, predictEnergy } from '../../src/energy/predict/predict.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { hardwareForm, hardwareFormBase } from '../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { hardwarePhysics } from '../../src/energy/hardware/physics.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { onGpus } from '../../src/surface/energy/from-model.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { evaluate } from '../../src/fit/evaluate/evaluate.js';
import { crossValidate } from '../../src/fit/evaluate/cv.js';
import { prepareRows } from '../../src/fit/prepare.js';
import { measurementRows } from '../../src/fit/data/rows.js';
import { filterMeasurements } from '../../src/fit/data/filter.js';
import { tableFromRows } from '../../src/fit/data/table.js';
import { sweetspotPrior } from '../../src/fit/solve/physics-prior.js';
import { emptyFeatures, fillFeatures } from '../../src/complexity/features.js';
import { termsKernel } from '../../src/complexity/terms.js';
import { weightBytesPerStep } from '../../src/complexity/weights.js';
import type { MeasurementInput } from '../../src/fit/data/measurement.js';
import { featuresOf, noise } from './helpers.js';

const H100 = 'NVIDIA H100 80GB HBM3';
const profile = resolveProfile(H100);
const theta = Float64Array.from(Object.values(H100_DEFAULT_CALIBRATION.params).map((p) => p.value));

describe('measurements on several GPUs (docs/fitting.md#gpu-counts)', () => {
  it('the hardware form prices a g-GPU row as estimate({ gpus: g }) and onGpus do: E(g) = E(1) + (g − 1)·eStep·(decodeSteps + 1)', () => {
    const arch = preset('llama-3.1-8b');
    const c = H100_DEFAULT_CALIBRATION;
    expect(c.form).toBe('hardware');
    const ctx = energyModel(c, arch).context;
    for (const g of [1, 2, 4]) {
      for (const [nIn, nOut] of [[128, 64], [2048, 512], [16, 1]]) {
        const rows = measurementRows([{ model: 'llama-3.1-8b', nIn, nOut, energyJ: 1, gpu: g === 1 ? H100 : `${g}x ${H100}` }], 'test').rows;
        const x = prepareRows(rows).features[0];
        expect(x.gpus ?? 1).toBe(g);
        const fitted = hardwareFormBase.predictJ(theta, x, ctx);
        const predicted = estimate(arch, { nIn, nOut }, { gpus: g }).energyJ;
        expect(fitted).toBe(predicted);
        const m = onGpus(energyModel(c, arch), g, 'test');
        expect(fitted).toBe(hardwareFormBase.predictJ(m.theta, featuresOf('llama-3.1-8b', nIn, nOut, 'kv-cache'), ctx));
        // By hand: the one-GPU energy plus each further GPU's per-step energy.
        const one = estimate(arch, { nIn, nOut }).energyJ;
        expect(fitted).toBeCloseTo(one + (g - 1) * c.params.eStep.value * nOut, 9);
      }
    }
  });

  function hardwareRows(gpusOf: (i: number) => number, amp: number): MeasurementInput[] {
    const truth = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4];
    const rows: MeasurementInput[] = [];
    let k = 0;
    for (const model of ['llama-2-7b', 'mistral-7b']) {
      for (const i of [8, 64, 512, 2048]) {
        for (const o of [8, 64, 1024]) {
          const g = gpusOf(k);
          const x = { ...featuresOf(model, i, o, 'recompute'), gpus: g };
          const e = hardwareFormBase.predictJ(truth, x, { profile: resolveProfile('a100-sxm4-40gb') });
          rows.push({ model, nIn: i, nOut: o, kvCache: false, gpu: g === 1 ? 'NVIDIA A100-SXM4-40GB' : `${g}x NVIDIA A100-SXM4-40GB`, energyJ: e * noise(k, amp) });
          k++;
        }
      }
    }
    return rows;
  }

  for (const [name, gpusOf] of [
    ['2 GPUs', () => 2],
    ['a mix of 1 and 2 GPUs', (k: number) => 1 + (k % 2)],
  ] as const) {
    it(`fit --form hardware on rows made on ${name} recovers the parameters within their standard errors`, () => {
      const form = hardwareForm({ staticPowerW: 55 });
      const exact = calibrate(hardwareRows(gpusOf, 0), { form, prior: 'none' }).calibration;
      expect(exact.gpu).toBe('NVIDIA A100-SXM4-40GB');
      expect(exact.profile).toBe('a100-sxm4-40gb');
      expect(exact.params.eStep.value).toBeCloseTo(0.4, 6);
      expect(exact.params.etaCompute.value).toBeCloseTo(0.35, 6);
      const noisy = calibrate(hardwareRows(gpusOf, 0.02), { form, prior: 'none' }).calibration;
      const truth: Record<string, number> = { eFlop: 2e-13, eByte: 3e-11, etaCompute: 0.35, etaMemory: 0.6, eStep: 0.4 };
      for (const [p, v] of Object.entries(truth)) {
        const { value, stdErr } = noisy.params[p];
        expect(stdErr, p).toBeGreaterThan(0);
        expect(Math.abs(value - v), `${p}: ${value} ± ${stdErr}`).toBeLessThan(3 * stdErr!);
      }
      expect(noisy.note).toMatch(/priced at its count: parameters are per GPU/);
      // Read as one GPU, the same rows fit worse: the count is what the form needs.
      const asOne = hardwareRows(gpusOf, 0).map((r) => ({ ...r, gpu: 'NVIDIA A100-SXM4-40GB' }));
      if (name !== '2 GPUs') expect(calibrate(asOne, { form, prior: 'none' }).errors.mape).toBeGreaterThan(1);
    });
  }

  it('forms fitted per model refuse one model on several counts, naming it and the counts; --where gpus=2 fits', () => {
    const rows = hardwareRows((k) => 1 + (k % 2), 0);
    expect(() => calibrate(rows, { form: sweetspotForm })).toThrow(/^model llama-2-7b: rows on 1 and 2 GPUs: the sweetspot form's parameters include the energy of every GPU .*--where gpus=2/);
    const two = filterMeasurements(measurementRows(rows, 'test').rows, { where: ['gpus=2'] }).rows;
    const report = calibrate(two, { form: sweetspotForm });
    expect(report.calibration.note).toMatch(/calls on 2 GPUs each: the energies include all of them \(predict with gpus: 2\)/);
    // The shared baselines are refused the same way, and the report says why.
    const mixed = calibrate(rows, { form: hardwareForm({ staticPowerW: 55 }), prior: 'none' });
    expect(mixed.baselines.linear.skipped).toMatch(/rows on 1 and 2 GPUs/);
    expect(mixed.baselines['per-param'].skipped).toMatch(/rows on 1 and 2 GPUs/);
    // Cross-validation reports it per fold.
    const cv = crossValidate(rows, { kind: 'k-fold', k: 3, seed: 1 }, { form: sweetspotForm, baselines: [] });
    expect(cv.results.sweetspot.folds.every((f) => /rows on 1 and 2 GPUs/.test(f.error ?? ''))).toBe(true);
  });

  it("the SweetSpot physics prior of g-GPU rows is that of a g-GPU call: its polynomial follows E(g) = E(1) + (g − 1)·eStep·(decodeSteps + 1)", () => {
    const arch = preset('llama-2-7b');
    const c = hardwarePhysics(profile);
    const physics = [c.eFlop, c.eByte, c.staticPowerW, c.etaCompute, c.etaMemory, c.eStep, c.eScore];
    const kernel = termsKernel(arch, 2);
    const wb = weightBytesPerStep(arch, 2);
    const poly = (p: Record<string, { center: number }>, i: number, o: number) =>
      p.theta1.center * i * i + p.theta2.center * i + p.theta3.center * i * o + p.theta4.center * o * o + p.theta5.center * o + p.theta6.center;
    const worst = (p: Record<string, { center: number }>, g: number) => {
      let w = 0;
      for (const i of [64, 256, 1024]) {
        for (const o of [64, 256, 1024]) {
          const x = fillFeatures(kernel, i, o, 1, 'kv-cache', wb, emptyFeatures());
          // E(g) by hand, from the one-GPU hardware energy at the physics values.
          const e = hardwareFormBase.predictJ(physics, x, { profile }) + (g - 1) * c.eStep * (x.decodeSteps + 1);
          w = Math.max(w, Math.abs(poly(p, i, o) / e - 1));
        }
      }
      return w;
    };
    const one = sweetspotPrior(arch, profile);
    const two = sweetspotPrior(arch, profile, { gpus: 2 });
    expect(worst(one, 1)).toBeLessThan(0.05);
    expect(worst(two, 2)).toBeLessThan(0.05);
    // The one-GPU prior misses the second GPU's per-step energy.
    expect(worst(one, 2)).toBeGreaterThan(2 * worst(two, 2));
    expect(two.theta5.source).toMatch(/2 × h100/);
    expect(() => sweetspotPrior(arch, profile, { gpus: 0 })).toThrow(/sweetspotPrior\(arch, profile, \{ gpus \}\): must be an integer in 1\.\.4096/);
  });

  it('the fit takes the g-GPU prior for g-GPU rows (scaled to the data, so its proportions are those of sweetspotPrior at g)', () => {
    const arch = preset('llama-2-7b');
    const rows = [64, 256, 1024, 1900].map((nIn) => ({ model: 'llama-2-7b', gpu: `2x ${H100}`, nIn, nOut: 128, energyJ: estimate(arch, { nIn, nOut: 128 }, { gpus: 2 }).energyJ }));
    const params = calibrate(rows, { form: sweetspotForm }).calibration.models['llama-2-7b'].params;
    const ratio = (p: Record<string, { center: number }>) => p.theta5.center / p.theta2.center;
    const centres = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, { center: v.prior!.center }]));
    expect(ratio(centres)).toBeCloseTo(ratio(sweetspotPrior(arch, profile, { gpus: 2 })), 9);
    expect(Math.abs(ratio(centres) / ratio(sweetspotPrior(arch, profile)) - 1)).toBeGreaterThan(0.02);
  });

  it('evaluate predicts rows on g GPUs at their count: the numbers predict --gpus g gives, row by row', () => {
    const arch = preset('llama-3.1-8b');
    const lengths = [[128, 64], [2048, 512], [4096, 16]];
    const rows: MeasurementInput[] = [];
    for (const g of [1, 2, 4]) {
      for (const [nIn, nOut] of lengths) rows.push({ model: 'llama-3.1-8b', nIn, nOut, energyJ: 100, gpu: g === 1 ? H100 : `${g}x ${H100}` });
    }
    const ev = evaluate(H100_DEFAULT_CALIBRATION, rows, { baselines: [] });
    let k = 0;
    for (const g of [1, 2, 4]) {
      for (const [nIn, nOut] of lengths) {
        expect(ev.predictedJ[k++]).toBe(predictEnergy(H100_DEFAULT_CALIBRATION, arch, { nIn, nOut, gpus: g }).energyJ);
      }
    }
    expect(ev.predictedJ[3]).toBeGreaterThan(ev.predictedJ[0]);
    expect(ev.warnings).toEqual([]);
    // A table evaluates the same.
    expect(evaluate(H100_DEFAULT_CALIBRATION, tableFromRows(measurementRows(rows, 'test').rows), { baselines: [] }).predictedJ).toEqual(ev.predictedJ);
    // Memory is that of the row's GPUs: 85.8 GB of weights and KV cache fit 2 H100s, not one.
    const big = [{ model: 'llama-3.1-8b', nIn: 4096, nOut: 64, batchSize: 128, energyJ: 100, gpu: `2x ${H100}`, line: 9 }];
    expect(() => predictEnergy(H100_DEFAULT_CALIBRATION, arch, { nIn: 4096, nOut: 64, batch: 128 })).toThrow(/more than the 80.0 GB of one NVIDIA H100/);
    expect(evaluate(H100_DEFAULT_CALIBRATION, big, { baselines: [] }).predictedJ[0]).toBe(predictEnergy(H100_DEFAULT_CALIBRATION, arch, { nIn: 4096, nOut: 64, batch: 128, gpus: 2 }).energyJ);
    // A measured row ran: beyond even 2 GPUs' memory it is priced as one-GPU rows are, held at once
    // (or in waves when asked), not refused.
    const huge = [{ ...big[0], nIn: 20000 }];
    expect(evaluate(H100_DEFAULT_CALIBRATION, huge, { baselines: [] }).predictedJ[0]).toBe(
      predictEnergy(H100_DEFAULT_CALIBRATION, arch, { nIn: 20000, nOut: 64, batch: 128, gpus: 2, ignoreMemory: true, allowOverflow: true }).energyJ,
    );
  });
});
