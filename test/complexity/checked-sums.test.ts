import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { causalPairs, sumCausalPairs, sumMin, sumSquares } from '../../src/complexity/index.js';

// The sums as sweetspot/complexity exports them: the same answers as plain loops, and an input
// error naming the argument (never NaN, a TypeError or a negative sum) for anything else.

const loop = (a: number, b: number, term: (c: number) => number): number => {
  let s = 0;
  for (let c = a; c <= b; c++) s += term(c);
  return s;
};

describe('the exported sums', () => {
  it('agree with plain loops on valid arguments', () => {
    for (const [a, b, w] of [[1, 5, 3], [0, 7, Infinity], [4, 3, 2], [3, 40, 16], [10, 10, 1]] as const) {
      expect(sumMin(a, b, w)).toBe(loop(a, b, (c) => Math.min(c, w)));
      expect(causalPairs(b, w)).toBe(loop(1, b, (q) => Math.min(q, w)));
      expect(sumCausalPairs(a, b, w)).toBe(loop(a, b, (n) => loop(1, n, (q) => Math.min(q, w))));
      expect(sumSquares(a, b)).toBe(loop(a, b, (n) => n * n));
    }
  });

  it('name the bad argument: a string, a BigInt, a symbol, a fraction or a negative count', () => {
    expect(() => sumMin('x' as never, 5, 3)).toThrow(/^sumMin\(a\): must be an integer ≥ 0 .*got "x"/);
    expect(() => sumMin(1, 5n as never, 3)).toThrow(/^sumMin\(b\): .*got a bigint \(5\)/);
    expect(() => sumMin(1, 5, 0)).toThrow(/^sumMin\(window\): must be an integer ≥ 1 or Infinity/);
    expect(() => causalPairs(Symbol('s') as never, 2)).toThrow(/^causalPairs\(n\): .*Symbol\(s\)/);
    expect(() => causalPairs(4, NaN)).toThrow(/^causalPairs\(window\)/);
    expect(() => sumCausalPairs(1.5, 3, 2)).toThrow(/^sumCausalPairs\(a\)/);
    expect(() => sumCausalPairs(1, 3, -Infinity)).toThrow(/^sumCausalPairs\(window\)/);
    expect(() => sumSquares(-1, 3)).toThrow(/^sumSquares\(a\): .*got -1/);
    expect(() => sumSquares(1, Object.create(null) as never)).toThrow(SweetspotInputError);
  });
});
