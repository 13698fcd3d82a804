import { describe, expect, it } from 'vitest';
import { calibrationByName } from '../../../src/energy/calibration/shelf.js';
import { H100_PHYSICS_PRIOR } from '../../../src/energy/calibration/physics-prior.js';
import { outsideFit } from '../../../src/energy/calibration/outside-fit.js';
import { transferCalibration } from '../../../src/energy/calibration/transfer.js';
import { hardwareForm } from '../../../src/energy/forms/hardware.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { calibrate } from '../../../src/fit/calibrate.js';
import { SweetspotInputError } from '../../../src/errors.js';

describe('outsideFit', () => {
  it('reads the span calibrate records: the least and greatest length and batch of the rows', () => {
    const rows = [
      { model: 'llama-3-8b', nIn: 256, nOut: 64, batchSize: 1, energyJ: 300, gpu: 'NVIDIA L40S' },
      { model: 'llama-3-8b', nIn: 2048, nOut: 256, batchSize: 1, energyJ: 1300, gpu: 'NVIDIA L40S' },
      { model: 'llama-3-8b', nIn: 1024, nOut: 128, batchSize: 4, energyJ: 900, gpu: 'NVIDIA L40S' },
      { model: 'llama-3-8b', nIn: 512, nOut: 512, batchSize: 2, energyJ: 1500, gpu: 'NVIDIA L40S' },
    ];
    const c = calibrate(rows, { form: hardwareForm(), profile: resolveProfile('L40S'), baselines: [] }).calibration;
    expect(c.fittedOn?.ranges).toEqual({ nIn: [256, 2048], nOut: [64, 512], batch: [1, 4] });
    expect(outsideFit(c, { nIn: 1000, nOut: 100, batch: 3 })).toEqual([]);
    expect(outsideFit(c, { nIn: 256, nOut: 512, batch: 4 })).toEqual([]);
    expect(outsideFit(c, { nIn: 8000, nOut: 32, batch: 64 })).toEqual(['prompt 8000 (rows: 256–2048)', 'output 32 (rows: 64–512)', 'batch 64 (rows: 1–4)']);
    // Without a batch, the calibration's (1 for the hardware form).
    expect(outsideFit(c, { nIn: 300, nOut: 100 })).toEqual([]);
  });

  it('knows the shelf default was fitted on the 1024/1024 diagonal at batch 1–64, and carries it through a move', () => {
    const h100 = calibrationByName('h100');
    expect(h100.fittedOn?.ranges).toEqual({ nIn: [1024, 1024], nOut: [1024, 1024], batch: [1, 64] });
    expect(outsideFit(h100, { nIn: 1024, nOut: 1024, batch: 32 })).toEqual([]);
    expect(outsideFit(transferCalibration(h100, 'L40S'), { nIn: 4096, nOut: 1024, batch: 128 })).toEqual(['prompt 4096 (rows: 1024)', 'batch 128 (rows: 1–64)']);
  });

  it('says nothing for a calibration that records no span, and refuses junk by name', () => {
    expect(outsideFit(H100_PHYSICS_PRIOR, { nIn: 1, nOut: 1 })).toEqual([]);
    expect(() => outsideFit(null as never, { nIn: 1, nOut: 1 })).toThrow(SweetspotInputError);
    expect(() => outsideFit(H100_PHYSICS_PRIOR, 'x' as never)).toThrow(/outsideFit\(calibration, request\)/);
    const h100 = calibrationByName('h100');
    for (const bad of ['1024', NaN, Infinity, Symbol('s'), null, 10n]) {
      expect(() => outsideFit(h100, { nIn: bad as never, nOut: 1 })).toThrow(/outsideFit\(calibration, request\): nIn must be a finite number, got /);
    }
    expect(() => outsideFit(h100, Object.create(null))).toThrow(/nIn must be a finite number, got undefined/);
    const broken = { ...h100, fittedOn: { ...h100.fittedOn!, ranges: { nIn: 5 } } };
    expect(() => outsideFit(broken as never, { nIn: 1, nOut: 1 })).toThrow(/fittedOn\.ranges must be \{ nIn, nOut, batch \}/);
  });
});
