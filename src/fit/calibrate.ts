import { firstFew } from '../first-few.js';
import {
  CALIBRATION_FORMS,
  CALIBRATION_VERSION,
  parseCalibration,
  type Calibration,
  type CalibrationFormId,
  type ErrorSummary,
  type ParamValues,
  type Uncertainty,
} from '../energy/calibration/document.js';
import { describesOneBatch } from '../energy/one-batch.js';
import type { EnergyForm, FormContext } from '../energy/form.js';
import { linearForm } from '../energy/forms/linear.js';
import { perParamForm } from '../energy/forms/per-param.js';
import type { HardwareProfile } from '../energy/hardware/profile.js';
import { formContext } from '../energy/hardware/precision.js';
import { resolveProfile } from '../energy/hardware/profiles.js';
import { SweetspotInputError } from '../errors.js';
import { rowsSha256 } from './data/canonical.js';
import { readsSizesOnly } from './features.js';
import type { FitResult } from './solve/fit-form.js';
import { fitRows, SHARED_KEY, type FittedRows } from './solve/fit-rows.js';
import type { LmOptions } from './solve/lm.js';
import { priorSource, type PriorOption } from './solve/physics-prior.js';
import { resolveArchitecture } from '../architecture/resolve.js';
import type { MeasurementInput } from './data/measurement.js';
import { pinParams } from './solve/pin.js';
import { type FitRemedies, LIBRARY_REMEDIES } from './remedies.js';
import type { DefaultedField } from './data/rows.js';
import { errorMetrics, type ErrorMetrics } from './evaluate/metrics.js';
import { checkKeys, optionKeys } from '../options.js';
import { prepareTable, requireArchitectures, type PrepareOptions, type PreparedData } from './prepare.js';
import { keyColumn } from './data/key-column.js';
import { groupByCode } from './evaluate/group-codes.js';
import type { RowList } from './data/row-list.js';
import { gpusAt, usedTexts, type MeasurementTable } from './data/table.js';
import { measurementTable } from './data/input.js';
import { noiseFloor, type NoiseFloor } from './evaluate/repeats.js';
import { checkShape, kindOf } from '../arguments.js';
import { checkRowList } from './data/row-list.js';

/** Options of {@link calibrate}. */
export interface CalibrateOptions extends Omit<PrepareOptions, 'waveMemoryBytes'> {
  readonly form: EnergyForm;
  /**
   * The rows' engine ran batches that exceed the GPUs' memory in waves (vLLM, TensorRT-LLM
   * preempt sequences): the hardware form then prices such a row as `w·E1(batch/w)`
   * (docs/energy-models.md#batches-that-exceed-memory), with the memory of the profile. Forms
   * fitted per model (SweetSpot, linear, per-parameter) and formulas ignore it, and then need no
   * profile: their coefficients already fit whatever the engine did. Default false.
   */
  readonly waves?: boolean;
  /** Parameters pinned to values (e.g. `{ staticPowerW: 55 }`): see `pinParams`. */
  readonly fix?: Readonly<Record<string, number>>;
  /** The formula text, for a `formula` form. */
  readonly formula?: string;
  /** Hardware profile (default: resolved from the rows' GPU when the form needs one). */
  readonly profile?: HardwareProfile;
  /** Key of `profile.peakFlops` (default: from `weightBytes`, as predictions use). */
  readonly precision?: string;
  /** Baselines fitted on the same rows (default: linear and per-param). */
  readonly baselines?: readonly EnergyForm[];
  readonly lm?: LmOptions;
  /** GPU / engine labels when the rows carry none. */
  readonly gpu?: string;
  readonly engine?: string;
  readonly note?: string;
  /**
   * The prior of the fit (docs/fitting.md#priors): `physics` (default) for the hardware and
   * SweetSpot forms when the GPU's profile is known, `none` for the plain maximum-likelihood fit,
   * or a prior given outright. Baselines are always fitted without one.
   */
  readonly prior?: PriorOption;
}

