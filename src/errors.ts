import type { z } from 'zod';

const INPUT_ERROR_BRAND = Symbol.for('sweetspot.SweetspotInputError');
const MEMORY_ERROR_BRAND = Symbol.for('sweetspot.SweetspotMemoryError');

/**
 * Raised for any bad input: an argument, a field of a file, a row of measurements. The message
 * names what was wrong and what is allowed; `issues` lists every problem found, not just the first.
 *
 * @example
 * try { estimate('llama-3.1-8b', { nIn: 0, nOut: 5 }); }
 * catch (e) { if (e instanceof SweetspotInputError) console.error(e.message, e.issues); }
 * @category Errors
 */
export class SweetspotInputError extends Error {
  readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = [message]) {
    super(message);
    this.name = 'SweetspotInputError';
    this.issues = issues;
    Object.defineProperty(this, INPUT_ERROR_BRAND, { value: true });
  }

  /**
   * The CJS builds of `sweetspot` and `sweetspot/nvml` each carry their own copy of this class, so
   * plain prototype checks would fail across the two entries: the base class recognises its
   * instances by a registry-wide symbol instead. Subclasses keep the ordinary check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SweetspotInputError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[INPUT_ERROR_BRAND] === true;
  }
}

/**
 * A name or text from the caller, quoted for an error message: as given up to `max` characters,
 * else its start and its length, so that a megabyte-long model name gives a one-line message
 * instead of echoing the megabyte.
 *
 * @example
 * quoteInput('llama-3.1-8x') // "'llama-3.1-8x'"
 * quoteInput('x'.repeat(1e6)) // "'xxxx…' (1000000 characters)"
 */
export function quoteInput(text: unknown, max = 100): string {
  let s: string;
  try {
    s = String(text);
  } catch {
    // An object without toString (Object.create(null)) or whose toString throws.
    s = Object.prototype.toString.call(text);
  }
  return s.length <= max ? `'${s}'` : `'${s.slice(0, max)}…' (${s.length} characters)`;
}

/**
 * `value` when it is a string, else an error naming the argument (a number or `null` would fail
 * inside as a TypeError).
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkString('preset(id)', 'llama-3.1-8b') // 'llama-3.1-8b'
 */
export function checkString(where: string, value: unknown): string {
  if (typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new SweetspotInputError(`${where}: expected a string, got ${got}`);
  }
  return value;
}

/**
 * Bounds on what one error from a schema lists (docs/energy-models.md#limits-on-untrusted-input): a calibration
 * file of 16 MiB may hold a million bad values, whose issues joined made an 86 MB message, and a
 * hundred thousand unknown keys made one issue of 1 MB.
 * - `issues`: issues listed; the rest are counted in a last line (`… and 999980 more`).
 * - `issueChars`: characters of one issue; a longer one is cut and its length given.
 *
 * @example
 * SCHEMA_ISSUE_LIMITS.issues // 20
 */
export const SCHEMA_ISSUE_LIMITS = Object.freeze({ issues: 20, issueChars: 300 });

/**
 * Formats zod issues as `where: path: message` lines: the first {@link SCHEMA_ISSUE_LIMITS}`.issues`,
 * each cut to `issueChars`, then `where: … and N more` when there are more.
 *
 * @example
 * formatZodIssues(z.object({ a: z.number() }).safeParse({ a: 'x' }).error!, 'thing') // ['thing: a: Invalid input: expected number, received string']
 */
export function formatZodIssues(error: z.ZodError, where: string): string[] {
  const { issues: shown, issueChars } = SCHEMA_ISSUE_LIMITS;
  const lines = error.issues.slice(0, shown).map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    const line = `${where}: ${path}: ${issue.message}`;
    return line.length <= issueChars ? line : `${line.slice(0, issueChars)}… (${line.length} characters)`;
  });
  const more = error.issues.length - shown;
  return more > 0 ? [...lines, `${where}: … and ${more} more`] : lines;
}

/**
 * Parses `value` with `schema`, or throws a {@link SweetspotInputError} naming the bad fields (the
 * first {@link SCHEMA_ISSUE_LIMITS}`.issues`, and how many more).
 *
 * @throws {SweetspotInputError} naming `where` and the fields; also when zod itself overflows the
 *   stack on the value (about 10⁵ bad elements of an array nested in another did).
 * @example
 * parseWith(z.object({ a: z.number() }), { a: 1 }, 'thing') // { a: 1 }
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  let result;
  try {
    result = schema.safeParse(value);
  } catch (error) {
    // zod gathers the issues of nested arrays with push(...issues): past ~10⁵ issues the
    // arguments overflow the stack. Only the value's size or depth can cause it.
    if (error instanceof RangeError) throw new SweetspotInputError(`${where}: too large or too deeply nested to check (${error.message})`);
    throw error;
  }
  if (result.success) return result.data;
  const issues = formatZodIssues(result.error, where);
  throw new SweetspotInputError(issues.join('; '), issues);
}

/**
 * Raised when a request does not fit in the memory of the GPUs it is said to run on: the weights
 * and the KV cache it holds at its last step (docs/energy-models.md#memory). A
 * {@link SweetspotInputError}, with the figures as fields.
 *
 * @example
 * try { estimate('llama-3.1-8b', { nIn: 4096, nOut: 64, batch: 128 }); }
 * catch (e) { if (e instanceof SweetspotMemoryError) console.log(e.neededBytes / 1e9, e.availableBytes / 1e9); } // 85.8 80
 * @category Errors
 */
export class SweetspotMemoryError extends SweetspotInputError {
  /** Weights plus KV cache, bytes. */
  readonly neededBytes: number;
  /** Memory of the GPUs the request spans, bytes. */
  readonly availableBytes: number;
  /** GPUs the request spans. */
  readonly gpus: number;
  constructor(message: string, neededBytes: number, availableBytes: number, gpus: number) {
    super(message);
    this.name = 'SweetspotMemoryError';
    this.neededBytes = neededBytes;
    this.availableBytes = availableBytes;
    this.gpus = gpus;
    Object.defineProperty(this, MEMORY_ERROR_BRAND, { value: true });
  }

  /** Recognised across the CJS copies of the entries, as {@link SweetspotInputError} is. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SweetspotMemoryError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MEMORY_ERROR_BRAND] === true;
  }
}
