import { SweetspotInputError } from '../../errors.js';
import { eachCsvRecord } from './csv.js';
import { jsonElementLines } from './json-lines.js';
import { readJsonLines } from './jsonl.js';
import { checkJsonSize } from './json-size.js';
import { jsonErrorText } from '../../text-input.js';
import { withGpuCount } from '../data/measurement.js';
import { COLUMN_TO_FIELD, MEASUREMENT_RULES, measurementSchema, NUMBER_FIELD_RULES, type Measurement } from '../data/measurement.js';
import { SCHEMA_DEFAULTS, addDefaulted, type DefaultedField } from '../data/rows.js';
import { MEASUREMENT_LIMITS, tooManyRows } from './limits.js';
import { ownText, rowMakers } from '../data/row-objects.js';
import { checkReadArguments } from './arguments.js';

type Field = Exclude<keyof Measurement, 'line' | 'extra'>;

/** Values used for a schema field that a row leaves empty or a file lacks (e.g. `kvCache: false`). */
export interface MeasurementDefaults {
  readonly kvCache?: boolean;
  readonly batchSize?: number;
  readonly gpu?: string;
  readonly engine?: string;
}

/** Options of {@link readMeasurements}. */
export interface ReadOptions {
  /** Name used in error messages (a file path). */
  readonly source?: string;
  /** `csv`, `json` (an array of objects) or `json-lines` (one object per line); guessed from the first non-blank character (`[`, `{`) when absent. */
  readonly format?: 'csv' | 'json' | 'json-lines';
  readonly defaults?: MeasurementDefaults;
}

/** Rows read from a file, and how many took each default. */
export interface ReadResult {
  readonly rows: Measurement[];
  /** Column names as they appear in the file (CSV header, or the union of JSON keys). */
  readonly columns: string[];
  /**
   * Fields rows left empty and the value each took: from `defaults`, else the schema's (`kvCache`
   * true, the KV-cache regime; `batchSize` 1). Nothing is assumed without being listed here.
   */
  readonly defaulted: DefaultedField[];
}

const FIELDS = new Set<string>(Object.values(COLUMN_TO_FIELD));
const INT_FIELDS = new Set<string>(['nIn', 'nOut', 'batchSize', 'repeats', 'gpus']);
const NUM_FIELDS = new Set<string>(['energyJ', 'latencyS']);
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// A Map, not an object: `kv_cache=constructor` must not find Object's member.
const BOOL_WORDS: ReadonlyMap<string, boolean> = new Map([['on', true], ['off', false], ['true', true], ['false', false], ['yes', true], ['no', false], ['1', true], ['0', false]]);

/**
 * The schema field a column or JSON key names, or undefined for an extra column.
 *
 * @example
 * fieldOf('n_in') // 'nIn'
 */
export function fieldOf(key: string): Field | undefined {
  const k = key.trim();
  // Own keys only: a column named `constructor` or `toString` is an extra column, not Object's member.
  if (Object.hasOwn(COLUMN_TO_FIELD, k)) return COLUMN_TO_FIELD[k as keyof typeof COLUMN_TO_FIELD] as Field;
  return FIELDS.has(k) ? (k as Field) : undefined;
}

/** Converts one raw value to its field's type, or returns a message saying what was expected. */
function coerce(field: Field, raw: unknown): { value?: unknown; error?: string } {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return {};
  if (INT_FIELDS.has(field) || NUM_FIELDS.has(field)) {
    const v = typeof raw === 'string' && NUMBER_RE.test(raw.trim()) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `expected a number, got ${show(raw)}` };
    if (INT_FIELDS.has(field) && !Number.isInteger(v)) return { error: `expected an integer, got ${show(raw)}` };
    return { value: v };
  }
  if (field === 'kvCache') {
    if (typeof raw === 'boolean') return { value: raw };
    const b = BOOL_WORDS.get(String(raw).trim().toLowerCase());
    return b === undefined ? { error: `expected on/off (or true/false), got ${show(raw)}` } : { value: b };
  }
  if (typeof raw !== 'string') return { error: `expected text, got ${show(raw)}` };
  return { value: raw.trim() };
}

