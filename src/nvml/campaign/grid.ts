import { SweetspotInputError } from '../../errors.js';

/** One request of a campaign: a grid point and which repeat of it (1-based). */
export interface CampaignPoint {
  readonly nIn: number;
  readonly nOut: number;
  readonly repeat: number;
}

/**
 * Key of a grid point in maps of completed counts.
 *
 * @example
 * ```ts
 * pointKey(256, 64); // → '256x64'
 * ```
 */
export const pointKey = (nIn: number, nOut: number): string => `${nIn}x${nOut}`;

function lengths(name: string, values: readonly number[]): number[] {
  if (!Array.isArray(values) || values.length === 0) throw new SweetspotInputError(`${name} must list at least one length`);
  for (const v of values) {
    if (!Number.isSafeInteger(v) || v < 1) throw new SweetspotInputError(`${name} must hold integers ≥ 1, got ${String(v)}`);
  }
  // Duplicates would double a point's repeats silently: drop them, keeping the order given.
  return [...new Set(values)];
}

/**
 * The requests a campaign still has to make: every (nIn, nOut) of the grid `repeats` times, minus
 * those already `done` (counts per {@link pointKey}), in grid order with repeats innermost.
 *
 * @example
 * ```ts
 * remainingPoints([64, 256], [64], 2, new Map([['64x64', 1]]));
 * // → [{ nIn: 64, nOut: 64, repeat: 2 }, { nIn: 256, nOut: 64, repeat: 1 }, { nIn: 256, nOut: 64, repeat: 2 }]
 * ```
 */
export function remainingPoints(
  nIn: readonly number[],
  nOut: readonly number[],
  repeats: number,
  done: ReadonlyMap<string, number> = new Map(),
): CampaignPoint[] {
  if (!Number.isSafeInteger(repeats) || repeats < 1) throw new SweetspotInputError(`repeats must be an integer ≥ 1, got ${String(repeats)}`);
  const points: CampaignPoint[] = [];
  for (const i of lengths('nIn', nIn)) {
    for (const o of lengths('nOut', nOut)) {
      for (let r = (done.get(pointKey(i, o)) ?? 0) + 1; r <= repeats; r++) points.push({ nIn: i, nOut: o, repeat: r });
    }
  }
  return points;
}

/**
 * Number of requests in the full grid (duplicate lengths count once).
 *
 * @example
 * ```ts
 * gridSize([64, 256, 1024], [64, 256], 3); // → 18
 * ```
 */
export function gridSize(nIn: readonly number[], nOut: readonly number[], repeats: number): number {
  return new Set(nIn).size * new Set(nOut).size * repeats;
}
