import { optionKeys, optionsObject } from '../../options.js';
import { SweetspotInputError } from '../../errors.js';
import { type TokenBox, checkBox, contextOutLimit, limitsText, memoryPositions } from './box.js';
import type { SurfaceEnergy } from '../energy/energy.js';
import { type MetricId, metricFromCost, metricInfo } from '../metrics.js';
import { RowScratch, emptyRowExtremes, rowExtremes } from './row.js';
import { checkSurfaceEnergy } from '../energy/check.js';

/**
 * One request length and its metric value.
 *
 * @example
 * const p: MetricPoint = sweetSpot(energy, DEFAULT_BOX).best; // { nIn, nOut, value, energyJ }
 */
export interface MetricPoint {
  readonly nIn: number;
  readonly nOut: number;
  /** The metric at this point, in the metric's unit. */
  readonly value: number;
  /** Energy of one request at this point, J. */
  readonly energyJ: number;
}

/**
 * The best and worst request lengths of a box for one metric.
 *
 * @example
 * const spot: SweetSpot = sweetSpot(energy, DEFAULT_BOX, { metric: 'j-per-token' });
 * spot.worstOverBest // worst cost / best cost
 * @category Surfaces
 */
export interface SweetSpot {
  readonly metric: MetricId;
  readonly unit: string;
  readonly box: TokenBox;
  readonly best: MetricPoint;
  readonly worst: MetricPoint;
  /** Worst energy cost over best energy cost (≥ 1): what the worst choice of lengths wastes. */
  readonly worstOverBest: number;
  /** Points of the box beyond the context (`nIn + nOut − 1 > maxPositions`), left out of the search. */
  readonly outOfContext: number;
  /**
   * Points of the box within the context whose weights + KV cache exceed the GPUs' memory
   * (`energy.memory`), left out of the search; 0 when memory is not checked.
   */
  readonly outOfMemory: number;
}

const SWEET_SPOT_KEYS = new Set(['metric']);

/**
 * The sweet spot of a box: the integer (nIn, nOut) with the best value of `metric`, the worst one,
 * and the savings ratio worst/best (docs/conventions.md). Points beyond the context, and points
 * whose KV cache does not fit the GPUs' memory (`energy.memory`), are skipped and counted. For the
 * SweetSpot polynomial each row is solved in closed form, for the hardware form (rows convex in
 * nOut) by bisection per row (docs/surface.md); other forms are scanned exactly.
 * Ties go to the smallest nIn, then the smallest nOut.
 *
 * @throws {SweetspotInputError} on a bad box, or when no point of it fits the context and memory.
 * @example
 * const spot = sweetSpot(energy, { nIn: [64, 4096], nOut: [64, 4096] });
 * spot.best // { nIn, nOut, value, energyJ } of the most efficient lengths
 * spot.worstOverBest // worst cost / best cost, ≥ 1
 * @category Surfaces
 */
export function sweetSpot(energy: SurfaceEnergy, box: TokenBox, options?: { readonly metric?: MetricId }): SweetSpot {
  checkSurfaceEnergy('sweetSpot(energy)', energy);
  const { metric = 'j-per-output-token' } = optionsObject('sweetSpot', options, SWEET_SPOT_KEYS);
  checkBox(box);
  const info = metricInfo(metric);
  const [inLo, inHi] = box.nIn;
  const [outLo, outHi] = box.nOut;
  searchSize(energy, box);
  const row = emptyRowExtremes();
  const scratch = new RowScratch();
  let best = { nIn: 0, nOut: 0, cost: Infinity };
  let worst = { nIn: 0, nOut: 0, cost: -Infinity };
  let outOfContext = 0;
  let outOfMemory = 0;
  const memory = memoryPositions(energy);
  for (let i = inLo; i <= inHi; i++) {
    // Both limits leave a prefix of the row: the context's, and within it the memory's.
    const inContext = Math.max(outLo - 1, Math.min(outHi, contextOutLimit(i, energy.maxPositions)));
    const hi = Math.min(inContext, contextOutLimit(i, memory));
    outOfContext += outHi - inContext;
    outOfMemory += inContext - Math.max(hi, outLo - 1);
    if (hi < outLo) continue;
    rowExtremes(energy, info.basis, i, outLo, hi, row, scratch);
    if (row.bestCost < best.cost) best = { nIn: i, nOut: row.bestOut, cost: row.bestCost };
    if (row.worstCost > worst.cost) worst = { nIn: i, nOut: row.worstOut, cost: row.worstCost };
  }
  // Costs that span more than 10³⁰⁸ (an energy function from 1e-300 J to 1e300 J) have no ratio.
  if (best.cost !== Infinity && !(worst.cost / best.cost < Infinity)) {
    throw new SweetspotInputError(
      `box: worst/best of ${energy.model} overflows: ${worst.cost} at nIn=${worst.nIn}, nOut=${worst.nOut} over ${best.cost} at nIn=${best.nIn}, nOut=${best.nOut}; the energies span too many orders of magnitude`,
    );
  }
  if (best.cost === Infinity) {
    throw new SweetspotInputError(
      `box: no point of nIn ${inLo}..${inHi} × nOut ${outLo}..${outHi} fits ${limitsText(energy)}`,
    );
  }
  return {
    metric,
    unit: info.unit,
    box: { nIn: [inLo, inHi], nOut: [outLo, outHi] },
    best: point(energy, metric, best, best.cost),
    worst: point(energy, metric, worst, best.cost),
    worstOverBest: worst.cost / best.cost,
    outOfContext,
    outOfMemory,
  };
}

