import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationForm } from '../../src/energy/calibration/form.js';
import { parseCalibration, serializeCalibration, type CalibrationInput } from '../../src/energy/calibration/document.js';
import { MAX_BATCH } from '../../src/energy/limits.js';
import { MAX_BATCH as COMPLEXITY_MAX_BATCH } from '../../src/complexity/limits.js';
import { requestTerms } from '../../src/complexity/terms.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { energyModel } from '../../src/energy/predict/predict.js';
import { preset } from '../../src/architecture/registry.js';
import { READ_LIMITS } from '../../src/text-input.js';
import { sweetspotCalibration } from '../surface/helpers.js';
import { cli, inputError, tempDir } from './helpers.js';

const THETA = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];
const p = (value: number) => ({ value, unit: 'J', stdErr: null });

/** A shared formula calibration document (as `fit` writes one) for `formula` with parameters `params`. */
function formulaCalibration(formula: string, params: Record<string, number>): CalibrationInput {
  return {
    ...sweetspotCalibration('llama-2-7b', THETA),
    form: 'formula',
    formula,
    models: {},
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, p(v)])),
  };
}

function nestedSqrt(depth: number): string {
  let f = 'nIn';
  for (let k = 0; k < depth; k++) f = `sqrt(a${k}*nIn + ${f})`;
  return f;
}

describe('calibrations: a loaded formula is bounded like a typed one', () => {
  it('refuses the 250-deep nested sqrt of a calibration file as an input error (services load calibrations)', async () => {
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, k) => [`a${k}`, 1]));
    const doc = formulaCalibration(nestedSqrt(250), params);
    await inputError(calibrationForm(doc), ['characters, more than the limit of 1000']);
    const dir = tempDir();
    writeFileSync(join(dir, 'deep.json'), JSON.stringify(doc));
    await inputError(cli(dir, ['predict', '--calibration', 'deep.json', '--model', 'llama-2-7b', '--in', '8', '--out', '8']), [/^formula 'sqrt\(/, 'more than the limit']);
  });

  it('refuses a stack-overflowing formula in a calibration as an input error, not RangeError', async () => {
    for (const formula of ['0' + '-'.repeat(5000) + 'a*nIn', 'a*nIn' + '+b'.repeat(5000)]) {
      const error = await inputError(calibrationForm(formulaCalibration(formula, { a: 1, b: 1 })), ['more than the limit']);
      expect(error).not.toBeInstanceOf(RangeError);
    }
  });
});

describe('calibrations: keys that a plain object would lose', () => {
  it('refuses "params": {"__proto__": …} (it was accepted) and a model named __proto__', async () => {
    const text = serializeCalibration(formulaCalibration('a * nOut + c', { a: 1, c: 2 })).replace('"params": {', '"params": {\n    "__proto__": { "value": 1, "unit": "J", "stdErr": null },');
    expect(Object.keys(JSON.parse(text).params)).toContain('__proto__');
    await inputError(() => parseCalibration(text), ['calibration: params.__proto__: a reserved name']);
    const models = JSON.stringify(sweetspotCalibration('llama-2-7b', THETA)).replace('"models":{', '"models":{"__proto__":{"params":{},"rows":0,"mape":null},');
    await inputError(() => parseCalibration(models), ['calibration: models.__proto__: a reserved name']);
  });

  it('never saves a calibration that holds such a key: serialize refuses it rather than dropping it', async () => {
    const doc = JSON.parse(serializeCalibration(formulaCalibration('a * nOut + c', { a: 1, c: 2 })));
    Object.defineProperty(doc.params, '__proto__', { value: p(3), enumerable: true, configurable: true, writable: true });
    await inputError(() => serializeCalibration(doc), ['params.__proto__: a reserved name']);
    for (const name of ['constructor', 'prototype', 'Math']) {
      await inputError(() => parseCalibration({ ...formulaCalibration('a * nOut + c', { a: 1, c: 2 }), params: { a: p(1), c: p(2), [name]: p(3) } }), [`params.${name}: a reserved name`]);
    }
  });
});

