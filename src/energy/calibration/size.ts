import { SweetspotInputError } from '../../errors.js';
import { CALIBRATION_LIMITS } from '../limits.js';

/**
 * Refuses a calibration document of more JSON values than {@link CALIBRATION_LIMITS}`.values`
 * (objects, arrays, strings, numbers, … at any depth) before it is parsed or checked: the
 * schema check makes an issue for each bad value, and a 16 MiB file of `"sources": [{}, {}, …]`
 * made three for each of its 5.6 million objects, until the process ran out of memory after
 * 200 s (`"lines": ["", …]` took 15 s and 3.4 GB). A calibration holds a few hundred values;
 * one of a thousand models a few tens of thousands. Text is counted in one pass over its
 * characters (each value is a container or follows a comma); a parsed object is walked without
 * recursion, and the walk stops at the limit (a cyclic object is refused, not walked forever).
 *
 * @throws {SweetspotInputError} naming the limit.
 * @example
 * checkCalibrationSize('{"version": 2}') // passes
 */
export function checkCalibrationSize(document: unknown): void {
  const limit = CALIBRATION_LIMITS.values;
  const count = typeof document === 'string' ? textValues(document, limit) : walkedValues(document, limit);
  if (count > limit) {
    throw new SweetspotInputError(`calibration: more than ${limit} JSON values (CALIBRATION_LIMITS.values); a calibration holds a few hundred, one of a thousand models a few tens of thousands`);
  }
}

/** Values of JSON text, at most `limit + 1`: containers, and the values after commas, outside strings. */
function textValues(text: string, limit: number): number {
  let count = 1;
  let inString = false;
  for (let i = 0; i < text.length && count <= limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 44 || c === 91 || c === 123) count++; // , [ {
  }
  return count;
}

/** Values of a parsed document, at most `limit + 1`: own enumerable keys, as the schema reads them. */
function walkedValues(root: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0 && count <= limit) {
    const value = stack.pop();
    count++;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      // An array's length is read, not its holes: a sparse array of length 2³² costs its length here.
      if (value.length > limit) return limit + 1;
      for (let k = 0; k < value.length; k++) stack.push(value[k]);
    } else for (const key of Object.keys(value)) stack.push((value as Record<string, unknown>)[key]);
  }
  return count;
}
