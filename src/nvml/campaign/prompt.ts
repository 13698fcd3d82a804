import { SweetspotInputError } from '../../errors.js';
import { mulberry32 } from '../../prng.js';
import { CAMPAIGN_LIMITS } from './limits.js';
import { shownValue } from '../../arguments.js';

/** Token ids used for synthetic prompts; ordinary vocabulary of most tokenizers, no special ids. */
export const DEFAULT_TOKEN_ID_RANGE: readonly [number, number] = [1000, 20000];

/**
 * A prompt of exactly `nIn` token ids drawn from `[minId, maxId)`. Sending ids (not text) makes
 * the prompt length exact; a different `seed` per request keeps the server's prefix cache from
 * reusing an earlier prompt, which would hide the prefill energy.
 *
 * @example
 * ```ts
 * promptTokenIds(4, 7); // → four ids in [1000, 20000), the same for seed 7 every time
 * ```
 */
export function promptTokenIds(nIn: number, seed: number, range: readonly [number, number] = DEFAULT_TOKEN_ID_RANGE): number[] {
  if (!Number.isSafeInteger(nIn) || nIn < 1 || nIn > CAMPAIGN_LIMITS.lengthTokens) {
    throw new SweetspotInputError(`prompt length must be an integer from 1 to ${CAMPAIGN_LIMITS.lengthTokens} (CAMPAIGN_LIMITS.lengthTokens), got ${shownValue(nIn)}`);
  }
  // A seed from outside: mulberry32 takes any number to 32 bits, but a BigInt throws a TypeError there.
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new SweetspotInputError(`promptTokenIds(seed): expected a finite number, got ${shownValue(seed)}`);
  if (!Array.isArray(range) || range.length !== 2) throw new SweetspotInputError(`token id range must be [min, max), got ${shownValue(range)}`);
  const [minId, maxId] = range;
  if (!Number.isSafeInteger(minId) || !Number.isSafeInteger(maxId) || minId < 0 || maxId <= minId) {
    throw new SweetspotInputError(`token id range must be integers 0 ≤ min < max, got [${shownValue(minId)}, ${shownValue(maxId)})`);
  }
  const next = mulberry32(seed);
  return Array.from({ length: nIn }, () => minId + Math.floor(next() * (maxId - minId)));
}

/** Mixes the numbers of a request into one 32-bit seed (FNV-1a over their decimal text). */
export function requestSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join(':')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
