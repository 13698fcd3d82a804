import { describe, expect, it } from 'vitest';
import { hardwareForm, hardwareFormBase } from '../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { linearForm } from '../../src/energy/forms/linear.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { waveCount } from '../../src/energy/hardware/waves.js';
import { paramCount } from '../../src/architecture/params.js';
import { preset } from '../../src/architecture/registry.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { evaluate } from '../../src/fit/evaluate/evaluate.js';
import { crossValidate } from '../../src/fit/evaluate/cv.js';
import { prepareRows } from '../../src/fit/prepare.js';
import { measurementRows } from '../../src/fit/data/rows.js';
import type { MeasurementInput } from '../../src/fit/data/measurement.js';
import { SweetspotMemoryError } from '../../src/errors.js';
import { featuresOf, noise } from './helpers.js';

const GPU = 'NVIDIA A100-SXM4-40GB';
const profile = resolveProfile(GPU);
const TRUTH = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4, 3e-11];

/**
 * KV-cache rows on one A100 40GB whose energies are made in waves, as an engine that preempts
 * sequences runs them: w·E1(batch/w), computed here from the hardware form at the fractional
 * batch (not from the wave count the fit reads), with the waves from the memory rule by hand.
 */
function wavesRows(amp: number): { rows: MeasurementInput[]; inWaves: number } {
  const rows: MeasurementInput[] = [];
  let k = 0;
  let inWaves = 0;
  for (const model of ['llama-2-7b', 'mistral-7b']) {
    const weights = paramCount(preset(model)) * 2;
    for (const [i, o] of [[128, 128], [512, 256], [1024, 1024], [2048, 512]]) {
      for (const batch of [1, 8, 32, 64, 128]) {
        const perSequence = featuresOf(model, i, o, 'kv-cache', 1).kvCacheBytes;
        const b = Math.floor((profile.memoryBytes - weights) / perSequence);
        const w = batch <= b ? 1 : Math.ceil(batch / b);
        if (w > 1) inWaves++;
        const e = w * hardwareFormBase.predictJ(TRUTH, featuresOf(model, i, o, 'kv-cache', batch / w), { profile });
        rows.push({ model, nIn: i, nOut: o, batchSize: batch, kvCache: true, gpu: GPU, energyJ: e * noise(k++, amp) });
      }
    }
  }
  return { rows, inWaves };
}

