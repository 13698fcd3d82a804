import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SweetspotInputError, parseWith } from '../src/errors.js';

describe('SweetspotInputError', () => {
  it('is recognised by instanceof, also for an instance made by another copy of the class', () => {
    const e = new SweetspotInputError('bad');
    expect(e).toBeInstanceOf(SweetspotInputError);
    expect(e).toBeInstanceOf(Error);
    // A second copy of the class, as a separate bundle would have it.
    const brand = Symbol.for('sweetspot.SweetspotInputError');
    const foreign = Object.assign(new Error('from the other bundle'), { [brand]: true });
    expect(foreign instanceof SweetspotInputError).toBe(true);
    expect(new Error('plain') instanceof SweetspotInputError).toBe(false);
  });
  it('keeps ordinary instanceof for subclasses', () => {
    class Narrow extends SweetspotInputError {}
    expect(new Narrow('x')).toBeInstanceOf(Narrow);
    expect(new Narrow('x')).toBeInstanceOf(SweetspotInputError);
    expect(new SweetspotInputError('x') instanceof Narrow).toBe(false);
  });
  it('parseWith names every bad field', () => {
    const schema = z.object({ a: z.number(), b: z.string() });
    try {
      parseWith(schema, { a: 'x', b: 1 }, 'thing');
      expect.unreachable();
    } catch (e) {
      expect((e as SweetspotInputError).issues).toHaveLength(2);
      expect((e as Error).message).toMatch(/thing: a: .*; thing: b: /);
    }
  });
});
