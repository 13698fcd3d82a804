import type { MemoryLimit } from '../../energy/hardware/memory-limit.js';
import { checkWhere } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { type SurfaceEnergy, checkEnergyJ } from '../energy/energy.js';
import { type TokenAxis, type TokenGrid, checkTokenAxis } from './grid.js';
import { type MetricId, metricInfo } from '../metrics.js';
import { checkSurfaceEnergy } from '../energy/check.js';

/**
 * The storage of a surface's values: Float64 (default), or Float32 on request (half the memory,
 * about seven significant digits: enough for plots and for regions wider than 10⁻⁶).
 *
 * @example
 * const values: SurfaceValues = computeSurface(energy, grid, 'j-per-output-token', { float32: true }).values; // Float32Array
 */
export type SurfaceValues = Float64Array | Float32Array;

/**
 * A metric evaluated over a grid. `values[r·nOut.length + c]` is the metric at
 * `(nIn[r], nOut[c])` (row-major, one row per input length). Points beyond the context, and points
 * whose weights + KV cache exceed the GPUs' memory, are not evaluated: `mask` is
 * {@link MASK_CONTEXT} or {@link MASK_MEMORY} there and `values` holds NaN, so that no masked
 * point can pass for a number; `surfaceExtremes`, regions and the plots read the mask, never the NaN.
 *
 * @example
 * const s: Surface = computeSurface(energy, { nIn: axisLog(64, 4096), nOut: axisLog(64, 4096) });
 * s.values[r * s.nOut.length + c] // the metric at (s.nIn[r], s.nOut[c]) unless s.mask[…] is 1
 * @category Surfaces
 */
export interface Surface<V extends SurfaceValues = Float64Array> {
  readonly metric: MetricId;
  readonly unit: string;
  readonly nIn: TokenAxis;
  readonly nOut: TokenAxis;
  readonly values: V;
  /**
   * 0 where evaluated; {@link MASK_CONTEXT} (1) where `nIn + nOut − 1 > maxPositions`;
   * {@link MASK_MEMORY} (2) where within the context but weights + KV cache exceed the GPUs'
   * memory (`memory`).
   */
  readonly mask: Uint8Array;
  /** Number of masked points, for either reason. */
  readonly maskedCount: number;
  /** Of `maskedCount`, the points masked because they do not fit the GPUs' memory. */
  readonly outOfMemoryCount: number;
  /** The memory limit the surface was computed with (absent: memory not checked). */
  readonly memory?: MemoryLimit;
  /** Model, GPU and calibration, for titles. */
  readonly model: string;
  readonly gpu?: string;
  readonly calibration?: string;
  readonly maxPositions: number;
}

/**
 * Arrays a surface may be written into instead of fresh ones (used when their length and type
 * match the grid; their old contents are overwritten), and the storage of the values. A
 * {@link Surface} is one.
 *
 * @example
 * computeSurface(energy, grid, 'j-per-token', previousSurface) // previousSurface serves as SurfaceBuffers
 */
export interface SurfaceBuffers {
  readonly values?: SurfaceValues;
  readonly mask?: Uint8Array;
  /** Store the values as Float32 (computed in Float64, rounded once when stored). */
  readonly float32?: boolean;
}

/**
 * Mask value of a point beyond the model's context (`nIn + nOut − 1 > maxPositions`).
 *
 * @example
 * surface.mask[k] === MASK_CONTEXT // too long for the model
 */
export const MASK_CONTEXT = 1;

/**
 * Mask value of a point within the context whose weights + KV cache exceed the GPUs' memory
 * (docs/surface.md#memory).
 *
 * @example
 * surface.mask[k] === MASK_MEMORY // does not fit the GPUs at this batch
 */
export const MASK_MEMORY = 2;

/**
 * Largest grid {@link computeSurface} accepts: 2²⁶ points (512 MiB of values).
 *
 * @example
 * axisRange(64, 4096).length ** 2 < MAX_SURFACE_POINTS // true: the paper grid fits
 */
export const MAX_SURFACE_POINTS = 1 << 26;

// Float32's largest finite value and smallest normal one: beyond them a stored value would be
// Infinity, 0 or lose its digits.
const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_MIN = 1.1754943508222875e-38;
// Float64's smallest normal value: a metric below it has lost digits, and its inverse (tokens per
// joule) may be Infinity.
const FLOAT64_MIN = 2.2250738585072014e-308;

