import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../src/freeze.js';
import { SweetspotInputError } from '../src/errors.js';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, even under an already frozen parent, and survives cycles', () => {
    const inner = { w: 1, list: [1, { x: 2 }] };
    const outer = Object.freeze({ inner }) as { inner: typeof inner; self?: unknown };
    const cyclic: Record<string, unknown> = { a: { b: 1 } };
    cyclic.self = cyclic;
    expect(deepFreeze(outer)).toBe(outer);
    deepFreeze(cyclic);
    for (const o of [outer, inner, inner.list, inner.list[1], cyclic, cyclic.a]) expect(Object.isFrozen(o)).toBe(true);
    expect(() => {
      inner.w = 2;
    }).toThrow(TypeError);
    expect(() => (inner.list as unknown[]).push(3)).toThrow(TypeError);
    expect(inner.w).toBe(1);
    expect(deepFreeze(5)).toBe(5);
    expect(deepFreeze(null)).toBeNull();
  });
});

describe('isDeepFrozen', () => {
  it('walks nested objects, and a frozen object that refers to itself ends the walk', async () => {
    const { isDeepFrozen } = await import('../src/freeze.js');
    expect(isDeepFrozen(deepFreeze({ a: { b: [1, 2] } }))).toBe(true);
    expect(isDeepFrozen(Object.freeze({ a: { b: 1 } }))).toBe(false);
    const loop: Record<string, unknown> = { name: 'x' };
    loop.self = loop;
    loop.pair = { back: loop };
    deepFreeze(loop);
    expect(isDeepFrozen(loop)).toBe(true);
    // A self-referring calibration given with onGpu is refused by its schema, not by a stack overflow.
    const { estimate } = await import('../src/energy/predict/estimate.js');
    expect(() => estimate('llama-3-8b', { nIn: 8, nOut: 8 }, { calibration: loop as never, onGpu: 'L40S' })).toThrow(SweetspotInputError);
  });
});

describe('sameData', () => {
  it('compares content: object keys in any order, arrays in order, every level', async () => {
    const { sameData } = await import('../src/freeze.js');
    expect(sameData({ a: 1, b: { x: 1, y: [2, { z: null }] } }, { b: { y: [2, { z: null }], x: 1 }, a: 1 })).toBe(true);
    expect(sameData([1, 2], [2, 1])).toBe(false);
    expect(sameData({ a: { x: 1 } }, { a: { x: 2 } })).toBe(false);
    // A key missing on one side, even where the other holds undefined, is a difference.
    expect(sameData({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameData([1], { 0: 1 })).toBe(false);
    expect(sameData('1', 1)).toBe(false);
    expect(sameData(NaN, NaN)).toBe(true);
    expect(sameData(null, {})).toBe(false);
  });
});
