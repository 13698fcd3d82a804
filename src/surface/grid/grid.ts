import { SweetspotInputError } from '../../errors.js';
import { checkWhere, shownValue } from '../../arguments.js';

/**
 * One axis of a surface: token counts, integers ≥ 1, strictly increasing (sorted, no duplicates).
 * An `Int32Array` so that a 4096-point axis is 16 KiB and reading it never allocates.
 *
 * @example
 * const axis: TokenAxis = axisRange(64, 4096, 64);
 */
export type TokenAxis = Int32Array;

/**
 * The largest token count an axis may hold (fits an Int32Array with room to add two of them).
 *
 * @example
 * axisRange(1, MAX_AXIS_TOKENS + 1) // throws: end must be an integer in 1..536870912
 */
export const MAX_AXIS_TOKENS = 1 << 29;

/**
 * The most points an axis may hold: 2²⁶, the most a surface may hold (`MAX_SURFACE_POINTS`), so
 * no longer axis could be used, and 256 MiB as an Int32Array. An axis of every integer of
 * 1..2²⁹ would be 2 GiB: it is refused before anything is allocated (docs/surface.md#limits).
 *
 * @example
 * axisRange(1, MAX_AXIS_POINTS + 1) // throws: 67108865 points exceeds the limit
 */
export const MAX_AXIS_POINTS = 1 << 26;

function checkCount(where: string, count: number): void {
  if (count > MAX_AXIS_POINTS) {
    throw new SweetspotInputError(`${where}: ${count} points exceeds the limit of ${MAX_AXIS_POINTS} per axis; use a step or a logarithmic axis`);
  }
}

function checkTokens(where: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_AXIS_TOKENS) {
    throw new SweetspotInputError(`${where}: ${name} must be an integer in 1..${MAX_AXIS_TOKENS}, got ${shownValue(value)}`);
  }
}

/**
 * An axis of explicit token counts, sorted and deduplicated.
 *
 * @throws {SweetspotInputError} when a value is not an integer ≥ 1 or the list is empty.
 * @example
 * axisPoints([512, 64, 512, 128]) // Int32Array [64, 128, 512]
 */
export function axisPoints(values: readonly number[], where = 'axis'): TokenAxis {
  where = checkWhere('axisPoints', where);
  if (!Array.isArray(values)) throw new SweetspotInputError(`${where}: must be an array of token counts, got ${values === null ? 'null' : typeof values}`);
  if (values.length === 0) throw new SweetspotInputError(`${where}: needs at least one token count`);
  checkCount(where, values.length);
  values.forEach((v, k) => checkTokens(where, `point ${k + 1}`, v));
  const sorted = Int32Array.from(values).sort();
  let n = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k];
  return sorted.slice(0, n);
}

/**
 * Every `step`-th integer from `from` up to `to` inclusive (`to` itself is added when the step
 * jumps over it, so the range's end is always on the axis).
 *
 * @throws {SweetspotInputError} when the bounds are not integers ≥ 1, `to < from`, `step < 1`, or
 *   the axis would hold more than {@link MAX_AXIS_POINTS} points.
 * @example
 * axisRange(64, 100, 16) // Int32Array [64, 80, 96, 100]
 * @category Surfaces
 */
export function axisRange(from: number, to: number, step = 1, where = 'axis'): TokenAxis {
  where = checkWhere('axisRange', where);
  checkTokens(where, 'start', from);
  checkTokens(where, 'end', to);
  if (to < from) throw new SweetspotInputError(`${where}: end ${to} is below start ${from}`);
  if (!Number.isSafeInteger(step) || step < 1) {
    throw new SweetspotInputError(`${where}: step must be an integer ≥ 1, got ${shownValue(step)}`);
  }
  const count = Math.floor((to - from) / step) + 1;
  const last = from + (count - 1) * step;
  checkCount(where, count + (last === to ? 0 : 1));
  const axis = new Int32Array(count + (last === to ? 0 : 1));
  for (let k = 0; k < count; k++) axis[k] = from + k * step;
  if (last !== to) axis[count] = to;
  return axis;
}

