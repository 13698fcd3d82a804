/**
 * The per-point helpers of the surface layer as `sweetspot/surface` exports them: each checks its
 * arguments, then calls the unchecked function that the row scans, searches and plots call per
 * point (docs/surface.md). A string, a BigInt or a symbol would otherwise come back as NaN or a
 * TypeError.
 */
import { shownValue } from '../arguments.js';
import { SweetspotInputError, quoteInput } from '../errors.js';
import * as metrics from './metrics.js';
import type { CostBasis } from './metrics.js';
import * as region from './grid/region.js';
import * as box from './search/box.js';
import * as colormap from './plot/colormap.js';
import * as energies from './energy/energy.js';
import { checkShape } from '../arguments.js';

const BASES: readonly CostBasis[] = ['request', 'output-token', 'token'];

function checkCount(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SweetspotInputError(`${fn}(${name}): expected an integer ≥ 0 (tokens), got ${shownValue(value)}`);
  }
}

/**
 * Energy cost of one request under a basis: `E`, `E/o` or `E/(i+o)` (docs/surface.md#metrics).
 *
 * @throws {SweetspotInputError} on an unknown basis, an energy that is not a finite number, token
 *   counts that are not integers ≥ 0, or no token to divide by.
 * @example
 * costOf('token', 300, 100, 200) // 1 (J per token)
 */
export function costOf(basis: CostBasis, energyJ: number, nIn: number, nOut: number): number {
  if (!BASES.includes(basis)) throw new SweetspotInputError(`costOf(basis): must be one of ${BASES.join(', ')}, got ${typeof basis === 'string' ? quoteInput(basis) : shownValue(basis)}`);
  if (typeof energyJ !== 'number' || !Number.isFinite(energyJ)) throw new SweetspotInputError(`costOf(energyJ): expected a finite number, got ${shownValue(energyJ)}`);
  checkCount('costOf', 'nIn', nIn);
  checkCount('costOf', 'nOut', nOut);
  if (basis === 'output-token' && nOut === 0) throw new SweetspotInputError(`costOf(nOut): the 'output-token' basis divides by nOut, got 0`);
  if (basis === 'token' && nIn + nOut === 0) throw new SweetspotInputError(`costOf(nIn, nOut): the 'token' basis divides by nIn + nOut, got 0 tokens`);
  return metrics.costOf(basis, energyJ, nIn, nOut);
}

/**
 * The cost threshold of a region: a point is in it when its energy cost is at most
 * `(1 + X/100)` times the best cost — for tokens per joule and relative efficiency, when its value
 * is at least the best divided by `(1 + X/100)` (docs/surface.md).
 *
 * @throws {SweetspotInputError} when `bestValue` is not a finite number, `withinPercent` not a
 *   finite number ≥ 0, or `higherIsBetter` not a boolean.
 * @example
 * regionThreshold(0.2, 10, false) // ≈ 0.22
 */
export function regionThreshold(bestValue: number, withinPercent: number, higherIsBetter: boolean): number {
  if (typeof bestValue !== 'number' || !Number.isFinite(bestValue)) throw new SweetspotInputError(`regionThreshold(bestValue): expected a finite number, got ${shownValue(bestValue)}`);
  region.checkWithinPercent(withinPercent, 'regionThreshold(withinPercent)');
  if (typeof higherIsBetter !== 'boolean') throw new SweetspotInputError(`regionThreshold(higherIsBetter): expected a boolean, got ${shownValue(higherIsBetter)}`);
  const threshold = region.regionThreshold(bestValue, withinPercent, higherIsBetter);
  if (!Number.isFinite(threshold)) throw new SweetspotInputError(`regionThreshold: the threshold overflows (${shownValue(threshold)}): bestValue ${shownValue(bestValue)} is too large`);
  return threshold;
}

/**
 * The highest nOut of a row that fits the context: `nIn + nOut − 1 ≤ maxPositions`
 * (`Infinity` when `maxPositions` is).
 *
 * @throws {SweetspotInputError} when `nIn` is not an integer ≥ 0 or `maxPositions` not an integer ≥ 0 or `Infinity`.
 * @example
 * contextOutLimit(8000, 8192) // 193
 */
export function contextOutLimit(nIn: number, maxPositions: number): number {
  checkCount('contextOutLimit', 'nIn', nIn);
  if (maxPositions !== Infinity) checkCount('contextOutLimit', 'maxPositions', maxPositions);
  return box.contextOutLimit(nIn, maxPositions);
}

function checkFraction(fn: string, t: number): void {
  if (typeof t !== 'number' || Number.isNaN(t)) throw new SweetspotInputError(`${fn}(t): expected a number (0…1, clamped), got ${shownValue(t)}`);
}

/**
 * The viridis colour at `t` ∈ [0, 1] (clamped) as `[r, g, b]` in 0…255.
 *
 * @throws {SweetspotInputError} when `t` is not a number or is NaN.
 * @example
 * viridis(0) // [71, 1, 85]
 */
export function viridis(t: number): [number, number, number] {
  checkFraction('viridis', t);
  return colormap.viridis(t);
}

/**
 * The viridis colour at `t` as `#rrggbb`.
 *
 * @throws {SweetspotInputError} when `t` is not a number or is NaN.
 * @example
 * viridisHex(1) // '#fce721'
 */
export function viridisHex(t: number): string {
  checkFraction('viridisHex', t);
  return colormap.viridisHex(t);
}

/**
 * Throws unless `energyJ` is a finite positive number: a model that predicts 0, a negative or a
 * non-finite energy somewhere must not turn into a silent 0 J/token sweet spot or an infinite
 * tokens-per-joule (docs/surface.md).
 *
 * @throws {SweetspotInputError} for such an energy, or when `energy` has no model name or a length is not a number.
 * @example
 * checkEnergyJ(energy, 12.5, 1024, 256) // fine; checkEnergyJ(energy, 0, 1, 1) throws
 */
export function checkEnergyJ(energy: { readonly model: string }, energyJ: number, nIn: number, nOut: number): void {
  checkShape('checkEnergyJ(energy)', energy, 'a surface energy (from surfaceEnergy)', { model: 'string' });
  if (typeof energyJ !== 'number') throw new SweetspotInputError(`checkEnergyJ(energyJ): expected a number, got ${shownValue(energyJ)}`);
  checkCount('checkEnergyJ', 'nIn', nIn);
  checkCount('checkEnergyJ', 'nOut', nOut);
  energies.checkEnergyJ(energy, energyJ, nIn, nOut);
}