/**
 * A raw value for a message, on one line (a quoted CSV field may hold a newline) and short: a
 * value of megabytes is cut to `MEASUREMENT_LIMITS.shownChars` characters and its length given.
 */
function show(raw: unknown): string {
  if (typeof raw === 'string') return `'${oneLine(raw)}'`;
  // JSON.stringify writes Infinity (a JSON number such as 1e400) as null.
  if (typeof raw === 'number') return String(raw);
  return oneLine(jsonText(raw) ?? 'a value nested too deeply to show');
}

/** Text on one line, cut to `MEASUREMENT_LIMITS.shownChars` characters. */
function oneLine(text: string): string {
  const max = MEASUREMENT_LIMITS.shownChars;
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return cut.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** A JSON value as text, or undefined where it is nested too deeply to write (the stack runs out). */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * Validates one row given as column → raw value. Returns the measurement, or pushes one issue per
 * bad field (`line N: column: message`) and returns undefined.
 */
function toMeasurement(
  raw: ReadonlyArray<readonly [string, unknown]>,
  line: number,
  defaults: MeasurementDefaults,
  defaulted: Tally,
  issues: string[],
): Measurement | undefined {
  const obj: Record<string, unknown> = { line, extra: {} };
  const extra: Record<string, string> = {};
  const columnOf: Record<string, string> = {};
  const rawOf: Record<string, unknown> = {};
  const badFields = new Set<string>();
  for (const [key, value] of raw) {
    if (key.trim() === RESERVED_COLUMN) {
      issues.push(reservedColumn(`line ${line}`));
      continue;
    }
    const field = fieldOf(key);
    if (!field) {
      if (value === undefined || value === null) continue;
      const text = typeof value === 'string' ? value : jsonText(value);
      if (text === undefined) issues.push(`line ${line}: ${oneLine(key)}: a value nested too deeply to keep as text`);
      else extra[key] = text;
      continue;
    }
    if (columnOf[field] !== undefined) {
      // `n_in` and `nIn` in one JSON object: which one is meant is not ours to guess.
      issues.push(`line ${line}: ${oneLine(key)}: the same field as ${oneLine(columnOf[field])}`);
      badFields.add(field);
      continue;
    }
    columnOf[field] = key;
    rawOf[field] = value;
    const c = coerce(field, value);
    if (c.error) {
      issues.push(`line ${line}: ${oneLine(key)}: ${c.error}`);
      badFields.add(field);
    }
    else if (c.value !== undefined) obj[field] = c.value;
  }
  for (const [field, value] of Object.entries(defaults) as [DefaultedField['field'], DefaultedField['value'] | undefined][]) {
    if (value !== undefined && obj[field] === undefined && !badFields.has(field)) {
      obj[field] = value;
      defaulted.given[field] = (defaulted.given[field] ?? 0) + 1;
    }
  }
  for (const [field, value] of Object.entries(SCHEMA_DEFAULTS) as ['kvCache' | 'batchSize', boolean | number][]) {
    if (obj[field] === undefined && !badFields.has(field)) {
      obj[field] = value;
      defaulted.schema[field] = (defaulted.schema[field] ?? 0) + 1;
    }
  }
  obj.extra = extra;
  // Validate the rest of the row even when some field failed to convert: every bad field is named.
  for (const field of badFields) delete obj[field];
  const parsed = measurementSchema().safeParse(obj);
  if (parsed.success && badFields.size === 0) return parsed.data;
  if (parsed.success) return undefined;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (badFields.has(field)) continue;
    const column = columnOf[field] ?? columnName(field);
    const message = obj[field] === undefined ? 'missing value' : `${issue.message} (got ${show(rawOf[field] ?? obj[field])})`;
    issues.push(`line ${line}: ${column}: ${message}`);
  }
  return undefined;
}

/**
 * A row whose `gpu` states a count (`2x NVIDIA L40S`) with the count in `gpus`, or undefined and
 * an issue naming the line where the count cannot be read or disagrees with the `gpus` column.
 */
