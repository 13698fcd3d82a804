import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../src/errors.js';
import { checkKeys, optionKeys, optionsObject } from '../src/options.js';

const KNOWN = new Set(['gpus', 'ignoreMemory', 'calibration']);

function message(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(SweetspotInputError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('checkKeys', () => {
  it('passes the known keys, and unknown keys whose value is undefined (they carry nothing)', () => {
    expect(() => checkKeys('f', { gpus: 2, ignoreMemory: true, calibration: 'h100' }, KNOWN)).not.toThrow();
    expect(() => checkKeys('f', { batch: undefined }, KNOWN)).not.toThrow();
    expect(() => checkKeys('f', {}, KNOWN)).not.toThrow();
  });

  it('names an unknown key, where the caller is, and every known key', () => {
    expect(message(() => checkKeys('estimate options', { gpus: 1, zzz: 3 }, KNOWN))).toBe('estimate options: unknown key "zzz"; known: gpus, ignoreMemory, calibration');
  });

  it('suggests the known key within two edits, case aside', () => {
    expect(message(() => checkKeys('f', { ignorememory: true }, KNOWN))).toContain('(did you mean ignoreMemory?)');
    expect(message(() => checkKeys('f', { gpu: 2 }, KNOWN))).toContain('(did you mean gpus?)');
    expect(message(() => checkKeys('f', { calibraton: 'h100' }, KNOWN))).toContain('(did you mean calibration?)');
    // Three edits away: no suggestion.
    expect(message(() => checkKeys('f', { gp: 1, x: 1 }, new Set(['gpusxx'])))).not.toContain('did you mean');
  });

  it('gives the caller’s hint for a key that belongs in another argument, before any suggestion', () => {
    expect(message(() => checkKeys('f', { batch: 8 }, KNOWN, { batch: 'batch belongs in the request' }))).toContain('"batch" (batch belongs in the request)');
  });

  it('quotes a long or odd key by its start, and does not take a hint from Object.prototype', () => {
    const long = 'k'.repeat(10_000);
    const m = message(() => checkKeys('f', { [long]: 1 }, KNOWN));
    expect(m).toContain(`"${'k'.repeat(64)}…"`);
    expect(m.length).toBeLessThan(200);
    expect(message(() => checkKeys('f', { toString: 1 }, KNOWN, {}))).toBe('f: unknown key "toString"; known: gpus, ignoreMemory, calibration');
  });
});

describe('optionsObject with known keys', () => {
  it('refuses an unknown key after the object check, and returns the options otherwise', () => {
    const options = { gpus: 2 };
    expect(optionsObject('sweetSpot', options, KNOWN)).toBe(options);
    expect(message(() => optionsObject('sweetSpot', { metrc: 'x' }, new Set(['metric'])))).toBe('sweetSpot options: unknown key "metrc" (did you mean metric?); known: metric');
    expect(message(() => optionsObject('sweetSpot', null as never, KNOWN))).toBe('sweetSpot: options must be an object, got null');
  });
});

describe('optionKeys', () => {
  it('makes the set of the keys listed', () => {
    expect([...optionKeys<{ a?: number; b?: string }>()('a', 'b')]).toEqual(['a', 'b']);
  });

  it('does not type-check when a key of the type is left out', () => {
    // @ts-expect-error 'b' is missing from the list
    optionKeys<{ a?: number; b?: string }>()('a');
    expect(true).toBe(true);
  });
});
