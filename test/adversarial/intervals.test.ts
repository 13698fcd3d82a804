import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { parseCalibration, serializeCalibration } from '../../src/energy/calibration/document.js';
import { predictInterval } from '../../src/energy/predict/interval.js';
import { inputError } from './helpers.js';

const arch = preset('llama-3.1-8b');
const request = { nIn: 1000, nOut: 1000 };
/** The built-in default as a document, with `change` applied to its uncertainty. */
function withUncertainty(change: (u: { residualSigma: number; logBias: number; covariance: number[][] | null }) => void) {
  const doc = JSON.parse(serializeCalibration(H100_DEFAULT_CALIBRATION));
  change(doc.uncertainty);
  return parseCalibration(doc);
}

describe('intervals: an uncertainty that gives no finite interval is refused, not returned as [0, Infinity]', () => {
  it('refuses residualSigma 1e308 (it returned lowJ 0, highJ Infinity, sdLog Infinity)', async () => {
    const c = withUncertainty((u) => (u.residualSigma = 1e308));
    await inputError(() => predictInterval(c, arch, request), ["interval: the calibration's uncertainty of llama-3.1-8b (residualSigma 1e+308", 'gives no finite interval at nIn=1000, nOut=1000']);
  });

  it('refuses a logBias or a covariance that overflows the bounds', async () => {
    await inputError(() => predictInterval(withUncertainty((u) => (u.logBias = 1e4)), arch, request), ['gives no finite interval']);
    await inputError(() => predictInterval(withUncertainty((u) => (u.logBias = -1e4)), arch, request), ['gives no finite interval']);
    const huge = withUncertainty((u) => (u.covariance = u.covariance!.map((row) => row.map(() => 1e300))));
    await inputError(() => predictInterval(huge, arch, request), ['gives no finite interval']);
  });

  it('keeps a wide but finite interval: its bounds are E·exp(±z·σ), z = 1.6449 at 90%', () => {
    const c = withUncertainty((u) => {
      u.residualSigma = 3;
      u.covariance = null;
    });
    const r = predictInterval(c, arch, request);
    const z = 1.6448536269514722;
    expect(r.sdLog).toBe(3);
    // The quantile is an approximation good to about 1e-9.
    expect(Math.log(r.lowJ / r.energyJ) / -3).toBeCloseTo(z, 8);
    expect(Math.log(r.highJ / r.energyJ) / 3).toBeCloseTo(z, 8);
  });
});
