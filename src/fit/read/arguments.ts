import { kindOf as kindOfValue } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { checkKeys } from '../../options.js';
import type { MeasurementFilter } from '../data/filter.js';
import type { MeasurementDefaults, ReadOptions } from './read.js';

/** What a value is, for a message: the shared wording, with the two kinds the readers are handed by mistake. */
function kindOf(value: unknown): string {
  if (value instanceof Uint8Array) return 'bytes (a Buffer or Uint8Array)';
  if (value instanceof RegExp) return 'a RegExp';
  return kindOfValue(value);
}

const FIELD_KINDS = {
  string: (v: unknown) => typeof v === 'string',
  boolean: (v: unknown) => typeof v === 'boolean',
  count: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1,
  strings: (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string'),
  pattern: (v: unknown) => typeof v === 'string' || v instanceof RegExp,
  format: (v: unknown) => v === 'csv' || v === 'json' || v === 'json-lines',
  object: (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v),
} as const;
const EXPECTED: Record<keyof typeof FIELD_KINDS, string> = {
  string: 'text',
  boolean: 'true or false',
  count: 'an integer ≥ 1',
  strings: 'an array of texts',
  pattern: 'text or a RegExp',
  format: "'csv', 'json' or 'json-lines'",
  object: 'an object',
};

type Kind = keyof typeof FIELD_KINDS;

/** The kind of every key of an options type: all keys required, no others (checked at compile time). */
type FieldKinds<T> = { readonly [K in keyof T & string]-?: Kind };

interface Fields {
  readonly kinds: Readonly<Record<string, Kind>>;
  /** The known keys, which are the keys of `kinds`. */
  readonly keys: ReadonlySet<string>;
}

function fields<T extends object>(kinds: FieldKinds<T>): Fields {
  return { kinds, keys: new Set(Object.keys(kinds)) };
}

/**
 * Checks an options object given from outside (JavaScript callers pass anything): an object whose
 * keys are all known ({@link checkKeys}: a misspelt key would be ignored and its intent lost, so it
 * is refused by name) and whose values, where given, are of their kind.
 */
function checkFields(value: unknown, where: string, { kinds, keys }: Fields): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SweetspotInputError(`${where}: an object is required, got ${kindOf(value)}`);
  checkKeys(where, value, keys);
  const issues: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const kind = kinds[key];
    if (v !== undefined && !FIELD_KINDS[kind](v)) issues.push(`${where}.${key}: ${EXPECTED[kind]} is required, got ${kindOf(v)}`);
  }
  if (issues.length > 0) throw new SweetspotInputError(issues.join('; '), issues);
}

const DEFAULT_FIELDS = fields<MeasurementDefaults>({ kvCache: 'boolean', batchSize: 'count', gpu: 'string', engine: 'string' });
const FILTER_FIELDS = fields<MeasurementFilter>({ model: 'string', gpu: 'string', engine: 'string', kvCache: 'boolean', where: 'strings', excludeNotes: 'pattern' });
const READ_FIELDS = fields<ReadOptions>({ source: 'string', format: 'format', defaults: 'object' });

/**
 * Checks the defaults rows take for empty fields (`readMeasurements({ defaults })`): a default of
 * the wrong kind (`kvCache: 'no'`) would otherwise be written into every row that lacks the field.
 *
 * @throws {SweetspotInputError} naming each bad or unknown key.
 * @example
 * checkDefaults({ kvCache: false }, 'readMeasurements({ defaults })') // passes
 */
export function checkDefaults(defaults: unknown, where: string): void {
  checkFields(defaults, where, DEFAULT_FIELDS);
}

/**
 * Checks a measurement filter (`filterMeasurements(rows, filter)`).
 *
 * @throws {SweetspotInputError} naming each bad or unknown key.
 * @example
 * checkFilter({ where: ['system=a'] }, 'filterMeasurements(rows, filter)') // passes
 */
export function checkFilter(filter: unknown, where: string): void {
  checkFields(filter, where, FILTER_FIELDS);
}

/**
 * Checks `readMeasurements`' text and options.
 *
 * @throws {SweetspotInputError} for text that is not a string (a Buffer: decode it first), an
 * unknown format, or bad defaults.
 * @example
 * checkReadArguments('model,n_in\n', { format: 'csv' }) // passes
 */
export function checkReadArguments(text: unknown, options: unknown): void {
  if (typeof text !== 'string') {
    throw new SweetspotInputError(`readMeasurements(text): text is required, got ${kindOf(text)}${text instanceof Uint8Array ? " (decode it first: new TextDecoder().decode(bytes))" : ''}`);
  }
  checkFields(options, 'readMeasurements(text, options)', READ_FIELDS);
  checkDefaults((options as { defaults?: unknown } | undefined)?.defaults, 'readMeasurements(text, options).defaults');
}