// Every key of CalibrateOptions (the list fails to type-check when one is missing): a misspelt
// option (`{ prio: 'none' }`) would otherwise be ignored and the fit made without it.
const CALIBRATE_KEYS = optionKeys<CalibrateOptions>()(
  'form', 'fix', 'formula', 'profile', 'precision', 'baselines', 'lm', 'gpu', 'engine', 'note', 'prior', 'resolve', 'weightBytes', 'kvBytes', 'attention', 'terms', 'waves',
);

/** A baseline fitted beside the form, or why it could not be. */
export interface BaselineReport {
  readonly errors?: ErrorMetrics;
  readonly fitted?: FittedRows;
  /** Why the baseline was not fitted (e.g. its parameters are not determined by these rows). */
  readonly skipped?: string;
}

/**
 * What {@link calibrate} returns: the calibration document and the fits behind it.
 *
 * @example
 * const { calibration, errors, defaulted }: CalibrationReport = calibrate(rows, { form: sweetspotForm });
 * @category Fitting
 */
export interface CalibrationReport {
  readonly calibration: Calibration;
  readonly fitted: FittedRows;
  /** Model key (or `*` for a shared form) → fit with solver report and per-parameter errors. */
  readonly fits: ReadonlyMap<string, FitResult>;
  readonly errors: ErrorMetrics;
  /** Per model key: in-sample MAPE and row count. */
  readonly perModel: Record<string, ErrorMetrics>;
  readonly baselines: Record<string, BaselineReport>;
  readonly noiseFloor: NoiseFloor;
  /** Fields the rows left out and the value each took (e.g. `kvCache: true`, the KV-cache regime). */
  readonly defaulted: DefaultedField[];
}

/** The distinct values of a column, in order of first appearance. */
function distinct(values: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) seen.add(values[i]);
  return [...seen];
}

function single(values: readonly (string | undefined)[], what: string, hint: string, where: string): string | undefined {
  const set = [...new Set(values.filter((v): v is string => v !== undefined))];
  if (set.length > 1) throw new SweetspotInputError(`${where}: the rows mix ${set.length} ${what}s (${firstFew(set, ' | ')}): keep one (${hint})`);
  return set[0];
}


/**
 * Error metrics per model key.
 *
 * @example
 * perKeyErrors(['a', 'a', 'b'], [110, 90, 50], [100, 100, 50]).a.mape // 10
 */
export function perKeyErrors(keys: RowList<string>, predicted: ArrayLike<number>, measured: ArrayLike<number>): Record<string, ErrorMetrics> {
  checkRowList('perKeyErrors(keys)', keys);
  checkShape('perKeyErrors(keys, predicted, measured)', { predicted, measured }, 'two arrays of energies', { predicted: 'array-like', measured: 'array-like' });
  if (predicted.length !== keys.length || measured.length !== keys.length) {
    throw new SweetspotInputError(`perKeyErrors(keys, predicted, measured): ${keys.length} keys, ${predicted.length} predictions and ${measured.length} measurements; the three must be as long`);
  }
  // The predictions and measurements gathered key after key, so that each key's are one contiguous view.
  const { texts, codes } = keyColumn(keys);
  const { start, order } = groupByCode(codes, texts.length);
  const p = new Float64Array(order.length);
  const m = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) {
    p[k] = predicted[order[k]];
    m[k] = measured[order[k]];
  }
  const out: Record<string, ErrorMetrics> = {};
  texts.forEach((k, id) => (out[k] = errorMetrics(p.subarray(start[id], start[id + 1]), m.subarray(start[id], start[id + 1]))));
  return out;
}

/**
 * Fits a baseline on prepared rows, or says why it cannot be fitted there (never throws for
 * unidentifiable data: the reason is returned in `skipped`).
 *
 * @example
 * const b = fitBaseline(linearForm, prepareRows(rows), {});
 * b.errors?.mape ?? b.skipped
 */
