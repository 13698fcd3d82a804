import { SweetspotInputError } from '../errors.js';
import { type SurfaceEnergy, checkEnergyJ } from './energy.js';
import type { TokenAxis, TokenGrid } from './grid.js';
import { type MetricId, metricInfo } from './metrics.js';

/**
 * A metric evaluated over a grid. `values[r·nOut.length + c]` is the metric at
 * `(nIn[r], nOut[c])` (row-major, one row per input length). Points beyond the context are not
 * evaluated: `mask` is 1 there and `values` holds NaN, so that no masked point can pass for a
 * number; `surfaceExtremes` and the plots read the mask, never the NaN.
 *
 * @example
 * const s: Surface = computeSurface(energy, { nIn: axisLog(64, 4096), nOut: axisLog(64, 4096) });
 * s.values[r * s.nOut.length + c] // the metric at (s.nIn[r], s.nOut[c]) unless s.mask[…] is 1
 * @category Surfaces
 */
export interface Surface {
  readonly metric: MetricId;
  readonly unit: string;
  readonly nIn: TokenAxis;
  readonly nOut: TokenAxis;
  readonly values: Float64Array;
  /** 1 where `nIn + nOut − 1 > maxPositions` (not evaluated), else 0. */
  readonly mask: Uint8Array;
  /** Number of masked points. */
  readonly maskedCount: number;
  /** Model, GPU and calibration, for titles. */
  readonly model: string;
  readonly gpu?: string;
  readonly calibration?: string;
  readonly maxPositions: number;
}

/**
 * Arrays a surface may be written into instead of fresh ones (used when their length matches the
 * grid; their old contents are overwritten). A {@link Surface} is one.
 *
 * @example
 * computeSurface(energy, grid, 'j-per-token', previousSurface) // previousSurface serves as SurfaceBuffers
 */
export interface SurfaceBuffers {
  readonly values?: Float64Array;
  readonly mask?: Uint8Array;
}

/**
 * Largest grid {@link computeSurface} accepts: 2²⁶ points (512 MiB of values).
 *
 * @example
 * axisRange(64, 4096).length ** 2 < MAX_SURFACE_POINTS // true: the paper grid fits
 */
export const MAX_SURFACE_POINTS = 1 << 26;

/**
 * Evaluates `metric` at every point of `grid`. One pass per row, no allocation per point: the
 * energy model fills a row of joules in place, which is then turned into the metric in place.
 * `relative` is J per output token's best value over each point's value (best = 1).
 *
 * `reuse` may hand in the arrays of an earlier surface of the same size (see {@link SurfaceBuffers}).
 *
 * @throws {SweetspotInputError} when the grid has more than {@link MAX_SURFACE_POINTS} points.
 * @example
 * const s = computeSurface(energy, { nIn: axisRange(64, 4096), nOut: axisRange(64, 4096) }, 'j-per-output-token');
 * s.values.length // 16_265_089
 * const again = computeSurface(other, grid, 'j-per-output-token', s); // reuses s's arrays
 * @category Surfaces
 */
export function computeSurface(
  energy: SurfaceEnergy,
  grid: TokenGrid,
  metric: MetricId = 'j-per-output-token',
  reuse: SurfaceBuffers = {},
): Surface {
  const info = metricInfo(metric);
  const ins = grid.nIn;
  const outs = grid.nOut;
  const cols = outs.length;
  const total = ins.length * cols;
  if (total > MAX_SURFACE_POINTS) {
    throw new SweetspotInputError(`grid: ${ins.length} × ${cols} = ${total} points exceeds the limit of ${MAX_SURFACE_POINTS}; use fewer points per axis (a step, or axisLog)`);
  }
  // Fresh arrays cost a page fault per 4 KiB on first write (about half the time of a 16 M-point
  // surface): callers that recompute surfaces can hand back the previous one's arrays.
  const values = reuse.values?.length === total ? reuse.values : new Float64Array(total);
  const mask = reuse.mask?.length === total ? reuse.mask : new Uint8Array(total);
  let maskedCount = 0;
  let bestCost = Infinity;
  for (let r = 0; r < ins.length; r++) {
    const i = ins[r];
    const base = r * cols;
    // The axis is sorted, so the points within the context are a prefix of the row.
    const limit = energy.maxPositions - i + 1;
    let end = cols;
    while (end > 0 && outs[end - 1] > limit) end--;
    energy.fillRowJ(i, outs, 0, end, values, base);
    // One pass over the row (still in cache): check the energy, then divide by the basis.
    const perOutput = info.basis === 'output-token';
    const perToken = info.basis === 'token';
    for (let c = 0, j = base; c < end; c++, j++) {
      const e = values[j];
      if (!(e > 0 && e < Infinity)) checkEnergyJ(energy, e, i, outs[c]);
      if (perOutput) values[j] = e / outs[c];
      else if (perToken) values[j] = e / (i + outs[c]);
    }
    if (metric === 'relative') for (let c = 0; c < end; c++) if (values[base + c] < bestCost) bestCost = values[base + c];
    if (end > 0) mask.fill(0, base, base + end);
    if (end < cols) {
      values.fill(NaN, base + end, base + cols);
      mask.fill(1, base + end, base + cols);
      maskedCount += cols - end;
    }
  }
  if (metric === 'tokens-per-j' || metric === 'relative') {
    const numerator = metric === 'relative' ? bestCost : 1;
    // NaN stays NaN under division: masked points need no branch here.
    for (let k = 0; k < total; k++) values[k] = numerator / values[k];
  }
  return {
    metric,
    unit: info.unit,
    nIn: ins,
    nOut: outs,
    values,
    mask,
    maskedCount,
    model: energy.model,
    gpu: energy.gpu,
    calibration: energy.calibration,
    maxPositions: energy.maxPositions,
  };
}
