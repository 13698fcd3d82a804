import { SweetspotInputError } from '../../errors.js';
import { checkWhere, shownValue } from '../../arguments.js';
import { withGpuCount } from './measurement.js';
import { MEASUREMENT_RULES, NUMBER_FIELD_RULES, measurementSchema, type Measurement, type MeasurementInput } from './measurement.js';
import { MEASUREMENT_LIMITS } from '../read/limits.js';

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

// The schema's field names, read once from the schema (built on first use, so zod loads then).
let fields: ReadonlySet<string> | undefined;
const measurementFields = (): ReadonlySet<string> => (fields ??= new Set(Object.keys(measurementSchema().shape)));

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const count = MEASUREMENT_RULES.count;
const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/**
 * Whether a row is already a whole valid measurement (every default present, nothing unknown):
 * what `readMeasurements` returns. Such rows are used as they are; zod parsing 10⁶ of them took
 * a second and a copy of every row. A row this test is unsure of goes through the schema, which
 * names what is wrong; it never accepts a row the schema would refuse.
 */
function isCompleteMeasurement(row: Record<string, unknown>): row is Measurement {
  if (!isPlain(row)) return false;
  const { model, nIn, nOut, energyJ, batchSize, gpu, gpus, engine, kvCache, latencyS, repeats, notes, line, extra } = row;
  if (gpus !== undefined && !MEASUREMENT_RULES.gpus(gpus)) return false;
  if (!MEASUREMENT_RULES.model(model) || !count(nIn) || !count(nOut) || !count(batchSize) || typeof kvCache !== 'boolean') return false;
  if (!NUMBER_FIELD_RULES.energyJ(energyJ)) return false;
  if (!optionalString(gpu) || !optionalString(engine) || !optionalString(notes)) return false;
  if (latencyS !== undefined && !NUMBER_FIELD_RULES.latencyS(latencyS)) return false;
  if ((repeats !== undefined && !count(repeats)) || (line !== undefined && !count(line))) return false;
  if (!isPlain(extra)) return false;
  for (const k in extra) if (typeof extra[k] !== 'string') return false;
  const known = measurementFields();
  for (const k in row) if (!known.has(k)) return false;
  return true;
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
  where = checkWhere('measurementRows', where);
  if (!Array.isArray(rows)) throw new SweetspotInputError(`${where}(rows): expected an array of measurement rows, got ${rows === null ? 'null' : typeof rows}`);
  if (rows.length === 0) throw new SweetspotInputError(`${where}(rows): no rows left to use (check the filters)`);
  const issues: string[] = [];
  const out: Measurement[] = [];
  const defaulted: DefaultedField[] = [];
  let kv = 0;
  let batch = 0;
  const visit = (row: MeasurementInput, i: number): void => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      issues.push(`rows[${i}]: expected an object, got ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}`);
      return;
    }
    const keep = (m: Measurement): void => {
      const c = withGpuCount(m);
      if ('error' in c) issues.push(`rows[${i}]${typeof row.line === 'number' ? ` (line ${row.line})` : ''}: ${c.error}`);
      else out.push(c);
    };
    if (isCompleteMeasurement(row as Record<string, unknown>)) {
      keep(row as Measurement);
      return;
    }
    const parsed = measurementSchema().safeParse(row);
    if (!parsed.success) {
      const line = typeof row.line === 'number' ? ` (line ${row.line})` : '';
      for (const issue of parsed.error.issues) {
        const path = issue.path.length ? issue.path.join('.') : '(row)';
        const value = issue.path.length === 1 ? (row as Record<string, unknown>)[String(issue.path[0])] : undefined;
        issues.push(`rows[${i}]${line}: ${path}: ${value === undefined ? `${issue.message} (missing)` : `${issue.message} (got ${shownValue(value)})`}`);
      }
      return;
    }
    if (row.kvCache === undefined) kv++;
    if (row.batchSize === undefined) batch++;
    keep(parsed.data);
  };
  // Every index, holes included: forEach skipped a hole (`[row, , row]`), and the row was lost without a word.
  // Checking stops at the MEASUREMENT_LIMITS.issues-th bad value, as reading a file does: an array
  // of 2³⁰ holes would otherwise list a billion of them.
  let stoppedAt: number | undefined;
  for (let i = 0; i < rows.length; i++) {
    visit(rows[i], i);
    if (issues.length >= MEASUREMENT_LIMITS.issues && i < rows.length - 1) {
      stoppedAt = i;
      break;
    }
  }
  if (issues.length) {
    const shown = issues.slice(0, 5).join('; ');
    const more = issues.length > 5 ? `; … and ${issues.length - 5} more` : '';
    const count = stoppedAt === undefined ? `${issues.length}` : `${issues.length}+`;
    const stopped = stoppedAt === undefined ? '' : ` (checking stopped at rows[${stoppedAt}] of ${rows.length}, after ${issues.length} issues)`;
    throw new SweetspotInputError(`${where}(rows): ${count} bad value(s)${stopped}: ${shown}${more}`, issues);
  }
  if (kv) addDefaulted(defaulted, 'kvCache', SCHEMA_DEFAULTS.kvCache, 'schema', kv);
  if (batch) addDefaulted(defaulted, 'batchSize', SCHEMA_DEFAULTS.batchSize, 'schema', batch);
  return { rows: out, defaulted };
}
