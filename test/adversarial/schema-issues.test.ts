import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SweetspotInputError, parseWith } from '../../src/errors.js';
import { SCHEMA_ISSUE_LIMITS } from '../../src/energy/index.js';
import { defaultCalibration, parseCalibration, serializeCalibration } from '../../src/index.js';

// A calibration is a file a service loads: whatever it holds, the error must stay short and be an
// input error (docs/energy-models.md#limits-on-untrusted-input).

function thrown(f: () => unknown): SweetspotInputError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(SweetspotInputError);
    return error as SweetspotInputError;
  }
  throw new Error('expected an error');
}

function calibrationWith(change: (document: Record<string, any>) => void): string {
  const document = JSON.parse(serializeCalibration(defaultCalibration()));
  change(document);
  return JSON.stringify(document);
}

describe('errors of schema-checked input', () => {
  it('refuses 10⁵ bad elements of a nested array as an input error (zod overflowed the stack: RangeError)', () => {
    const text = calibrationWith((d) => (d.fittedOn.sources[0].lines = Array.from({ length: 120_000 }, () => 'x')));
    expect(text.length).toBeLessThan(16 << 20);
    const error = thrown(() => parseCalibration(text));
    expect(error.message).toMatch(/^calibration: /);
    expect(error.message.length).toBeLessThan(2000);
  });

  it('lists the first 20 of 10⁵ bad values and counts the rest (a million made an 86 MB message)', () => {
    const text = calibrationWith((d) => (d.fittedOn.models = Array.from({ length: 100_000 }, (_, i) => i)));
    const error = thrown(() => parseCalibration(text));
    expect(error.issues).toHaveLength(SCHEMA_ISSUE_LIMITS.issues + 1);
    expect(error.issues[0]).toBe('calibration: fittedOn.models.0: Invalid input: expected string, received number');
    expect(error.issues[19]).toMatch(/^calibration: fittedOn\.models\.19: /);
    expect(error.issues[20]).toBe(`calibration: … and ${100_000 - 20} more`);
    expect(error.message).toBe(error.issues.join('; '));
  });

  it('cuts one long issue to its start and length (5·10⁴ unknown keys made a 0.5 MB issue)', () => {
    const text = calibrationWith((d) => {
      for (let k = 0; k < 50_000; k++) d[`k${k}`] = 1;
    });
    const error = thrown(() => parseCalibration(text));
    expect(error.issues).toHaveLength(1);
    const issue = error.issues[0];
    expect(issue.startsWith('calibration: (root): Unrecognized keys: "k0", "k1"')).toBe(true);
    const full = `calibration: (root): Unrecognized keys: ${Array.from({ length: 50_000 }, (_, k) => `"k${k}"`).join(', ')}`;
    expect(issue).toBe(`${full.slice(0, SCHEMA_ISSUE_LIMITS.issueChars)}… (${full.length} characters)`);
  });

  it('lists every issue, as before, when there are at most 20', () => {
    const schema = z.object(Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`f${k}`, z.number()])));
    const error = thrown(() => parseWith(schema, {}, 'thing'));
    expect(error.issues).toEqual(Array.from({ length: 20 }, (_, k) => `thing: f${k}: Invalid input: expected number, received undefined`));
  });
});