describe('calibrations: fields with sane bounds', () => {
  it(`refuses a batch above ${MAX_BATCH} (batch: 1e9 was accepted)`, async () => {
    const base = sweetspotCalibration('llama-2-7b', THETA);
    await inputError(() => parseCalibration({ ...base, batch: 1e9 }), [`calibration: batch: must be at most ${MAX_BATCH}`]);
    await inputError(() => parseCalibration({ ...base, batch: MAX_BATCH + 1 }), ['batch: must be at most']);
    expect(parseCalibration({ ...base, batch: MAX_BATCH }).batch).toBe(MAX_BATCH);
    // The same bound for a prediction's batch and for --batch.
    await inputError(() => energyModel({ ...base, form: 'sweetspot' }, preset('llama-2-7b'), { batch: 1e9 }), [`batch must be an integer ≥ 1 and ≤ ${MAX_BATCH}, got 1000000000`]);
    await inputError(cli(tempDir(), ['sweetspot', '--model', 'llama-2-7b', '--batch', '1000000000']), [`sweetspot: --batch must be an integer in 1..${MAX_BATCH}`]);
  });

  it('every entry refuses the same batches (terms and requestTerms took any up to 2^53 − 1)', async () => {
    // One constant, defined where the lowest layer that takes a batch can read it.
    expect(MAX_BATCH).toBe(COMPLEXITY_MAX_BATCH);
    expect(MAX_BATCH).toBe(65_536);
    const arch = preset('llama-2-7b');
    const base = sweetspotCalibration('llama-2-7b', THETA);
    for (const batch of [MAX_BATCH + 1, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      await inputError(() => requestTerms(arch, { nIn: 8, nOut: 8, batch }), [`request: batch: must be at most ${MAX_BATCH}`]);
      await inputError(() => estimate(arch, { nIn: 8, nOut: 8, batch }, { ignoreMemory: true }), [`batch=${batch}: batch must be an integer ≥ 1 and ≤ ${MAX_BATCH}`]);
      await inputError(() => energyModel(base, arch, { batch }), [`batch must be an integer ≥ 1 and ≤ ${MAX_BATCH}`]);
      await inputError(() => parseCalibration({ ...base, batch }), [`calibration: batch: must be at most ${MAX_BATCH}`]);
      await inputError(cli(tempDir(), ['terms', '--model', 'llama-2-7b', '--in', '8', '--out', '8', '--batch', String(batch)]), [`terms: --batch must be an integer in 1..${MAX_BATCH}, got '${batch}'`]);
      await inputError(cli(tempDir(), ['predict', '--model', 'llama-2-7b', '--in', '8', '--out', '8', '--batch', String(batch)]), [`predict: --batch must be an integer in 1..${MAX_BATCH}`]);
    }
    // The limit itself is accepted everywhere (the terms scale with it: B times one request's KV cache).
    const one = requestTerms(arch, { nIn: 8, nOut: 8 });
    const most = requestTerms(arch, { nIn: 8, nOut: 8, batch: MAX_BATCH });
    expect(most.kvCacheBytes.final).toBe(one.kvCacheBytes.final * MAX_BATCH);
    expect(parseCalibration({ ...base, batch: MAX_BATCH }).batch).toBe(MAX_BATCH);
    const { code, stdout } = await cli(tempDir(), ['terms', '--model', 'llama-2-7b', '--in', '8', '--out', '8', '--batch', String(MAX_BATCH), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).kvCacheBytes.final).toBe(most.kvCacheBytes.final);
  });

  it('reads a calibration file with a byte-order mark (it was "invalid JSON"), and names bad JSON without quoting it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${serializeCalibration(sweetspotCalibration('llama-2-7b', THETA))}`);
    const { code, stdout } = await cli(dir, ['predict', '--calibration', 'bom.json', '--model', 'llama-2-7b', '--in', '100', '--out', '10', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).energyJ).toBeGreaterThan(0);
    const error = await inputError(() => parseCalibration('{"version": 1, "form": SECRET-VALUE}'), ['calibration: not valid JSON: unexpected character']);
    expect(error.message).not.toContain('SECRET');
  });

  it('refuses a calibration file over the size limit, or one that is not a regular file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.json'), ' '.repeat(READ_LIMITS.calibrationBytes + 1));
    await inputError(cli(dir, ['predict', '--calibration', 'huge.json', '--model', 'llama-2-7b', '--in', '8', '--out', '8']), [`--calibration huge.json: the file is larger than the limit of ${READ_LIMITS.calibrationBytes} bytes`]);
    await inputError(cli(dir, ['predict', '--calibration', '/dev/zero', '--model', 'llama-2-7b', '--in', '8', '--out', '8']), ['--calibration /dev/zero: a device, not a regular file']);
  });
});
