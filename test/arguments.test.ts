import { describe, expect, it } from 'vitest';
import { checkArray, checkFinite, checkFunction, checkObject, checkShape, checkWhere, kindOf } from '../src/arguments.js';
import { SweetspotInputError } from '../src/errors.js';

describe('argument checks', () => {
  it('kindOf says what a value is', () => {
    expect([undefined, null, [], () => 1, {}, NaN, 'x', 1e300].map(kindOf)).toEqual([
      'undefined',
      'null',
      'an array',
      'a function',
      'an object',
      'a number (NaN)',
      'a string (x)',
      'a number (1e+300)',
    ]);
    expect(kindOf('y'.repeat(100))).toBe(`a string (${'y'.repeat(40)}…)`);
  });

  it('checkObject, checkArray, checkFinite and checkFunction pass good values through and name the argument otherwise', () => {
    const o = { a: 1 };
    expect(checkObject('f(o)', o)).toBe(o);
    expect(() => checkObject('f(o)', [])).toThrow(new SweetspotInputError('f(o): expected an object, got an array'));
    expect(() => checkObject('f(o)', null)).toThrow('f(o): expected an object, got null');
    expect(checkArray('f(a)', [1])).toEqual([1]);
    expect(() => checkArray('f(a)', {})).toThrow('f(a): expected an array, got an object');
    expect(checkFinite('f(x)', -1)).toBe(-1);
    for (const bad of [NaN, Infinity, '1', undefined]) expect(() => checkFinite('f(x)', bad)).toThrow(SweetspotInputError);
    const fn = () => 1;
    expect(checkFunction('f(cb)', fn)).toBe(fn);
    expect(() => checkFunction('f(cb)', 'x')).toThrow('f(cb): expected a function, got a string (x)');
  });

  it('checkShape names every bad field, lets optional ones be absent, and takes Infinity as a number but not NaN', () => {
    const shape = { model: 'string', maxPositions: 'number', energyJ: 'function', memory: 'object?' } as const;
    const good = { model: 'm', maxPositions: Infinity, energyJ: () => 1 };
    expect(checkShape('g(e)', good, 'an energy', shape)).toBe(good);
    let caught: unknown;
    try {
      checkShape('g(e)', { maxPositions: NaN, energyJ: () => 1, memory: [] }, 'an energy', shape);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SweetspotInputError);
    const error = caught as SweetspotInputError;
    expect(error.message).toBe('g(e): expected an energy: model must be a string, got undefined; maxPositions must be a number, got a number (NaN); memory must be an object, got an array');
    expect(error.issues).toHaveLength(3);
    expect(() => checkShape('g(e)', undefined, 'an energy', shape)).toThrow('g(e): expected an energy, got undefined');
    // Typed arrays are array-like; plain objects with a length are not.
    expect(checkShape('h(x)', { v: new Float64Array(2) }, 'x', { v: 'array-like' })).toBeDefined();
    expect(() => checkShape('h(x)', { v: { length: 2 } }, 'x', { v: 'array-like' })).toThrow('v must be an array or typed array');
  });
});

describe('shownValue', () => {
  it('shows a value as JSON up to 60 characters, a number as itself, and never throws', async () => {
    const { shownValue } = await import('../src/arguments.js');
    expect(shownValue('x')).toBe('"x"');
    expect(shownValue({ a: 1 })).toBe('{"a":1}');
    // JSON would write these as null, or drop the sign.
    expect([NaN, Infinity, -Infinity, -0, 1e300].map(shownValue)).toEqual(['NaN', 'Infinity', '-Infinity', '-0', '1e+300']);
    expect(shownValue('y'.repeat(100))).toBe(`"${'y'.repeat(59)}… (102 characters)`);
    expect(shownValue(4096n)).toBe('a bigint (4096)');
    expect(shownValue(Object.create(null))).toBe('{}');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(shownValue(cycle)).toBe('an object');
  });

  it('checkWhere passes a string label and names the function for anything else', () => {
    expect(checkWhere('checkBox', 'estimate(box)')).toBe('estimate(box)');
    expect(() => checkWhere('checkBox', Symbol('s'))).toThrow(SweetspotInputError);
    expect(() => checkWhere('checkBox', Symbol('s'))).toThrow(/^checkBox\(where\): expected a string label, got a symbol \(Symbol\(s\)\)$/);
    expect(() => checkWhere('axisPoints', Object.create(null))).toThrow(/^axisPoints\(where\): expected a string label, got \{\}$/);
    // A label goes into every message: a long one is cut to its start and length.
    expect(checkWhere('checkBox', 'b'.repeat(100))).toBe('b'.repeat(100));
    expect(checkWhere('checkBox', 'b'.repeat(101))).toBe(`${'b'.repeat(100)}… (101 characters)`);
  });
});
