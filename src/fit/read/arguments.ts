import { SweetspotInputError } from '../../errors.js';
import { checkKeys, optionKeys } from '../../options.js';
import type { MeasurementFilter } from '../data/filter.js';
import type { MeasurementDefaults, ReadOptions } from './read.js';

/** What a value is, for a message: `a Buffer`, `a number (5)`, `undefined`. */
function kindOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (value instanceof Uint8Array) return 'bytes (a Buffer or Uint8Array)';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof RegExp) return 'a RegExp';
  if (typeof value === 'object') return 'an object';
  const shown = String(value);
  return `a ${typeof value} (${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown})`;
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

/**
 * Checks an options object given from outside (JavaScript callers pass anything): an object whose
 * keys are all known ({@link checkKeys}: a misspelt key would be ignored and its intent lost, so it
 * is refused by name) and whose values, where given, are of their kind.
 */
function checkFields<T extends object>(value: unknown, where: string, known: ReadonlySet<string>, kinds: { readonly [K in keyof T & string]-?: Kind }): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SweetspotInputError(`${where}: an object is required, got ${kindOf(value)}`);
  checkKeys(where, value, known);
  const issues: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const kind = (kinds as Record<string, Kind>)[key];
    if (v !== undefined && !FIELD_KINDS[kind](v)) issues.push(`${where}.${key}: ${EXPECTED[kind]} is required, got ${kindOf(v)}`);
  }
  if (issues.length > 0) throw new SweetspotInputError(issues.join('; '), issues);
}

const DEFAULT_KEYS = optionKeys<MeasurementDefaults>()('kvCache', 'batchSize', 'gpu', 'engine');
const DEFAULT_KINDS = { kvCache: 'boolean', batchSize: 'count', gpu: 'string', engine: 'string' } as const;
const FILTER_KEYS = optionKeys<MeasurementFilter>()('model', 'gpu', 'engine', 'kvCache', 'where', 'excludeNotes');
const FILTER_KINDS = { model: 'string', gpu: 'string', engine: 'string', kvCache: 'boolean', where: 'strings', excludeNotes: 'pattern' } as const;
const READ_KEYS = optionKeys<ReadOptions>()('source', 'format', 'defaults');
const READ_KINDS = { source: 'string', format: 'format', defaults: 'object' } as const;

/**
 * Checks the defaults rows take for empty fields (`readMeasurements({ defaults })`): a default of
 * the wrong kind (`kvCache: 'no'`) would otherwise be written into every row that lacks the field.
 *
 * @throws {SweetspotInputError} naming each bad or unknown key.
 * @example
 * checkDefaults({ kvCache: false }, 'readMeasurements({ defaults })') // passes
 */
export function checkDefaults(defaults: unknown, where: string): void {
  checkFields<MeasurementDefaults>(defaults, where, DEFAULT_KEYS, DEFAULT_KINDS);
}

/**
 * Checks a measurement filter (`filterMeasurements(rows, filter)`).
 *
 * @throws {SweetspotInputError} naming each bad or unknown key.
 * @example
 * checkFilter({ where: ['system=a'] }, 'filterMeasurements(rows, filter)') // passes
 */
export function checkFilter(filter: unknown, where: string): void {
  checkFields<MeasurementFilter>(filter, where, FILTER_KEYS, FILTER_KINDS);
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
  checkFields<ReadOptions>(options, 'readMeasurements(text, options)', READ_KEYS, READ_KINDS);
  checkDefaults((options as { defaults?: unknown } | undefined)?.defaults, 'readMeasurements(text, options).defaults');
}
