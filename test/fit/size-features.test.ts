import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveArchitecture } from '../../src/architecture/resolve.js';
import { FEATURE_NAMES } from '../../src/complexity/features.js';
import type { EnergyForm } from '../../src/energy/form.js';
import { hardwareForm } from '../../src/energy/forms/hardware.js';
import { linearForm } from '../../src/energy/forms/linear.js';
import { perParamForm } from '../../src/energy/forms/per-param.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { calibrate, type CalibrateOptions } from '../../src/fit/calibrate.js';
import { measurementFeatures, readsSizesOnly } from '../../src/fit/features.js';
import { filterMeasurements } from '../../src/fit/data/filter.js';
import type { Measurement } from '../../src/fit/data/measurement.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { dataFile } from '../data-files.js';
import { noise } from './helpers.js';

/** A copy of the linear baseline under another id: its presence makes calibrate compute every term, as it always did. */
const linearCopy: EnergyForm = { ...linearForm, id: 'linear-copy' };

/** The calibration of the sizes-only path beside the one computed with every term. */
function bothPaths(rows: readonly Measurement[], options: CalibrateOptions) {
  const light = calibrate(rows, options);
  const full = calibrate(rows, { ...options, baselines: [...(options.baselines ?? [linearForm, perParamForm]), linearCopy] });
  return { light, full };
}

function expectSame(light: ReturnType<typeof calibrate>, full: ReturnType<typeof calibrate>): void {
  const a = light.calibration;
  const b = full.calibration;
  expect(a.models).toStrictEqual(b.models);
  expect(a.params).toStrictEqual(b.params);
  expect(a.fittedOn).toStrictEqual(b.fittedOn);
  expect(a.errors!.mape).toBe(b.errors!.mape);
  expect(a.errors!.maxApe).toBe(b.errors!.maxApe);
  expect(a.errors!.noiseFloorMape).toBe(b.errors!.noiseFloorMape);
  for (const id of Object.keys(a.errors!.baselines)) expect(a.errors!.baselines[id]).toStrictEqual(b.errors!.baselines[id]);
  expect(Object.keys(b.errors!.baselines)).toEqual([...Object.keys(a.errors!.baselines), 'linear-copy']);
  expect(light.perModel).toStrictEqual(full.perModel);
}

describe('features without the §3 terms', () => {
  const wilkins = readMeasurements(readFileSync(dataFile('wilkins_a100_1d_sweeps.csv'), 'utf8'), { defaults: { kvCache: false } }).rows;

  it('are the lengths, batch and parameter count of the full record, and NaN for every term', () => {
    const full = measurementFeatures(wilkins, { resolve: resolveArchitecture });
    const light = measurementFeatures(wilkins, { resolve: resolveArchitecture, terms: false });
    expect(light.length).toBe(full.length);
    for (let i = 0; i < full.length; i++) {
      for (const name of FEATURE_NAMES) {
        if (name === 'nIn' || name === 'nOut' || name === 'batch' || name === 'params') expect(light[i][name]).toBe(full[i][name]);
        else expect(light[i][name]).toBeNaN();
      }
    }
    expect(light[0].params).toBeGreaterThan(1e9);
    expect(readsSizesOnly(sweetspotForm) && readsSizesOnly(linearForm) && readsSizesOnly(perParamForm)).toBe(true);
    expect(readsSizesOnly(hardwareForm())).toBe(false);
  });

  it('give the same calibration as every term on the public sweeps (θ, MAPE, SHA-256, noise floor, baselines)', () => {
    const swing = filterMeasurements(wilkins, { where: ['system=argonne-swing'], excludeNotes: 'iteration 0|exceeds' }).rows;
    const palmetto = filterMeasurements(wilkins, { where: ['system=Palmetto Intel+A100'] }).rows;
    for (const rows of [swing, palmetto]) {
      expect(rows.length).toBeGreaterThan(50);
      for (const options of [{ form: sweetspotForm }, { form: sweetspotForm, prior: 'none' as const }, { form: linearForm }, { form: perParamForm }]) {
        if (options.prior === 'none') {
          // 1-D sweeps cannot determine the plain SweetSpot fit: both paths refuse alike.
          expect(() => calibrate(rows, options)).toThrow(/cannot determine/);
          continue;
        }
        const { light, full } = bothPaths(rows, options);
        expectSame(light, full);
      }
    }
  });

  it('give the same calibration as every term on random rows of two models', () => {
    let s = 7;
    const u = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
    const theta = [2e-7, 3e-3, 4e-6, 1e-6, 0.15, 3];
    const rows: Measurement[] = Array.from({ length: 3000 }, (_, k) => {
      const nIn = 1 + Math.floor(u() * 4096);
      const nOut = 1 + Math.floor(u() * 2048);
      const e = theta[0] * nIn * nIn + theta[1] * nIn + theta[2] * nIn * nOut + theta[3] * nOut * nOut + theta[4] * nOut + theta[5];
      return { model: k % 3 ? 'llama-3.1-8b' : 'mistral-7b', nIn, nOut, energyJ: e * (k % 5 === 0 ? 1 + (u() - 0.5) * 0.1 : noise(k, 0.02)), batchSize: 1, kvCache: true, gpu: 'NVIDIA H100 80GB HBM3', line: k + 2, extra: {} };
    });
    // Repeated configurations, for the noise floor.
    rows.push(...rows.slice(0, 200).map((r, k) => ({ ...r, energyJ: r.energyJ * noise(k + 5000, 0.03), line: 4000 + k })));
    for (const options of [{ form: sweetspotForm }, { form: sweetspotForm, prior: 'none' as const }, { form: perParamForm }]) {
      const { light, full } = bothPaths(rows, options);
      expect(light.noiseFloor.groups).toBeGreaterThan(100);
      expectSame(light, full);
    }
  });
});
