import { editDistance } from '../edit-distance.js';

/**
 * The characters of a name {@link nearestNames} compares (the rest of a longer name is ignored).
 *
 * @example
 * NEAREST_MAX_CHARS // 128
 */
export const NEAREST_MAX_CHARS = 128;

/**
 * The `count` candidates closest to `name` by {@link editDistance}, nearest first (ties keep the
 * candidates' order), so that an error can say what the user probably meant.
 *
 * @example
 * nearestNames('lama-3-8b', ['llama-3-8b', 'gemma-7b', 'opt-1.3b'], 2) // ['llama-3-8b', 'gemma-7b']
 */
export function nearestNames(name: string, candidates: readonly string[], count = 3): string[] {
  // The distance costs |name| × |candidate| steps: a megabyte-long name took seconds. Past a few
  // times the longest id no suggestion is meaningful, so only the start of such a name is compared.
  const start = name.slice(0, NEAREST_MAX_CHARS);
  return candidates
    .map((candidate, index) => ({ candidate, index, distance: editDistance(start, candidate) }))
    .sort((x, y) => x.distance - y.distance || x.index - y.index)
    .slice(0, count)
    .map((x) => x.candidate);
}