/**
 * Most points an exact scan visits (a few seconds); boxes beyond it are refused.
 *
 * @example
 * 4033 * 4033 < MAX_SCAN_POINTS // true: the paper box is scanned
 */
export const MAX_SCAN_POINTS = 2 ** 28;
// Rows the per-row solutions handle in about a second or two: the polynomial's closed form costs
// a few evaluations per row, bisection on a convex row about fifty.
const MAX_CLOSED_FORM_ROWS = 2 ** 24;
const MAX_CONVEX_ROWS = 2 ** 22;

/**
 * Refuses boxes whose search would take minutes: forms without closed forms are scanned point by
 * point, the polynomial row by row.
 *
 * @throws {SweetspotInputError} naming the box and the limit.
 * @example
 * checkSearchSize(energy, DEFAULT_BOX) // fine: 16 M points
 */
export function checkSearchSize(energy: SurfaceEnergy, box: TokenBox): void {
  checkSurfaceEnergy('checkSearchSize(energy)', energy);
  searchSize(energy, checkBox(box, 'checkSearchSize(box)'));
}

/** {@link checkSearchSize} for an energy and a box already checked: the searches and `advise` call it per query. */
function searchSize(energy: SurfaceEnergy, box: TokenBox): void {
  const rows = box.nIn[1] - box.nIn[0] + 1;
  const points = rows * (box.nOut[1] - box.nOut[0] + 1);
  const rowLimit = energy.polynomial ? MAX_CLOSED_FORM_ROWS : energy.convexRows ? MAX_CONVEX_ROWS : 0;
  if (rowLimit ? rows > rowLimit : points > MAX_SCAN_POINTS) {
    const what = rowLimit ? `${rows} prompt lengths (limit ${rowLimit})` : `${points} points to scan (limit ${MAX_SCAN_POINTS}; this form has no closed form)`;
    throw new SweetspotInputError(`box: nIn ${box.nIn[0]}..${box.nIn[1]} × nOut ${box.nOut[0]}..${box.nOut[1]} has ${what}; narrow it`);
  }
}

function point(energy: SurfaceEnergy, metric: MetricId, p: { nIn: number; nOut: number; cost: number }, bestCost: number): MetricPoint {
  return { nIn: p.nIn, nOut: p.nOut, value: metricFromCost(metric, p.cost, bestCost), energyJ: energy.energyJ(p.nIn, p.nOut) };
}

const BEST_OUTPUT_KEYS = optionKeys<{ metric?: MetricId }>()('metric');

/**
 * The best output length for a given input length, over the integers `nOut[0]…nOut[1]` (clipped
 * to the context and to the GPUs' memory). For the SweetSpot polynomial and J per output token this is the closed form
 * o* = √((θ1·i² + θ2·i + θ6)/θ4), checked at its neighbouring integers; otherwise an exact search.
 *
 * @throws {SweetspotInputError} when nIn is not an integer ≥ 1 or no nOut of the range fits the context and memory.
 * @example
 * bestOutputFor(polynomialEnergy([0.01, 0.2, 0.5, 0.01, 3, 6], { model: 'm' }), 10, [1, 1000]).nOut // 30
 */
export function bestOutputFor(
  energy: SurfaceEnergy,
  nIn: number,
  nOut: readonly [number, number],
  options?: { readonly metric?: MetricId },
): MetricPoint {
  checkSurfaceEnergy('bestOutputFor(energy)', energy);
  const { metric = 'j-per-output-token' } = optionsObject('bestOutputFor', options, BEST_OUTPUT_KEYS);
  checkBox({ nIn: [nIn, nIn], nOut }, 'bestOutputFor');
  const info = metricInfo(metric);
  const hi = Math.min(nOut[1], contextOutLimit(nIn, energy.maxPositions), contextOutLimit(nIn, memoryPositions(energy)));
  if (hi < nOut[0]) {
    throw new SweetspotInputError(`bestOutputFor: nIn ${nIn} leaves no output length of ${nOut[0]}..${nOut[1]} within ${limitsText(energy)}`);
  }
  searchSize(energy, { nIn: [nIn, nIn], nOut: [nOut[0], hi] });
  const row = rowExtremes(energy, info.basis, nIn, nOut[0], hi, emptyRowExtremes(), new RowScratch());
  // `relative` is relative to this row's best here: the row is the whole box.
  return point(energy, metric, { nIn, nOut: row.bestOut, cost: row.bestCost }, row.bestCost);
}
