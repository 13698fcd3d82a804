import { SweetspotInputError } from '../../errors.js';
import { mulberry32 } from '../../prng.js';
import { columnValue } from '../data/filter.js';
import { fieldOf } from '../read/read.js';
import type { Measurement } from '../data/measurement.js';
import { configKey } from './repeats.js';

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

/** One fold: its name and the indices of its training and test rows. */
export interface FoldIndices {
  readonly name: string;
  readonly train: number[];
  readonly test: number[];
}

/**
 * A `groupBy` for {@link CvScheme} from column names (schema or extra columns, as `--where`
 * reads them): rows of one model with equal values in every column are one configuration.
 *
 * @throws {SweetspotInputError} for an empty list or a column that no row has.
 * @example
 * crossValidate(rows, { kind: 'k-fold', k: 5, groupBy: groupByColumns(rows, ['n_in', 'n_out_max']) }, { form })
 */
export function groupByColumns(rows: readonly Measurement[], columns: readonly string[]): (r: Measurement) => string {
  if (columns.length === 0) throw new SweetspotInputError('groupByColumns(rows, columns): give at least one column');
  for (const c of columns) {
    if (!fieldOf(c) && !rows.some((r) => Object.hasOwn(r.extra, c))) {
      throw new SweetspotInputError(`groupByColumns(rows, ['${c}']): no such column in the data`);
    }
  }
  return (r) => JSON.stringify(columns.map((c) => columnValue(r, c) ?? null));
}

/**
 * The folds of a scheme over rows whose model keys (preset ids where they resolve) are `keys`.
 *
 * @throws {SweetspotInputError} for k < 2, fewer configurations than folds, or leave-one-model-out
 *   with a single model.
 * @example
 * cvFolds(rows, keys, { kind: 'k-fold', k: 5 }).map((f) => f.test.length)
 */
export function cvFolds(rows: readonly Measurement[], keys: readonly string[], scheme: CvScheme): FoldIndices[] {
  const all = rows.map((_, i) => i);
  if (scheme.kind === 'split') {
    const train = all.filter((i) => scheme.train(rows[i]));
    // A row in both sets would be predicted in-sample: it stays in training only.
    const test = all.filter((i) => scheme.test(rows[i]) && !scheme.train(rows[i]));
    return [{ name: scheme.name, train, test }];
  }
  if (scheme.kind === 'leave-one-model-out') {
    const models = [...new Set(keys)];
    if (models.length < 2) throw new SweetspotInputError(`leave-one-model-out needs at least 2 models, the rows have ${models.length}`);
    return models.map((m) => ({ name: `without ${m}`, train: all.filter((i) => keys[i] !== m), test: all.filter((i) => keys[i] === m) }));
  }
  const { k, seed = 1, groupBy } = scheme;
  if (!Number.isInteger(k) || k < 2) throw new SweetspotInputError(`k-fold: k must be an integer ≥ 2, got ${k}`);
  // Configurations by model key (not the name as written: two spellings of one model must not
  // put repeats of one configuration into two folds).
  const byModel = new Map<string, Map<string, number[]>>();
  all.forEach((i) => {
    const model = keys[i];
    const key = groupBy ? groupBy(rows[i]) : configKey(rows[i], model);
    let configs = byModel.get(model);
    if (!configs) byModel.set(model, (configs = new Map()));
    const list = configs.get(key);
    if (list) list.push(i);
    else configs.set(key, [i]);
  });
  const count = [...byModel.values()].reduce((s, c) => s + c.size, 0);
  if (count < k) throw new SweetspotInputError(`k-fold: ${count} configurations cannot fill ${k} folds`);
  const rand = mulberry32(seed);
  const fold = new Array<number>(rows.length);
  let deal = 0;
  // Deal the configurations of each model in a shuffled order, continuing the deal across models.
  for (const configs of byModel.values()) {
    const gs = [...configs.values()];
    for (let i = gs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [gs[i], gs[j]] = [gs[j], gs[i]];
    }
    for (const g of gs) {
      for (const i of g) fold[i] = deal % k;
      deal++;
    }
  }
  return Array.from({ length: k }, (_, f) => ({
    name: `fold ${f + 1}/${k}`,
    train: all.filter((i) => fold[i] !== f),
    test: all.filter((i) => fold[i] === f),
  }));
}
