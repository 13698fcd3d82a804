import type { EnergyForm, FormContext } from '../../energy/form.js';
import { linearForm } from '../../energy/forms/linear.js';
import { perParamForm } from '../../energy/forms/per-param.js';
import type { HardwareProfile } from '../../energy/hardware/profile.js';
import { formContext } from '../../energy/hardware/precision.js';
import { resolveProfile } from '../../energy/hardware/profiles.js';
import { SweetspotInputError } from '../../errors.js';
import { perKeyErrors, wavesOption } from '../calibrate.js';
import { fitRows, SHARED_KEY } from '../solve/fit-rows.js';
import type { FitResult } from '../solve/fit-form.js';
import type { RequestFeatures } from '../../complexity/features.js';
import { isCoverage, nearOne, normalQuantile } from '../../energy/predict/interval.js';
import { priorSource, type PriorOption } from '../solve/physics-prior.js';
import { resolveArchitecture } from '../../architecture/resolve.js';
import type { LmOptions } from '../solve/lm.js';
import type { MeasurementInput } from '../data/measurement.js';
import { pinParams } from '../solve/pin.js';
import type { DefaultedField } from '../data/rows.js';
import { measurementTable } from '../data/input.js';
import { usedTexts, type MeasurementTable, type TextColumn } from '../data/table.js';
import { rowsAt } from '../data/row-list.js';
import { readsSizesOnly } from '../features.js';
import { errorMetrics } from './metrics.js';
import { checkKeys, optionKeys } from '../../options.js';
import { prepareTable, preparedAt, requireArchitectures, type PrepareOptions, type PreparedData } from '../prepare.js';
import { keyColumn } from '../data/key-column.js';
import { cvFolds, type CvScheme, type FoldIndices } from './folds.js';
import { groupByCode } from './group-codes.js';
import { noiseFloor, type NoiseFloor } from './repeats.js';
import { type FitRemedies, LIBRARY_REMEDIES } from '../remedies.js';
import { shownValue } from '../../arguments.js';

/** Options of {@link crossValidate}. */
export interface CvOptions extends Omit<PrepareOptions, 'waveMemoryBytes'> {
  readonly form: EnergyForm;
  /** Rows that exceed the GPUs' memory ran in waves: see `CalibrateOptions.waves`. */
  readonly waves?: boolean;
  /** Parameters pinned to values in every fold (e.g. `{ staticPowerW: 55 }`): see `pinParams`. */
  readonly fix?: Readonly<Record<string, number>>;
  /** Compared on the same folds (default linear and per-param). */
  readonly baselines?: readonly EnergyForm[];
  readonly profile?: HardwareProfile;
  readonly precision?: string;
  readonly lm?: LmOptions;
  /** The fitted form's prior, as {@link CalibrateOptions.prior} (default `physics`); baselines get none. */
  readonly prior?: PriorOption;
  /** Nominal level of the intervals whose coverage is measured (default 0.9). */
  readonly level?: number;
}

// Every key of CvOptions, checked complete at compile time (src/options.ts).
const CV_KEYS = optionKeys<CvOptions>()('form', 'fix', 'baselines', 'profile', 'precision', 'lm', 'prior', 'level', 'resolve', 'weightBytes', 'kvBytes', 'attention', 'terms', 'waves');
// crossValidate's refusals name crossValidate's own options.
const CV_REMEDIES: FitRemedies = { ...LIBRARY_REMEDIES, pin: 'crossValidate({ fix: { NAME: value } })', profile: 'crossValidate({ profile: resolveProfile(NAME) })' };

/** One fold of one form. */
export interface CvFold {
  readonly name: string;
  readonly trainRows: number;
  readonly testRows: number;
  readonly mape?: number;
  /** Why this fold could not be fitted or predicted. */
  readonly error?: string;
}

/** Cross-validated errors of one form. */
export interface CvFormResult {
  readonly form: string;
  /** MAPE (%) over every test row of the folds that could be fitted; null when none could. */
  readonly mape: number | null;
  readonly maxApe: number | null;
  /** Test rows predicted. */
  readonly n: number;
  /** Test rows that could not be predicted (their fold or model failed: see `folds`). */
  readonly unpredicted: number;
  /** Folds (per model, for per-model forms) that could not be fitted. */
  readonly failedFolds: number;
  readonly folds: CvFold[];
  readonly perModel: Record<string, { mape: number; n: number }>;
  /**
   * Empirical coverage of the prediction intervals (docs/fitting.md#prediction-intervals): the
   * fraction of test rows inside the interval their training fit gives, beside the nominal level.
   * Null for the baselines and for forms without an analytic gradient.
   */
  readonly coverage: IntervalCoverage | null;
}

