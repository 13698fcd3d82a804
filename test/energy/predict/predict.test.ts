import { describe, expect, it } from 'vitest';
import { paramCount } from '../../../src/architecture/params.js';
import { preset } from '../../../src/architecture/registry.js';
import { requestTerms } from '../../../src/complexity/terms.js';
import type { CalibrationInput } from '../../../src/energy/calibration/document.js';
import { compileFormula } from '../../../src/energy/forms/formula.js';
import { energyModel, energyModelAsync, predictEnergy } from '../../../src/energy/predict/predict.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { SweetspotInputError } from '../../../src/errors.js';

const llama3 = preset('llama-3-8b');
const THETA = [2e-6, 3e-3, 5e-5, 7e-6, 0.25, 11];

function base(form: CalibrationInput['form']): Omit<CalibrationInput, 'params' | 'models'> {
  return {
    version: 1,
    form,
    regime: 'kv-cache',
    gpu: 'NVIDIA H100 80GB HBM3',
    profile: 'h100-sxm-80gb',
    engine: 'TensorRT-LLM',
    weightBytes: 2,
    kvBytes: 2,
    fittedOn: null,
    fitted: false,
    note: 'test',
    errors: null,
  };
}

const p = (value: number, unit = 'J') => ({ value, unit, stdErr: null });

function sweetspotCalibration(models: string[] = ['llama-3-8b', 'mistral-7b']): CalibrationInput {
  const params = Object.fromEntries(THETA.map((v, k) => [`theta${k + 1}`, p(v)]));
  return { ...base('sweetspot'), params: {}, models: Object.fromEntries(models.map((m) => [m, { params, rows: 10, mape: 1 }])) };
}

function hardwareCalibration(regime: 'kv-cache' | 'recompute' = 'kv-cache'): CalibrationInput {
  return {
    ...base('hardware'),
    regime,
    params: {
      eFlop: p(8e-13, 'J/FLOP'),
      eByte: p(6e-11, 'J/byte'),
      staticPowerW: p(200, 'W'),
      etaCompute: p(0.6, '1'),
      etaMemory: p(0.65, '1'),
      eStep: p(0.1),
    },
    models: {},
  };
}

