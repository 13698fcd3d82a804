import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { parseCalibration } from '../../../src/energy/calibration/document.js';
import { H100_DEFAULT_CALIBRATION, defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { H100_PHYSICS_PRIOR } from '../../../src/energy/calibration/physics-prior.js';
import { intervalOf, normalQuantile, predictInterval } from '../../../src/energy/predict/interval.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { parseCsv } from '../../../src/fit/read/csv.js';
import { dataFile } from '../../data-files.js';

describe('normalQuantile', () => {
  it('matches published values of the standard normal', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(() => normalQuantile(1)).toThrow(SweetspotInputError);
  });
});

describe('prediction intervals', () => {
  it('log-normal from the residual scatter and the covariance: a hand computation on the hardware form', () => {
    // Only eStep uncertain (variance v): ∂E/∂eStep = decodeSteps + 1 = nOut.
    const c = defaultCalibration();
    const v = 0.01 ** 2;
    const idx = [0, 1, 2, 3, 4, 5, 6];
    const cov = idx.map((a) => idx.map((b) => (a === 5 && b === 5 ? v : 0)));
    const calib = parseCalibration({ ...c, uncertainty: { residualSigma: 0.05, logBias: 0, covariance: cov } });
    const arch = preset('llama-3-8b');
    const e = predictEnergy(calib, arch, { nIn: 512, nOut: 200 }).energyJ;
    const sd = Math.sqrt(0.05 ** 2 + (200 / e) ** 2 * v);
    const z = 1.6448536269514722;
    const r = predictInterval(calib, arch, { nIn: 512, nOut: 200 });
    expect(r.energyJ).toBe(e);
    expect(r.sdLog).toBeCloseTo(sd, 12);
    expect(r.lowJ).toBeCloseTo(e * Math.exp(-z * sd), 6);
    expect(r.highJ).toBeCloseTo(e * Math.exp(z * sd), 6);
    expect(r.parameterSdLog).toBeCloseTo((200 / e) * 0.01, 12);
  });

  it('refuses a calibration without uncertainty, a bad level, and a covariance of the wrong size', () => {
    const c = { ...defaultCalibration(), uncertainty: null };
    expect(() => predictInterval(c, preset('llama-3-8b'), { nIn: 10, nOut: 10 })).toThrow(/carries no uncertainty/);
    expect(() => predictInterval(H100_DEFAULT_CALIBRATION, preset('llama-3-8b'), { nIn: 10, nOut: 10, level: 1.2 })).toThrow(/level/);
    const bad = { ...defaultCalibration(), uncertainty: { residualSigma: 0.1, logBias: 0, covariance: [[1]] } };
    expect(() => intervalOf(energyModel(bad, preset('llama-3-8b')), 10, 10)).toThrow(/7 × 7/);
  });

  it("the physics prior's 90% interval covers every usable H100 point of data/ (its documented bias); the fitted default's covers 14 of 16", () => {
    const { header, records } = parseCsv(readFileSync(dataFile('argonne_hopper_diag.csv'), 'utf8'));
    const rows = records.map(({ fields }) => Object.fromEntries(header.map((h, k) => [h, fields[k]])));
    const ids: Record<string, string> = { 'meta-llama/Meta-Llama-3-8B': 'llama-3-8b', 'meta-llama/Llama-2-7b-hf': 'llama-2-7b' };
    const checked = rows.filter(
      (r) => r.gpu === 'NVIDIA H100' && r.quality !== 'suspect' && r.num_gpus_tp === '1' && /^(TensorRT-LLM|vLLM)/.test(r.engine) && r.model in ids,
    );
    expect(checked).toHaveLength(16);
    let inside = 0;
    for (const r of checked) {
      const req = { nIn: Number(r.n_in), nOut: Number(r.n_out), batch: Number(r.batch_size) };
      const fitted = predictInterval(H100_DEFAULT_CALIBRATION, preset(ids[r.model]), req);
      if (fitted.lowJ <= Number(r.energy_j) && Number(r.energy_j) <= fitted.highJ) inside++;
      const iv = predictInterval(H100_PHYSICS_PRIOR, preset(ids[r.model]), req);
      const m = Number(r.energy_j);
      expect([r.model, r.engine, r.batch_size, iv.lowJ <= m && m <= iv.highJ]).toEqual([r.model, r.engine, r.batch_size, true]);
      // The point prediction stays the derived one: the bias moves the interval, not the estimate.
      expect(iv.lowJ).toBeLessThan(iv.energyJ);
    }
    // Fitted to these rows, with the residual scatter as its interval: about 90% inside, as it should be.
    expect(inside).toBe(14);
  });
});