/** How often held-out rows fell inside their prediction interval. */
export interface IntervalCoverage {
  /** Nominal level, e.g. 0.9. */
  readonly level: number;
  /** Test rows inside their interval / test rows with an interval. */
  readonly rate: number;
  readonly n: number;
  /** Median width of the intervals, as highJ/lowJ. */
  readonly medianWidthRatio: number;
}

/**
 * What {@link crossValidate} returns: the form and each baseline on the same folds.
 *
 * @example
 * const cv: CvResult = crossValidate(rows, { kind: 'leave-one-model-out' }, { form: hardwareForm() });
 * cv.results.hardware.mape
 * @category Fitting
 */
export interface CvResult {
  readonly scheme: string;
  readonly noiseFloor: NoiseFloor;
  /** Form id → result; the form first, then the baselines. */
  readonly results: Record<string, CvFormResult>;
  /** Fields the rows left out and the value each took (e.g. `kvCache: true`, the KV-cache regime). */
  readonly defaulted: DefaultedField[];
}

/**
 * σ of log E for one prediction of a fit: √(residualSigma² + gᵀΣg), g = ∂log E/∂θ (the interval
 * of `intervalOf`, computed from the fit rather than a calibration document).
 */
function intervalSdLog(form: EnergyForm, fit: FitResult, x: RequestFeatures, e: number, ctx: FormContext, g: Float64Array): number | null {
  if (fit.residualSigma === null) return null;
  let v = fit.residualSigma ** 2;
  if (fit.covariance && form.gradient) {
    g.fill(0);
    form.gradient(fit.theta, x, ctx, g);
    for (let a = 0; a < g.length; a++) for (let b = 0; b < g.length; b++) v += ((g[a] / e) * fit.covariance[a][b] * g[b]) / e;
  }
  return Math.sqrt(Math.max(v, 0));
}

