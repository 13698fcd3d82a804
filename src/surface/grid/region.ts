import { SweetspotInputError } from '../../errors.js';
import { surfaceExtremes } from './extremes.js';
import { metricInfo } from '../metrics.js';
import { type Surface, type SurfaceValues, checkSurface } from './surface.js';
import { checkWhere, shownValue } from '../../arguments.js';

/**
 * The points of a surface within some percent of its best.
 *
 * @example
 * const region: SurfaceRegion = surfaceRegion(surface, 10);
 * region.nOutRange // [shortest, longest] output length within 10% of the best
 */
export interface SurfaceRegion {
  readonly withinPercent: number;
  /** The metric's value at the region's edge (a maximum for J metrics, a minimum otherwise). */
  readonly threshold: number;
  /** 1 for points in the region, row-major like `surface.values`; masked points are never in it. */
  readonly inside: Uint8Array;
  readonly count: number;
  /** `count` over the grid's points evaluated (within the context and memory): the share of the grid in the region, 0…1. */
  readonly share: number;
  /** Smallest and largest lengths of the region's points. */
  readonly nInRange: readonly [number, number];
  readonly nOutRange: readonly [number, number];
}

/**
 * Checks a "within X% of best" tolerance: a finite number ≥ 0.
 *
 * @throws {SweetspotInputError} naming the field.
 * @example
 * checkWithinPercent(10) // 10
 */
export function checkWithinPercent(withinPercent: number, where = 'withinPercent'): number {
  where = checkWhere('checkWithinPercent', where);
  if (!Number.isFinite(withinPercent) || withinPercent < 0) {
    throw new SweetspotInputError(`${where}: must be a finite number ≥ 0 (percent), got ${shownValue(withinPercent)}`);
  }
  return withinPercent;
}

/**
 * The cost threshold of a region: a point is in it when its energy cost is at most
 * `(1 + X/100)` times the best cost — for tokens per joule and relative efficiency, when its value
 * is at least the best divided by `(1 + X/100)`.
 *
 * @example
 * regionThreshold(0.2, 10, false) // ≈ 0.22
 */
export function regionThreshold(bestValue: number, withinPercent: number, higherIsBetter: boolean): number {
  const factor = 1 + withinPercent / 100;
  return higherIsBetter ? bestValue / factor : bestValue * factor;
}

/**
 * The sweet region of a surface: every evaluated point within `withinPercent` of the best
 * (see `regionThreshold`).
 *
 * @throws {SweetspotInputError} on a bad tolerance, or when every point is masked.
 * @example
 * surfaceRegion(surface, 10).count // points within 10% of the sweet spot
 */
export function surfaceRegion(surface: Surface<SurfaceValues>, withinPercent = 10): SurfaceRegion {
  checkSurface(surface, 'surfaceRegion');
  checkWithinPercent(withinPercent);
  const ext = surfaceExtremes(surface);
  if (!ext) throw new SweetspotInputError(`surface: every point is beyond the context of ${surface.maxPositions} tokens${surface.outOfMemoryCount > 0 ? " or the GPUs' memory" : ''}`);
  const higher = metricInfo(surface.metric).higherIsBetter;
  const threshold = regionThreshold(ext.best.value, withinPercent, higher);
  const { values, mask, nIn, nOut } = surface;
  const inside = new Uint8Array(values.length);
  const cols = nOut.length;
  let count = 0;
  let rLo = Infinity;
  let rHi = -1;
  let cLo = Infinity;
  let cHi = -1;
  for (let k = 0; k < values.length; k++) {
    if (mask[k]) continue;
    const v = values[k];
    if (higher ? v >= threshold : v <= threshold) {
      inside[k] = 1;
      count++;
      const r = Math.floor(k / cols);
      const c = k - r * cols;
      if (r < rLo) rLo = r;
      if (r > rHi) rHi = r;
      if (c < cLo) cLo = c;
      if (c > cHi) cHi = c;
    }
  }
  return {
    withinPercent,
    threshold,
    inside,
    count,
    share: count / (values.length - surface.maskedCount),
    nInRange: [nIn[rLo], nIn[rHi]],
    nOutRange: [nOut[cLo], nOut[cHi]],
  };
}
