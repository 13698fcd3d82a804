import { optionsObject } from '../../options.js';
import { type TokenBox, contextOutLimit, memoryPositions } from './box.js';
import type { SurfaceEnergy } from '../energy/energy.js';
import { type MetricId, costOf, metricInfo } from '../metrics.js';
import { checkWithinPercent, regionThreshold } from '../grid/region.js';
import { RowScratch, rowRuns } from './row.js';
import { type SweetSpot, sweetSpot } from './sweet-spot.js';
import { checkSurfaceEnergy } from '../energy/check.js';

/**
 * The sweet region of an integer box, run-length encoded: `runs` holds triples
 * `(nIn, nOutLow, nOutHigh)`, sorted by nIn then nOut, one per maximal run of output lengths
 * within the tolerance. A 4033 × 4033 box is then a few thousand triples instead of 16 M flags.
 *
 * @example
 * const region: BoxRegion = sweetRegion(energy, DEFAULT_BOX, { withinPercent: 10 });
 * region.runs.subarray(0, 3) // [nIn, nOutLow, nOutHigh] of the first run
 * @category Surfaces
 */
export interface BoxRegion {
  readonly spot: SweetSpot;
  readonly withinPercent: number;
  /** Highest energy cost (in the metric's cost basis) a point of the region may have. */
  readonly thresholdCost: number;
  readonly runs: Int32Array;
  /** Number of integer points in the region. */
  readonly count: number;
  /** `count` over the box's points within the context and memory: the share of the box in the region, 0…1. */
  readonly share: number;
  /** Smallest and largest lengths of the region's points (as in a surface's region). */
  readonly nInRange: readonly [number, number];
  readonly nOutRange: readonly [number, number];
}

const REGION_KEYS = new Set(['metric', 'withinPercent']);

/**
 * Every integer point of a box within `withinPercent` of its sweet spot (cost at most
 * `(1 + X/100)` times the best; see `regionThreshold`). Points beyond the context or the GPUs'
 * memory are never in it.
 * For the SweetSpot polynomial each row's run comes from the roots of a quadratic; other forms
 * are scanned.
 *
 * @throws {SweetspotInputError} on a bad box or tolerance, or when no point fits the context.
 * @example
 * const region = sweetRegion(energy, DEFAULT_BOX, { withinPercent: 10 });
 * region.count // points within 10% of the best J per output token
 * region.share // the same as a share of the box's points within the context, 0…1
 * @category Surfaces
 */
export function sweetRegion(
  energy: SurfaceEnergy,
  box: TokenBox,
  options?: { readonly metric?: MetricId; readonly withinPercent?: number },
): BoxRegion {
  checkSurfaceEnergy('sweetRegion(energy)', energy);
  const { metric = 'j-per-output-token', withinPercent = 10 } = optionsObject('sweetRegion', options, REGION_KEYS);
  checkWithinPercent(withinPercent);
  const spot = sweetSpot(energy, box, { metric });
  const info = metricInfo(metric);
  // Recomputed from the best point's energy with the evaluation the rows use: bit-identical.
  const bestCost = costOf(info.basis, spot.best.energyJ, spot.best.nIn, spot.best.nOut);
  const thresholdCost = regionThreshold(bestCost, withinPercent, false);
  const scratch = new RowScratch();
  const runs: number[] = [];
  let count = 0;
  let outMin = Infinity;
  let outMax = -Infinity;
  const [outLo, outHi] = box.nOut;
  const memory = memoryPositions(energy);
  for (let i = box.nIn[0]; i <= box.nIn[1]; i++) {
    const hi = Math.min(outHi, contextOutLimit(i, energy.maxPositions), contextOutLimit(i, memory));
    if (hi < outLo) continue;
    rowRuns(energy, info.basis, i, outLo, hi, thresholdCost, scratch, (a, b) => {
      runs.push(i, a, b);
      count += b - a + 1;
      if (a < outMin) outMin = a;
      if (b > outMax) outMax = b;
    });
  }
  // The best point is always in the region, so there is at least one run; runs are sorted by nIn.
  const nInRange: [number, number] = [runs[0], runs[runs.length - 3]];
  const boxPoints = (box.nIn[1] - box.nIn[0] + 1) * (box.nOut[1] - box.nOut[0] + 1);
  const share = count / (boxPoints - spot.outOfContext - spot.outOfMemory);
  return { spot, withinPercent, thresholdCost, runs: Int32Array.from(runs), count, share, nInRange, nOutRange: [outMin, outMax] };
}

/**
 * Whether (nIn, nOut) is in a box region (binary search over its runs).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per point, on a region `sweetRegion` made. It checks
 * nothing; junk fails inside it.
 * @example
 * inBoxRegion(region, region.spot.best.nIn, region.spot.best.nOut) // true
 */
export function inBoxRegion(region: BoxRegion, nIn: number, nOut: number): boolean {
  const runs = region.runs;
  let lo = 0;
  let hi = runs.length / 3;
  // First run whose nIn ≥ the query.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runs[3 * mid] < nIn) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < runs.length / 3 && runs[3 * k] === nIn; k++) {
    if (nOut >= runs[3 * k + 1] && nOut <= runs[3 * k + 2]) return true;
  }
  return false;
}