/** A (fold, model) of a per-model form, or the whole fold of a shared one: what one fit is made on. */
interface FitUnit {
  readonly name: string;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * The fold split model by model (in order of first appearance among its test rows), so that a
 * per-model form's model the rows cannot determine fails alone. `models` are the rows' model keys
 * as codes (`keyColumn`).
 */
function perModelUnits(f: FoldIndices, models: TextColumn): FitUnit[] {
  const { texts, codes } = models;
  // Each model's place among the units, or -1 for a model absent from the test rows.
  const unitOf = new Int32Array(texts.length).fill(-1);
  const order: number[] = [];
  for (let k = 0; k < f.test.length; k++) {
    const c = codes[f.test[k]];
    if (unitOf[c] < 0) unitOf[c] = order.push(c) - 1;
  }
  // One model in the test rows and no other in training: the fold is the unit, as it is.
  if (order.length === 1 && f.train.every((i) => codes[i] === order[0])) return [{ name: `${f.name}, ${texts[order[0]]}`, train: f.train, test: f.test }];
  // Each unit's rows of idx, in order; rows of a model absent from the test rows (unit −1) in none.
  const split = (idx: Int32Array): Int32Array[] => {
    const units = new Int32Array(idx.length);
    for (let k = 0; k < idx.length; k++) units[k] = unitOf[codes[idx[k]]];
    const { start, order: at } = groupByCode(units, order.length);
    for (let k = 0; k < at.length; k++) at[k] = idx[at[k]];
    return Array.from(order, (_, u) => at.subarray(start[u], start[u + 1]));
  };
  const train = split(f.train);
  const test = split(f.test);
  return order.map((c, u) => ({ name: `${f.name}, ${texts[c]}`, train: train[u], test: test[u] }));
}

/**
 * Cross-validates a form and the baselines on the same folds: each fold is fitted on its training
 * rows and predicts its test rows, and the test errors are pooled. A fold whose training rows cannot
 * determine the parameters (or whose test rows hold a model a per-model form never saw) is reported
 * with its reason, never silently dropped.
 *
 * Rows may be plain objects (the schema's input type; validated, and fields left out listed in
 * `defaulted`) or a {@link MeasurementTable} (`loadMeasurementTable`; checked column by column,
 * `defaulted` empty), as `calibrate` and `evaluate` take them: plain rows become a table and run
 * the same code. Folds are index arrays and each fold's rows are views on the table's prepared
 * columns, so that 10⁶ rows are cross-validated without an object per row
 * (docs/fitting.md#measurement-tables). A `groupBy` or a split's predicates see one row object
 * at a time.
 *
 * @throws {SweetspotInputError} for bad rows (by index) or cells (by line), a bad scheme, or a form
 *   needing one GPU's profile when the rows name several.
 * @example
 * const cv = crossValidate(rows, { kind: 'k-fold', k: 5 }, { form: sweetspotForm });
 * cv.results.sweetspot.mape; cv.results.linear.mape
 * crossValidate((await loadMeasurementTable('sweep.csv', process.cwd())).table, { kind: 'k-fold', k: 5 }, { form: sweetspotForm })
 * @category Fitting
 */
export function crossValidate(input: readonly MeasurementInput[] | MeasurementTable, scheme: CvScheme, options: CvOptions): CvResult {
  return crossValidateWith(input, scheme, options, CV_REMEDIES);
}

/**
 * {@link crossValidate}, its refusals telling the caller what to do in the caller's own terms
 * (`remedies`: the command line passes its flags). Internal.
 *
 * @example
 * crossValidateWith(table, { kind: 'k-fold', k: 5 }, { form: sweetspotForm }, CV_REMEDIES)
 */
export function crossValidateWith(input: readonly MeasurementInput[] | MeasurementTable, scheme: CvScheme, options: CvOptions, remedies: FitRemedies): CvResult {
  if (typeof options !== 'object' || options === null || typeof options.form !== 'object' || options.form === null) {
    throw new SweetspotInputError("crossValidate(rows, scheme, { form }): an energy form is required (e.g. energyForm('sweetspot'))");
  }
  checkKeys('crossValidate options', options, CV_KEYS);
  const { table, defaulted } = measurementTable(input, 'crossValidate');
  const form0 = options.fix ? pinParams(options.form, options.fix, 'crossValidate({ fix })') : options.form;
  const forms = [form0, ...(options.baselines ?? [linearForm, perParamForm]).filter((b) => b.id !== form0.id)];
  let profile = options.profile;
  const gpus = usedTexts(table.gpu).filter((g): g is string => g !== undefined);
  if (!profile && form0.needsProfile) {
    if (gpus.length !== 1) throw new SweetspotInputError(`crossValidate({ profile }): form ${form0.id} needs one GPU's profile; the rows name ${gpus.length} GPUs`);
    try {
      profile = resolveProfile(gpus[0]);
    } catch (error) {
      // A name that is not one profile's: the profile can still be named outright.
      throw error instanceof SweetspotInputError ? new SweetspotInputError(`${error.message}; or give the profile outright: ${remedies.profile}`) : error;
    }
  }
  if (!profile && gpus.length === 1 && (options.prior !== 'none' || options.waves === true)) {
    // Only for a physics prior or waves: a form that needs no profile still fits without one.
    try {
      profile = resolveProfile(gpus[0]);
    } catch {
      profile = undefined;
    }
  }
  const waves = wavesOption(options.waves, 'crossValidate', profile, forms);
  // As in calibrate: the complexity terms only when a form reads them (docs/fitting.md#measurement-tables).
  const p = prepareTable(table, { ...options, terms: !forms.every(readsSizesOnly), waveMemoryBytes: waves ? profile!.memoryBytes : undefined });
  const folds = cvFolds(table, p.keys, scheme);
  const models = keyColumn(p.keys);
  const ctx = formContext(form0, profile, options.weightBytes ?? 2, options.precision);
  const priorContext = {
    profile,
    precision: ctx.precision,
    regime: table.kvCache[0] === 0 ? ('recompute' as const) : ('kv-cache' as const),
    weightBytes: options.weightBytes,
    kvBytes: options.kvBytes,
    resolve: options.resolve ?? resolveArchitecture,
  };
  const level = options.level ?? 0.9;
  if (!isCoverage(level)) throw new SweetspotInputError(`crossValidate({ level }): a coverage in (0, 1) such as 0.9, got ${shownValue(level)}${nearOne(level)}`);
  const z = normalQuantile((1 + level) / 2);
  // Folds never share a test row, so the test rows of all folds together are at most every row.
  const tested = folds.reduce((sum, f) => sum + f.test.length, 0);
  // Every form fits the same folds (and a per-model form with one model the folds themselves):
  // each fold's rows are gathered once.
  const gathered = new WeakMap<Int32Array, PreparedData>();
  const at = (idx: Int32Array): PreparedData => {
    let d = gathered.get(idx);
    if (!d) gathered.set(idx, (d = preparedAt(p, idx)));
    return d;
  };
  const results: Record<string, CvFormResult> = {};
  for (const form of forms) {
    const foldResults: CvFold[] = [];
    // The test rows predicted, in the order they were, and their predictions.
    const testIdx = new Int32Array(tested);
    const predicted = new Float64Array(tested);
    let done = 0;
    let inside = 0;
    const widths = new Float64Array(tested);
    let withInterval = 0;
    const withIntervals = form === form0 && form.gradient !== undefined;
    const gradient = new Float64Array(form.params.length);
    let failed = 0;
    for (const f of folds) {
      // A per-model form is fitted model by model, so one model the rows cannot determine does not
      // void the others: each (fold, model) that fails is reported on its own.
      const units: FitUnit[] = form.scope === 'per-model' ? perModelUnits(f, models) : [f];
      for (const u of units) {
        const base = { name: u.name, trainRows: u.train.length, testRows: u.test.length };
        try {
          if (u.train.length === 0) throw new SweetspotInputError(`no training rows for ${u.name}: a per-model form cannot predict an unseen model`);
          requireArchitectures(form, p);
          const train = at(u.train);
          const test = at(u.test);
          const prior = form === form0 ? priorSource(form, options.prior, { ...priorContext, batch: table.batchSize[u.train[0]] }) : undefined;
          const fitted = fitRows(form, train.features, train.measuredJ, train.keys, ctx, { labels: train.labels, lm: options.lm, prior, gpus: train.gpus, pin: form === form0 ? remedies.pin : null });
          const pred = fitted.predict(test.features, test.keys);
          foldResults.push({ ...base, mape: errorMetrics(pred, test.measuredJ).mape });
          testIdx.set(u.test, done);
          predicted.set(pred, done);
          done += pred.length;
          if (withIntervals) {
            for (let j = 0; j < pred.length; j++) {
              const e = pred[j];
              const fit = fitted.fits.get(form.scope === 'per-model' ? test.keys.at(j)! : SHARED_KEY);
              const sd = fit ? intervalSdLog(form, fit, test.features.at(j)!, e, ctx, gradient) : null;
              if (sd === null) continue;
              if (Math.abs(Math.log(test.measuredJ[j] / e)) <= z * sd) inside++;
              widths[withInterval++] = Math.exp(2 * z * sd);
            }
          }
        } catch (error) {
          if (!(error instanceof SweetspotInputError)) throw error;
          failed++;
          foldResults.push({ ...base, error: error.message });
        }
      }
    }
    const rows = testIdx.subarray(0, done);
    const measured = new Float64Array(done);
    for (let k = 0; k < done; k++) measured[k] = p.measuredJ[rows[k]];
    const pooled = done ? errorMetrics(predicted.subarray(0, done), measured) : null;
    const perKey = done ? perKeyErrors(rowsAt(p.keys, rows), predicted.subarray(0, done), measured) : {};
    results[form.id] = {
      form: form.id,
      mape: pooled?.mape ?? null,
      maxApe: pooled?.maxApe ?? null,
      n: done,
      unpredicted: tested - done,
      failedFolds: failed,
      folds: foldResults,
      perModel: Object.fromEntries(Object.entries(perKey).map(([k, e]) => [k, { mape: e.mape, n: e.n }])),
      coverage: withInterval
        ? { level, rate: inside / withInterval, n: withInterval, medianWidthRatio: widths.subarray(0, withInterval).sort()[Math.floor(withInterval / 2)] }
        : null,
    };
  }
  const name = scheme.kind === 'k-fold' ? `${scheme.k}-fold` : scheme.kind === 'split' ? scheme.name : scheme.kind;
  return { scheme: name, noiseFloor: noiseFloor(table), results, defaulted };
}
