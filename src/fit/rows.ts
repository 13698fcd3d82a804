import { SweetspotInputError } from '../errors.js';
import { measurementSchema, type Measurement, type MeasurementInput } from './measurement.js';

/**
 * A field that some rows left out and that took a default: which, the value, and how many rows.
 * Results that read measurements list these, so that nothing is assumed silently (a missing
 * `kvCache` is the KV-cache regime, a missing `batchSize` is 1).
 *
 * @example
 * const d: DefaultedField = { field: 'kvCache', value: true, rows: 36, source: 'schema' };
 * @category Fitting
 */
export interface DefaultedField {
  readonly field: 'kvCache' | 'batchSize' | 'gpu' | 'engine';
  readonly value: boolean | number | string;
  readonly rows: number;
  /** `given`: a default the caller passed (e.g. `readMeasurements({ defaults })`); `schema`: the schema's own. */
  readonly source: 'given' | 'schema';
}

/** Fields the schema fills in when a row leaves them out, with the value it uses. */
export const SCHEMA_DEFAULTS = { kvCache: true, batchSize: 1 } as const;

/**
 * Adds `n` rows that took `value` for `field` to a list of defaulted fields.
 *
 * @example
 * const list: DefaultedField[] = [];
 * addDefaulted(list, 'kvCache', true, 'schema', 1) // [{ field: 'kvCache', value: true, rows: 1, source: 'schema' }]
 */
export function addDefaulted(
  list: DefaultedField[],
  field: DefaultedField['field'],
  value: DefaultedField['value'],
  source: DefaultedField['source'],
  n = 1,
): DefaultedField[] {
  const k = list.findIndex((d) => d.field === field && d.value === value && d.source === source);
  if (k >= 0) list[k] = { ...list[k], rows: list[k].rows + n };
  else list.push({ field, value, rows: n, source });
  return list;
}

/**
 * Validates measurement rows given as plain objects (the schema's input type: rows from a
 * database, JSON, or `readMeasurements`), as `calibrate`, `evaluate` and `crossValidate` take them.
 * Every bad field of every row is reported with the row's index (`rows[3]`) and, for rows read from
 * a file, its line; fields the schema defaults are counted in `defaulted`.
 *
 * @throws {SweetspotInputError} naming `where`, each bad row by index and each bad field, all at once.
 * @example
 * const { rows, defaulted } = measurementRows([{ model: 'llama-2-7b', nIn: 128, nOut: 64, energyJ: 210.5 }], 'calibrate');
 * defaulted // [{ field: 'kvCache', value: true, rows: 1, source: 'schema' }, { field: 'batchSize', value: 1, rows: 1, source: 'schema' }]
 */
export function measurementRows(rows: readonly MeasurementInput[], where: string): { rows: Measurement[]; defaulted: DefaultedField[] } {
  if (!Array.isArray(rows)) throw new SweetspotInputError(`${where}(rows): expected an array of measurement rows, got ${rows === null ? 'null' : typeof rows}`);
  if (rows.length === 0) throw new SweetspotInputError(`${where}(rows): no rows left to use (check the filters)`);
  const issues: string[] = [];
  const out: Measurement[] = [];
  const defaulted: DefaultedField[] = [];
  let kv = 0;
  let batch = 0;
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      issues.push(`rows[${i}]: expected an object, got ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}`);
      return;
    }
    const parsed = measurementSchema().safeParse(row);
    if (!parsed.success) {
      const line = typeof row.line === 'number' ? ` (line ${row.line})` : '';
      for (const issue of parsed.error.issues) {
        const path = issue.path.length ? issue.path.join('.') : '(row)';
        const value = issue.path.length === 1 ? (row as Record<string, unknown>)[String(issue.path[0])] : undefined;
        issues.push(`rows[${i}]${line}: ${path}: ${value === undefined ? `${issue.message} (missing)` : `${issue.message} (got ${JSON.stringify(value)})`}`);
      }
      return;
    }
    if (row.kvCache === undefined) kv++;
    if (row.batchSize === undefined) batch++;
    out.push(parsed.data);
  });
  if (issues.length) {
    const shown = issues.slice(0, 5).join('; ');
    const more = issues.length > 5 ? `; … and ${issues.length - 5} more` : '';
    throw new SweetspotInputError(`${where}(rows): ${issues.length} bad value(s): ${shown}${more}`, issues);
  }
  if (kv) addDefaulted(defaulted, 'kvCache', SCHEMA_DEFAULTS.kvCache, 'schema', kv);
  if (batch) addDefaulted(defaulted, 'batchSize', SCHEMA_DEFAULTS.batchSize, 'schema', batch);
  return { rows: out, defaulted };
}
