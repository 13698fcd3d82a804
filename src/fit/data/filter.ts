import { findPreset } from '../../architecture/resolve.js';
import { resolveProfile } from '../../energy/hardware/profiles.js';
import { SweetspotInputError } from '../../errors.js';
import { COLUMN_TO_FIELD, type Measurement } from './measurement.js';
import { fieldOf } from '../read/read.js';
import { checkFilter } from '../read/arguments.js';
import { SAFE_REGEX_LIMITS, checkSafeRegex, regexSteps } from './safe-regex.js';
import { selectRows, tableRow, type MeasurementTable } from './table.js';
import { checkObject } from '../../arguments.js';
import { checkString } from '../../errors.js';
import { checkMeasurementRows, checkRowsOrTable, checkTableArgument } from './check.js';

/** Explicit row filters. Each given filter is applied in turn and reported. */
export interface MeasurementFilter {
  /** Keep rows of this model: the same name (case-insensitive) or the same preset (`llama-2-7b` keeps `meta-llama/Llama-2-7b-chat-hf`). */
  readonly model?: string;
  /** Keep rows whose `gpu` equals this (case-insensitive) or resolves to the same hardware profile. */
  readonly gpu?: string;
  /** Keep rows whose `engine` equals this (case-insensitive). */
  readonly engine?: string;
  /** Keep rows of this KV-cache regime. */
  readonly kvCache?: boolean;
  /** `column=value` conditions on any column (schema or extra), all of which must hold. */
  readonly where?: readonly string[];
  /** Drop rows whose `notes` match this pattern (e.g. `iteration 0` for cold starts). */
  readonly excludeNotes?: string | RegExp;
}

/** How many rows one filter kept and dropped. */
export interface FilterStep {
  readonly filter: string;
  readonly before: number;
  readonly kept: number;
  readonly dropped: number;
}

/** The rows that pass, and one step per filter applied. */
export interface FilterResult {
  readonly rows: Measurement[];
  readonly steps: FilterStep[];
}

/**
 * The value of a column (schema field, snake or camel case, or an extra column) as text, as
 * `--where` compares it; `kv_cache` reads `on`/`off`.
 *
 * @example
 * columnValue(row, 'n_in') // '128'
 */
export function columnValue(row: Measurement, column: string): string | undefined {
  checkObject('columnValue(row)', row);
  checkString('columnValue(row, column)', column);
  const field = fieldOf(column);
  if (field) {
    // A row without a count ran on one GPU (docs/conventions.md#measurements): `--where gpus=1` keeps it.
    if (field === 'gpus') return String(row.gpus ?? 1);
    const v = row[field];
    if (v === undefined) return undefined;
    if (field === 'kvCache') return v ? 'on' : 'off';
    return String(v);
  }
  // Own keys only: a column named `constructor` must not read Object.prototype's.
  const extra = row.extra;
  return extra !== undefined && extra !== null && Object.hasOwn(extra, column) ? extra[column] : undefined;
}

function profileId(gpu: string): string | undefined {
  try {
    return resolveProfile(gpu).id;
  } catch {
    return undefined;
  }
}

function parseWhere(cond: string, columns: ReadonlySet<string>): { column: string; value: string } {
  const eq = cond.indexOf('=');
  if (eq <= 0) throw new SweetspotInputError(`filterMeasurements({ where: ['${cond}'] }): expected column=value`);
  const column = cond.slice(0, eq).trim();
  if (!fieldOf(column) && !columns.has(column)) {
    throw new SweetspotInputError(
      `filterMeasurements({ where: ['${cond}'] }): unknown column '${column}'; columns: ${[...Object.keys(COLUMN_TO_FIELD), ...columns].join(', ')}`,
    );
  }
  return { column, value: cond.slice(eq + 1).trim() };
}

/**
 * Applies explicit filters to measurements, in the order model, gpu, engine, kvCache, where,
 * excludeNotes, and reports how many rows each one kept and dropped. Nothing else is dropped.
 *
 * @throws {SweetspotInputError} on a malformed `where`, an unknown column, or a bad regex.
 * @example
 * const { rows, steps } = filterMeasurements(all, { where: ['system=argonne-swing'], excludeNotes: 'iteration 0' });
 * steps.map((s) => `${s.filter}: kept ${s.kept}, dropped ${s.dropped}`);
 * @category Fitting
 */
export function filterMeasurements(rows: readonly Measurement[], filter: MeasurementFilter): FilterResult {
  checkMeasurementRows('filterMeasurements(rows)', rows);
  checkFilter(filter, 'filterMeasurements(rows, filter)');
  const extraColumns = new Set<string>();
  for (const r of rows) if (r.extra) for (const k of Object.keys(r.extra)) extraColumns.add(k);
  const { kept, steps } = filterIndices(rows.length, (i) => rows[i], (i) => rows[i].notes, extraColumns, filter);
  return { rows: kept === null ? [...rows] : kept.map((i) => rows[i]), steps };
}

