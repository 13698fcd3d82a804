import { describe, expect, it } from 'vitest';
import { cvFolds } from '../../src/fit/evaluate/folds.js';
import { CV_LIMITS } from '../../src/fit/read/limits.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { crossValidate, sweetspotForm } from '../../src/index.js';
import { inputError } from './helpers.js';

// Folds each hold every row's index and each cost a fit: folds × rows is memory and time
// (docs/fitting.md#limits-on-untrusted-input). A 1000-fold scheme over 2·10⁵ rows took 786 MB and
// 4 s for the folds alone; k = configurations made cross-validation quadratic in the rows.

const row = (model: string, nIn: number, nOut: number) => MeasurementSchema.parse({ model, nIn, nOut, energyJ: 1 + nIn / 1000 + nOut });

describe('cross-validation limits', () => {
  it(`refuses more than ${CV_LIMITS.folds} folds before building any`, async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row('llama-2-7b', 1 + (i % 50), 1 + Math.floor(i / 50)));
    const keys = rows.map((r) => r.model);
    await inputError(() => cvFolds(rows, keys, { kind: 'k-fold', k: 1001 }), ['k-fold: 1001 folds, more than CV_LIMITS.folds (1000)']);
    await inputError(() => crossValidate(rows, { kind: 'k-fold', k: 2000 }, { form: sweetspotForm }), ['k-fold: 2000 folds, more than CV_LIMITS.folds (1000)']);
    // At the limit it is built: every row tested once, in 1000 folds.
    const folds = cvFolds(rows, keys, { kind: 'k-fold', k: 1000 });
    expect(folds).toHaveLength(1000);
    expect(folds.reduce((s, f) => s + f.test.length, 0)).toBe(rows.length);
  });

  it('refuses leave-one-model-out over more models than the limit', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => row(`m${i}`, 64, 64));
    await inputError(() => cvFolds(rows, rows.map((r) => r.model), { kind: 'leave-one-model-out' }), ['leave-one-model-out: 1001 folds, more than CV_LIMITS.folds (1000)']);
  });

  it('refuses folds × rows over CV_LIMITS.foldRows, naming the most folds that fit', async () => {
    const n = 300_000;
    const one = row('llama-2-7b', 64, 64);
    const rows = new Array(n).fill(one);
    const keys = new Array(n).fill('llama-2-7b');
    const most = Math.floor(CV_LIMITS.foldRows / n);
    expect(most).toBe(894);
    await inputError(() => cvFolds(rows, keys, { kind: 'k-fold', k: most + 1 }), [`k-fold: ${most + 1} folds × ${n} rows = ${(most + 1) * n} row indices, more than CV_LIMITS.foldRows (268435456, 1 GiB): use at most ${most} folds`]);
    // Within it the scheme goes on to its own checks (one configuration cannot fill 894 folds).
    await inputError(() => cvFolds(rows, keys, { kind: 'k-fold', k: most }), ['1 configurations cannot fill 894 folds']);
  });
});