/**
 * About `points` token counts spaced evenly in log scale from `from` to `to` (both included),
 * rounded to integers and deduplicated, so near the low end an axis may hold fewer points.
 *
 * @throws {SweetspotInputError} on bad bounds, `points < 2` (unless `from === to`) or `points` over
 *   {@link MAX_AXIS_POINTS}.
 * @example
 * axisLog(64, 4096, 7) // Int32Array [64, 128, 256, 512, 1024, 2048, 4096]
 * @category Surfaces
 */
export function axisLog(from: number, to: number, points = defaultLogPoints(from, to), where = 'axis'): TokenAxis {
  where = checkWhere('axisLog', where);
  checkTokens(where, 'start', from);
  checkTokens(where, 'end', to);
  if (to < from) throw new SweetspotInputError(`${where}: end ${to} is below start ${from}`);
  if (from === to) return Int32Array.of(from);
  if (!Number.isSafeInteger(points) || points < 2) {
    throw new SweetspotInputError(`${where}: a logarithmic axis needs an integer number of points ≥ 2, got ${shownValue(points)}`);
  }
  checkCount(where, points);
  const ratio = Math.log(to / from);
  const values: number[] = [];
  for (let k = 0; k < points; k++) {
    // Ends are set exactly: exp(log(·)) may round 4096 to 4095.9999.
    values.push(k === 0 ? from : k === points - 1 ? to : Math.round(from * Math.exp((ratio * k) / (points - 1))));
  }
  return axisPoints(values, where);
}

/**
 * Checks an axis handed in by a caller: an `Int32Array` of at least one and at most
 * {@link MAX_AXIS_POINTS} token counts in 1..{@link MAX_AXIS_TOKENS}, strictly increasing (what
 * {@link axisRange}, {@link axisLog} and {@link axisPoints} build). The surface's row scan relies
 * on the order (the points within the context are a prefix of each row), so an unsorted axis
 * would be masked wrongly rather than fail.
 *
 * @throws {SweetspotInputError} naming `where` and the first bad point.
 * @example
 * checkTokenAxis(axisRange(64, 4096), 'grid.nIn') // returns the axis
 */
export function checkTokenAxis(axis: TokenAxis, where = 'axis'): TokenAxis {
  where = checkWhere('checkTokenAxis', where);
  if (!(axis instanceof Int32Array)) {
    const got = axis === null ? 'null' : Array.isArray(axis) ? 'an array' : typeof axis === 'object' ? (axis as object).constructor?.name ?? 'an object' : typeof axis;
    throw new SweetspotInputError(`${where}: must be an Int32Array of token counts (axisRange, axisLog or axisPoints builds one), got ${got}`);
  }
  if (axis.length === 0) throw new SweetspotInputError(`${where}: needs at least one token count`);
  checkCount(where, axis.length);
  for (let k = 0; k < axis.length; k++) {
    const v = axis[k];
    if (v < 1 || v > MAX_AXIS_TOKENS) throw new SweetspotInputError(`${where}: point ${k + 1} must be in 1..${MAX_AXIS_TOKENS}, got ${v}`);
    if (k > 0 && v <= axis[k - 1]) throw new SweetspotInputError(`${where}: must be strictly increasing, but point ${k + 1} (${v}) follows ${axis[k - 1]}`);
  }
  return axis;
}

/**
 * The number of points {@link axisLog} uses when none is given: 16 per doubling, at least 2, at
 * most 256 — fine enough for a smooth heatmap, small enough for a file.
 *
 * @example
 * defaultLogPoints(64, 4096) // 97
 */
export function defaultLogPoints(from: number, to: number): number {
  // Not numbers (a symbol would throw in the comparison): axisLog's own checks name them.
  if (typeof from !== 'number' || typeof to !== 'number' || !(to > from)) return 1;
  return Math.min(256, Math.max(2, Math.round(16 * Math.log2(to / from)) + 1));
}

/**
 * A rectangular grid: every pair of an input length and an output length.
 *
 * @example
 * const grid: TokenGrid = { nIn: axisLog(64, 4096), nOut: axisPoints([128, 256, 512]) };
 */
export interface TokenGrid {
  readonly nIn: TokenAxis;
  readonly nOut: TokenAxis;
}