describe('fits and evaluation in waves (docs/energy-models.md#batches-that-exceed-memory)', () => {
  it('row features carry the wave count with { waves }, and only then', () => {
    const rows = measurementRows([{ model: 'llama-2-7b', nIn: 1024, nOut: 1024, batchSize: 64, gpu: GPU, energyJ: 1 }], 'test').rows;
    expect(prepareRows(rows).features[0].waves).toBeUndefined();
    const x = prepareRows(rows, { waveMemoryBytes: profile.memoryBytes }).features[0];
    // 3 waves of 21.3 (b = 24), as test/energy/hardware/waves.test.ts computes by hand.
    expect(x.waves).toBe(3);
    expect(waveCount(paramCount(preset('llama-2-7b')) * 2, x.kvCacheBytes, 64, profile.memoryBytes)).toBe(3);
    const fits = measurementRows([{ model: 'llama-2-7b', nIn: 1024, nOut: 1024, batchSize: 16, gpu: GPU, energyJ: 1 }], 'test').rows;
    expect('waves' in prepareRows(fits, { waveMemoryBytes: profile.memoryBytes }).features[0]).toBe(false);
  });

  it('a hardware fit with { waves } on rows made in waves recovers the parameters within their standard errors; without it, it fits worse', () => {
    const { rows, inWaves } = wavesRows(0);
    expect(inWaves).toBeGreaterThanOrEqual(8);
    const form = hardwareForm({ staticPowerW: 55 });
    const exact = calibrate(rows, { form, prior: 'none', waves: true, baselines: [] });
    expect(exact.errors.mape).toBeLessThan(1e-6);
    expect(exact.calibration.note).toMatch(/fitted with waves/);
    // With noise, a memory-bound decode cannot tell eByte from staticPowerW/(etaMemory·bandwidth)
    // (the identifiability note of the hardware form): etaMemory is pinned as well.
    const pinned = hardwareForm({ staticPowerW: 55, etaMemory: 0.6 });
    const noisy = calibrate(wavesRows(0.02).rows, { form: pinned, prior: 'none', waves: true, baselines: [] }).calibration;
    const truth: Record<string, number> = { eFlop: 2e-13, eByte: 3e-11, etaCompute: 0.35, eStep: 0.4 };
    for (const [p, v] of Object.entries(truth)) {
      const { value, stdErr } = noisy.params[p];
      expect(stdErr, p).toBeGreaterThan(0);
      expect(Math.abs(value - v), `${p}: ${value} ± ${stdErr}`).toBeLessThan(3 * stdErr!);
    }
    // The same rows read as held at once: the form cannot fit them.
    expect(calibrate(rows, { form, prior: 'none', baselines: [] }).errors.mape).toBeGreaterThan(1);
  });

  it('evaluate and crossValidate price the rows in waves with { waves }; per-model forms ignore it', () => {
    const { rows } = wavesRows(0);
    const form = hardwareForm({ staticPowerW: 55 });
    const { calibration } = calibrate(rows, { form, prior: 'none', waves: true, baselines: [] });
    expect(evaluate(calibration, rows, { waves: true, baselines: [] }).mape).toBeLessThan(1e-6);
    // Without the option the rows beyond memory are priced at once: too low.
    const atOnce = evaluate(calibration, rows, { baselines: [] });
    expect(atOnce.mape).toBeGreaterThan(1);
    expect(Math.min(...atOnce.predictedJ.map((p, i) => rows[i].energyJ / p))).toBeGreaterThan(1 - 1e-9);
    const cv = crossValidate(rows, { kind: 'k-fold', k: 4, seed: 1 }, { form, prior: 'none', waves: true, baselines: [] });
    expect(cv.results.hardware.mape).toBeLessThan(1e-4);
    // A per-model form fits the measured energies whatever the engine did: the same fit either way.
    const one = rows.filter((r) => r.model === 'llama-2-7b' && r.batchSize === 64);
    const linear = (waves: boolean) => calibrate(one, { form: linearForm, prior: 'none', waves, baselines: [] }).calibration.models['llama-2-7b'].params;
    expect(linear(true)).toEqual(linear(false));
  });

  it('a row of which not even one sequence fits is refused by its line; waves without a GPU profile are refused', () => {
    const rows: MeasurementInput[] = [
      { model: 'llama-2-7b', nIn: 1024, nOut: 1024, batchSize: 8, gpu: GPU, energyJ: 1000, line: 2 },
      { model: 'llama-2-7b', nIn: 30000, nOut: 30000, batchSize: 1, gpu: GPU, energyJ: 1000, line: 3 },
    ];
    expect(() => calibrate(rows, { form: hardwareForm(), waves: true, baselines: [] })).toThrow(SweetspotMemoryError);
    expect(() => calibrate(rows, { form: hardwareForm(), waves: true, baselines: [] })).toThrow(/^line 3: llama-2-7b \(in waves, not even one sequence fits\): llama-2-7b at nIn=30000, nOut=30000, batch=1 needs 44\.9 GB/);
    // A baseline that prices waves needs the profile even under a form that ignores them.
    const anonymous = rows.slice(0, 1).map(({ gpu: _, ...r }) => r);
    expect(() => calibrate(anonymous, { form: sweetspotForm, waves: true, baselines: [hardwareFormBase] })).toThrow(/calibrate\(\{ waves, profile \}\): waves need the GPU's memory/);
    expect(() => calibrate(rows.slice(0, 1), { form: hardwareForm(), waves: 1 as never, baselines: [] })).toThrow(/calibrate\(\{ waves \}\): expected true or false/);
  });

  it('forms fitted to measured calls accept waves and ignore them: no profile needed, no row refused, the same fit as without', () => {
    // Llama-2-7B at batch 1 on no named GPU, from a hand polynomial; one row of which not even one
    // sequence fits 40 GB (30000 + 30000), which waves would refuse under the hardware form.
    const rows: MeasurementInput[] = [];
    let line = 2;
    for (const [i, o] of [[64, 64], [128, 512], [512, 128], [1024, 1024], [2048, 256], [256, 2048], [4096, 64], [96, 3000], [30000, 30000]]) {
      rows.push({ model: 'llama-2-7b', nIn: i, nOut: o, batchSize: 1, energyJ: 40 + 0.02 * i + 0.35 * o + 2e-6 * i * o + 1e-7 * i * i, line: line++ });
    }
    for (const form of [sweetspotForm, linearForm]) {
      const plain = calibrate(rows, { form, baselines: [] });
      const ignored = calibrate(rows, { form, waves: true, baselines: [] });
      expect(ignored.calibration.models).toEqual(plain.calibration.models);
      expect(ignored.errors.mape).toBe(plain.errors.mape);
      expect(ignored.calibration.note).not.toMatch(/waves/);
      const onGpu = rows.map((r) => ({ ...r, gpu: GPU }));
      expect(calibrate(onGpu, { form, waves: true, baselines: [] }).calibration.models).toEqual(calibrate(onGpu, { form, baselines: [] }).calibration.models);
      const scheme = { kind: 'k-fold', k: 3 } as const;
      expect(crossValidate(rows, scheme, { form, waves: true, baselines: [] }).results[form.id].mape).toBe(crossValidate(rows, scheme, { form, baselines: [] }).results[form.id].mape);
    }
  });
});
