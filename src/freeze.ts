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
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}
