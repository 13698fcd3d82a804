import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import type { CalibrationInput } from '../../src/energy/calibration/document.js';
import { calibrationForm } from '../../src/energy/calibration/form.js';
import { compileFormula } from '../../src/energy/forms/formula.js';
import { hardwareFormBase } from '../../src/energy/forms/hardware.js';
import { linearForm } from '../../src/energy/forms/linear.js';
import { perParamForm } from '../../src/energy/forms/per-param.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { describesOneBatch, isLengthOnlyForm } from '../../src/energy/one-batch.js';
import { energyModel, energyModelAsync } from '../../src/energy/predict/predict.js';
import { calibrate } from '../../src/fit/calibrate.js';
import type { Measurement } from '../../src/fit/data/measurement.js';

const llama3 = preset('llama-3-8b');
const p = (value: number, unit = 'J') => ({ value, unit, stdErr: null });

function formulaCalibration(perModel: boolean, batch: number): CalibrationInput {
  const params = { a: p(0.5, 'J/token'), c: p(3) };
  return {
    version: 1,
    form: 'formula',
    formula: 'a * nOut * batch + c',
    regime: 'kv-cache',
    gpu: 'NVIDIA H100 80GB HBM3',
    profile: null,
    engine: 'test',
    weightBytes: 2,
    kvBytes: 2,
    batch,
    params: perModel ? {} : params,
    models: perModel ? { 'llama-3-8b': { params, rows: 4, mape: 0 } } : {},
    fittedOn: null,
    fitted: false,
    note: 'test',
    errors: null,
  };
}

describe('which calibrations describe calls at one batch', () => {
  it('the length-only forms and per-model formulas; not hardware, per-param or a shared formula', async () => {
    expect([sweetspotForm, linearForm, hardwareFormBase, perParamForm].map(describesOneBatch)).toEqual([true, true, false, false]);
    expect(describesOneBatch(await compileFormula('a * nIn', { scope: 'per-model' }))).toBe(true);
    expect(describesOneBatch(await compileFormula('a * nIn'))).toBe(false);
    expect(['sweetspot', 'linear', 'formula', 'hardware'].map(isLengthOnlyForm)).toEqual([true, true, false, false]);
  });

  it('a per-model formula predicts at its calibrated batch by default, and refuses another (even when it reads batch)', async () => {
    const calib = formulaCalibration(true, 4);
    const model = await energyModelAsync(calib, llama3);
    expect(model.batch).toBe(4);
    expect(model.energyJ(10, 10)).toBe(0.5 * 10 * 4 + 3);
    await expect(energyModelAsync(calib, llama3, { batch: 1 })).rejects.toThrow(
      /batch 1: a per-model formula calibration was fitted at batch 4 only .*even where the formula reads batch.*cannot predict another batch/,
    );
    const form = await calibrationForm(calib);
    expect(() => energyModel(calib, llama3, { form, batch: 8 })).toThrow(/fitted at batch 4 only/);
  });

  it('a shared formula predicts any batch', async () => {
    const model = await energyModelAsync(formulaCalibration(false, 1), llama3, { batch: 8 });
    expect(model.energyJ(10, 10)).toBe(0.5 * 10 * 8 + 3);
  });

  it('calibrate records the batch of a per-model formula and refuses rows mixing batches', async () => {
    const form = await compileFormula('a * nOut + c', { scope: 'per-model' });
    const rows = (batch: number): Measurement[] =>
      [8, 16, 32, 64].map((o) => ({ model: 'meta-llama/Meta-Llama-3-8B', nIn: 16, nOut: o, energyJ: 0.5 * o + 3, batchSize: batch, kvCache: true, gpu: 'NVIDIA H100 80GB HBM3', extra: {} }) as Measurement);
    const c = calibrate(rows(2), { form, formula: 'a * nOut + c', baselines: [] });
    expect(c.calibration.batch).toBe(2);
    expect((await energyModelAsync(c.calibration, llama3)).batch).toBe(2);
    expect(() => calibrate([...rows(1), ...rows(2)], { form, formula: 'a * nOut + c', baselines: [] })).toThrow(/describes calls at one batch size/);
  });
});

describe('calibrationForm', () => {
  it('gives the built-in form a calibration names', async () => {
    const params = { a: p(1, 'J/token'), b: p(1, 'J/token'), c: p(1) };
    const linear: CalibrationInput = { ...formulaCalibration(false, 1), form: 'linear', formula: null, params: {}, models: { 'llama-3-8b': { params, rows: 3, mape: 0 } } };
    expect(await calibrationForm(linear)).toBe(linearForm);
  });

  it('compiles a formula with per-model scope when it has models, widening a lower bound to a stored negative value', async () => {
    const calib = { ...formulaCalibration(true, 1), formula: 'a * nOut + c' };
    calib.models['llama-3-8b'].params.c = p(-2);
    const form = await calibrationForm(calib);
    expect(form.scope).toBe('per-model');
    expect(form.params.map((s) => [s.name, s.lower, s.unit])).toEqual([
      ['a', 0, 'J/token'],
      ['c', -2, 'J'],
    ]);
  });
});