export function fitBaseline(form: EnergyForm, p: PreparedData, ctx: FormContext, lm?: LmOptions): BaselineReport {
  try {
    requireArchitectures(form, p);
    // A baseline is a comparison: nothing pins its parameters, so only more varied lengths are offered.
    const fitted = fitRows(form, p.features, p.measuredJ, p.keys, ctx, { labels: p.labels, lm, gpus: p.gpus, pin: null });
    return { fitted, errors: errorMetrics(fitted.predict(p.features, p.keys), p.measuredJ) };
  } catch (error) {
    if (error instanceof SweetspotInputError) return { skipped: error.message };
    throw error;
  }
}

/**
 * What a calibration fitted on calls spanning several GPUs says of them: parameters of forms fitted
 * to whole calls hold the energy of all of a call's GPUs (docs/fitting.md#gpu-counts).
 */
function gpuCountNote(table: MeasurementTable, form: EnergyForm): string | undefined {
  if (table.gpus === undefined) return undefined;
  const counts = new Set<number>();
  for (let i = 0; i < table.length; i++) counts.add(gpusAt(table, i));
  if (counts.size === 1 && counts.has(1)) return undefined;
  const list = [...counts].sort((a, b) => a - b);
  if (form.id === 'hardware') return `fitted on calls on ${list.join(', ')} GPU(s), each priced at its count: parameters are per GPU`;
  return `fitted on calls on ${list[0]} GPUs each: the energies include all of them (predict with gpus: ${list[0]})`;
}

/**
 * Whether a fit prices rows in waves: `waves` must be true or false. Only forms over the GPU's
 * figures (the hardware form, `needsProfile`) price waves; when none of `forms` does, the option is
 * accepted and ignored (docs/energy-models.md#batches-that-exceed-memory: the forms fitted to
 * measured calls already hold whatever the engine did), so it needs no profile. Otherwise it needs
 * the profile whose memory the rows exceeded.
 *
 * @throws {SweetspotInputError} naming `where({ waves })`.
 * @example
 * wavesOption(true, 'calibrate', resolveProfile('h100-sxm-80gb'), [hardwareForm()]) // true
 * wavesOption(true, 'calibrate', undefined, [sweetspotForm]) // false: ignored
 */
export function wavesOption(waves: unknown, where: string, profile: HardwareProfile | undefined, forms: readonly EnergyForm[]): boolean {
  if (waves === undefined || waves === false) return false;
  if (waves !== true) throw new SweetspotInputError(`${where}({ waves }): expected true or false, got ${kindOf(waves)}`);
  if (!forms.some((f) => f.needsProfile)) return false;
  if (!profile) throw new SweetspotInputError(`${where}({ waves, profile }): waves need the GPU's memory: give a profile, or rows whose gpu names a known one`);
  return true;
}

function uncertaintyOf(fit: FitResult): Uncertainty | null {
  if (fit.residualSigma === null) return null;
  return { residualSigma: fit.residualSigma, logBias: 0, covariance: fit.covariance };
}

function paramValues(form: EnergyForm, fit: FitResult): ParamValues {
  const out: ParamValues = {};
  fit.params.forEach((p) => {
    out[p.name] = { value: p.value, unit: p.unit, stdErr: p.stdErr };
    if (p.prior) {
      const { center, width, scale, shift, narrowing, determinedBy } = p.prior;
      out[p.name].prior = { center, width, scale, shift, narrowing, determinedBy };
    }
  });
  return out;
}

function summary(e: ErrorMetrics): ErrorSummary {
  return { mape: e.mape, maxApe: e.maxApe, r2: e.r2 };
}

