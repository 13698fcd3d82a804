import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { SweetspotInputError, checkString } from '../../errors.js';
import { checkKeys } from '../../options.js';
import { parseCsv } from '../../fit/read/csv.js';
import { READ_LIMITS } from '../../text-input.js';
import { MEASUREMENT_COLUMNS } from '../../fit/data/measurement.js';
import { pointKey } from './grid.js';
import { shownValue } from '../../arguments.js';

/**
 * Columns a campaign writes: the measurement schema's (which the fitter reads) then extras the
 * fitter keeps verbatim for filtering. `energy_j` is the GPU energy of the whole request window;
 * `active_energy_j` subtracts idle power × window duration.
 */
export const CAMPAIGN_EXTRA_COLUMNS = [
  'repeat',
  'gpu_indices',
  'energy_method',
  'window_s',
  'sampling_period_s',
  'idle_power_w',
  'active_energy_j',
  'usage_prompt_tokens',
  'usage_completion_tokens',
  'usage_ok',
  'flags',
  'started_at',
] as const;

/**
 * Every column of a campaign CSV, in order.
 *
 * @example
 * ```ts
 * CAMPAIGN_COLUMNS.indexOf('energy_j'); // → 3
 * ```
 */
export const CAMPAIGN_COLUMNS = [...MEASUREMENT_COLUMNS, ...CAMPAIGN_EXTRA_COLUMNS] as const;

const COLUMN_SET: ReadonlySet<string> = new Set(CAMPAIGN_COLUMNS);

/** One row of a campaign CSV; absent values are written as empty cells. */
export type CampaignRow = Partial<Record<(typeof CAMPAIGN_COLUMNS)[number], string | number | boolean>>;

/**
 * Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180).
 *
 * @example
 * ```ts
 * csvCell('a,b'); // → '"a,b"'
 * ```
 */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new SweetspotInputError(`csvCell(value): expected a string, a number, a boolean or undefined, got ${shownValue(value)}`);
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What an existing campaign file holds, for resuming. */
export interface CampaignFileState {
  /** Rows already measured per {@link pointKey}, for the given model. */
  readonly done: Map<string, number>;
  /** Data rows in the file (every model). */
  readonly rows: number;
  /** A crash left half a row at the end; it was cut off. */
  readonly truncatedPartialRow: boolean;
}

/**
 * Reads a campaign CSV written earlier to learn which requests are done. A missing or empty file
 * means nothing is done. A file with other columns is refused, untouched, rather than appended to.
 * In a campaign file, text after the last newline (a row cut short by a crash) is cut off the file.
 *
 * @example
 * ```ts
 * const { done } = readCampaignFile('runs/opt.csv', 'facebook/opt-1.3b');
 * done.get('64x64'); // repeats of (64, 64) already measured
 * ```
 */
export function readCampaignFile(path: string, model: string): CampaignFileState {
  // Not a string, `existsSync` says false and the file reads as "nothing done".
  checkString('readCampaignFile(path)', path);
  checkString('readCampaignFile(model)', model);
  const done = new Map<string, number>();
  if (!existsSync(path)) return { done, rows: 0, truncatedPartialRow: false };
  const stats = statSync(path);
  if (!stats.isFile()) throw new SweetspotInputError(`${path} is not a regular file (a directory or a device); give a file name for --csv`);
  // Past the limit the fitter would refuse the file anyway (READ_LIMITS.measurementBytes): start another.
  if (stats.size > READ_LIMITS.measurementBytes) {
    throw new SweetspotInputError(`${path} is larger than the limit of ${READ_LIMITS.measurementBytes} bytes of a measurement file (${stats.size} bytes); give another --csv file`);
  }
  let text = readFileSync(path, 'utf8');
  // A BOM (an editor's) is not part of the header; it is kept in the file, where every reader skips it.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  text = text.slice(bom);
  // Check the header before touching the file: someone else's CSV must never lose its last line.
  const headerLine = CAMPAIGN_COLUMNS.join(',');
  const newline = text.indexOf('\n');
  const tornHeader = newline < 0 && headerLine.startsWith(text);
  const firstLine = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
  if (text.length > 0 && !tornHeader && firstLine !== headerLine) {
    throw new SweetspotInputError(
      `${path} exists but its columns are not those of a sweetspot campaign (${firstLine.split(',').slice(0, 4).join(',')}…); ` +
        'give another --csv file, or move this one away',
    );
  }
  let truncatedPartialRow = false;
  if (text.length > 0 && !text.endsWith('\n')) {
    // Rows are written whole and flushed, so text after the last newline is a write cut short.
    const keep = text.lastIndexOf('\n') + 1;
    truncateSync(path, bom * 3 + Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
    truncatedPartialRow = true;
  }
  if (text.length === 0) return { done, rows: 0, truncatedPartialRow };
  // The fitter's own parser (the header was checked above), so both read a campaign file alike.
  const { records } = parseCsv(text, path);
  const col = (name: (typeof CAMPAIGN_COLUMNS)[number]) => CAMPAIGN_COLUMNS.indexOf(name);
  for (const { line, fields: cells } of records) {
    const nIn = Number(cells[col('n_in')]);
    const nOut = Number(cells[col('n_out')]);
    if (cells.length !== CAMPAIGN_COLUMNS.length || !Number.isSafeInteger(nIn) || !Number.isSafeInteger(nOut)) {
      throw new SweetspotInputError(`${path}: line ${line}: not a campaign row (${cells.length} cells, n_in='${cells[col('n_in')]}', n_out='${cells[col('n_out')]}')`);
    }
    if (cells[col('model')] !== model) continue;
    const key = pointKey(nIn, nOut);
    done.set(key, (done.get(key) ?? 0) + 1);
  }
  return { done, rows: records.length, truncatedPartialRow };
}

/**
 * Appends rows to a campaign CSV, writing the header first when the file is new or empty. Each
 * row is one write followed by fsync, so a crash loses at most the row being written.
 *
 * @example
 * ```ts
 * const out = new CampaignCsvWriter('runs/opt.csv');
 * out.append({ model: 'facebook/opt-1.3b', n_in: 64, n_out: 64, energy_j: 12.5 });
 * out.close();
 * ```
 */
export class CampaignCsvWriter {
  readonly path: string;
  #fd: number | undefined;

  constructor(path: string) {
    this.path = path;
    try {
      this.#fd = openSync(path, 'a');
    } catch (error) {
      throw new SweetspotInputError(`cannot write the measurements file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!fstatSync(this.#fd).isFile()) {
      closeSync(this.#fd);
      this.#fd = undefined;
      throw new SweetspotInputError(`cannot write the measurements file ${path}: not a regular file`);
    }
    if (fstatSync(this.#fd).size === 0) this.#write(`${CAMPAIGN_COLUMNS.join(',')}\n`);
  }

  #write(text: string): void {
    if (this.#fd === undefined) throw new Error(`${this.path}: writer is closed`);
    try {
      writeSync(this.#fd, text);
      fsyncSync(this.#fd);
    } catch (error) {
      // A full disk or a lost mount: one line naming the file; the rows before this one are kept.
      throw new SweetspotInputError(`cannot write the measurements file ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  /** Writes one row and flushes it to disk; a key that is not a campaign column is refused, nothing written. */
  append(row: CampaignRow): void {
    // A misspelt column (`energy_J`) would be written as an empty cell.
    checkKeys('CampaignCsvWriter.append(row)', row, COLUMN_SET);
    this.#write(`${CAMPAIGN_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
