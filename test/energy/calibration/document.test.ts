import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../../src/errors.js';
import { parseCalibration, serializeCalibration, type CalibrationInput } from '../../../src/energy/calibration/document.js';

function sweetspotCalibration(): CalibrationInput {
  return {
    version: 1,
    form: 'sweetspot',
    regime: 'kv-cache',
    gpu: 'NVIDIA H100 80GB HBM3',
    profile: 'h100-sxm-80gb',
    engine: 'TensorRT-LLM',
    weightBytes: 2,
    kvBytes: 2,
    params: {},
    models: {
      'llama-3-8b': {
        params: {
          // Awkward doubles on purpose: JSON must keep every bit.
          theta1: { value: 1.2345678901234567e-7, unit: 'J/token²', stdErr: 3.3e-9 },
          theta2: { value: 0.1 + 0.2, unit: 'J/token', stdErr: null },
          theta3: { value: 5e-324, unit: 'J/token²', stdErr: 0 },
          theta4: { value: 1 / 3, unit: 'J/token²', stdErr: null },
          theta5: { value: 0.7071067811865476, unit: 'J/token', stdErr: null },
          theta6: { value: 1.7976931348623157e308, unit: 'J', stdErr: null },
        },
        rows: 42,
        mape: 1.79,
      },
    },
    fittedOn: { rows: 42, sha256: 'a'.repeat(64), models: ['llama-3-8b'] },
    fitted: true,
    note: 'test',
    errors: { mape: 1.79, maxApe: 5.5, r2: -0.25, noiseFloorMape: null, baselines: { linear: { mape: 9, maxApe: 20, r2: 0.9 } } },
  };
}

