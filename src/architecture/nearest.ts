/**
 * Levenshtein distance: single-character insertions, deletions and substitutions that turn `a`
 * into `b`.
 *
 * @example
 * editDistance('llama-2-7', 'llama-2-7b') // 1
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

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