function counted(m: Measurement | undefined, line: number, issues: string[]): Measurement | undefined {
  if (m === undefined) return undefined;
  const c = withGpuCount(m);
  if ('error' in c) {
    issues.push(`line ${line}: ${c.error}`);
    return undefined;
  }
  return c;
}

// As a key of a plain object `__proto__` sets the prototype and its value is lost: refused by name.
const RESERVED_COLUMN = '__proto__';
const reservedColumn = (where: string) => `${where}: ${RESERVED_COLUMN}: a reserved name, not accepted as a column or key (rename it)`;

/** Header checks: no empty, reserved or duplicate column, every required column present. */
function checkHeader(header: readonly string[], line: number, issues: string[], source: string): void {
  const head = `line ${line}`;
  if (header.length > MEASUREMENT_LIMITS.columns) tooManyColumns(source, head, header.length);
  const seen = new Set<string>();
  header.forEach((h, k) => {
    if (h === '') issues.push(`${head}: column ${k + 1}: empty column name`);
    if (h === RESERVED_COLUMN) issues.push(reservedColumn(head));
    const key = fieldOf(h) ?? h;
    if (h !== '' && seen.has(key)) issues.push(`${head}: ${oneLine(h)}: duplicate column`);
    seen.add(key);
  });
  for (const required of ['model', 'nIn', 'nOut', 'energyJ']) {
    if (!header.some((h) => fieldOf(h) === required)) issues.push(`${head}: ${columnName(required)}: required column missing`);
  }
}

/**
 * A CSV row that satisfies the schema, built directly: the same conversions as `coerce` and the
 * schema's rules as `MEASUREMENT_RULES` states them, without a schema parse per row
 * (test/fit/read/read.test.ts compares both paths on edge rows). Returns undefined at the first doubt,
 * and the caller then takes the schema path, which names every bad field. Repeated texts (model,
 * GPU, engine) are shared through `intern`.
 */
function fastMeasurement(plan: CsvPlan, fields: readonly string[], line: number, defaulted: Tally, intern: Map<string, string>): Measurement | undefined {
  // Every field present from the start (undefined where absent): one object shape for every row,
  // which the table's columns read quickly. Row objects are built from the columns (`tableRows`).
  const m: Slots = { model: undefined, nIn: undefined, nOut: undefined, energyJ: undefined, batchSize: undefined, gpu: undefined, gpus: undefined, engine: undefined, kvCache: undefined, latencyS: undefined, repeats: undefined, notes: undefined, line, extra: undefined };
  const extra: Record<string, string> = {};
  const { header, fieldsOf, kinds } = plan;
  for (let k = 0; k < fields.length; k++) {
    const kind = kinds[k];
    const raw = fields[k];
    if (kind === EXTRA) {
      extra[header[k]] = raw;
      continue;
    }
    const field = fieldsOf[k]!;
    const t = raw.trim();
    if (t === '') continue;
    if (kind === NUMBER) {
      if (!NUMBER_RE.test(t)) return undefined;
      const v = Number(t);
      if (!NUMBER_FIELD_RULES[field as keyof typeof NUMBER_FIELD_RULES](v)) return undefined;
      setSlot(m, field, v);
    } else if (kind === FLAG) {
      const b = BOOL_WORDS.get(t.toLowerCase());
      if (b === undefined) return undefined;
      m.kvCache = b;
    } else {
      setSlot(m, field, sharedText(intern, t));
    }
  }
  if (!MEASUREMENT_RULES.model(m.model) || m.nIn === undefined || m.nOut === undefined || m.energyJ === undefined) return undefined;
  for (const [field, value] of plan.defaults) {
    if (m[field] === undefined) {
      if (field === 'batchSize' && !NUMBER_FIELD_RULES.batchSize(value)) return undefined;
      setSlot(m, field, value);
      defaulted.given[field] = (defaulted.given[field] ?? 0) + 1;
    }
  }
  if (m.batchSize === undefined) {
    m.batchSize = SCHEMA_DEFAULTS.batchSize;
    defaulted.schema.batchSize = (defaulted.schema.batchSize ?? 0) + 1;
  }
  if (m.kvCache === undefined) {
    m.kvCache = SCHEMA_DEFAULTS.kvCache;
    defaulted.schema.kvCache = (defaulted.schema.kvCache ?? 0) + 1;
  }
  m.extra = extra;
  return m as Measurement;
}

