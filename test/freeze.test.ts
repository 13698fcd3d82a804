import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../src/freeze.js';

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
