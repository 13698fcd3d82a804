import { type SurfaceEnergy, checkEnergyJ } from '../energy/energy.js';
import { type CostBasis, costOf } from '../metrics.js';

/**
 * Searches along one row of a box (fixed nIn, nOut over the integers lo…hi): the cheapest and the
 * dearest output length, and the runs of output lengths whose cost is at most a threshold. Costs
 * are lower-is-better ({@link CostBasis}); ties go to the smaller nOut, as a row-major scan would.
 *
 * Three paths: closed forms when the energy is the SweetSpot polynomial (a handful of evaluations
 * per row); bisection when every row is convex in o (the hardware form, docs/surface.md: about
 * forty evaluations per row); an exact scan of every integer otherwise (user formulas).
 */

/**
 * Reusable result of {@link rowExtremes} (filled in place, so a box search allocates nothing per row).
 *
 * @example
 * const row: RowExtremes = rowExtremes(energy, 'output-token', 1024, 64, 4096, emptyRowExtremes(), new RowScratch());
 * row.bestOut // the cheapest output length for a 1024-token prompt
 */
export interface RowExtremes {
  bestOut: number;
  bestCost: number;
  worstOut: number;
  worstCost: number;
}

/**
 * A fresh {@link RowExtremes} record.
 *
 * @example
 * const row = emptyRowExtremes(); // reuse it for every row of a search
 */
export function emptyRowExtremes(): RowExtremes {
  return { bestOut: 0, bestCost: Infinity, worstOut: 0, worstCost: -Infinity };
}

/** Output lengths a scan evaluates at a time: a wide row never needs a wide buffer. */
const CHUNK = 4096;

/**
 * Scratch space for scans: a ramp of consecutive output lengths and their energies, one chunk of
 * 4096 at a time, allocated once per search and reused for every row.
 *
 * @example
 * const scratch = new RowScratch();
 * rowExtremes(energy, 'output-token', 1024, 64, 4096, emptyRowExtremes(), scratch);
 */
export class RowScratch {
  readonly ramp = new Int32Array(CHUNK);
  readonly energyJ = new Float64Array(CHUNK);
  private rampFrom = -1;

  /** Makes `ramp[k] = from + k` for the chunk starting at `from` (skipped when it already holds that). */
  prepare(from: number): void {
    if (this.rampFrom === from) return;
    for (let k = 0; k < CHUNK; k++) this.ramp[k] = from + k;
    this.rampFrom = from;
  }

  /**
   * Energies of row `i` for nOut = lo…hi, chunk by chunk: `visit(o0, count)` sees
   * `energyJ[k]` = E(i, o0 + k) for k < count.
   */
  scan(energy: SurfaceEnergy, i: number, lo: number, hi: number, visit: (o0: number, count: number) => void): void {
    for (let o0 = lo; o0 <= hi; o0 += CHUNK) {
      const count = Math.min(CHUNK, hi - o0 + 1);
      this.prepare(o0);
      energy.fillRowJ(i, this.ramp, 0, count, this.energyJ, 0);
      visit(o0, count);
    }
  }
}

/** The i-only part C(i) and the slope s(i) of the polynomial along a row: E(o) = C + (θ4·o + s)·o. */
function rowParts(theta: readonly number[], i: number): { c: number; s: number; d: number } {
  const [a, b, c, d, e, f] = theta;
  return { c: (a * i + b) * i + f, s: c * i + e, d };
}

/**
 * The real output length minimising the cost along a row of the polynomial (`NaN` when the cost is
 * monotone, so that only the ends are candidates). Per output token: o* = √(C/θ4); per token:
 * o* = −i + √(i² + (C − s·i)/θ4); per request the energy only grows with o.
 */
function continuousArgmin(basis: CostBasis, theta: readonly number[], i: number): number {
  const { c, s, d } = rowParts(theta, i);
  if (basis === 'request' || !(d > 0)) return NaN;
  if (basis === 'output-token') return Math.sqrt(c / d);
  const radicand = i * i + (c - s * i) / d;
  return radicand >= 0 ? -i + Math.sqrt(radicand) : NaN;
}

