import { describe, expect, it } from 'vitest';
import { parseCalibration } from '../../../src/energy/calibration/document.js';
import { defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { estimate } from '../../../src/energy/predict/estimate.js';
import { SweetspotInputError } from '../../../src/errors.js';

// The standard normal's 95% quantile (published): a 90% central interval is E·exp(±z·σ).
const Z90 = 1.6448536269514722;

describe('estimate({ interval })', () => {
  it('attaches E·exp(logBias ± z·σ) from a calibration with residual scatter only (a hand computation)', () => {
    const calibration = parseCalibration({ ...defaultCalibration(), uncertainty: { residualSigma: 0.1, logBias: 0.05, covariance: null } });
    const plain = estimate('llama-3.1-8b', { nIn: 1024, nOut: 256, batch: 4 }, { calibration });
    const e = estimate('llama-3.1-8b', { nIn: 1024, nOut: 256, batch: 4 }, { calibration, interval: 0.9 });
    expect(plain.intervalJ).toBeUndefined();
    expect(e.energyJ).toBe(plain.energyJ);
    const [low, high] = e.intervalJ!;
    expect(low).toBeCloseTo(e.energyJ * Math.exp(0.05 - Z90 * 0.1), 6);
    expect(high).toBeCloseTo(e.energyJ * Math.exp(0.05 + Z90 * 0.1), 6);
  });

  it('is wider at a higher coverage and brackets the built-in default’s own prediction', () => {
    const at90 = estimate('llama-3.1-8b', { nIn: 2048, nOut: 128 }, { interval: 0.9 }).intervalJ!;
    const at50 = estimate('llama-3.1-8b', { nIn: 2048, nOut: 128 }, { interval: 0.5 });
    expect(at90[0]).toBeLessThan(at50.intervalJ![0]);
    expect(at90[1]).toBeGreaterThan(at50.intervalJ![1]);
    expect(at50.intervalJ![0]).toBeLessThan(at50.energyJ * 1.5);
  });

  it('names the option for a bad level, and refuses a split over GPUs it does not model', () => {
    expect(() => estimate('llama-3.1-8b', { nIn: 64, nOut: 64 }, { interval: 1 })).toThrow(/estimate\(\{ interval \}\)/);
    expect(() => estimate('llama-3.1-8b', { nIn: 64, nOut: 64 }, { interval: 0.9, gpus: 2 })).toThrow(SweetspotInputError);
  });
});