/**
 * Fits a form to measurement rows and returns a calibration (the energy layer's document: form,
 * parameters with units and standard errors, GPU/engine/regime, what it was fitted on with a
 * SHA-256 of the canonical rows, in-sample errors beside the noise floor and the baselines).
 * Per-model forms get one parameter set per model; shared forms (hardware, per-param) one set for
 * every model in the rows. The rows must share one GPU, engine and KV-cache regime.
 *
 * Rows may be plain objects (the schema's input type); each is validated, bad ones are named by
 * index, and fields left out are listed in `defaulted`. Or a {@link MeasurementTable}
 * (`loadMeasurementTable`), already valid, fitted without an object per row: the same rows give
 * the same report either way (docs/fitting.md#measurement-tables), except `defaulted`, empty for a
 * table (the loader's account lists the defaults its rows took).
 *
 * @throws {SweetspotInputError} for bad rows (by index), mixed GPUs/engines/regimes, unknown
 *   architectures a form needs, an unknown GPU a form needs a profile for, or parameters the rows
 *   cannot determine.
 * @example
 * const { calibration, errors } = calibrate(rows, { form: sweetspotForm });
 * calibrate(rows, { form: hardwareFormBase, fix: { staticPowerW: 55 } })
 * writeFileSync('calib.json', serializeCalibration(calibration));
 * @category Fitting
 */
export function calibrate(input: readonly MeasurementInput[] | MeasurementTable, options: CalibrateOptions): CalibrationReport {
  return calibrateWith(input, options, LIBRARY_REMEDIES);
}

/**
 * {@link calibrate}, its refusals telling the caller what to do in the caller's own terms
 * (`remedies`: the command line passes its flags) and naming the caller's place in refusals of
 * the rows as a whole (`rowsWhere`: the command line passes `fit`). Internal.
 *
 * @example
 * calibrateWith(table, { form: hardwareForm() }, { ...LIBRARY_REMEDIES, pin: '--fix NAME=VALUE' }, 'fit')
 */
