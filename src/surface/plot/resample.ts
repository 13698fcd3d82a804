import type { TokenAxis } from '../grid/grid.js';

/**
 * Indices of at most `max` axis points, spread evenly in log scale, always keeping the first and
 * the last: a 4033-point axis becomes a heatmap of a few hundred cells per side instead of
 * 16 M rectangles, without losing the ends.
 *
 * @example
 * logSubsample(axisRange(1, 1000), 4) // indices of 1, 10, 100, 1000 → [0, 9, 99, 999]
 */
export function logSubsample(axis: TokenAxis, max: number): number[] {
  const n = axis.length;
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  const lo = Math.log(axis[0]);
  const hi = Math.log(axis[n - 1]);
  const picked: number[] = [];
  let k = 0;
  for (let t = 0; t < max; t++) {
    const target = lo + ((hi - lo) * t) / (max - 1);
    // Advance to the axis point nearest the target (the axis is sorted).
    while (k + 1 < n && Math.abs(Math.log(axis[k + 1]) - target) <= Math.abs(Math.log(axis[k]) - target)) k++;
    if (picked.length === 0 || picked[picked.length - 1] !== k) picked.push(k);
  }
  if (picked[picked.length - 1] !== n - 1) picked.push(n - 1);
  return picked;
}

/**
 * Cell edges of the picked axis points on a log axis: geometric means between neighbours, clipped
 * to the first and last point (so the axis spans exactly the data's range).
 *
 * @example
 * cellEdges([64, 256, 1024]) // [64, 128, 512, 1024]
 */
export function cellEdges(values: readonly number[]): number[] {
  const edges = [values[0]];
  for (let k = 1; k < values.length; k++) edges.push(Math.sqrt(values[k - 1] * values[k]));
  edges.push(values[values.length - 1]);
  return edges;
}
