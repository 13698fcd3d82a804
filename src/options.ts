import { editDistance } from './edit-distance.js';
import { SweetspotInputError } from './errors.js';

/**
 * An options argument as given: absent (`undefined`) means every default; anything but a plain
 * object is refused by name. A `null` (what JSON and many callers write for "nothing") would
 * otherwise fail inside as a TypeError, and a string or an array be read as no options at all.
 *
 * @param known the keys the options may have (from {@link optionKeys}); any other is refused by name.
 * @throws {SweetspotInputError} naming `where`, or the unknown key.
 * @example
 * optionsObject('sweetSpot', undefined) // {}
 * optionsObject('sweetSpot', null) // throws: sweetSpot: options must be an object, got null
 */
export function optionsObject<T extends object>(where: string, options: T | undefined, known?: ReadonlySet<string>): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const got = options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options;
    throw new SweetspotInputError(`${where}: options must be an object, got ${got}`);
  }
  if (known !== undefined) checkKeys(`${where} options`, options, known);
  return options;
}

/**
 * The keys an options (or request) type declares, as a set for {@link checkKeys}. The list is
 * checked complete at compile time: leaving out a key the type declares fails to type-check, so the
 * set cannot fall behind the interface.
 *
 * @example
 * const KEYS = optionKeys<{ gpus?: number; form?: string }>()('gpus', 'form');
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(...keys: K & Complete<T, K>): ReadonlySet<string> => new Set(keys);
}

type Complete<T, K extends readonly string[]> = [Exclude<keyof T & string, K[number]>] extends [never] ? unknown : { readonly missingKeys: Exclude<keyof T & string, K[number]> };

/**
 * Refuses a key of `object` that `known` does not list (a key whose value is `undefined` carries
 * nothing and passes). A misspelt or misplaced option — `{ batch: 8 }` among an estimate's options
 * instead of its request — would otherwise be ignored silently and the answer computed without it.
 *
 * @param where what the message names, e.g. `estimate(model, request, options)`.
 * @param elsewhere for keys that belong in another argument: the hint to give, by key.
 * @throws {SweetspotInputError} naming the key, the nearest known key when one is close, and the known keys.
 * @example
 * checkKeys('estimate options', { batch: 8 }, new Set(['gpus']), { batch: 'batch belongs in the request' });
 * // throws: estimate options: unknown key "batch" (batch belongs in the request); known: gpus
 */
export function checkKeys(where: string, object: object, known: ReadonlySet<string>, elsewhere?: Readonly<Record<string, string>>): void {
  for (const key in object) {
    if (known.has(key) || (object as Record<string, unknown>)[key] === undefined) continue;
    const hint = elsewhere !== undefined && Object.hasOwn(elsewhere, key) ? elsewhere[key] : nearestKey(key, known);
    const shown = JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
    throw new SweetspotInputError(`${where}: unknown key ${shown}${hint ? ` (${hint})` : ''}; known: ${[...known].join(', ')}`);
  }
}

/** "did you mean …" for a key within two edits (case aside) of a known one. */
function nearestKey(key: string, known: Iterable<string>): string | undefined {
  const best = nearestName(key, known);
  return best === undefined ? undefined : `did you mean ${best}?`;
}

/**
 * The known name within two edits of `name` (case aside), the closest first; `undefined` when none
 * is that close or `name` is longer than 64 characters (nothing so long is a typo of a key).
 *
 * @example
 * nearestName('repeat', ['repeats', 'seed']) // 'repeats'
 */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}
