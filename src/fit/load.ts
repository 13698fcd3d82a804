import { resolve } from 'node:path';
import { SweetspotInputError } from '../errors.js';
import { READ_LIMITS, readTextFile } from '../text-input.js';
import { filterMeasurements, type FilterStep, type MeasurementFilter } from './filter.js';
import type { Measurement } from './measurement.js';
import { readMeasurements, type MeasurementDefaults } from './read.js';

/** What {@link loadMeasurements} returns: the rows kept, and an account of every row read. */
export interface LoadedMeasurements {
  readonly path: string;
  /** Rows in the file. */
  readonly read: number;
  readonly rows: Measurement[];
  readonly steps: FilterStep[];
  /** Field → rows that had no value and took the default. */
  readonly defaulted: Partial<Record<keyof MeasurementDefaults, number>>;
}

/**
 * Reads a measurement file (CSV; JSON when it starts with `[` or ends in `.json`; JSON Lines when it
 * starts with `{`), regular files of at most `READ_LIMITS.measurementBytes` only, validates
 * every row, and applies explicit filters, reporting each. A KV-cache filter also serves as the
 * default for rows (or files) without a `kv_cache` value, and the report counts them.
 *
 * @throws {SweetspotInputError} for an unreadable file, a file without rows, any bad row (all listed), or a bad filter.
 * @example
 * const data = await loadMeasurements('wilkins.csv', process.cwd(), { kvCache: false, excludeNotes: 'iteration 0' });
 * data.steps // [{ filter: 'kv_cache=off', before: 1355, kept: 1355, dropped: 0 }, …]
 */
export async function loadMeasurements(path: string, cwd: string, filter: MeasurementFilter = {}, defaults: MeasurementDefaults = {}): Promise<LoadedMeasurements> {
  const full = resolve(cwd, path);
  // Regular files only, bounded: a device or a FIFO named by mistake must not hang the read.
  const text = await readTextFile(full, { maxBytes: READ_LIMITS.measurementBytes, what: `--data ${path}` });
  // A `.json` file of objects one per line is JSON Lines whatever its name says.
  const format = /\.json$/i.test(path) && !text.trimStart().startsWith('{') ? 'json' : undefined;
  const read = readMeasurements(text, { source: path, format, defaults: { ...defaults, ...(filter.kvCache !== undefined ? { kvCache: filter.kvCache } : {}) } });
  if (read.rows.length === 0) throw new SweetspotInputError(`--data ${path}: the file holds no measurement rows`);
  const { rows, steps } = filterMeasurements(read.rows, filter);
  return { path, read: read.rows.length, rows, steps, defaulted: read.defaulted };
}