/** The cost at one point, refusing an energy that is not finite and positive (e.g. a polynomial that overflows). */
function cost(energy: SurfaceEnergy, basis: CostBasis, i: number, o: number): number {
  const e = energy.energyJ(i, o);
  if (!(e > 0 && e < Infinity)) checkEnergyJ(energy, e, i, o);
  return costOf(basis, e, i, o);
}

function polynomialExtremes(energy: SurfaceEnergy, basis: CostBasis, i: number, lo: number, hi: number, out: RowExtremes): void {
  // Along a row every cost is quasi-convex in o (a convex or monotone numerator over a positive
  // affine denominator): the integer minimum is next to the real one, the maximum at an end.
  let bestOut = lo;
  let bestCost = cost(energy, basis, i, lo);
  const consider = (o: number) => {
    if (o <= lo || o > hi) return;
    const v = cost(energy, basis, i, o);
    if (v < bestCost || (v === bestCost && o < bestOut)) {
      bestCost = v;
      bestOut = o;
    }
  };
  const x = continuousArgmin(basis, energy.polynomial!, i);
  if (Number.isFinite(x)) {
    const f = Math.floor(x);
    for (let o = f - 1; o <= f + 2; o++) consider(o);
  }
  consider(hi);
  const hiCost = hi === lo ? bestCost : cost(energy, basis, i, hi);
  const loCost = cost(energy, basis, i, lo);
  out.bestOut = bestOut;
  out.bestCost = bestCost;
  if (hiCost > loCost) {
    out.worstOut = hi;
    out.worstCost = hiCost;
  } else {
    out.worstOut = lo;
    out.worstCost = loCost;
  }
}

/** Half-width of the exact check around the minimum that bisection finds on a convex row. */
const SETTLE = 4;

/**
 * First o in [a, b] where `pred` holds, for a predicate that is false then true along the row
 * (bisection: ⌈log2(b − a + 1)⌉ evaluations); b when it never holds before b.
 */
export function firstTrue(a: number, b: number, pred: (o: number) => boolean): number {
  while (a < b) {
    const mid = a + ((b - a) >> 1);
    if (pred(mid)) b = mid;
    else a = mid + 1;
  }
  return a;
}

/**
 * {@link firstTrue} started from a guess `hint` (the previous row's answer, which moves little
 * from row to row): steps of 1, 2, 4, … away from it bracket the answer, then bisection; a few
 * evaluations when the guess is close, about twice log2(b − a) at worst.
 */
export function firstTrueNear(a: number, b: number, hint: number, pred: (o: number) => boolean): number {
  if (!(hint >= a && hint <= b)) return firstTrue(a, b, pred);
  if (pred(hint)) {
    // The answer is at or below the guess.
    let top = hint;
    for (let step = 1; ; step *= 2) {
      if (top === a) return a;
      const probe = Math.max(a, hint - step);
      if (!pred(probe)) return firstTrue(probe + 1, top, pred);
      top = probe;
    }
  }
  // The answer is above the guess.
  let bottom = hint + 1;
  for (let step = 1; ; step *= 2) {
    const probe = Math.min(b, hint + step);
    if (probe === b || pred(probe)) return firstTrue(bottom, probe, pred);
    bottom = probe + 1;
  }
}

/**
 * Extremes of a row whose energy is convex and nondecreasing in o (docs/surface.md). Then
 * E/o and E/(i + o) fall and then rise (o·E′ − E has derivative o·E″ ≥ 0, so it changes sign
 * once), and E itself only rises: the cheapest o is where the forward difference of the cost
 * turns ≥ 0, found by bisection and settled by exact evaluation of its neighbours (rounding can
 * ripple a flat bottom by an ulp); the dearest is at an end of the row.
 */
