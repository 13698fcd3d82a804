import { describe, expect, it } from 'vitest';
import { axisRange } from '../../src/index.js';
import { checkWavesOption } from '../../src/energy/index.js';
import { loadMeasurements, loadMeasurementTable } from '../../src/fit/index.js';
import { checkWithinPercent } from '../../src/surface/index.js';
import { parseAxisSpec } from '../../src/surface/grid/axis-spec.js';
import { inputError } from './helpers.js';

// A range text from a caller (a service passing its user's `64:4096`) is quoted in errors by its
// start and length, never whole: a megabyte of text gave a megabyte-long message.

describe('long range texts in messages', () => {
  it('parseAxisSpec quotes a long text and a long number by their start and length (each was echoed whole)', async () => {
    const commas = await inputError(() => parseAxisSpec(','.repeat(1_000_000), '--in'), [`--in: point 1 '' is not a positive integer in '${','.repeat(100)}…' (1000000 characters); allowed:`]);
    expect(commas.message.length).toBeLessThan(400);
    const digits = await inputError(() => parseAxisSpec('9'.repeat(1_000_000), '--in'), [`--in: value ${'9'.repeat(100)}… (1000000 digits) is above the largest token count 536870912 in '${'9'.repeat(100)}…' (1000000 characters)`]);
    expect(digits.message.length).toBeLessThan(500);
    const colons = await inputError(() => parseAxisSpec(`1${':1'.repeat(100_000)}`, '--in'), ['--in: too many colons in', '(200001 characters)']);
    expect(colons.message.length).toBeLessThan(400);
    // Short texts are quoted whole, as before.
    await inputError(() => parseAxisSpec('64:x', '--in'), ["in '64:x'; allowed:"]);
  });

  it('axisRange names a long string argument by its start and length', async () => {
    const error = await inputError(() => axisRange('x'.repeat(1_000_000) as never, 10), [`axis: start must be an integer in 1..536870912, got "${'x'.repeat(59)}… (1000002 characters)`]);
    expect(error.message.length).toBeLessThan(300);
    await inputError(() => axisRange(NaN, 10), ['got NaN']);
  });

  it('a long label and a long file path are cut in messages (each was echoed whole)', async () => {
    const label = 'w'.repeat(100_000);
    for (const call of [() => checkWavesOption({ waves: 'x' }, label), () => checkWithinPercent(-1, label)]) {
      const error = await inputError(call, [`${'w'.repeat(100)}… (100000 characters)`]);
      expect(error.message.length).toBeLessThan(300);
    }
    const path = `/no/such/${'d'.repeat(3000)}/rows.csv`;
    for (const load of [loadMeasurements, loadMeasurementTable]) {
      // The start and the end of the path (the file's name) stay.
      const error = await inputError(() => load(path, '/'), [`loadMeasurements('/no/such/ddd`, `ddd/rows.csv (3018 characters)')`]);
      expect(error.message.length).toBeLessThan(500);
    }
  });
});
