import type { EnergyForm, FormContext } from '../../energy/form.js';
import { firstFew } from '../../first-few.js';
import { SweetspotInputError } from '../../errors.js';
import { fitForm, type FitFormOptions, type FitResult } from './fit-form.js';
import type { PriorSource } from './physics-prior.js';
import type { FormPrior } from './prior.js';
import { rowsAt, type FeatureList, type RowList } from '../data/row-list.js';
import { keyColumn } from '../data/key-column.js';

/** A form fitted to rows: one parameter set (`shared`) or one per model key (`per-model`). */
export interface FittedRows {
  readonly form: EnergyForm;
  /** Model key → fit; a shared form has the single key `*`. */
  readonly fits: ReadonlyMap<string, FitResult>;
  /** Predicted energy (J) of each given row. */
  predict(features: FeatureList, keys: RowList<string>): number[];
}

/**
 * The key of the shared parameter set in {@link FittedRows.fits}.
 *
 * @example
 * fitRows(hardwareForm({ staticPowerW: 55 }), x, m, keys, ctx).fits.get(SHARED_KEY)
 */
export const SHARED_KEY = '*';

/**
 * Fits a form to rows: per model key when the form's scope is `per-model`, else once over all
 * rows. The keys are model ids as the caller normalises them (preset ids where they resolve).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on forms and prepared data `calibrate` checked. It checks
 * nothing; junk fails inside it.
 * @throws {SweetspotInputError} when a fit cannot determine its parameters (naming the model), or
 *   when `predict` meets a model a per-model fit has no parameters for.
 * @example
 * const fitted = fitRows(sweetspotForm, features, measured, keys, {});
 * fitted.predict(features, keys) // in-sample predictions
 */
export function fitRows(
  form: EnergyForm,
  features: FeatureList,
  measuredJ: readonly number[],
  keys: RowList<string>,
  ctx: FormContext,
  options: Omit<FitFormOptions, 'ctx' | 'prior'> & { prior?: FormPrior | PriorSource } = {},
): FittedRows {
  const fits = new Map<string, FitResult>();
  const groups = new Map<string, number[] | null>();
  if (form.scope === 'per-model') {
    const { texts, codes } = keyColumn(keys);
    const rows = texts.map((): number[] => []);
    for (let i = 0; i < codes.length; i++) rows[codes[i]].push(i);
    texts.forEach((k, id) => groups.set(k, rows[id]));
  } else groups.set(SHARED_KEY, null);
  for (const [key, idx] of groups) {
    try {
      // A group of every row (a shared form, or one model) reads the rows as they are: no copies.
      const x = idx === null ? features : rowsAt(features, idx);
      const m = idx === null || idx.length === measuredJ.length ? measuredJ : idx.map((i) => measuredJ[i]);
      const labels = options.labels && idx !== null ? rowsAt(options.labels, idx) : options.labels;
      const prior = typeof options.prior === 'function' ? options.prior(key, x, m) : options.prior;
      fits.set(key, fitForm(form, x, m, { ...options, prior, ctx, labels }));
    } catch (error) {
      if (error instanceof SweetspotInputError && key !== SHARED_KEY) {
        throw new SweetspotInputError(`model ${key}: ${error.message}`, error.issues.map((s) => `model ${key}: ${s}`));
      }
      throw error;
    }
  }
  return {
    form,
    fits,
    predict(xs, ks) {
      const out = new Array<number>(xs.length);
      let last: string | undefined;
      let fit: FitResult | undefined;
      for (let i = 0; i < xs.length; i++) {
        const key = form.scope === 'per-model' ? ks.at(i)! : SHARED_KEY;
        if (key !== last) {
          fit = fits.get(key);
          last = key;
        }
        if (!fit) {
          throw new SweetspotInputError(
            `model ${key}: the per-model ${form.id} fit has no parameters for it (fitted: ${firstFew([...fits.keys()], ', ')})`,
          );
        }
        out[i] = form.predictJ(fit.theta, xs.at(i)!, ctx);
      }
      return out;
    },
  };
}