describe('calibration document', () => {
  it('round-trips exactly: deep-equal objects and byte-identical text', () => {
    const c = parseCalibration(sweetspotCalibration());
    const text = serializeCalibration(c);
    const back = parseCalibration(text);
    expect(back).toStrictEqual(c);
    expect(serializeCalibration(back)).toBe(text);
    expect(back.models['llama-3-8b'].params.theta2.value).toBe(0.1 + 0.2);
    expect(back.models['llama-3-8b'].params.theta3.value).toBe(5e-324);
  });

  it('round-trips any finite doubles exactly (property)', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(finite, { minLength: 6, maxLength: 6 }), finite, fc.integer({ min: 1, max: 4096 }), (values, r2, batch) => {
        const input = sweetspotCalibration();
        const params = input.models['llama-3-8b'].params;
        values.forEach((v, k) => {
          params[`theta${k + 1}`].value = v;
        });
        input.errors = { ...input.errors!, r2 };
        const c = parseCalibration({ ...input, batch });
        const text = serializeCalibration(c);
        const back = parseCalibration(text);
        expect(back).toStrictEqual(c);
        expect(serializeCalibration(back)).toBe(text);
        // Bit for bit, against the input itself (−0 is the one value JSON cannot keep).
        values.forEach((v, k) => expect(back.models['llama-3-8b'].params[`theta${k + 1}`].value).toBe(v === 0 ? 0 : v));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('applies defaults for formula (null) and batch (1)', () => {
    const c = parseCalibration(sweetspotCalibration());
    expect(c.formula).toBeNull();
    expect(c.batch).toBe(1);
  });

  it('normalises -0 so that the text form does not change it', () => {
    const input = sweetspotCalibration();
    input.models['llama-3-8b'].params.theta1.value = -0;
    const c = parseCalibration(input);
    expect(Object.is(c.models['llama-3-8b'].params.theta1.value, 0)).toBe(true);
    expect(parseCalibration(serializeCalibration(c))).toStrictEqual(c);
  });

  it('names the bad field', () => {
    const input = sweetspotCalibration() as Record<string, any>;
    input.models['llama-3-8b'].params.theta1.value = Number.NaN;
    expect(() => parseCalibration(input)).toThrow(/calibration: models\.llama-3-8b\.params\.theta1\.value/);
    expect(() => serializeCalibration(input as CalibrationInput)).toThrow(SweetspotInputError);
  });

  it('rejects a wrong version, an unknown form and unknown keys, listing each', () => {
    const input = { ...sweetspotCalibration(), version: 3, form: 'cubic', extra: 1 } as unknown;
    try {
      parseCalibration(input);
      expect.unreachable();
    } catch (e) {
      const err = e as SweetspotInputError;
      expect(err).toBeInstanceOf(SweetspotInputError);
      expect(err.issues.some((m) => m.includes('version'))).toBe(true);
      expect(err.issues.some((m) => m.includes('form'))).toBe(true);
      expect(err.issues.some((m) => m.includes('extra'))).toBe(true);
    }
  });

  it('enforces the version field, saying what it found and what it reads', () => {
    expect(() => parseCalibration({ ...sweetspotCalibration(), version: 3 })).toThrow(
      /^calibration: version: unsupported calibration version 3 \(this library reads versions 1 and 2\)$/,
    );
    // Version 1 documents still load, as version 2 with fused attention and no uncertainty.
    const old = parseCalibration({ ...sweetspotCalibration(), version: 1 });
    expect(old).toMatchObject({ version: 2, attention: 'fused', uncertainty: null });
    expect(old.models['llama-3-8b'].uncertainty).toBeNull();
    expect(() => parseCalibration({ ...sweetspotCalibration(), version: '1' })).toThrow(/version: unsupported calibration version "1"/);
    const { version: _omit, ...unversioned } = sweetspotCalibration();
    expect(() => parseCalibration(unversioned)).toThrow(/^calibration: version: missing: a calibration document says which version it is/);
  });

  it('names the field of every schema error, nested ones by their path', () => {
    const input = sweetspotCalibration() as Record<string, any>;
    delete input.regime;
    input.weightBytes = 0;
    input.models['llama-3-8b'].rows = -1;
    input.models['llama-3-8b'].params.theta5.unit = 3;
    input.errors.baselines.linear.maxApe = -1;
    try {
      parseCalibration(input);
      expect.unreachable();
    } catch (e) {
      const issues = (e as SweetspotInputError).issues.map((m) => m.split(':').slice(0, 2).join(':'));
      expect(issues.sort()).toEqual(
        [
          'calibration: errors.baselines.linear.maxApe',
          'calibration: models.llama-3-8b.params.theta5.unit',
          'calibration: models.llama-3-8b.rows',
          'calibration: regime',
          'calibration: weightBytes',
        ].sort(),
      );
    }
  });

  it('rejects invalid JSON text with a clear message', () => {
    expect(() => parseCalibration('{"version": 1,')).toThrow(/calibration: not valid JSON/);
  });

  it('checks cross-field rules: formula text, per-model vs shared params, profile, fittedOn', () => {
    expect(() => parseCalibration({ ...sweetspotCalibration(), form: 'formula' })).toThrow(/formula: a formula calibration needs/);
    expect(() => parseCalibration({ ...sweetspotCalibration(), models: {} })).toThrow(/models: the per-model 'sweetspot' form needs/);
    expect(() =>
      parseCalibration({ ...sweetspotCalibration(), form: 'hardware', models: {}, profile: null }),
    ).toThrow(/params: the shared 'hardware' form needs.*profile: the hardware form needs/);
    expect(() => parseCalibration({ ...sweetspotCalibration(), fittedOn: null })).toThrow(/fittedOn/);
    expect(() =>
      parseCalibration({ ...sweetspotCalibration(), fittedOn: { rows: 1, sha256: 'XYZ', models: [] } }),
    ).toThrow(/fittedOn\.sha256/);
  });
});

describe('version-1 hardware documents', () => {
  it('load with eScore = eByte, which is what they computed', async () => {
    const { H100_DEFAULT_CALIBRATION } = await import('../../../src/energy/calibration/defaults.js');
    const { eScore: _omit, ...params } = H100_DEFAULT_CALIBRATION.params;
    const old = parseCalibration({ ...H100_DEFAULT_CALIBRATION, version: 1, params, uncertainty: undefined, attention: undefined });
    expect(old.params.eScore).toEqual({ value: old.params.eByte.value, unit: 'J/byte', stdErr: null });
    expect(old).toMatchObject({ version: 2, attention: 'fused', uncertainty: null });
  });
});