function convexExtremes(energy: SurfaceEnergy, basis: CostBasis, i: number, lo: number, hi: number, out: RowExtremes): void {
  const at = (o: number) => cost(energy, basis, i, o);
  // A search over a box reuses `out` row after row: its best output is this row's first guess.
  const hint = out.bestOut;
  let bestOut = lo;
  let bestCost = at(lo);
  const loCost = bestCost;
  if (basis !== 'request' && hi > lo) {
    const turn = firstTrueNear(lo, hi, hint, (o) => o === hi || at(o + 1) >= at(o));
    // The scan's tie rule: the smallest o among equal costs.
    bestCost = Infinity;
    const from = Math.max(lo, turn - SETTLE);
    const to = Math.min(hi, turn + SETTLE);
    for (let o = from; o <= to; o++) {
      const v = o === lo ? loCost : at(o);
      if (v < bestCost) {
        bestCost = v;
        bestOut = o;
      }
    }
    if (from > lo && loCost <= bestCost) {
      bestCost = loCost;
      bestOut = lo;
    }
  }
  const hiCost = hi === lo ? loCost : at(hi);
  out.bestOut = bestOut;
  out.bestCost = bestCost;
  if (hiCost > loCost) {
    // The scan reports the first o reaching the highest cost: the cost rises from the best to hi,
    // so that is hi itself unless the top is flat (then bisection finds where the flat begins).
    out.worstOut = hi - 1 <= bestOut || at(hi - 1) < hiCost ? hi : firstTrue(bestOut, hi, (o) => at(o) >= hiCost);
    out.worstCost = hiCost;
  } else {
    out.worstOut = lo;
    out.worstCost = loCost;
  }
}

function scanExtremes(energy: SurfaceEnergy, basis: CostBasis, i: number, lo: number, hi: number, out: RowExtremes, scratch: RowScratch): void {
  let bestCost = Infinity;
  let worstCost = -Infinity;
  let bestOut = lo;
  let worstOut = lo;
  const e = scratch.energyJ;
  scratch.scan(energy, i, lo, hi, (o0, count) => {
    for (let k = 0; k < count; k++) {
      const o = o0 + k;
      if (!(e[k] > 0 && e[k] < Infinity)) checkEnergyJ(energy, e[k], i, o);
      const v = costOf(basis, e[k], i, o);
      if (v < bestCost) {
        bestCost = v;
        bestOut = o;
      }
      if (v > worstCost) {
        worstCost = v;
        worstOut = o;
      }
    }
  });
  out.bestOut = bestOut;
  out.bestCost = bestCost;
  out.worstOut = worstOut;
  out.worstCost = worstCost;
}

/**
 * Cheapest and dearest nOut in lo…hi (lo ≤ hi) for input length `i`, written into `out`.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per row of a search, on an energy the search checked. It checks
 * nothing; junk fails inside it.
 * @example
 * rowExtremes(energy, 'output-token', 1024, 64, 4096, emptyRowExtremes(), new RowScratch()).bestOut
 */
export function rowExtremes(
  energy: SurfaceEnergy,
  basis: CostBasis,
  i: number,
  lo: number,
  hi: number,
  out: RowExtremes,
  scratch: RowScratch,
): RowExtremes {
  if (energy.polynomial) polynomialExtremes(energy, basis, i, lo, hi, out);
  else if (energy.convexRows) convexExtremes(energy, basis, i, lo, hi, out);
  else scanExtremes(energy, basis, i, lo, hi, out, scratch);
  return out;
}

/**
 * Calls `emit(oLo, oHi)` for each maximal run of output lengths in lo…hi whose cost is ≤
 * `threshold`, in increasing order. For the polynomial the run is one interval found from the
 * roots of a quadratic and then checked at its integer ends with the same evaluation as a scan;
 * for a convex row it is one interval whose ends are found by bisection.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per row of a search, on an energy the search checked. It checks
 * nothing; junk fails inside it.
 * @example
 * rowRuns(energy, 'output-token', 1024, 64, 4096, 1.1 * best, new RowScratch(), (a, b) => console.log(a, b));
 */