describe('energyModel and predictEnergy', () => {
  it('sweetspot: energyJ is the calibrated polynomial of the model', () => {
    const model = energyModel(sweetspotCalibration(), llama3);
    const [a, b, c, d, e, f] = THETA;
    const poly = (i: number, o: number) => a * i * i + b * i + c * i * o + d * o * o + e * o + f;
    for (const [i, o] of [[1, 1], [1024, 256], [4000, 4000]]) expect(model.energyJ(i, o)).toBeCloseTo(poly(i, o), 9);
    expect(model.batch).toBe(1);
  });

  it('per-model: a missing model is an error naming it and the calibrated ones', () => {
    const gemma = preset('gemma-2-9b');
    expect(() => energyModel(sweetspotCalibration(), gemma)).toThrow(SweetspotInputError);
    expect(() => energyModel(sweetspotCalibration(), gemma)).toThrow(/model 'gemma-2-9b' is not calibrated.*calibrated: llama-3-8b, mistral-7b/);
  });

  it('per-model: finds a model calibrated under its Hugging Face id', () => {
    const hf = llama3.hfId as string;
    expect(energyModel(sweetspotCalibration([hf]), llama3).energyJ(10, 10)).toBeGreaterThan(0);
  });

  it('per-model: finds a model calibrated under the name the data used (a chat variant), never guessing between two', () => {
    const llama2 = preset('llama-2-7b');
    expect(energyModel(sweetspotCalibration(['meta-llama/Llama-2-7b-chat-hf']), llama2).energyJ(10, 10)).toBeGreaterThan(0);
    expect(() => energyModel(sweetspotCalibration(['meta-llama/Llama-2-7b-chat-hf', 'meta-llama/Llama-2-7b-hf-x', 'Llama-2-7b-chat']), llama2)).toThrow(
      /models meta-llama\/Llama-2-7b-chat-hf, Llama-2-7b-chat all resolve to 'llama-2-7b'/,
    );
  });

  it('forms that need no profile ignore an unknown GPU; the hardware form does not', () => {
    expect(energyModel({ ...sweetspotCalibration(), profile: 'Tesla V100' }, llama3).context.profile).toBeUndefined();
    expect(energyModel(sweetspotCalibration(), llama3).context.profile?.id).toBe('h100-sxm-80gb');
  });

  it('length-only forms refuse a batch they were not calibrated at', () => {
    expect(() => energyModel(sweetspotCalibration(), llama3, { batch: 8 })).toThrow(/calibrated at batch 1; it cannot predict another batch/);
    expect(energyModel({ ...sweetspotCalibration(), batch: 8 }, llama3).batch).toBe(8);
  });

  it('hardware: equals the form computed by hand from the §3 terms', () => {
    const model = energyModel(hardwareCalibration(), llama3);
    const t = requestTerms(llama3, { nIn: 1024, nOut: 1024 });
    const h100 = resolveProfile('NVIDIA H100 80GB HBM3');
    const rc = 0.6 * 989.4e12;
    const rm = 0.65 * h100.memoryBandwidthBytesPerS;
    const time = Math.max(t.prefill.flops / rc, t.prefill.bytes / rm) + Math.max(t.decode.flops / rc, t.decode.bytes / rm);
    const hand = 8e-13 * t.total.flops + 6e-11 * t.total.bytes + 200 * time + 0.1 * 1024;
    expect(model.energyJ(1024, 1024)).toBeCloseTo(hand, 6);
    // Wiring check independent of the complexity code: Wb = 2·(P_blk + d·V) by hand for Llama-3-8B.
    const d = 4096;
    const pBlk = 32 * (d * 32 * 128 + 2 * d * 8 * 128 + 32 * 128 * d + 3 * d * 14336);
    expect(t.weightBytesPerStep).toBe(2 * (pBlk + d * 128256));
    expect(model.context.precision).toBe('bf16');
  });

  it('hardware: follows the calibration regime (recompute has no KV cache)', () => {
    const kv = energyModel(hardwareCalibration('kv-cache'), llama3).energyJ(512, 512);
    const recompute = energyModel(hardwareCalibration('recompute'), llama3).energyJ(512, 512);
    const t = requestTerms(llama3, { nIn: 512, nOut: 512, regime: 'recompute' });
    const rc = 0.6 * 989.4e12;
    const rm = 0.65 * 3.35e12;
    const time = Math.max(t.prefill.flops / rc, t.prefill.bytes / rm) + Math.max(t.decode.flops / rc, t.decode.bytes / rm);
    expect(recompute).toBeCloseTo(8e-13 * t.total.flops + 6e-11 * t.total.bytes + 200 * time + 0.1 * 512, 6);
    expect(recompute).toBeGreaterThan(kv);
  });

  it('hardware: batch B costs less than B separate requests but more than one', () => {
    const one = energyModel(hardwareCalibration(), llama3).energyJ(1024, 1024);
    const eight = energyModel(hardwareCalibration(), llama3, { batch: 8 }).energyJ(1024, 1024);
    expect(eight).toBeGreaterThan(one);
    expect(eight).toBeLessThan(8 * one);
  });

  it('per-param: reads the unique parameter count of the architecture', () => {
    const calib: CalibrationInput = { ...base('per-param'), profile: null, params: { a: p(0.1, 'J/token'), b: p(2e-10, 'J/(token·param)') }, models: {} };
    expect(energyModel(calib, llama3).energyJ(100, 50)).toBeCloseTo(50 * (0.1 + 2e-10 * paramCount(llama3)), 9);
  });

  it('predictEnergy returns the per-token metrics of docs/conventions.md', () => {
    const r = predictEnergy(hardwareCalibration(), llama3, { nIn: 300, nOut: 100, batch: 4 });
    const e = energyModel(hardwareCalibration(), llama3, { batch: 4 }).energyJ(300, 100);
    expect(r.energyJ).toBe(e);
    expect(r.energyPerRequestJ).toBe(e / 4);
    expect(r.jPerOutputToken).toBe(e / 400);
    expect(r.jPerToken).toBe(e / 1600);
    expect(r.outputTokensPerJ).toBe(400 / e);
  });

  it('checks lengths and the context, unless overflow is allowed', () => {
    const model = energyModel(hardwareCalibration(), llama3);
    expect(() => model.energyJ(0, 5)).toThrow(/nIn=0, nOut=5.*integers ≥ 1/);
    expect(() => model.energyJ(2.5, 5)).toThrow(/integers ≥ 1/);
    expect(() => model.energyJ(8000, 300)).toThrow(/exceeds the context of 8192 tokens/);
    expect(energyModel(hardwareCalibration(), llama3, { allowOverflow: true }).energyJ(8000, 300)).toBeGreaterThan(0);
    expect(() => predictEnergy(hardwareCalibration(), llama3, { nIn: 10, nOut: -1 })).toThrow(/predictEnergy: llama-3-8b at nIn=10, nOut=-1.*integers ≥ 1/);
    expect(() => energyModel(hardwareCalibration(), llama3, { batch: 0 })).toThrow(/batch must be an integer ≥ 1/);
  });

  it('refuses parameters that do not match the form, naming them', () => {
    const calib = hardwareCalibration();
    const { eStep: _drop, ...rest } = calib.params;
    expect(() => energyModel({ ...calib, params: { ...rest, eWatt: p(1) } }, llama3)).toThrow(/params: missing eStep; unknown eWatt/);
    expect(() => energyModel({ ...calib, params: { ...calib.params, etaMemory: p(1.5) } }, llama3)).toThrow(/params\.etaMemory\.value = 1\.5 is outside/);
    const negative = sweetspotCalibration(['llama-3-8b']);
    negative.models['llama-3-8b'].params.theta4 = p(-1e-6);
    expect(() => energyModel(negative, llama3)).toThrow(/models\.llama-3-8b\.params\.theta4\.value = -0\.000001 is outside/);
  });

  it('names a missing parameter, and refuses a calibration keyed by an Object.prototype member', async () => {
    const form = await compileFormula('str * nOut + c');
    const calib: CalibrationInput = { ...base('formula'), formula: 'str * nOut + c', profile: null, params: { c: p(5) }, models: {} };
    expect(() => energyModel(calib, llama3, { form })).toThrow(/calibration: params: missing str \(the 'formula' form has str, c\)/);
    expect(() => energyModel({ ...calib, params: { toString: p(0.5), c: p(5) } }, llama3, { form })).toThrow(/params\.toString: a reserved name/);
    const ok = energyModel({ ...calib, params: { str: p(0.5), c: p(5) } }, llama3, { form });
    expect(ok.energyJ(10, 100)).toBe(55);
  });

  it('throws on a negative prediction, naming the point and the parameters', async () => {
    const form = await compileFormula('a * nOut - c', { bounds: { c: [-1e9, 1e9] } });
    const calib: CalibrationInput = { ...base('formula'), formula: 'a * nOut - c', profile: null, params: { a: p(1), c: p(50) }, models: {} };
    const model = energyModel(calib, llama3, { form });
    expect(model.energyJ(10, 100)).toBe(50);
    expect(() => model.energyJ(10, 20)).toThrow(/nIn=10, nOut=20.*predicts -30 J.*a=1, c=50/);
    expect(() => model.energyJ(10, 50)).toThrow(/predicts 0 J/);
  });

  it('throws, never returns, on a NaN or infinite prediction', async () => {
    const text = 'a / (nOut - 20) + sqrt(b - nOut)';
    const form = await compileFormula(text, { bounds: { b: [-1e9, 1e9] } });
    const calib: CalibrationInput = { ...base('formula'), formula: text, profile: null, params: { a: p(1), b: p(30) }, models: {} };
    const model = energyModel(calib, llama3, { form });
    expect(model.energyJ(10, 21)).toBeCloseTo(1 + 3, 12);
    expect(() => model.energyJ(10, 20)).toThrow(/nIn=10, nOut=20.*predicts Infinity J, which is not a finite positive energy/);
    expect(() => model.energyJ(10, 40)).toThrow(/nIn=10, nOut=40.*predicts NaN J/);
    expect(() => predictEnergy(calib, llama3, { nIn: 10, nOut: 20, form })).toThrow(/predicts Infinity J/);
  });

  it('formula calibrations: need their compiled form, or energyModelAsync', async () => {
    const calib: CalibrationInput = {
      ...base('formula'),
      formula: 'e1 * totalFlops + e2 * totalBytes',
      profile: null,
      params: { e1: p(1e-12), e2: p(5e-11) },
      models: {},
    };
    expect(() => energyModel(calib, llama3)).toThrow(/needs its compiled form/);
    const model = await energyModelAsync(calib, llama3);
    const t = requestTerms(llama3, { nIn: 256, nOut: 64 });
    expect(model.energyJ(256, 64)).toBeCloseTo(1e-12 * t.total.flops + 5e-11 * t.total.bytes, 9);
    const other = await compileFormula('e1 * totalFlops');
    expect(() => energyModel(calib, llama3, { form: other })).toThrow(/is not the calibration's formula/);
  });

  it('formula calibrations fitted under wider bounds load with energyModelAsync (the document does not keep bounds)', async () => {
    const calib: CalibrationInput = {
      ...base('formula'),
      formula: 'a * nOut + c',
      profile: null,
      // As a fit with `bounds: { c: [-100, 100] }` may leave them.
      params: { a: p(0.5, 'J/token'), c: p(-20) },
      models: {},
    };
    const model = await energyModelAsync(calib, llama3);
    expect(model.energyJ(10, 100)).toBe(0.5 * 100 - 20);
    expect(model.form.params.map((s) => [s.name, s.unit])).toEqual([
      ['a', 'J/token'],
      ['c', 'J'],
    ]);
    // Still no silent nonsense: where the fitted formula goes negative, the prediction throws.
    expect(() => model.energyJ(10, 40)).toThrow(/predicts 0 J/);
  });

  it('a hardware calibration needs a known profile', () => {
    expect(() => energyModel({ ...hardwareCalibration(), profile: 'p100' }, llama3)).toThrow(/unknown GPU 'p100'/);
    // A name that fits several profiles is no profile either: the candidates are listed.
    expect(() => energyModel({ ...hardwareCalibration(), profile: 'v100' }, llama3)).toThrow(/GPU 'v100' matches 4 profiles \(v100-sxm2-16gb/);
  });
});
