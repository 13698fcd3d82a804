import { describe, expect, it } from 'vitest';
import { hardwareForm } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { crossValidate } from '../../../src/fit/evaluate/cv.js';
import { pinParams } from '../../../src/fit/solve/pin.js';
import { cvFolds, groupByColumns } from '../../../src/fit/evaluate/folds.js';
import { MeasurementSchema } from '../../../src/fit/data/schemas.js';
import { configKey } from '../../../src/fit/evaluate/repeats.js';
import { featuresOf, lengths, noise } from '../helpers.js';

const THETA = [2e-5, 0.05, 3e-3, 1e-3, 3, 20];
let k = 0;
const rows = ['llama-2-7b', 'mistral-7b'].flatMap((model) =>
  [16, 64, 256, 1024, 2048].flatMap((i) =>
    [8, 64, 256, 1024].flatMap((o) =>
      [0, 1].map(() => MeasurementSchema.parse({ model, nIn: i, nOut: o, energyJ: sweetspotForm.predictJ(THETA, lengths(i, o), {}) * noise(k++, 0.02), extra: { sweep: o === 8 ? 'a' : 'b' } })),
    ),
  ),
);
const keys = rows.map((r) => r.model);

describe('cross-validation folds', () => {
  it('k-fold tests every row exactly once and keeps repeats of a configuration in one fold', () => {
    const folds = cvFolds(rows, keys, { kind: 'k-fold', k: 5, seed: 3 });
    const tested = folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b);
    expect(tested).toEqual(rows.map((_, i) => i));
    for (const f of folds) {
      const testKeys = new Set(Array.from(f.test, (i) => configKey(rows[i])));
      for (const i of f.train) expect(testKeys.has(configKey(rows[i]))).toBe(false);
      expect(f.train.length + f.test.length).toBe(rows.length);
    }
    // Deterministic for a seed, different for another.
    expect(cvFolds(rows, keys, { kind: 'k-fold', k: 5, seed: 3 })).toEqual(folds);
    expect(cvFolds(rows, keys, { kind: 'k-fold', k: 5, seed: 4 })).not.toEqual(folds);
  });

  it('keeps two spellings of one model at one configuration in one fold', () => {
    // Rows 0–1 and 2–3 are the same configuration of one preset, written two ways.
    const spelled = [16, 64, 256, 1024].flatMap((i) =>
      ['llama-2-7b', 'meta-llama/Llama-2-7b-hf'].map((model) => MeasurementSchema.parse({ model, nIn: i, nOut: 8, energyJ: 1 })),
    );
    const presetKeys = spelled.map(() => 'llama-2-7b');
    for (let seed = 1; seed <= 20; seed++) {
      for (const f of cvFolds(spelled, presetKeys, { kind: 'k-fold', k: 2, seed })) {
        const tested = new Set(Array.from(f.test, (i) => spelled[i].nIn));
        expect(Array.from(f.train).filter((i) => tested.has(spelled[i].nIn))).toEqual([]);
      }
    }
  });

  it('groupBy keeps repeats whose n_out was re-tokenised (one n_out_max, several n_out) in one fold', () => {
    // One requested configuration per n_out_max; its repeats came back with n_out jittered below it.
    const jittered = [64, 256, 1024, 2048].flatMap((max) =>
      [0, 1, 2, 3].map((r) => MeasurementSchema.parse({ model: 'm', nIn: 38, nOut: max - 3 * r, energyJ: max, extra: { n_out_max: String(max) } })),
    );
    const mKeys = jittered.map(() => 'm');
    const groupBy = groupByColumns(jittered, ['n_in', 'n_out_max']);
    for (let seed = 1; seed <= 20; seed++) {
      for (const f of cvFolds(jittered, mKeys, { kind: 'k-fold', k: 2, seed, groupBy })) {
        const tested = new Set(Array.from(f.test, (i) => jittered[i].extra.n_out_max));
        expect(Array.from(f.train).filter((i) => tested.has(jittered[i].extra.n_out_max))).toEqual([]);
        expect(f.test).toHaveLength(8);
      }
    }
    // Without it, the exact lengths split each n_out_max over both folds for some seed: the leak.
    const leaks = Array.from({ length: 20 }, (_, s) => cvFolds(jittered, mKeys, { kind: 'k-fold', k: 2, seed: s + 1 })).some((folds) =>
      folds.some((f) => {
        const tested = new Set(Array.from(f.test, (i) => jittered[i].extra.n_out_max));
        return f.train.some((i) => tested.has(jittered[i].extra.n_out_max));
      }),
    );
    expect(leaks).toBe(true);
    expect(() => groupByColumns(jittered, ['colour'])).toThrow(/groupByColumns\(rows, \['colour'\]\): no such column/);
  });

  it('leave-one-model-out holds each model out once; a split keeps a row in both sets in training only', () => {
    const lomo = cvFolds(rows, keys, { kind: 'leave-one-model-out' });
    expect(lomo.map((f) => f.name)).toEqual(['without llama-2-7b', 'without mistral-7b']);
    expect(lomo[0].test.every((i) => keys[i] === 'llama-2-7b')).toBe(true);
    const [split] = cvFolds(rows, keys, { kind: 'split', name: 's', train: (r) => r.nIn <= 256, test: () => true });
    expect(split.test.every((i) => rows[i].nIn > 256)).toBe(true);
  });

  it('refuses k < 2 and k-fold with more folds than configurations', () => {
    expect(() => cvFolds(rows, keys, { kind: 'k-fold', k: 1 })).toThrow(/k must be an integer ≥ 2/);
    expect(() => cvFolds(rows.slice(0, 4), keys, { kind: 'k-fold', k: 3 })).toThrow(/cannot fill 3 folds/);
  });
});