type Slots = { -readonly [K in keyof Measurement]-?: unknown };

/** One named store per field: each site sees one property of one shape. */
function setSlot(m: Slots, field: string, v: unknown): void {
  switch (field) {
    case 'model':
      m.model = v;
      break;
    case 'nIn':
      m.nIn = v;
      break;
    case 'nOut':
      m.nOut = v;
      break;
    case 'energyJ':
      m.energyJ = v;
      break;
    case 'batchSize':
      m.batchSize = v;
      break;
    case 'gpu':
      m.gpu = v;
      break;
    case 'gpus':
      m.gpus = v;
      break;
    case 'engine':
      m.engine = v;
      break;
    case 'kvCache':
      m.kvCache = v;
      break;
    case 'latencyS':
      m.latencyS = v;
      break;
    case 'repeats':
      m.repeats = v;
      break;
    case 'notes':
      m.notes = v;
      break;
  }
}

// Distinct texts shared per field or extra column: beyond these, each row keeps its own.
const INTERNED = 4096;

/** The one copy of `t` the rows share (its own string, not a view of the file), while `seen` has room. */
function sharedText(seen: Map<string, string>, t: string): string {
  let shared = seen.get(t);
  if (shared === undefined) {
    shared = ownText(t);
    if (seen.size < INTERNED) seen.set(t, shared);
  }
  return shared;
}

const EXTRA = 0;
const NUMBER = 1;
const FLAG = 2;
const TEXT = 3;

/** What the direct path needs of a header, worked out once: each column's field and kind, the defaults given. */
interface CsvPlan {
  readonly header: readonly string[];
  readonly fieldsOf: readonly (Field | undefined)[];
  readonly kinds: readonly number[];
  readonly defaults: readonly (readonly [keyof MeasurementDefaults, unknown])[];
}

function csvPlan(header: readonly string[], defaults: MeasurementDefaults): CsvPlan {
  const fieldsOf = header.map((h) => fieldOf(h));
  const kinds = fieldsOf.map((f) => (f === undefined ? EXTRA : INT_FIELDS.has(f) || NUM_FIELDS.has(f) ? NUMBER : f === 'kvCache' ? FLAG : TEXT));
  return { header, fieldsOf, kinds, defaults: (Object.entries(defaults) as [keyof MeasurementDefaults, unknown][]).filter(([, v]) => v !== undefined) };
}

/** Rows that took each default, counted per row without allocating; listed once at the end. */
interface Tally {
  readonly given: Record<string, number>;
  readonly schema: Record<string, number>;
}

function defaultedList(t: Tally, defaults: MeasurementDefaults): DefaultedField[] {
  const out: DefaultedField[] = [];
  for (const [field, n] of Object.entries(t.given)) {
    addDefaulted(out, field as DefaultedField['field'], defaults[field as keyof MeasurementDefaults] as DefaultedField['value'], 'given', n);
  }
  for (const field of ['kvCache', 'batchSize'] as const) {
    const n = t.schema[field];
    if (n) addDefaulted(out, field, SCHEMA_DEFAULTS[field], 'schema', n);
  }
  return out;
}

function columnName(field: string): string {
  const hit = Object.entries(COLUMN_TO_FIELD).find(([, f]) => f === field);
  return hit ? hit[0] : field;
}

function tooManyColumns(source: string, where: string, count: number): never {
  throw new SweetspotInputError(`${source}: ${where}: ${count} columns, more than the limit of ${MEASUREMENT_LIMITS.columns}`);
}

/**
 * Throws every issue found; `stoppedAt` (a line) when reading stopped there at the limit of
 * `MEASUREMENT_LIMITS.issues` with more of the file unread, so that the count is a lower bound.
 */
