import { SweetspotInputError } from '../../errors.js';
import { CAMPAIGN_LIMITS } from './limits.js';
import { shownValue } from '../../arguments.js';

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
export const pointKey = (nIn: number, nOut: number): string => {
  // A symbol or an object without a prototype would throw a TypeError in the template.
  if (typeof nIn !== 'number' || typeof nOut !== 'number') {
    throw new SweetspotInputError(`pointKey(nIn, nOut): expected two token counts, got ${shownValue(nIn)} and ${shownValue(nOut)}`);
  }
  return `${nIn}x${nOut}`;
};

function lengths(name: string, values: readonly number[]): number[] {
  if (!Array.isArray(values) || values.length === 0) throw new SweetspotInputError(`${name} must list at least one length`);
  for (const v of values) {
    if (!Number.isSafeInteger(v) || v < 1 || v > CAMPAIGN_LIMITS.lengthTokens) {
      throw new SweetspotInputError(`${name} must hold integers from 1 to ${CAMPAIGN_LIMITS.lengthTokens} (CAMPAIGN_LIMITS.lengthTokens), got ${shownValue(v)}`);
    }
  }
  // Duplicates would double a point's repeats silently: drop them, keeping the order given.
  return [...new Set(values)];
}

/** The distinct lengths of a plan, checked, with its repeats, within `CAMPAIGN_LIMITS.requests`. */
function checkedPlan(nIn: readonly number[], nOut: readonly number[], repeats: number): { nIn: number[]; nOut: number[]; total: number } {
  if (!Number.isSafeInteger(repeats) || repeats < 1) throw new SweetspotInputError(`repeats must be an integer ≥ 1, got ${shownValue(repeats)}`);
  const ins = lengths('nIn', nIn);
  const outs = lengths('nOut', nOut);
  const total = ins.length * outs.length * repeats;
  if (total > CAMPAIGN_LIMITS.requests) {
    throw new SweetspotInputError(
      `the plan has ${total} requests (${ins.length} prompt lengths × ${outs.length} output lengths × ${repeats} repeats), more than the limit of ${CAMPAIGN_LIMITS.requests} (CAMPAIGN_LIMITS.requests): split it into campaigns`,
    );
  }
  return { nIn: ins, nOut: outs, total };
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
  const plan = checkedPlan(nIn, nOut, repeats);
  const points: CampaignPoint[] = [];
  for (const i of plan.nIn) {
    for (const o of plan.nOut) {
      for (let r = (done.get(pointKey(i, o)) ?? 0) + 1; r <= repeats; r++) points.push({ nIn: i, nOut: o, repeat: r });
    }
  }
  return points;
}

/**
 * Number of requests in the full grid (duplicate lengths count once).
 *
 * @throws {SweetspotInputError} for lengths or repeats that are not whole numbers in range, or a
 * plan over `CAMPAIGN_LIMITS.requests`.
 * @example
 * ```ts
 * gridSize([64, 256, 1024], [64, 256], 3); // → 18
 * ```
 */
export function gridSize(nIn: readonly number[], nOut: readonly number[], repeats: number): number {
  return checkedPlan(nIn, nOut, repeats).total;
}
