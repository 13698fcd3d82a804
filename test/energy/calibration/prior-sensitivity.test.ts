import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { H100_PHYSICS_PRIOR } from '../../../src/energy/calibration/physics-prior.js';
import { shelfEntry } from '../../../src/energy/calibration/shelf.js';
import { h100Procedure, h100Rows } from '../../../scripts/calibrations/build.js';
import { priorSensitivity } from '../../../scripts/calibrations/sensitivity.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the sensitivity of the fitted H100 level to the prior (docs/energy-models.md)', () => {
  const rows = priorSensitivity(ROOT, [1e-3, 1 / 8, 1, 4]);

  it('at the documented widths it is the shelf procedure: the same in-sample and cross-validated errors as the shipped h100', () => {
    const entry = shelfEntry('h100');
    const cv = (scheme: string) => entry.crossValidation.find((c) => c.scheme.startsWith(scheme))!.mape;
    const atOne = rows.find((r) => r.widthScale === 1)!;
    expect(atOne.inSampleMape).toBeCloseTo(entry.calibration.errors!.mape, 9);
    // The shelf rounds its cross-validated figures to four significant digits.
    expect(atOne.leaveOneEngineOutMape).toBeCloseTo(cv('leave-one-engine-out'), 2);
    expect(atOne.leaveOneModelOutMape).toBeCloseTo(cv('leave-one-model-out'), 2);
  });

  it('with near-zero widths the fit returns the prior’s centres (all but etaMemory, which the latencies set)', () => {
    const fitted = h100Procedure('pooled', 'limit', 1e-3)(h100Rows(ROOT));
    for (const [name, p] of Object.entries(H100_PHYSICS_PRIOR.params)) {
      if (name === 'etaMemory') continue;
      expect([name, fitted.params[name].value / p.value]).toEqual([name, expect.closeTo(1, 2)]);
    }
    // What is left of the level is the slower decode: ηm 0.608 from the latencies against 0.65.
    const [lo, hi] = rows[0].levelRatio;
    expect(lo).toBeGreaterThan(1);
    expect(hi).toBeLessThan(0.65 / fitted.params.etaMemory.value);
  });

  it('the data, not the prior, raise the level: 8× narrower widths still leave it above 1.13× the prior', () => {
    for (const r of rows.filter((x) => x.widthScale >= 1 / 8)) expect([r.widthScale, r.levelRatio[0] > 1.13]).toEqual([r.widthScale, true]);
  });
});
