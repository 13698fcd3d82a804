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
  const s = String(text);
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

/** Formats zod issues as `where: path: message` lines. */
export function formatZodIssues(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    return `${where}: ${path}: ${issue.message}`;
  });
}

/** Parses `value` with `schema`, or throws a {@link SweetspotInputError} naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
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
