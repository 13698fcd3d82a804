import { SweetspotInputError } from '../../errors.js';
import { metricInfo } from '../metrics.js';
import { type Surface, type SurfaceValues, checkSurface } from './surface.js';

/**
 * A point of a surface: its lengths, its flat index into `values`, and the metric there.
 *
 * @example
 * const p: SurfacePoint = surfaceExtremes(surface)!.best;
 * surface.values[p.index] === p.value // true
 */
export interface SurfacePoint {
  readonly nIn: number;
  readonly nOut: number;
  /** Index into `surface.values` (row-major). */
  readonly index: number;
  readonly value: number;
}

/**
 * Best and worst points of a surface, and what the worst costs over the best.
 *
 * @example
 * const ext: SurfaceExtremes | null = surfaceExtremes(surface);
 * ext?.worstOverBest // worst cost / best cost
 */
export interface SurfaceExtremes {
  readonly best: SurfacePoint;
  readonly worst: SurfacePoint;
  /** Worst energy cost over best energy cost (≥ 1), whatever the metric's direction. */
  readonly worstOverBest: number;
  /** Points evaluated (not masked). */
  readonly evaluated: number;
}

/**
 * Best and worst points of a surface, reading only unmasked points (the mask, not NaN, decides).
 * "Best" is the minimum for J metrics and the maximum for tokens per joule and relative
 * efficiency. Ties go to the first point in row-major order. `null` when every point is masked.
 *
 * @example
 * const { best, worst, worstOverBest } = surfaceExtremes(computeSurface(energy, grid))!;
 */
export function surfaceExtremes(surface: Surface<SurfaceValues>): SurfaceExtremes | null {
  checkSurface(surface, 'surfaceExtremes');
  const { values, mask, nOut } = surface;
  const higher = metricInfo(surface.metric).higherIsBetter;
  let lo = -1;
  let hi = -1;
  for (let k = 0; k < values.length; k++) {
    if (mask[k]) continue;
    const v = values[k];
    if (lo < 0) {
      lo = hi = k;
      continue;
    }
    if (v < values[lo]) lo = k;
    if (v > values[hi]) hi = k;
  }
  if (lo < 0) return null;
  const at = (k: number): SurfacePoint => ({
    nIn: surface.nIn[Math.floor(k / nOut.length)],
    nOut: nOut[k % nOut.length],
    index: k,
    value: values[k],
  });
  const best = at(higher ? hi : lo);
  const worst = at(higher ? lo : hi);
  const worstOverBest = higher ? best.value / worst.value : worst.value / best.value;
  if (!(worstOverBest < Infinity)) {
    throw new SweetspotInputError(
      `surface: worst/best overflows: ${worst.value} at nIn=${worst.nIn}, nOut=${worst.nOut} against ${best.value} at nIn=${best.nIn}, nOut=${best.nOut}; the energies span too many orders of magnitude`,
    );
  }
  return {
    best,
    worst,
    // J metrics are costs; tokens per J and relative are inverse costs.
    worstOverBest,
    evaluated: values.length - surface.maskedCount,
  };
}
