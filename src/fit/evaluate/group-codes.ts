/** Rows grouped by code: group g is `order[start[g]] … order[start[g + 1] - 1]`. */
export interface CodeGroups {
  /** `groupCount + 1` offsets into `order`; `start[groupCount]` is the number of rows grouped. */
  readonly start: Int32Array;
  /** Row indices, group after group, each group's rows in row order. */
  readonly order: Int32Array;
}

/**
 * Rows grouped by an integer code in 0 … groupCount − 1 (a counting sort: one pass to count, one to
 * place), without an array per group. A row with a negative code is in no group and left out of
 * `order`; a group no row has is empty (`start[g] === start[g + 1]`). Codes must be integers below
 * `groupCount`: callers number their groups themselves, so this is not checked.
 *
 * @example
 * groupByCode(Int32Array.of(1, 0, -1, 1), 3) // { start: Int32Array [0, 1, 3, 3], order: Int32Array [1, 0, 3] }
 */
export function groupByCode(codes: Int32Array, groupCount: number): CodeGroups {
  const start = new Int32Array(groupCount + 1);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) start[codes[i] + 1]++;
  for (let g = 0; g < groupCount; g++) start[g + 1] += start[g];
  const fill = start.slice(0, groupCount);
  const order = new Int32Array(start[groupCount]);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) order[fill[codes[i]]++] = i;
  return { start, order };
}
