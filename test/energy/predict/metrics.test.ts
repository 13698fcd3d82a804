import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { callMetrics } from '../../../src/energy/predict/metrics.js';
import { predictEnergy } from '../../../src/energy/predict/predict.js';

describe('callMetrics', () => {
  it('divides by the batch and the tokens as docs/conventions.md says', () => {
    expect(callMetrics(1200, 100, 200, 4)).toEqual({
      energyJ: 1200,
      energyPerRequestJ: 300,
      jPerOutputToken: 1.5,
      jPerToken: 1,
      outputTokensPerJ: 800 / 1200,
    });
  });

  it('is what predictEnergy reports', () => {
    const r = predictEnergy(defaultCalibration(), preset('llama-3-8b'), { nIn: 512, nOut: 128, batch: 8 });
    expect(r).toMatchObject({ ...callMetrics(r.energyJ, 512, 128, 8), nIn: 512, nOut: 128, batch: 8 });
  });

  it('refuses inputs that would give a NaN, 0 or Infinity metric', () => {
    for (const e of [0, -1, NaN, Infinity]) expect(() => callMetrics(e, 1, 1, 1)).toThrow(/energyJ must be a finite positive number/);
    expect(() => callMetrics(1, 0, 1, 1)).toThrow(/nIn must be an integer ≥ 1/);
    expect(() => callMetrics(1, 1, 1.5, 1)).toThrow(/nOut must be an integer ≥ 1/);
    expect(() => callMetrics(1, 1, 1, 0)).toThrow(/batch must be an integer ≥ 1/);
  });
});
