/**
 * Freezes an object and everything it holds (`Object.freeze` alone is shallow). For built-in data
 * that every caller shares — architecture presets, hardware profiles, the default calibration — so
 * that no caller can change it for the others.
 *
 * @example
 * const table = deepFreeze({ h100: { tdpW: 700 } });
 * table.h100.tdpW = 1; // TypeError in strict mode (ES modules)
 */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  // Children too, even of an object frozen before (its children may not be).
  for (const child of Object.values(value)) deepFreeze(child, seen);
  return value;
}

/**
 * Whether an object and everything it holds are frozen (as {@link deepFreeze} leaves them): such a
 * value cannot change, so what was computed from it may be remembered.
 *
 * @example
 * isDeepFrozen(deepFreeze({ a: { b: 1 } })) // true
 * isDeepFrozen(Object.freeze({ a: { b: 1 } })) // false: the inner object can change
 */
export function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (knownFrozen.has(value)) return true;
  const frozen = frozenThrough(value, new Set());
  // Frozen through cannot change back: remember it (only the value asked about, whose whole walk passed).
  if (frozen) knownFrozen.add(value);
  return frozen;
}

const knownFrozen = new WeakSet<object>();

// An object met again on the walk (a cycle) adds nothing the walk has not checked.
function frozenThrough(value: object, seen: Set<object>): boolean {
  if (seen.has(value)) return true;
  seen.add(value);
  if (!Object.isFrozen(value)) return false;
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !frozenThrough(child, seen)) return false;
  }
  return true;
}

/**
 * Whether two plain data values (what JSON can hold: objects, arrays, strings, numbers, booleans,
 * null; acyclic, as a parsed document is) hold the same content: objects by their own keys
 * whatever their order, arrays element by element, numbers by value. A copy of a built-in profile
 * whose nested keys came back in another order is the same profile.
 *
 * @example
 * sameData({ a: 1, b: { x: 1, y: [2] } }, { b: { y: [2], x: 1 }, a: 1 }) // true
 * sameData([1, 2], [2, 1]) // false
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    if (a.length !== list.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], list[i])) return false;
    return true;
  }
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const k of keysA) {
    if (!Object.hasOwn(b, k) || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
