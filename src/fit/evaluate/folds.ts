import { SweetspotInputError } from '../../errors.js';
import { mulberry32 } from '../../prng.js';
import { columnValue } from '../data/filter.js';
import { fieldOf } from '../read/read.js';
import type { Measurement } from '../data/measurement.js';
import { keyColumn } from '../data/key-column.js';
import type { RowList } from '../data/row-list.js';
import { gpusAt, isMeasurementTable, tableFromRows, tableRow, type MeasurementTable, type TextColumn } from '../data/table.js';
import { repeatsOf } from './repeats.js';
import { groupByCode } from './group-codes.js';
import { checkShape, kindOf, shownValue } from '../../arguments.js';
import { checkRowsOrTable } from '../data/check.js';
import { checkRowList } from '../data/row-list.js';
import { CV_LIMITS } from '../read/limits.js';

/**
 * How rows are split: `k-fold` over measured configurations (repeats of one configuration stay in
 * one fold, so they cannot leak; configurations are dealt to folds model by model), leave one
 * model out (for shared forms: predicts a model never seen), or one named train/test split (e.g.
 * train on the input sweep, test on the output sweep).
 *
 * `groupBy` says which rows are repeats of one configuration when the lengths alone do not: an
 * engine that stops early, or lengths re-tokenised after the run, scatter the repeats of one
 * requested configuration over several `n_out` (Wilkins: the `n_out` of `max_new_tokens = 4096` span
 * 3735–4096). Without it, those rows would be dealt to different folds and a test row would be
 * predicted from its own configuration's repeats. See {@link groupByColumns}.
 *
 * @example
 * const scheme: CvScheme = { kind: 'k-fold', k: 5, groupBy: groupByColumns(rows, ['n_in', 'n_out_max']) };
 * @category Fitting
 */
export type CvScheme =
  | { readonly kind: 'k-fold'; readonly k: number; readonly seed?: number; readonly groupBy?: (r: Measurement) => string }
  | { readonly kind: 'leave-one-model-out' }
  | { readonly kind: 'split'; readonly name: string; readonly train: (r: Measurement) => boolean; readonly test: (r: Measurement) => boolean };

/**
 * One fold: its name and the indices of its training and test rows, each in row order (index
 * arrays, 4 bytes a row, so that the folds of 10⁶ rows are a few MB).
 */
export interface FoldIndices {
  readonly name: string;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * A `groupBy` for {@link CvScheme} from column names (schema or extra columns, as `--where`
 * reads them): rows of one model with equal values in every column are one configuration. The
 * rows may be measurement objects or a {@link MeasurementTable}; only the column names are read.
 *
 * @throws {SweetspotInputError} for an empty list or a column that no row has.
 * @example
 * crossValidate(rows, { kind: 'k-fold', k: 5, groupBy: groupByColumns(rows, ['n_in', 'n_out_max']) }, { form })
 */
export function groupByColumns(rows: readonly Measurement[] | MeasurementTable, columns: readonly string[]): (r: Measurement) => string {
  checkRowsOrTable('groupByColumns(rows)', rows);
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) throw new SweetspotInputError(`groupByColumns(rows, columns): expected an array of column names, got ${kindOf(columns)}`);
  if (columns.length === 0) throw new SweetspotInputError('groupByColumns(rows, columns): give at least one column');
  const hasExtra = (c: string) => (isMeasurementTable(rows) ? (rows.extra.get(c)?.codes.some((k) => k >= 0) ?? false) : rows.some((r) => Object.hasOwn(r.extra, c)));
  for (const c of columns) {
    if (!fieldOf(c) && !hasExtra(c)) throw new SweetspotInputError(`groupByColumns(rows, ['${c}']): no such column in the data`);
  }
  const groupBy = (r: Measurement) => JSON.stringify(columns.map((c) => columnValue(r, c) ?? null));
  GROUP_COLUMNS.set(groupBy, [...columns]);
  return groupBy;
}

/** The columns behind each `groupBy` that {@link groupByColumns} made: a table's keys are then read from its columns, without a row object. */
const GROUP_COLUMNS = new WeakMap<(r: Measurement) => string, readonly string[]>();

/** Row i's value of a column as `columnValue` gives it for the row's object, read from the table. */
function columnReader(t: MeasurementTable, column: string): (i: number) => string | undefined {
  const text = (c: TextColumn | undefined) => (i: number) => {
    const k = c ? c.codes[i] : -1;
    return k < 0 ? undefined : c!.texts[k];
  };
  const field = fieldOf(column);
  if (field === undefined) return text(t.extra.get(column));
  if (field === 'model' || field === 'gpu' || field === 'engine' || field === 'notes') return text(t[field]);
  if (field === 'kvCache') return (i) => (t.kvCache[i] === 1 ? 'on' : 'off');
  if (field === 'gpus') return (i) => String(gpusAt(t, i));
  const values = t[field];
  // NaN is an absent optional number (latencyS, repeats), as the row object leaves it out.
  return (i) => (Number.isNaN(values[i]) ? undefined : String(values[i]));
}

/**
 * The configurations of the rows, by first appearance, as runs of row indices: by `configKey` with
 * the model key for the model, or by model key and `groupBy`.
 */
