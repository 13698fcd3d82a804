import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hardwareForm } from '../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { crossValidate } from '../../src/fit/evaluate/cv.js';
import { engineSettings } from '../../src/fit/engine.js';
import { filterMeasurements } from '../../src/fit/data/filter.js';
import { groupByColumns } from '../../src/fit/evaluate/folds.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { dataFile } from '../data-files.js';

// The public A100 sweeps (data/README.md), as a user fits them: Swing, cold starts and
// over-context rows out, regime and attention from the engine column.
const all = readMeasurements(readFileSync(dataFile('wilkins_a100_1d_sweeps.csv'), 'utf8'), { defaults: { kvCache: false } }).rows;
const swing = filterMeasurements(all, { where: ['system=argonne-swing'], excludeNotes: 'iteration 0|exceeds' }).rows;

describe('the public A100 sweeps', () => {
  it('the engine column says recompute and transformers-sdpa attention', () => {
    expect(engineSettings(swing)).toMatchObject({ kvCache: false, attention: 'transformers-sdpa' });
  });

  it('the hardware form fits unpinned under the physics prior, with physical parameters', () => {
    const rep = calibrate(swing, { form: hardwareForm(), attention: 'transformers-sdpa', baselines: [] });
    const fit = rep.fits.get('*')!;
    const p = Object.fromEntries(fit.params.map((x) => [x.name, x]));
    // No parameter at a bound unless the report says the data put it there.
    for (const x of fit.params) {
      if (x.atBound) expect(fit.warnings.join('\n')).toMatch(new RegExp(`${x.name} sits at its bound .*the data put it there`));
    }
    expect(fit.params.filter((x) => x.atBound).length).toBeLessThanOrEqual(1);
    expect(p.etaCompute.value).toBeGreaterThan(0.2);
    expect(p.etaMemory.value).toBeGreaterThan(0.2);
    // pJ per FLOP and per byte, watts: the magnitudes of an A100, not zeros.
    expect(p.eFlop.value).toBeGreaterThan(0.5e-12);
    expect(p.eFlop.value).toBeLessThan(5e-12);
    expect(p.eByte.value).toBeGreaterThan(10e-12);
    expect(p.staticPowerW.value).toBeGreaterThan(20);
    expect(p.staticPowerW.value).toBeLessThan(400);
    expect(rep.errors.mape).toBeLessThan(4.5);
    // Engine-aware attention explains Falcon: in-sample it was 8.6% with fused attention.
    expect(rep.perModel['falcon-7b'].mape).toBeLessThan(6.5);
  });

  it('90% intervals cover about 90% of held-out rows (5-fold grouped by request)', () => {
    const cv = crossValidate(swing, { kind: 'k-fold', k: 5, groupBy: groupByColumns(swing, ['n_in', 'n_out_max']) }, { form: hardwareForm(), attention: 'transformers-sdpa', baselines: [] });
    const cov = cv.results.hardware.coverage!;
    expect(cov.n).toBe(swing.length);
    expect(cov.rate).toBeGreaterThan(0.85);
    expect(cov.rate).toBeLessThan(0.95);
  });

  it('the SweetSpot form answers on 1-D sweeps under its prior, and says θ2 is not what the data determined', () => {
    const llama = swing.filter((r) => r.model.includes('Llama-2'));
    expect(() => calibrate(llama, { form: sweetspotForm, prior: 'none', baselines: [] })).toThrow(/cannot determine/);
    const rep = calibrate(llama, { form: sweetspotForm, baselines: [] });
    const fit = [...rep.fits.values()][0];
    expect(rep.errors.mape).toBeLessThan(5);
    expect(fit.params.find((p) => p.name === 'theta2')!.prior!.determinedBy).not.toBe('data');
    expect(fit.params.find((p) => p.name === 'theta4')!.prior!.determinedBy).toBe('data');
  });
});
