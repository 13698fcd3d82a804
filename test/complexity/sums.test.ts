import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { causalPairs, sumCausalPairs, sumMin } from '../../src/complexity/sums.js';

// Plain loops in BigInt: the expectation.
function loopSumMin(a: number, b: number, w: number): bigint {
  let s = 0n;
  for (let c = a; c <= b; c++) s += BigInt(Math.min(c, w));
  return s;
}
function loopSumCausal(a: number, b: number, w: number): bigint {
  let s = 0n;
  for (let n = a; n <= b; n++) s += loopSumMin(1, n, w);
  return s;
}

const windowArb = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constant(Infinity));

describe('sumMin', () => {
  it('matches a hand count', () => {
    expect(sumMin(1, 5, 3)).toBe(1 + 2 + 3 + 3 + 3);
    expect(sumMin(4, 6, Infinity)).toBe(4 + 5 + 6);
    expect(sumMin(5, 4, 10)).toBe(0);
  });
  it('equals the loop for random ranges and windows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: -1, max: 400 }), windowArb, (a, len, w) => {
        const b = a + len;
        expect(sumMin(a, b, w)).toBe(Number(loopSumMin(a, b, w)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('causalPairs and sumCausalPairs', () => {
  it('match hand counts', () => {
    expect(causalPairs(4, Infinity)).toBe(10);
    expect(causalPairs(4, 2)).toBe(1 + 2 + 2 + 2);
    expect(sumCausalPairs(1, 3, Infinity)).toBe(1 + 3 + 6);
    expect(sumCausalPairs(2, 3, 2)).toBe(3 + 5);
  });
  it('equal the double loop for random ranges and windows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: -1, max: 120 }), windowArb, (a, len, w) => {
        const b = a + len;
        expect(sumCausalPairs(a, b, w)).toBe(Number(loopSumCausal(a, b, w)));
      }),
      { numRuns: 200 },
    );
  });
  it('keeps relative precision for a short range far out (no cancellation of large prefix sums)', () => {
    // Σ_{n=10⁶}^{10⁶+1} S(n) with S(n) = n(n+1)/2, exactly.
    const a = 1_000_000;
    const exact = (BigInt(a) * BigInt(a + 1)) / 2n + (BigInt(a + 1) * BigInt(a + 2)) / 2n;
    const got = sumCausalPairs(a, a + 1, Infinity);
    expect(Math.abs(got - Number(exact)) / Number(exact)).toBeLessThan(1e-15);
  });
});