/**
 * The error for a metric value that is not a normal positive double although the energy was fine:
 * an energy function spanning hundreds of decades (1e-300 J at one point, 1e300 J at another)
 * makes J per output token underflow, tokens per joule overflow, or relative efficiency 0.
 */
function metricOutOfRange(label: string, i: number, o: number, v: number): never {
  throw new SweetspotInputError(`surface: ${label} at nIn=${i}, nOut=${o} is ${v}, not a normal positive double (energies too close to 0, or spanning too many orders of magnitude)`);
}

/**
 * Checks a surface handed in by a caller (to a plot or a region): a metric, two valid axes
 * ({@link checkTokenAxis}), and values and mask of one entry per grid point. A surface that is
 * not one (a hand-made object, a JSON round trip that turned typed arrays into objects) is
 * refused by name instead of reading past its arrays as undefined.
 *
 * @throws {SweetspotInputError} naming `where` and the bad field.
 * @example
 * checkSurface(computeSurface(energy, grid), 'heatmap') // returns the surface
 */
export function checkSurface<V extends SurfaceValues>(surface: Surface<V>, where = 'surface'): Surface<V> {
  where = checkWhere('checkSurface', where);
  if (surface === null || typeof surface !== 'object') throw new SweetspotInputError(`${where}: expected a surface (from computeSurface), got ${surface === null ? 'null' : typeof surface}`);
  metricInfo(surface.metric);
  checkTokenAxis(surface.nIn, `${where}: surface.nIn`);
  checkTokenAxis(surface.nOut, `${where}: surface.nOut`);
  const total = surface.nIn.length * surface.nOut.length;
  if (!(surface.values instanceof Float64Array || surface.values instanceof Float32Array) || surface.values.length !== total) {
    throw new SweetspotInputError(`${where}: surface.values must be a Float64Array or Float32Array of ${total} values (nIn × nOut)`);
  }
  if (!(surface.mask instanceof Uint8Array) || surface.mask.length !== total) {
    throw new SweetspotInputError(`${where}: surface.mask must be a Uint8Array of ${total} entries (nIn × nOut)`);
  }
  return surface;
}

/**
 * Stores `row[0…end)` into `out[base…]` rounded to Float32 (to nearest); returns the first column
 * whose value Float32 cannot hold (the columns before it are stored), or −1. One loop: checking
 * first and then converting in native code (`TypedArray.prototype.set`) took half again as long.
 */
function storeFloat32(row: Float64Array, out: Float32Array, base: number, end: number): number {
  for (let c = 0; c < end; c++) {
    const v = row[c];
    if (!(v < FLOAT32_MAX && v > FLOAT32_MIN)) return c;
    out[base + c] = v;
  }
  return -1;
}

/**
 * The point-by-point check of a row of J per output token whose quick check failed: throws
 * naming the first point that is not a finite positive number (as an energy when the energy
 * itself is bad), else returns the row's least value (the quick check fails harmlessly when the
 * row's sum overflows).
 */
function checkedLowest(energy: SurfaceEnergy, i: number, outs: ArrayLike<number>, row: Float64Array, at: number, end: number): number {
  let lowest = Infinity;
  for (let c = 0; c < end; c++) {
    const v = row[at + c];
    if (!(v > 0 && v < Infinity)) {
      checkEnergyJ(energy, energy.energyJ(i, outs[c]), i, outs[c]);
      throw new SweetspotInputError(`energy of ${energy.model} at nIn=${i}, nOut=${outs[c]}: J per output token is ${v}`);
    }
    if (v < lowest) lowest = v;
  }
  return lowest;
}

/**
 * Evaluates `metric` at every point of `grid`, in one pass over memory: each row is filled and
 * then checked and finished while it is in cache. Energies that offer `perOutputRows` (the
 * polynomial and the hardware form) hoist the terms of one axis (1/nOut once per grid, terms of
 * nIn once per row), write J per output token without a division per point and check each row
 * once; a row that fails its check is checked point by point, and the first bad point is named.
 * `relative` is J per output token's best value over each point's value (best = 1).
 *
 * `reuse` may hand in the arrays of an earlier surface of the same size (see {@link SurfaceBuffers}),
 * and `{ float32: true }` asks for Float32 values.
 *
 * @throws {SweetspotInputError} when an axis is not one ({@link checkTokenAxis}), the grid has more
 *   than {@link MAX_SURFACE_POINTS} points, an energy is not finite and positive, or a metric value
 *   would not be a normal positive double (energies spanning hundreds of decades).
 * @example
 * const s = computeSurface(energy, { nIn: axisRange(64, 4096), nOut: axisRange(64, 4096) }, 'j-per-output-token');
 * s.values.length // 16_265_089
 * const again = computeSurface(other, grid, 'j-per-output-token', s); // reuses s's arrays
 * const small = computeSurface(energy, grid, 'j-per-output-token', { float32: true }); // Float32Array values
 * @category Surfaces
 */
