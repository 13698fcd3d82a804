import { describe, expect, it } from 'vitest';
import { groupByCode } from '../../../src/fit/evaluate/group-codes.js';
import { mulberry32 } from '../../../src/prng.js';

/** The definition, by brute force: a Map from each code to its rows in row order; negative codes in no group. */
function bruteForce(codes: readonly number[], groupCount: number): number[][] {
  const byCode = new Map<number, number[]>();
  codes.forEach((c, i) => {
    if (c < 0) return;
    (byCode.get(c) ?? byCode.set(c, []).get(c)!).push(i);
  });
  return Array.from({ length: groupCount }, (_, g) => byCode.get(g) ?? []);
}

/** The groups as `groupByCode` lays them out, one array per group. */
function groupsOf(codes: readonly number[], groupCount: number): number[][] {
  const { start, order } = groupByCode(Int32Array.from(codes), groupCount);
  expect(start.length).toBe(groupCount + 1);
  expect(start[0]).toBe(0);
  expect(order.length).toBe(start[groupCount]);
  return Array.from({ length: groupCount }, (_, g) => Array.from(order.subarray(start[g], start[g + 1])));
}

describe('groupByCode', () => {
  it('gives the example of its doc comment', () => {
    const { start, order } = groupByCode(Int32Array.of(1, 0, -1, 1), 3);
    expect(Array.from(start)).toEqual([0, 1, 3, 3]);
    expect(Array.from(order)).toEqual([1, 0, 3]);
  });

  it('agrees with a brute-force grouping on random codes, with empty groups and rows in no group', () => {
    const rand = mulberry32(11);
    for (let trial = 0; trial < 200; trial++) {
      const groupCount = 1 + Math.floor(rand() * 12);
      const n = Math.floor(rand() * 60);
      // Codes drawn from −2 … groupCount − 1 + a few unused: some groups stay empty, some rows have none.
      const used = 1 + Math.floor(rand() * groupCount);
      const codes = Array.from({ length: n }, () => Math.floor(rand() * (used + 2)) - 2);
      expect(groupsOf(codes, groupCount)).toEqual(bruteForce(codes, groupCount));
    }
  });

  it('holds every row in one group when all share a code', () => {
    expect(groupsOf([0, 0, 0, 0], 1)).toEqual([[0, 1, 2, 3]]);
  });

  it('leaves out every row with a negative code, and gives empty groups for no rows', () => {
    expect(groupsOf([-1, -1], 2)).toEqual([[], []]);
    expect(groupsOf([], 3)).toEqual([[], [], []]);
    expect(groupsOf([], 0)).toEqual([]);
  });
});