function fail(source: string, issues: string[], stoppedAt?: number): never {
  const shown = issues.slice(0, 5).join('; ');
  const more = issues.length > 5 ? `; … and ${issues.length - 5} more` : '';
  const stopped = stoppedAt === undefined ? '' : ` (reading stopped at line ${stoppedAt}, after ${MEASUREMENT_LIMITS.issues} issues)`;
  throw new SweetspotInputError(`${source}: ${issues.length}${stoppedAt === undefined ? '' : '+'} bad value(s)${stopped}: ${shown}${more}`, issues);
}

/**
 * Reads measurements from CSV or JSON text (docs/conventions.md#measurements). CSV needs a header row; JSON is an array
 * of objects. Column names may be snake_case (`n_in`) or camelCase (`nIn`); unknown columns are kept
 * as strings in `extra`. Every bad value of every row is collected (with its line and column) and
 * thrown together: no row is dropped silently. Files beyond `MEASUREMENT_LIMITS` (a record too
 * long, too many columns, more rows than `MEASUREMENT_LIMITS.rows`) are refused, and reading
 * stops at the 1000th bad value, saying where.
 *
 * @throws {SweetspotInputError} listing every bad row and field in `issues` (up to the limit).
 * @example
 * const { rows } = readMeasurements('model,n_in,n_out,energy_j\nllama,128,64,210.5\n');
 * rows[0].energyJ // 210.5
 * @category Fitting
 */
export function readMeasurements(text: string, options: ReadOptions = {}): ReadResult {
  checkReadArguments(text, options);
  return readRows(text, options, MEASUREMENT_LIMITS.rows);
}

/**
 * {@link readMeasurements} with the most rows it reads as objects (`MEASUREMENT_LIMITS.rows`) given,
 * so that tests can show the refusal on a small file. CSV rows become compact objects as they
 * are read (`compactRows`).
 *
 * @throws {SweetspotInputError} as {@link readMeasurements}, and for more than `maxRows` rows.
 * @example
 * readRows('model,n_in,n_out,energy_j\nm,1,1,1\nm,2,2,2\n', {}, 1) // throws: more than 1 rows
 */
export function readRows(text: string, options: ReadOptions, maxRows: number): ReadResult {
  const source = options.source ?? 'measurements';
  const defaults = options.defaults ?? {};
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  const format = options.format ?? (first === '[' ? 'json' : first === '{' ? 'json-lines' : 'csv');
  const rows: Measurement[] = [];
  if (format === 'csv') {
    const csv = new CsvMeasurements(source, defaults, compactRows(rows, source, maxRows));
    eachCsvRecord(text, source, csv.record);
    return { rows, ...csv.finish() };
  }
  const issues: string[] = [];
  const defaulted: Tally = { given: {}, schema: {} };
  let data: unknown;
  let lines: number[];
  // Before JSON.parse, which holds every value at once: its count, bounded by the rows.
  checkJsonSize(text, format, source, maxRows);
  if (format === 'json-lines') {
    // One object per line (JSON Lines), or one object alone: each line is an element.
    ({ data, lines } = readJsonLines(text, source));
  } else {
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new SweetspotInputError(`${source}: not valid JSON: ${jsonErrorText(text.replace(/^\uFEFF/, ''), error as Error)}`);
    }
    if (!Array.isArray(data)) throw new SweetspotInputError(`${source}: JSON must be an array of measurement objects`);
    lines = jsonElementLines(text);
  }
  if (!Array.isArray(data)) throw new SweetspotInputError(`${source}: JSON must be an array of measurement objects`);
  if (data.length > maxRows) throw tooManyRows(source, maxRows);
  const keys = new Set<string>();
  data.forEach((item, k) => {
    const line = lines[k] ?? k + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      issues.push(`line ${line}: element ${k}: expected an object`);
      return;
    }
    for (const key of Object.keys(item)) keys.add(key);
    if (keys.size > MEASUREMENT_LIMITS.columns) tooManyColumns(source, `line ${line}`, keys.size);
    const m = counted(toMeasurement(Object.entries(item), line, defaults, defaulted, issues), line, issues);
    if (m) rows.push(m);
    // At the limit reading stops, unless this was the last element: then the count is exact.
    if (issues.length >= MEASUREMENT_LIMITS.issues && k < data.length - 1) fail(source, issues, line);
  });
  const columns = [...keys];
  if (issues.length) fail(source, issues);
  return { rows, columns, defaulted: defaultedList(defaulted, defaults) };
}

