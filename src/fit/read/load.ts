import { resolve } from 'node:path';
import { SweetspotInputError } from '../../errors.js';
import { eachTextChunk, READ_LIMITS } from '../../text-input.js';
import { CsvRecords } from './csv.js';
import { filterMeasurements, filterTable, type FilterStep, type MeasurementFilter } from '../data/filter.js';
import type { Measurement } from '../data/measurement.js';
import { CsvMeasurements, compactRows, readRows, type MeasurementDefaults } from './read.js';
import { MEASUREMENT_LIMITS } from './limits.js';
import type { DefaultedField } from '../data/rows.js';
import { TableBuilder, tableFromRows, type MeasurementTable } from '../data/table.js';
import { checkDefaults, checkFilter } from './arguments.js';

/** What {@link loadMeasurements} returns: the rows kept, and an account of every row read. */
export interface LoadedMeasurements {
  readonly path: string;
  /** Rows in the file. */
  readonly read: number;
  readonly rows: Measurement[];
  readonly steps: FilterStep[];
  /** Fields rows left empty, the value each took and how many rows (see `ReadResult.defaulted`). */
  readonly defaulted: DefaultedField[];
}

/** What {@link loadMeasurementTable} returns: {@link LoadedMeasurements} with the rows kept as a table. */
export interface LoadedTable extends Omit<LoadedMeasurements, 'rows'> {
  readonly table: MeasurementTable;
}

/**
 * Reads a measurement file (CSV; JSON when it starts with `[` or ends in `.json`; JSON Lines when it
 * starts with `{`), regular files of at most `READ_LIMITS.measurementBytes` only, validates
 * every row, and applies explicit filters, reporting each. A KV-cache filter also serves as the
 * default for rows (or files) without a `kv_cache` value, and the report counts them. A CSV file
 * is read a chunk at a time and each row kept as a compact object (docs/fitting.md#limits-on-untrusted-input);
 * a file of more than `MEASUREMENT_LIMITS.rows` rows is refused: read it with {@link loadMeasurementTable}.
 *
 * @throws {SweetspotInputError} for an unreadable file, a file without rows or with too many, any bad row (all listed), or a bad filter.
 * @example
 * const data = await loadMeasurements('wilkins.csv', process.cwd(), { kvCache: false, excludeNotes: 'iteration 0' });
 * data.steps // [{ filter: 'kv_cache=off', before: 1355, kept: 1355, dropped: 0 }, …]
 * @category Fitting
 */
export async function loadMeasurements(path: string, cwd: string, filter: MeasurementFilter = {}, defaults: MeasurementDefaults = {}): Promise<LoadedMeasurements> {
  checkLoadArguments('loadMeasurements', path, cwd, filter, defaults);
  return loadRows(path, cwd, filter, defaults, MEASUREMENT_LIMITS.rows);
}

/**
 * {@link loadMeasurements} with the most rows it reads as objects (`MEASUREMENT_LIMITS.rows`)
 * given, so that tests can show the refusal on a small file. A CSV file is read a chunk at a
 * time, as {@link loadMeasurementTable} reads it, each row made a compact object and counted as
 * it comes; the file is never one string.
 *
 * @throws {SweetspotInputError} as {@link loadMeasurements}, and for more than `maxRows` rows.
 * @example
 * await loadRows('big.csv', process.cwd(), {}, {}, 1000) // throws for a file of 1001 rows or more
 */
export async function loadRows(path: string, cwd: string, filter: MeasurementFilter, defaults: MeasurementDefaults, maxRows: number): Promise<LoadedMeasurements> {
  const read = await readFile(path, cwd, readDefaults(filter, defaults), 'rows', maxRows);
  const rows = read.rows!;
  const kept = filterMeasurements(rows, filter);
  return { path, read: rows.length, rows: kept.rows, steps: kept.steps, defaulted: read.defaulted };
}

/**
 * {@link loadMeasurements} into a {@link MeasurementTable} (docs/fitting.md#measurement-tables):
 * the same checks, messages, defaults and filters, and the same rows, but a CSV file is read a
 * chunk at a time straight into columns, so that memory follows the columns (about 80 bytes a
 * row), not the file's text or an object per row. `calibrate` takes the table as it takes rows.
 *
 * @throws {SweetspotInputError} as {@link loadMeasurements}.
 * @example
 * const { table, steps } = await loadMeasurementTable('sweep.csv', process.cwd());
 * calibrate(table, { form: sweetspotForm }).calibration
 * @category Fitting
 */
export async function loadMeasurementTable(path: string, cwd: string, filter: MeasurementFilter = {}, defaults: MeasurementDefaults = {}): Promise<LoadedTable> {
  checkLoadArguments('loadMeasurementTable', path, cwd, filter, defaults);
  const read = await readFile(path, cwd, readDefaults(filter, defaults), 'table', MEASUREMENT_LIMITS.rows);
  const table = read.table ?? tableFromRows(read.rows!);
  const kept = filterTable(table, filter);
  return { path, read: table.length, table: kept.table, steps: kept.steps, defaulted: read.defaulted };
}

