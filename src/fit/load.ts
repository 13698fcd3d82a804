import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SweetspotInputError } from '../errors.js';
import { filterMeasurements, type FilterStep, type MeasurementFilter } from './filter.js';
import type { Measurement } from './measurement.js';
import { readMeasurements, type MeasurementDefaults } from './read.js';
import type { DefaultedField } from './rows.js';

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

/**
 * Reads a measurement file (CSV, or JSON when it starts with `[` or ends in `.json`), validates
 * every row, and applies explicit filters, reporting each. A KV-cache filter also serves as the
 * default for rows (or files) without a `kv_cache` value, and the report counts them.
 *
 * @throws {SweetspotInputError} for an unreadable file, a file without rows, any bad row (all listed), or a bad filter.
 * @example
 * const data = await loadMeasurements('wilkins.csv', process.cwd(), { kvCache: false, excludeNotes: 'iteration 0' });
 * data.steps // [{ filter: 'kv_cache=off', before: 1355, kept: 1355, dropped: 0 }, …]
 * @category Fitting
 */
export async function loadMeasurements(path: string, cwd: string, filter: MeasurementFilter = {}, defaults: MeasurementDefaults = {}): Promise<LoadedMeasurements> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    throw new SweetspotInputError(`loadMeasurements('${path}'): cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const format = /\.json$/i.test(path) ? 'json' : undefined;
  const read = readMeasurements(text, { source: path, format, defaults: { ...defaults, ...(filter.kvCache !== undefined ? { kvCache: filter.kvCache } : {}) } });
  if (read.rows.length === 0) throw new SweetspotInputError(`loadMeasurements('${path}'): the file holds no measurement rows`);
  const { rows, steps } = filterMeasurements(read.rows, filter);
  return { path, read: read.rows.length, rows, steps, defaulted: read.defaulted };
}