/**
 * A sink that keeps each row read as a compact object (`rowMakers`: fields inside the object,
 * one shape for rows that fill the same fields, extra texts shared up to 4096 distinct ones and
 * copied so that they keep no chunk of the file alive), refusing the row after the first
 * `maxRows` (`MEASUREMENT_LIMITS.rows`): counted as they are read, so that a file too long fails
 * before its rows fill the memory.
 *
 * @example
 * const csv = new CsvMeasurements('m.csv', {}, compactRows(rows, 'm.csv', MEASUREMENT_LIMITS.rows));
 */
export function compactRows(rows: Measurement[], source: string, maxRows: number): (m: Measurement) => void {
  const make = rowMakers();
  const texts = new Map<string, string>();
  return (m) => {
    if (rows.length >= maxRows) throw tooManyRows(source, maxRows);
    const extra = make.extra();
    for (const key in m.extra) {
      extra[key] = sharedText(texts, m.extra[key]);
    }
    rows.push(make.row(m.model, m.nIn, m.nOut, m.energyJ, m.batchSize, m.gpu, m.engine, m.kvCache, m.latencyS, m.repeats, m.notes, m.line, extra, m.gpus));
  };
}

/**
 * CSV records (from `eachCsvRecord` or `CsvRecords`) made into measurements, handed to `sink` one
 * at a time: the header checked first, a well-formed row by the direct path, any row with an
 * issue through the schema, which names every bad field. `finish` throws every issue at once,
 * or returns the columns and the defaults taken.
 *
 * @example
 * const csv = new CsvMeasurements('m.csv', {}, (m) => rows.push(m));
 * eachCsvRecord(text, 'm.csv', csv.record);
 * csv.finish().defaulted
 */
export class CsvMeasurements {
  private header: string[] | undefined;
  private plan: CsvPlan | undefined;
  private readonly intern = new Map<string, string>();
  private readonly issues: string[] = [];
  private readonly defaulted: Tally = { given: {}, schema: {} };
  /** The line at which the issues reached the limit: reading stops at the next record, if any. */
  private fullAt: number | undefined;

  constructor(
    private readonly source: string,
    private readonly defaults: MeasurementDefaults,
    private readonly sink: (m: Measurement) => void,
  ) {}

  /** Takes one record (bound: pass it as a callback). */
  readonly record = (line: number, fields: string[]): void => {
    const { header, issues } = this;
    // A record after the limit was reached: the count is a lower bound (a file that ends at
    // exactly the limit gets its exact count from `finish`).
    if (this.fullAt !== undefined) fail(this.source, issues, this.fullAt);
    if (!header) {
      this.header = fields.map((h) => h.trim());
      checkHeader(this.header, line, issues, this.source);
      if (issues.length) fail(this.source, issues);
      this.plan = csvPlan(this.header, this.defaults);
      return;
    }
    if (fields.length !== header.length) {
      issues.push(`line ${line}: has ${fields.length} fields, the header has ${header.length}`);
    } else {
      const m = counted(
        fastMeasurement(this.plan!, fields, line, this.defaulted, this.intern) ??
          toMeasurement(header.map((h, k) => [h, fields[k]] as const), line, this.defaults, this.defaulted, issues),
        line,
        issues,
      );
      // After the first bad row nothing more is kept: the reader fails at the end, naming every issue.
      if (m && issues.length === 0) this.sink(m);
    }
    if (issues.length >= MEASUREMENT_LIMITS.issues) this.fullAt = line;
  };

  /** The header's columns and the defaults rows took, once every record is in. */
  finish(): { columns: string[]; defaulted: DefaultedField[] } {
    if (!this.header) throw new SweetspotInputError(`${this.source}: empty file (a header row is required)`);
    if (this.issues.length) fail(this.source, this.issues);
    return { columns: this.header, defaulted: defaultedList(this.defaulted, this.defaults) };
  }
}