/**
 * A measurement file read whole, a chunk at a time: CSV into compact row objects (at most
 * `maxRows`) or into columns (any number), as asked; JSON as rows (at most `maxRows`). Refuses a
 * file without rows.
 */
async function readFile(
  path: string,
  cwd: string,
  given: MeasurementDefaults,
  into: 'rows' | 'table',
  maxRows: number,
): Promise<{ readonly table?: MeasurementTable; readonly rows?: Measurement[]; readonly defaulted: DefaultedField[] }> {
  // Messages name the file by a label: a long path (up to the system's limit) would fill each one.
  const label = pathLabel(path);
  const what = `loadMeasurements('${label}')`;
  // The first non-blank character decides the format: CSV is read as it comes; JSON (rarely
  // large) is read whole.
  let csv: CsvReading | undefined;
  let json: string[] | undefined;
  let head = '';
  let sizeBytes = 0;
  await eachTextChunk(resolve(cwd, path), { maxBytes: READ_LIMITS.measurementBytes, what, onOpen: (b) => (sizeBytes = b) }, (text) => {
    if (csv) return csv.records.push(text);
    if (json) return void json.push(text);
    head += text;
    const first = head.trimStart()[0];
    if (first === undefined) return;
    if (first === '[' || first === '{' || /\.json$/i.test(path)) json = [head];
    else csv = csvReading(label, given, sizeBytes, head, into === 'rows' ? maxRows : undefined);
    head = '';
  });
  if (csv) {
    csv.records.end();
    const { defaulted } = csv.reader.finish();
    const table = csv.table?.finish();
    if ((table ?? csv.rows!).length === 0) throw noRows(what);
    return table ? { table, defaulted } : { rows: csv.rows, defaulted };
  }
  const text = json ? json.join('') : head;
  const read = readRows(text, { source: label, format: jsonByName(path, text), defaults: given }, maxRows);
  if (read.rows.length === 0) throw noRows(what);
  return { rows: read.rows, defaulted: read.defaulted };
}

/** A path for messages: itself up to 200 characters, else its start and its end (the file's name). */
const pathLabel = (path: string): string => (path.length <= 200 ? path : `${path.slice(0, 100)}…${path.slice(-60)} (${path.length} characters)`);

const noRows = (what: string) => new SweetspotInputError(`${what}: the file holds no measurement rows`);

/** A CSV file being read: records parsed from the chunks, validated, and kept as rows or in columns. */
interface CsvReading {
  readonly records: CsvRecords;
  readonly reader: CsvMeasurements;
  readonly rows?: Measurement[];
  readonly table?: TableBuilder;
}

/** Starts reading a CSV file of `sizeBytes` from its first text: into rows (at most `maxRows`), or columns without. */
function csvReading(path: string, defaults: MeasurementDefaults, sizeBytes: number, first: string, maxRows: number | undefined): CsvReading {
  let rows: Measurement[] | undefined;
  let table: TableBuilder | undefined;
  let sink: (m: Measurement) => void;
  if (maxRows !== undefined) {
    rows = [];
    sink = compactRows(rows, path, maxRows);
  } else {
    // Capacity from the first lines' length, so that the columns are seldom grown.
    const lines = first.split('\n').length;
    const builder = new TableBuilder(Math.min(sizeBytes / 4, (sizeBytes / first.length) * lines * 1.05) + 16);
    table = builder;
    sink = (m) => builder.push(m);
  }
  const reader = new CsvMeasurements(path, defaults, sink);
  const records = new CsvRecords(path, reader.record);
  records.push(first);
  return { records, reader, rows, table };
}

/** A `.json` file of objects one per line is JSON Lines whatever its name says. */
function jsonByName(path: string, text: string): 'json' | undefined {
  return /\.json$/i.test(path) && !text.trimStart().startsWith('{') ? 'json' : undefined;
}

/** A KV-cache filter also serves as the default for rows without a `kv_cache` value. */
function readDefaults(filter: MeasurementFilter, defaults: MeasurementDefaults): MeasurementDefaults {
  return { ...defaults, ...(filter.kvCache !== undefined ? { kvCache: filter.kvCache } : {}) };
}

/** The arguments of the loaders, as JavaScript callers may pass them. */
function checkLoadArguments(name: string, path: unknown, cwd: unknown, filter: unknown, defaults: unknown): void {
  if (typeof path !== 'string' || path === '') throw new SweetspotInputError(`${name}(path, cwd): path must be a non-empty text, got ${typeof path === 'string' ? "''" : String(path === null ? null : typeof path)}`);
  if (typeof cwd !== 'string') throw new SweetspotInputError(`${name}(path, cwd): cwd must be a directory path as text, got ${cwd === null ? null : typeof cwd}`);
  checkFilter(filter, `${name}(path, cwd, filter)`);
  checkDefaults(defaults, `${name}(path, cwd, filter, defaults)`);
}