export function rowRuns(
  energy: SurfaceEnergy,
  basis: CostBasis,
  i: number,
  lo: number,
  hi: number,
  threshold: number,
  scratch: RowScratch,
  emit: (oLo: number, oHi: number) => void,
): void {
  if (energy.convexRows && !energy.polynomial) {
    // A convex row's cost is unimodal: the run is one interval around the cheapest point, its
    // ends found by bisection on each side.
    // The bisection alone locates the bottom; any point of the run serves as the split.
    const inside = (o: number) => cost(energy, basis, i, o) <= threshold;
    const at = (o: number) => cost(energy, basis, i, o);
    // Rows of a box are searched in order and their runs move little: the previous row's answers
    // are the guesses (only guesses: any value gives the same result).
    let split = basis === 'request' ? lo : firstTrueNear(lo, hi, runHints.split, (o) => o === hi || at(o + 1) >= at(o));
    if (!inside(split)) {
      // Only at a tolerance of (nearly) 0, where the run is the settled best point or nothing.
      const ext = polynomialScratch;
      convexExtremes(energy, basis, i, lo, hi, ext);
      if (!(ext.bestCost <= threshold)) return;
      split = ext.bestOut;
    }
    const lower = firstTrueNear(lo, split, runHints.lower, inside);
    const upper = firstTrueNear(split, hi + 1, runHints.upper + 1, (o) => o > hi || !inside(o)) - 1;
    runHints.split = split;
    runHints.lower = lower;
    runHints.upper = upper;
    emit(lower, upper);
    return;
  }
  if (!energy.polynomial) {
    let start = -1;
    const e = scratch.energyJ;
    scratch.scan(energy, i, lo, hi, (o0, count) => {
      for (let k = 0; k < count; k++) {
        const o = o0 + k;
        if (!(e[k] > 0 && e[k] < Infinity)) checkEnergyJ(energy, e[k], i, o);
        const inside = costOf(basis, e[k], i, o) <= threshold;
        if (inside && start < 0) start = o;
        if (!inside && start >= 0) {
          emit(start, o - 1);
          start = -1;
        }
      }
    });
    if (start >= 0) emit(start, hi);
    return;
  }
  const ext = polynomialScratch;
  polynomialExtremes(energy, basis, i, lo, hi, ext);
  if (!(ext.bestCost <= threshold)) return;
  const inside = (o: number) => cost(energy, basis, i, o) <= threshold;
  const m = ext.bestOut;
  const [r1, r2] = quadraticRoots(basis, energy.polynomial, i, threshold);
  let lower = clampInt(Math.ceil(r1), lo, m);
  while (lower > lo && inside(lower - 1)) lower--;
  while (lower < m && !inside(lower)) lower++;
  let upper = clampInt(Math.floor(r2), m, hi);
  while (upper < hi && inside(upper + 1)) upper++;
  while (upper > m && !inside(upper)) upper--;
  emit(lower, upper);
}

const polynomialScratch = emptyRowExtremes();
const runHints = { split: -1, lower: -1, upper: -1 };

function clampInt(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return lo;
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Roots of the quadratic q(o) ≤ 0 equivalent to cost(o) ≤ T along a row (multiplying out the
 * denominator, which is positive): a guess for the integer ends of the run; the ends are then
 * checked by evaluation, so a poor guess only costs a few steps.
 */
function quadraticRoots(basis: CostBasis, theta: readonly number[], i: number, t: number): [number, number] {
  const { c, s, d } = rowParts(theta, i);
  // q(o) = d·o² + p·o + r
  const p = basis === 'request' ? s : s - t;
  const r = basis === 'request' ? c - t : basis === 'output-token' ? c : c - t * i;
  if (d > 0) {
    const disc = p * p - 4 * d * r;
    if (disc < 0) return [NaN, NaN];
    // Stable form: no cancellation between −p and √disc.
    const q = -0.5 * (p + (p >= 0 ? 1 : -1) * Math.sqrt(disc));
    const x1 = q / d;
    const x2 = q !== 0 ? r / q : 0;
    return x1 < x2 ? [x1, x2] : [x2, x1];
  }
  if (p > 0) return [-Infinity, -r / p];
  if (p < 0) return [-r / p, Infinity];
  return [-Infinity, Infinity];
}