export function calibrateWith(
  input: readonly MeasurementInput[] | MeasurementTable,
  options: CalibrateOptions,
  remedies: FitRemedies,
  rowsWhere = 'calibrate(rows)',
): CalibrationReport {
  if (typeof options !== 'object' || options === null || typeof options.form !== 'object' || options.form === null) {
    throw new SweetspotInputError('calibrate({ form }): an energy form is required (e.g. energyForm(\'sweetspot\') or hardwareForm())');
  }
  checkKeys('calibrate options', options, CALIBRATE_KEYS);
  const { table, defaulted } = measurementTable(input, 'calibrate');
  const form = options.fix ? pinParams(options.form, options.fix, 'calibrate({ fix })') : options.form;
  if (!(CALIBRATION_FORMS as readonly string[]).includes(form.id)) {
    throw new SweetspotInputError(`calibrate({ form }): form '${form.id}' is not one a calibration can name (${CALIBRATION_FORMS.join(', ')})`);
  }
  if (form.id === 'formula' && !options.formula) throw new SweetspotInputError('calibrate({ formula }): a formula form needs its text');
  const baselineForms = (options.baselines ?? [linearForm, perParamForm]).filter((b) => b.id !== form.id);
  const gpu = single(usedTexts(table.gpu), 'GPU', remedies.oneGpu, rowsWhere) ?? options.gpu ?? options.profile?.name;
  const engine = single(usedTexts(table.engine), 'engine', remedies.oneEngine, rowsWhere) ?? options.engine ?? 'unspecified';
  const regime = single(distinct(table.kvCache).map((kv) => (kv === 1 ? 'kv-cache' : 'recompute')), 'KV-cache regime', remedies.oneRegime, rowsWhere) as Calibration['regime'];
  let profile = options.profile;
  if (!profile && gpu !== undefined) {
    try {
      profile = resolveProfile(gpu);
    } catch (error) {
      // A name that is not one profile's: the profile can still be named outright.
      if (form.needsProfile) throw error instanceof SweetspotInputError ? new SweetspotInputError(`${error.message}; or give the profile outright: ${remedies.profile}`) : error;
    }
  }
  if (form.needsProfile && !profile) throw new SweetspotInputError(`calibrate({ profile }): form ${form.id} needs a hardware profile and the rows name no GPU`);
  const waves = wavesOption(options.waves, 'calibrate', profile, [form, ...baselineForms]);
  // The complexity terms (docs/complexity.md) of 10⁶ rows take seconds and most of the memory: computed only when a form reads them.
  const p = prepareTable(table, { ...options, terms: ![form, ...baselineForms].every(readsSizesOnly), waveMemoryBytes: waves ? profile!.memoryBytes : undefined });
  requireArchitectures(form, p);
  const lengthsOnly = describesOneBatch(form);
  const batches = distinct(table.batchSize);
  if (lengthsOnly && batches.length > 1) {
    throw new SweetspotInputError(
      `${rowsWhere}: form ${form.id} describes calls at one batch size; the rows mix batches ${firstFew(batches, ', ')} (keep one: ${remedies.oneBatch})`,
    );
  }
  const ctx = formContext(form, profile, options.weightBytes ?? 2, options.precision);
  const prior = priorSource(form, options.prior, {
    profile,
    precision: ctx.precision,
    regime,
    weightBytes: options.weightBytes,
    kvBytes: options.kvBytes,
    batch: lengthsOnly ? batches[0] : 1,
    resolve: options.resolve ?? resolveArchitecture,
  });
  const fitted = fitRows(form, p.features, p.measuredJ, p.keys, ctx, { labels: p.labels, lm: options.lm, prior, gpus: p.gpus, pin: remedies.pin });
  const predicted = fitted.predict(p.features, p.keys);
  const errors = errorMetrics(predicted, p.measuredJ);
  const perModel = perKeyErrors(p.keys, predicted, p.measuredJ);
  const baselines: Record<string, BaselineReport> = {};
  for (const b of baselineForms) baselines[b.id] = fitBaseline(b, p, ctx, options.lm);
  const floor = noiseFloor(table);
  const models = [...new Set(Array.from({ length: p.keys.length }, (_, i) => p.keys.at(i)!))];
  const skipped = Object.entries(baselines).flatMap(([id, b]) => (b.skipped ? [`baseline ${id} not fitted: ${b.skipped}`] : []));
  const shared = fitted.fits.get(SHARED_KEY);
  const doc = {
    version: CALIBRATION_VERSION,
    form: form.id as CalibrationFormId,
    formula: form.id === 'formula' ? options.formula! : null,
    regime,
    gpu: gpu ?? 'unspecified',
    profile: profile?.id ?? null,
    engine,
    attention: options.attention ?? 'fused',
    weightBytes: options.weightBytes ?? 2,
    kvBytes: options.kvBytes ?? 2,
    batch: lengthsOnly ? batches[0] : 1,
    params: shared ? paramValues(form, shared) : {},
    models: shared
      ? {}
      : Object.fromEntries(
          [...fitted.fits].map(([key, fit]) => [key, { params: paramValues(form, fit), rows: fit.errors.n, mape: fit.errors.mape, uncertainty: uncertaintyOf(fit) }]),
        ),
    fittedOn: { rows: table.length, sha256: rowsSha256(table), models, ranges: rangesOf(table) },
    fitted: true,
    note: [options.note, gpuCountNote(table, form), waves && form.id === 'hardware' ? 'fitted with waves: rows beyond the GPUs\' memory priced in waves (predict with { waves: true })' : undefined, ...skipped].filter(Boolean).join('; '),
    errors: {
      mape: errors.mape,
      maxApe: errors.maxApe,
      r2: errors.r2,
      noiseFloorMape: floor.mapePct,
      baselines: Object.fromEntries(Object.entries(baselines).flatMap(([id, b]) => (b.errors ? [[id, summary(b.errors)]] : []))),
    },
    uncertainty: shared ? uncertaintyOf(shared) : null,
  };
  return { calibration: parseCalibration(doc), fitted, fits: fitted.fits, errors, perModel, baselines, noiseFloor: floor, defaulted };
}

/** The least and greatest prompt length, output length and batch of the rows (the span a fit saw). */
function rangesOf(table: MeasurementTable): { nIn: [number, number]; nOut: [number, number]; batch: [number, number] } {
  const span = (v: ArrayLike<number>): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < table.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
    return [lo, hi];
  };
  return { nIn: span(table.nIn), nOut: span(table.nOut), batch: span(table.batchSize) };
}