function configurations(t: MeasurementTable, keys: TextColumn, groupBy: ((r: Measurement) => string) | undefined): { count: number; start: Int32Array; rows: Int32Array } {
  if (!groupBy) return repeatsOf({ ...t, model: keys });
  const n = t.length;
  const columns = GROUP_COLUMNS.get(groupBy);
  const readers = columns?.map((c) => columnReader(t, c));
  // Any other groupBy sees one row object at a time, dropped after its key is read.
  const keyOf = readers ? (i: number) => JSON.stringify(readers.map((read) => read(i) ?? null)) : (i: number) => groupBy(tableRow(t, i));
  const groupOf = new Int32Array(n);
  const byModel = new Map<number, Map<string, number>>();
  let count = 0;
  for (let i = 0; i < n; i++) {
    const model = keys.codes[i];
    let groups = byModel.get(model);
    if (!groups) byModel.set(model, (groups = new Map()));
    const key = keyOf(i);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = count++));
    groupOf[i] = g;
  }
  const { start, order } = groupByCode(groupOf, count);
  return { count, start, rows: order };
}

/** The rows (in order) where `pick` holds, and the others. */
function partition(n: number, pick: (i: number) => boolean): { yes: Int32Array; no: Int32Array } {
  const mask = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!pick(i)) continue;
    mask[i] = 1;
    count++;
  }
  const yes = new Int32Array(count);
  const no = new Int32Array(n - count);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (mask[i]) yes[a++] = i;
    else no[b++] = i;
  }
  return { yes, no };
}

/** Refuses more folds than {@link CV_LIMITS} allows, before any fold is built. */
function checkFoldCount(scheme: string, folds: number, rows: number): void {
  const { folds: most, foldRows } = CV_LIMITS;
  if (folds > most) throw new SweetspotInputError(`${scheme}: ${folds} folds, more than CV_LIMITS.folds (${most}): each fold is a fit`);
  if (folds * rows > foldRows) {
    throw new SweetspotInputError(
      `${scheme}: ${folds} folds × ${rows} rows = ${folds * rows} row indices, more than CV_LIMITS.foldRows (${foldRows}, 1 GiB): use at most ${Math.max(1, Math.floor(foldRows / rows))} folds, or fewer rows`,
    );
  }
}

/**
 * The folds of a scheme over rows (measurement objects or a {@link MeasurementTable}) whose model
 * keys (preset ids where they resolve) are `keys`. A table is read column by column; `groupBy` and
 * a split's predicates see one row object at a time.
 *
 * @throws {SweetspotInputError} for k < 2, fewer configurations than folds, or leave-one-model-out
 *   with a single model.
 * @example
 * cvFolds(rows, keys, { kind: 'k-fold', k: 5 }).map((f) => f.test.length)
 */
export function cvFolds(input: readonly Measurement[] | MeasurementTable, keys: RowList<string>, scheme: CvScheme): FoldIndices[] {
  checkRowsOrTable('cvFolds(rows)', input);
  checkRowList('cvFolds(rows, keys)', keys);
  checkShape('cvFolds(rows, keys, scheme)', scheme, 'a CvScheme', { kind: 'string' });
  const t = isMeasurementTable(input) ? input : tableFromRows(input);
  const n = t.length;
  const row = isMeasurementTable(input) ? (i: number) => tableRow(t, i) : (i: number) => input[i];
  if (scheme.kind === 'split') {
    // One row object per row for both predicates. A row in both sets would be predicted
    // in-sample: it stays in training only, and `test` is asked only of the others.
    const inTest = new Uint8Array(n);
    const inTrain = partition(n, (i) => {
      const r = row(i);
      if (scheme.train(r)) return true;
      inTest[i] = scheme.test(r) ? 1 : 0;
      return false;
    });
    const test = inTrain.no.filter((i) => inTest[i] === 1);
    return [{ name: scheme.name, train: inTrain.yes, test }];
  }
  const model = keyColumn(keys);
  if (scheme.kind === 'leave-one-model-out') {
    const models = model.texts;
    if (models.length < 2) throw new SweetspotInputError(`leave-one-model-out needs at least 2 models, the rows have ${models.length}`);
    checkFoldCount('leave-one-model-out', models.length, n);
    return models.map((m, code) => {
      const { yes, no } = partition(n, (i) => model.codes[i] === code);
      return { name: `without ${m}`, train: no, test: yes };
    });
  }
  const { k, seed = 1, groupBy } = scheme;
  if (!Number.isInteger(k) || k < 2) throw new SweetspotInputError(`k-fold: k must be an integer ≥ 2, got ${shownValue(k)}`);
  checkFoldCount('k-fold', k, n);
  // Configurations by model key (not the name as written: two spellings of one model must not
  // put repeats of one configuration into two folds).
  const { count, start, rows } = configurations(t, model, groupBy);
  if (count < k) throw new SweetspotInputError(`k-fold: ${count} configurations cannot fill ${k} folds`);
  const byModel = new Map<number, number[]>();
  for (let g = 0; g < count; g++) {
    const m = model.codes[rows[start[g]]];
    const list = byModel.get(m);
    if (list) list.push(g);
    else byModel.set(m, [g]);
  }
  const rand = mulberry32(seed);
  const fold = new Int32Array(n);
  let deal = 0;
  // Deal the configurations of each model in a shuffled order, continuing the deal across models.
  for (const gs of byModel.values()) {
    for (let i = gs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [gs[i], gs[j]] = [gs[j], gs[i]];
    }
    for (const g of gs) {
      for (let r = start[g]; r < start[g + 1]; r++) fold[rows[r]] = deal % k;
      deal++;
    }
  }
  return Array.from({ length: k }, (_, f) => {
    const { yes, no } = partition(n, (i) => fold[i] === f);
    return { name: `fold ${f + 1}/${k}`, train: no, test: yes };
  });
}