export function computeSurface(energy: SurfaceEnergy, grid: TokenGrid, metric?: MetricId, reuse?: SurfaceBuffers & { readonly float32?: false }): Surface;
export function computeSurface(energy: SurfaceEnergy, grid: TokenGrid, metric: MetricId | undefined, reuse: SurfaceBuffers & { readonly float32: true }): Surface<Float32Array>;
export function computeSurface(energy: SurfaceEnergy, grid: TokenGrid, metric?: MetricId, reuse?: SurfaceBuffers): Surface<SurfaceValues>;
export function computeSurface(
  energy: SurfaceEnergy,
  grid: TokenGrid,
  metric: MetricId = 'j-per-output-token',
  reuse: SurfaceBuffers = {},
): Surface<SurfaceValues> {
  checkSurfaceEnergy('computeSurface(energy)', energy);
  const info = metricInfo(metric);
  if (grid === null || typeof grid !== 'object') throw new SweetspotInputError(`grid: must be { nIn, nOut } (two token axes), got ${grid === null ? 'null' : typeof grid}`);
  if (reuse === null || typeof reuse !== 'object') throw new SweetspotInputError(`computeSurface: reuse must be an object ({ values?, mask?, float32? }), got ${reuse === null ? 'null' : typeof reuse}`);
  const ins = checkTokenAxis(grid.nIn, 'grid.nIn');
  const outs = checkTokenAxis(grid.nOut, 'grid.nOut');
  const cols = outs.length;
  const total = ins.length * cols;
  if (total > MAX_SURFACE_POINTS) {
    throw new SweetspotInputError(`grid: ${ins.length} × ${cols} = ${total} points exceeds the limit of ${MAX_SURFACE_POINTS}; use fewer points per axis (a step, or axisLog)`);
  }
  const float32 = reuse.float32 === true;
  // Fresh arrays cost a page fault per 4 KiB on first write (about half the time of a 16 M-point
  // surface): callers that recompute surfaces can hand back the previous one's arrays.
  const reusedValues = reuse.values?.length === total && reuse.values instanceof (float32 ? Float32Array : Float64Array);
  const values: SurfaceValues = reusedValues ? reuse.values! : float32 ? new Float32Array(total) : new Float64Array(total);
  const reusedMask = reuse.mask instanceof Uint8Array && reuse.mask.length === total;
  // A fresh mask is all 0 already: leaving it unwritten leaves its pages untouched.
  const mask = reusedMask ? reuse.mask! : new Uint8Array(total);
  const wide = values instanceof Float64Array ? values : undefined;
  // Rows are computed in Float64: in place for Float64 values, in a scratch row for Float32.
  const scratch = wide ? undefined : new Float64Array(cols);
  // Terms of the output axis are hoisted once per grid by the energy's own row filler.
  const fill = info.basis === 'output-token' ? energy.perOutputRows?.(outs) : undefined;
  const perOutput = info.basis === 'output-token';
  const perToken = info.basis === 'token';
  const inverse = metric === 'tokens-per-j';
  let maskedCount = 0;
  let outOfMemoryCount = 0;
  let bestCost = Infinity;
  const memory = energy.memory;
  const memoryPositions = memory ? memory.maxPositions : Infinity;
  for (let r = 0; r < ins.length; r++) {
    const i = ins[r];
    const base = r * cols;
    // The axis is sorted, so the points within the context are a prefix of the row, and those
    // that also fit the memory a prefix of that (the KV cache grows with nIn + nOut − 1).
    const limit = energy.maxPositions - i + 1;
    let inContext = cols;
    while (inContext > 0 && outs[inContext - 1] > limit) inContext--;
    const memoryLimit = memoryPositions - i + 1;
    let end = inContext;
    while (end > 0 && outs[end - 1] > memoryLimit) end--;
    const row = wide ?? scratch!;
    const at = wide ? base : 0;
    if (fill) {
      // J per output token, checked once per row by the filler; a row that fails is checked
      // point by point, which names the first bad point.
      let lowest = fill(i, end, row, at);
      if (Number.isNaN(lowest)) lowest = checkedLowest(energy, i, outs, row, at, end);
      if (!inverse) {
        if (!wide) {
          // Float32 values: each checked against Float32's range and stored rounded to nearest, in
          // one loop over the row in cache (below the smallest normal float a value would lose its
          // digits).
          const bad = storeFloat32(row, values as Float32Array, base, end);
          if (bad >= 0) {
            throw new SweetspotInputError(`surface: ${info.label} at nIn=${i}, nOut=${outs[bad]} is ${row[bad]}, outside Float32's range (use Float64 values)`);
          }
          // Relative is then the best stored value over each stored value: exactly 1 at the best.
          lowest = Math.fround(lowest);
        } else if (end > 0 && !(lowest >= FLOAT64_MIN)) {
          // As on the point-by-point path: a value below the normal range has lost its digits.
          let c = 0;
          while (row[at + c] !== lowest) c++;
          metricOutOfRange(info.label, i, outs[c], lowest);
        }
        if (lowest < bestCost) bestCost = lowest;
      } else if (wide) {
        // The largest inverse is that of the least value: one check per row (a normal value's
        // inverse, at most 1/FLOAT64_MIN ≈ 4.5e307, is finite).
        if (end > 0 && !(lowest >= FLOAT64_MIN)) {
          let c = 0;
          while (row[at + c] !== lowest) c++;
          metricOutOfRange('tokens per joule', i, outs[c], 1 / lowest);
        }
        for (let j = at, stop = at + end; j < stop; j++) wide[j] = 1 / wide[j];
      } else {
        for (let c = 0; c < end; c++) {
          const stored = Math.fround(1 / row[c]);
          if (!(stored >= FLOAT32_MIN && stored <= FLOAT32_MAX)) {
            throw new SweetspotInputError(`surface: ${info.label} at nIn=${i}, nOut=${outs[c]} is ${1 / row[c]}, outside Float32's range (use Float64 values)`);
          }
          values[base + c] = stored;
        }
      }
    } else {
      energy.fillRowJ(i, outs, 0, end, row, at);
      // The same row again while it is in cache: check it, finish the metric, store it.
      for (let c = 0, j = at; c < end; c++, j++) {
        let v = row[j];
        if (!(v > 0 && v < Infinity)) checkEnergyJ(energy, v, i, outs[c]);
        if (perOutput) v /= outs[c];
        else if (perToken) v /= i + outs[c];
        if (!(v >= FLOAT64_MIN)) metricOutOfRange(info.label, i, outs[c], v);
        if (wide) {
          if (v < bestCost) bestCost = v;
          wide[j] = inverse ? 1 / v : v;
        } else {
          const cost = Math.fround(v);
          const stored = inverse ? Math.fround(1 / v) : cost;
          if (!(stored >= FLOAT32_MIN && stored <= FLOAT32_MAX)) {
            throw new SweetspotInputError(`surface: ${info.label} at nIn=${i}, nOut=${outs[c]} is ${inverse ? 1 / v : v}, outside Float32's range (use Float64 values)`);
          }
          if (cost < bestCost) bestCost = cost;
          values[base + c] = stored;
        }
      }
    }
    if (end > 0 && reusedMask) mask.fill(0, base, base + end);
    if (end < cols) {
      values.fill(NaN, base + end, base + cols);
      if (end < inContext) mask.fill(MASK_MEMORY, base + end, base + inContext);
      if (inContext < cols) mask.fill(MASK_CONTEXT, base + inContext, base + cols);
      maskedCount += cols - end;
      outOfMemoryCount += inContext - end;
    }
  }
  if (metric === 'relative') {
    // NaN stays NaN under division: masked points need no branch here. A ratio below the smallest
    // normal value (a worst point more than 10³⁰⁸ times the best) would be stored as 0 or lose
    // its digits: refused, naming the point.
    const least = float32 ? FLOAT32_MIN : FLOAT64_MIN;
    for (let k = 0; k < total; k++) {
      const r = bestCost / values[k];
      values[k] = r;
      if (r < least) metricOutOfRange(info.label, ins[Math.floor(k / cols)], outs[k % cols], r);
    }
  }
  return {
    metric,
    unit: info.unit,
    nIn: ins,
    nOut: outs,
    values,
    mask,
    maskedCount,
    outOfMemoryCount,
    ...(memory ? { memory } : {}),
    model: energy.model,
    gpu: energy.gpu,
    calibration: energy.calibration,
    maxPositions: energy.maxPositions,
  };
}