describe('crossValidate', () => {
  it('reports the form and the baselines on the same folds; the SweetSpot form beats linear on quadratic data', () => {
    const cv = crossValidate(rows, { kind: 'k-fold', k: 5 }, { form: sweetspotForm });
    expect(Object.keys(cv.results)).toEqual(['sweetspot', 'linear', 'per-param']);
    const s = cv.results.sweetspot;
    expect(s.n).toBe(rows.length);
    expect(s.failedFolds).toBe(0);
    // 2% uniform noise: out-of-sample error near the noise level, far below the linear baseline.
    expect(s.mape!).toBeLessThan(3);
    expect(cv.results.linear.mape!).toBeGreaterThan(3 * s.mape!);
    expect(cv.noiseFloor.mapePct).toBeGreaterThan(0);
  });

  it('reports, never hides, folds a per-model form cannot fit: leave-one-model-out and a 1-D training split', () => {
    const lomo = crossValidate(rows, { kind: 'leave-one-model-out' }, { form: sweetspotForm });
    expect(lomo.results.sweetspot).toMatchObject({ mape: null, n: 0, unpredicted: rows.length, failedFolds: 2 });
    expect(lomo.results.sweetspot.folds[0].error).toMatch(/cannot predict an unseen model/);
    // Trained on one model, a·o + b·P·o cannot separate a from b: reported per fold as well.
    expect(lomo.results['per-param'].folds[0].error).toMatch(/cannot determine a, b/);
    const split = crossValidate(rows, { kind: 'split', name: 'o=8 → rest', train: (r) => r.extra.sweep === 'a', test: (r) => r.extra.sweep === 'b' }, { form: sweetspotForm, prior: 'none' });
    expect(split.results.sweetspot.failedFolds).toBe(2);
    expect(split.results.sweetspot.folds[0].error).toMatch(/cannot determine/);
  });

  it('a shared hardware form predicts a held-out model', () => {
    const profile = resolveProfile('a100-sxm4-40gb');
    const form = hardwareForm({ staticPowerW: 55 });
    const theta = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4];
    const hw = ['llama-2-7b', 'mistral-7b', 'falcon-7b'].flatMap((model) =>
      [8, 64, 512, 2048].flatMap((i) =>
        [8, 64, 1024].map((o) => MeasurementSchema.parse({ model, nIn: i, nOut: o, kvCache: false, energyJ: form.predictJ(theta, featuresOf(model, i, o), { profile }) })),
      ),
    );
    const cv = crossValidate(hw, { kind: 'leave-one-model-out' }, { form, profile, baselines: [], prior: 'none' });
    expect(cv.results.hardware.failedFolds).toBe(0);
    expect(cv.results.hardware.mape!).toBeLessThan(1e-4);
  });

  it('cross-validates { form, fix } as the form pinned beforehand: the same prior, intervals and errors', () => {
    const scheme = { kind: 'k-fold', k: 5, seed: 2 } as const;
    const profile = resolveProfile('H100 SXM');
    const pinned = crossValidate(rows, scheme, { form: pinParams(hardwareForm(), { staticPowerW: 60 }), profile, baselines: [] });
    const fixed = crossValidate(rows, scheme, { form: hardwareForm(), fix: { staticPowerW: 60 }, profile, baselines: [] });
    // Intervals are reported for the form cross-validated, pinned or not.
    expect(pinned.results.hardware.coverage).not.toBeNull();
    expect(fixed.results.hardware).toEqual(pinned.results.hardware);
  });
});
