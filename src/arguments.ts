import { SweetspotInputError } from './errors.js';

/**
 * What a value is, for a message: `undefined`, `null`, `an array`, `a function`, `an object`,
 * `a number (NaN)`, `a string ('x')`.
 *
 * @example
 * kindOf([]) // 'an array'
 * kindOf(NaN) // 'a number (NaN)'
 */
export function kindOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  const shown = String(value);
  return `a ${typeof value} (${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown})`;
}

/**
 * A value from outside for a message, as JSON up to 60 characters, else its start and length, or
 * its kind ({@link kindOf}) where JSON cannot write it. Never fails, whatever the value:
 * `JSON.stringify` throws on a BigInt or a cycle (a caller's object), overflows the stack on arrays
 * nested 10⁵ deep (a config.json under 1 MiB holds them), and writes a symbol or a function as
 * `undefined`; and a long value would fill the message.
 *
 * @example
 * shownValue('x'.repeat(100)) // '"xxxx…xxx… (102 characters)' (60 characters of the JSON text)
 * shownValue(4096n) // 'a bigint (4096)'
 * shownValue(NaN) // 'NaN'
 */
export function shownValue(value: unknown): string {
  // JSON writes NaN and ±Infinity as null and drops the sign of −0: a number is shown as itself.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) return kindOf(value);
  return text.length <= 60 ? text : `${text.slice(0, 60)}… (${text.length} characters)`;
}

/** The kinds {@link checkShape} knows; a trailing `?` makes a field optional (absent or `undefined`). */
type FieldKind = 'number' | 'finite' | 'string' | 'boolean' | 'function' | 'object' | 'array' | 'array-like';
/** Field name → kind (`'number'`, `'string?'`, …) for {@link checkShape}. */
export type Shape = Readonly<Record<string, FieldKind | `${FieldKind}?`>>;

const IS: Record<FieldKind, (v: unknown) => boolean> = {
  // Infinity is a number here (`maxPositions: Infinity` means no limit); NaN never is.
  number: (v) => typeof v === 'number' && !Number.isNaN(v),
  finite: (v) => typeof v === 'number' && Number.isFinite(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  function: (v) => typeof v === 'function',
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  'array-like': (v) => (Array.isArray(v) || ArrayBuffer.isView(v)) && typeof (v as ArrayLike<unknown>).length === 'number',
};

const EXPECTED: Record<FieldKind, string> = {
  number: 'a number',
  finite: 'a finite number',
  string: 'a string',
  boolean: 'true or false',
  function: 'a function',
  object: 'an object',
  array: 'an array',
  'array-like': 'an array or typed array',
};

/**
 * `value` when it is a plain object (not `null`, not an array), else an error naming the argument.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkObject('createAdvisor(energy)', null) // throws: createAdvisor(energy): expected an object, got null
 */
export function checkObject<T>(where: string, value: T): T {
  if (!IS.object(value)) throw new SweetspotInputError(`${where}: expected an object, got ${kindOf(value)}`);
  return value;
}

/**
 * `value` when it is an array, else an error naming the argument.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkArray('parsePins(pins)', 'a=1') // throws: parsePins(pins): expected an array, got a string (a=1)
 */
export function checkArray<T>(where: string, value: T): T {
  if (!Array.isArray(value)) throw new SweetspotInputError(`${where}: expected an array, got ${kindOf(value)}`);
  return value;
}

/**
 * `value` when it is a finite number, else an error naming the argument.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkFinite('priorReport(value)', NaN) // throws: priorReport(value): expected a finite number, got a number (NaN)
 */
export function checkFinite(where: string, value: unknown): number {
  if (!IS.finite(value)) throw new SweetspotInputError(`${where}: expected a finite number, got ${kindOf(value)}`);
  return value as number;
}

/**
 * `value` when it is a function, else an error naming the argument.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkFunction('eachCsvRecord(visit)', undefined) // throws
 */
export function checkFunction<T>(where: string, value: T): T {
  if (typeof value !== 'function') throw new SweetspotInputError(`${where}: expected a function, got ${kindOf(value)}`);
  return value;
}

/**
 * `value` when it is an object whose fields have the kinds `shape` lists, else an error naming the
 * argument, `what` it should be, and every field that is missing or of the wrong kind. A shallow
 * check in O(fields): it stops a value of the wrong type at the entry, with a message instead of a
 * TypeError deep inside; it does not validate the values themselves (the schemas do that).
 *
 * @param what what a good value is and where it comes from, e.g. `a SurfaceEnergy (from surfaceEnergy)`.
 * @throws {SweetspotInputError} naming `where` and the bad fields.
 * @example
 * checkShape('memoryText(memory)', { availableBytes: 8e10 }, 'a MemoryLimit', { availableBytes: 'finite', gpus: 'finite' })
 * // throws: memoryText(memory): expected a MemoryLimit: gpus must be a finite number, got undefined
 */
export function checkShape<T>(where: string, value: T, what: string, shape: Shape): T {
  if (!IS.object(value)) throw new SweetspotInputError(`${where}: expected ${what}, got ${kindOf(value)}`);
  const bad: string[] = [];
  for (const field in shape) {
    const spec = shape[field];
    const optional = spec.endsWith('?');
    const kind = (optional ? spec.slice(0, -1) : spec) as FieldKind;
    const v = (value as Record<string, unknown>)[field];
    if ((optional && v === undefined) || IS[kind](v)) continue;
    bad.push(`${field} must be ${EXPECTED[kind]}, got ${kindOf(v)}`);
  }
  if (bad.length > 0) throw new SweetspotInputError(`${where}: expected ${what}: ${bad.join('; ')}`, bad.map((b) => `${where}: ${b}`));
  return value;
}

/** Longest label {@link checkWhere} passes whole. */
const MAX_LABEL_CHARS = 100;

/**
 * A caller's label for messages: `where` itself when it is a string of at most 100 characters, a
 * longer one cut to its start and length, and an error naming the function for anything else. The
 * label goes into every message the function writes: a symbol or an object without a prototype
 * would throw a TypeError where a message template meets it, and a long text fill the message.
 *
 * @throws {SweetspotInputError} naming `fn(where)`.
 * @example
 * checkWhere('checkBox', 'estimate(box)') // 'estimate(box)'
 * checkWhere('checkBox', Symbol('s')) // throws: checkBox(where): expected a string label, got a symbol (Symbol(s))
 */
export function checkWhere(fn: string, where: unknown): string {
  if (typeof where !== 'string') throw new SweetspotInputError(`${fn}(where): expected a string label, got ${shownValue(where)}`);
  return where.length <= MAX_LABEL_CHARS ? where : `${where.slice(0, MAX_LABEL_CHARS)}… (${where.length} characters)`;
}