/**
 * {@link filterMeasurements} on a table: the rows that pass as a table (the same table when no
 * filter is given), and the same steps.
 *
 * @throws {SweetspotInputError} as {@link filterMeasurements}.
 * @example
 * const { table: kept, steps } = filterTable(table, { kvCache: false });
 * @category Fitting
 */
export function filterTable(table: MeasurementTable, filter: MeasurementFilter): { table: MeasurementTable; steps: FilterStep[] } {
  checkTableArgument('filterTable(table)', table);
  checkFilter(filter, 'filterTable(table, filter)');
  const { codes, texts } = table.notes;
  const noteAt = (i: number) => (codes[i] < 0 ? undefined : texts[codes[i]]);
  const { kept, steps } = filterIndices(table.length, (i) => tableRow(table, i), noteAt, new Set(table.extra.keys()), filter);
  return { table: kept === null ? table : selectRows(table, kept), steps };
}

/**
 * The indices of the rows that pass every filter (null when no filter is given) and one step per
 * filter. Each row is looked at once, through the filters in order up to the first it fails, so
 * that the counts are those of applying the filters one after another.
 */
function filterIndices(
  n: number,
  rowAt: (i: number) => Measurement,
  // The notes alone, for the pass over the distinct notes: no row object made for it.
  noteAt: (i: number) => string | undefined,
  extraColumns: ReadonlySet<string>,
  given: MeasurementFilter | undefined,
): { kept: number[] | null; steps: FilterStep[] } {
  // No filter (undefined, as checkFilter lets through) keeps every row.
  const filter: MeasurementFilter = given ?? {};
  const tests: { name: string; keep: (r: Measurement) => boolean }[] = [];
  const apply = (name: string, keep: (r: Measurement) => boolean) => void tests.push({ name, keep });
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (filter.model !== undefined) {
    const wanted = findPreset(filter.model)?.id;
    apply(`model=${filter.model}`, (r) => same(r.model, filter.model!) || (wanted !== undefined && findPreset(r.model)?.id === wanted));
  }
  if (filter.gpu !== undefined) {
    const wanted = profileId(filter.gpu);
    apply(`gpu=${filter.gpu}`, (r) => same(r.gpu, filter.gpu!) || (wanted !== undefined && r.gpu !== undefined && profileId(r.gpu) === wanted));
  }
  if (filter.engine !== undefined) apply(`engine=${filter.engine}`, (r) => same(r.engine, filter.engine!));
  if (filter.kvCache !== undefined) apply(`kv_cache=${filter.kvCache ? 'on' : 'off'}`, (r) => r.kvCache === filter.kvCache);
  for (const cond of filter.where ?? []) {
    const { column, value } = parseWhere(cond, extraColumns);
    apply(`${column}=${value}`, (r) => columnValue(r, column) === value);
  }
  if (filter.excludeNotes !== undefined) {
    const given = filter.excludeNotes;
    const cost = checkSafeRegex(typeof given === 'string' ? given : given.source, '--exclude-notes', typeof given === 'string' ? '' : given.flags);
    let re: RegExp;
    try {
      re = typeof given === 'string' ? new RegExp(given) : new RegExp(given.source, given.flags.replace(/[gy]/g, ''));
    } catch (error) {
      throw new SweetspotInputError(`filterMeasurements({ excludeNotes }): bad regular expression: ${(error as Error).message}`);
    }
    // Each distinct note is matched once, and only if the pattern's worst case over all of them
    // stays within SAFE_REGEX_LIMITS.maxSteps (a 1 MB note would take .*a.*b hours).
    const matched = new Map<string, boolean>();
    let steps = 0;
    let longest = 0;
    for (let i = 0; i < n; i++) {
      const note = noteAt(i);
      if (note === undefined || matched.has(note)) continue;
      matched.set(note, false);
      steps += regexSteps(cost, note.length);
      longest = Math.max(longest, note.length);
    }
    if (steps > SAFE_REGEX_LIMITS.maxSteps) {
      throw new SweetspotInputError(
        `--exclude-notes: the regular expression could take up to ${steps.toPrecision(3)} steps on these notes (${matched.size} distinct, the longest ${longest} characters), more than the limit of ${SAFE_REGEX_LIMITS.maxSteps}: use fewer unbounded quantifiers (it has ${cost.wide}) or filter the notes first`,
      );
    }
    for (const note of matched.keys()) matched.set(note, re.test(note));
    apply(`notes!~/${re.source}/`, (r) => !(r.notes !== undefined && matched.get(r.notes) === true));
  }
  if (tests.length === 0) return { kept: null, steps: [] };
  const passed = new Array<number>(tests.length).fill(0);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rowAt(i);
    let t = 0;
    while (t < tests.length && tests[t].keep(r)) passed[t++]++;
    if (t === tests.length) kept.push(i);
  }
  let before = n;
  const steps = tests.map(({ name }, t) => {
    const step = { filter: name, before, kept: passed[t], dropped: before - passed[t] };
    before = passed[t];
    return step;
  });
  return { kept, steps };
}
