import { SweetspotInputError } from '../../errors.js';

/**
 * Limits of measurement files beyond their size in bytes (`READ_LIMITS.measurementBytes`), so
 * that no file, however odd, can make reading hang or take memory far beyond the file's own size
 * (docs/fitting.md#limits-on-untrusted-input):
 * - `recordChars`: characters in one CSV record (a line, or the lines a quoted field spans).
 *   Longer records are refused, which also keeps a quoted field left open from being re-read
 *   with every chunk of the file.
 * - `columns`: columns of a CSV header, or distinct keys over the objects of a JSON file. Each
 *   column costs memory in every row, whether the row fills it or not.
 * - `issues`: bad values listed before reading stops: the error then says where it stopped, so
 *   that a file of millions of bad rows fails at once instead of building a list as large.
 * - `shownChars`: characters of a bad value quoted in a message; longer values are cut and their
 *   length given.
 * - `rows`: rows read into row objects (`loadMeasurements`, `readMeasurements`; a JSON file for
 *   `loadMeasurementTable`). A row object kept 136 to 200 bytes in bench/load-rows.bench.mjs, so
 *   5·10⁶ of them up to about 1 GB; a longer file is refused as its rows are counted, before it
 *   exhausts the memory.
 *   `loadMeasurementTable` reads CSV files of any count into columns.
 *
 * @example
 * MEASUREMENT_LIMITS.columns // 1024
 */
export const MEASUREMENT_LIMITS = Object.freeze({
  recordChars: 1 << 20,
  columns: 1024,
  issues: 1000,
  shownChars: 64,
  rows: 5_000_000,
});

/**
 * Limits of a cross-validation (docs/fitting.md#limits-on-untrusted-input). Each fold holds the
 * index of every row (4 bytes each, its training and test rows together) and fits on its training
 * rows, so folds × rows bounds both the memory and the work: a k-fold over every configuration
 * of 2·10⁵ rows (k = 1000) took 786 MB for the folds alone, and at 5·10⁶ rows would take 20 GB.
 * - `folds`: folds of one scheme (`k` of a k-fold, the models of leave-one-model-out).
 * - `foldRows`: folds × rows (2²⁸ indices, 1 GiB).
 *
 * @example
 * CV_LIMITS.folds // 1000
 */
export const CV_LIMITS = Object.freeze({
  folds: 1000,
  foldRows: 2 ** 28,
});

/**
 * The refusal of a file with more than `limit` rows to read as row objects (`MEASUREMENT_LIMITS.rows`).
 *
 * @example
 * tooManyRows('big.csv', 5_000_000).message // 'big.csv: more than 5000000 rows, …'
 */
export function tooManyRows(source: string, limit: number): SweetspotInputError {
  return new SweetspotInputError(
    `${source}: more than ${limit} rows, the most read as row objects (MEASUREMENT_LIMITS.rows, which bounds their memory): read a file this large as CSV with loadMeasurementTable, which holds its rows as columns`,
  );
}
