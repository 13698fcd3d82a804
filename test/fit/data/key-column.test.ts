import { describe, expect, it } from 'vitest';
import { keyColumn } from '../../../src/fit/data/key-column.js';

describe('keyColumn', () => {
  it('codes each row by its key, the keys once each in order of first appearance, as a Map over the rows would', () => {
    const keys = ['b', 'b', 'a', 'c', 'a', 'b', 'c', 'c'];
    const { texts, codes } = keyColumn(keys);
    const seen = new Map<string, number>();
    for (const k of keys) if (!seen.has(k)) seen.set(k, seen.size);
    expect(texts).toEqual([...seen.keys()]);
    expect([...codes]).toEqual(keys.map((k) => seen.get(k)));
    expect(keys.every((k, i) => texts[codes[i]] === k)).toBe(true);
  });

  it('reads any row list (typed views included) and an empty one', () => {
    const view = { length: 3, at: (i: number) => ['x', 'y', 'x'][i] };
    expect(keyColumn(view)).toEqual({ texts: ['x', 'y'], codes: Int32Array.of(0, 1, 0) });
    expect(keyColumn([])).toEqual({ texts: [], codes: new Int32Array(0) });
  });
});
