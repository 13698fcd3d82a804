import type { Architecture } from '../../architecture/schema.js';
import { firstFew } from '../../first-few.js';
import { parseCalibration, type Calibration, type CalibrationInput } from '../../energy/calibration/document.js';
import type { EnergyForm } from '../../energy/form.js';
import { energyForm } from '../../energy/forms/registry.js';
import { energyModel, energyModelWithMemory, type EnergyModel } from '../../energy/predict/predict.js';
import type { HardwareProfile } from '../../energy/hardware/profile.js';
import { intervalOf } from '../../energy/predict/interval.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../errors.js';
import { fitBaseline, perKeyErrors } from '../calibrate.js';
import type { MeasurementInput } from '../data/measurement.js';
import type { DefaultedField } from '../data/rows.js';
import { measurementTable } from '../data/input.js';
import { gpusAt, tableFromRows, type MeasurementTable } from '../data/table.js';
import { bindEstimator, type Estimator } from '../../energy/predict/estimator.js';
import { readsSizesOnly } from '../features.js';
import { errorMetrics, type ErrorMetrics } from './metrics.js';
import { optionKeys, optionsObject } from '../../options.js';
import { prepareTable, type PreparedData, type PreparedRows } from '../prepare.js';
import { noiseFloor, tableRepeats, type NoiseFloor } from './repeats.js';
import { lengthOnlyEnergyJ, predictsWithoutArchitecture } from '../length-only.js';
import { linearForm } from '../../energy/forms/linear.js';
import { perParamForm } from '../../energy/forms/per-param.js';
import { resolveArchitecture } from '../../architecture/resolve.js';
import { profileMatches } from '../../energy/hardware/profiles.js';
import { transferCalibration } from '../../energy/calibration/transfer.js';
import { peakFlopsAt, precisionFor } from '../../energy/hardware/precision.js';
import { checkObject, kindOf } from '../../arguments.js';
import { checkMeasurementRows, checkTableArgument } from '../data/check.js';
import { checkPrepared } from '../prepare.js';
import { checkWavesOption } from '../../energy/hardware/waves.js';
import { type FitRemedies, LIBRARY_REMEDIES } from '../remedies.js';

/** Error at one measured configuration (the mean of its repeats). */
export interface PointError {
  readonly model: string;
  readonly nIn: number;
  readonly nOut: number;
  readonly batch: number;
  /** Rows at this configuration. */
  readonly n: number;
  readonly measuredMeanJ: number;
  readonly predictedJ: number;
  /** MAPE of the configuration's rows, %. */
  readonly mape: number;
}

/** A baseline's errors on the evaluation rows. */
export interface BaselineEvaluation {
  readonly mape?: number;
  readonly maxApe?: number;
  readonly r2?: number;
  readonly perModel?: Record<string, { mape: number; n: number }>;
  /** How it was obtained, or why it is missing. */
  readonly note: string;
}

/**
 * What {@link evaluate} returns: errors overall, per model and per configuration, beside the
 * noise floor and the baselines.
 *
 * @example
 * const ev: Evaluation = evaluate(calibration, rows);
 * ev.mape; ev.perModel['llama-2-7b'].mape
 * @category Fitting
 */
export interface Evaluation {
  readonly n: number;
  readonly mape: number;
  readonly maxApe: number;
  readonly r2: number;
  /** Model key → MAPE and row count. */
  readonly perModel: Record<string, { mape: number; maxApe: number; n: number }>;
  readonly perPoint: PointError[];
  readonly predictedJ: number[];
  readonly noiseFloor: NoiseFloor;
  readonly baselines: Record<string, BaselineEvaluation>;
  /** Rows that do not match the calibration's GPU (predicted anyway: a transfer test is legitimate). */
  readonly warnings: string[];
  /** Fields the rows left out and the value each took (e.g. `kvCache: true`, the KV-cache regime). */
  readonly defaulted: DefaultedField[];
  /**
   * How many rows fell inside their prediction interval (docs/fitting.md#prediction-intervals),
   * beside the nominal level; null when the calibration carries no uncertainty.
   */
  readonly intervals: { readonly level: number; readonly coverage: number; readonly n: number; readonly lowJ: number[]; readonly highJ: number[] } | null;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  readonly resolve?: (model: string) => Architecture;
  /** The compiled form of a formula calibration (`await calibrationForm(calibration)`, as `energyModelAsync` uses). */
  readonly form?: EnergyForm;
  /** Baselines to fit on the evaluation rows for comparison (default linear and per-param; [] for none). */
  readonly baselines?: readonly EnergyForm[];
  /** Nominal level of the prediction intervals checked (default 0.9). */
  readonly level?: number;
  /**
   * The rows' engine ran batches that exceed the GPUs' memory in waves: a hardware calibration
   * then predicts such a row as `w·E1(batch/w)`, counting the waves against the memory of the row's
   * GPUs where its `gpu` names one profile (also with `transfer: false`), else of the calibration's
   * (docs/energy-models.md#batches-that-exceed-memory, docs/fitting.md#batches-that-ran-in-waves). Forms fitted per model (SweetSpot, linear,
   * per-parameter) and formulas ignore it: their coefficients already fit whatever the engine did.
   * Default false.
   */
  readonly waves?: boolean;
  /**
   * Rows measured on another GPU than a hardware calibration's: priced by the calibration moved to
   * each row's GPU (`transferCalibration`; docs/energy-models.md#other-gpus) when true (the
   * default), or on the calibration's own GPU when false. Rows whose GPU no profile matches are
   * priced on the calibration's GPU either way (a warning names them). Other forms never move.
   */
  readonly transfer?: boolean;
}

// Every key of EvaluateOptions, checked complete at compile time (src/options.ts).
const EVALUATE_KEYS = optionKeys<EvaluateOptions>()('resolve', 'form', 'baselines', 'level', 'transfer', 'waves');

/**
 * Predicts measured rows with a calibration, checking that the rows match it (regime; batch for
 * length-only forms; each model known to a per-model calibration). Rows beyond a model's context
 * are predicted anyway: they were measured.
 *
 * @throws {SweetspotInputError} naming the first mismatching row or the missing model.
 * @example
 * const predicted = predictRows(calibration, prepareRows(rows));
 */
export function predictRows(calibration: Calibration, p: PreparedRows, options?: EvaluateOptions): number[] {
  checkObject('predictRows(calibration)', calibration);
  checkPrepared('predictRows(calibration, prepared)', p);
  checkMeasurementRows('predictRows(calibration, prepared).rows', p.rows);
  return predictWithModels(calibration, tableFromRows(p.rows), p, optionsObject('predictRows', options, EVALUATE_KEYS)).predicted;
}

/**
 * {@link predictRows} for a table and its prepared data (`prepareTable`), reading the columns
 * (docs/fitting.md#measurement-tables): one energy model per model and batch, no object per row.
 *
 * @throws {SweetspotInputError} naming the first mismatching row or the missing model.
 * @example
 * const predicted = predictTable(calibration, table, prepareTable(table));
 */
export function predictTable(calibration: Calibration, table: MeasurementTable, p: PreparedData, options?: EvaluateOptions): number[] {
  checkObject('predictTable(calibration)', calibration);
  checkTableArgument('predictTable(calibration, table)', table);
  checkPrepared('predictTable(calibration, table, prepared)', p);
  return predictWithModels(calibration, table, p, optionsObject('predictTable', options, EVALUATE_KEYS)).predicted;
}

/**
 * The energy model of a (model, batch), or null where the form predicts from the lengths alone
 * (no architecture known), keyed `name|batch`.
 */
type ModelsByKey = Map<string, EnergyModel | null>;

/** The key of a row's energy model: its model, batch and GPU (by code in the table's gpu column). */
function modelKey(name: string, batch: number, gpuCode: number): string {
  return `${name}|${batch}|${gpuCode}`;
}

/**
 * The calibration each GPU of the table's gpu column is priced with (by code), and what became of
 * the rows on other GPUs: moved to their own (`transferCalibration`), or left on the calibration's.
 */
interface GpuPricing {
  readonly byCode: Calibration[];
  /**
   * The profile each GPU of the gpu column names (by code), undefined where it names none or
   * several: its memory decided how the row's engine ran (waves), whatever GPU prices the row.
   */
  readonly memoryByCode: (HardwareProfile | undefined)[];
  /** GPU texts whose rows were priced by the calibration moved to them. */
  readonly moved: Set<string>;
  /** GPU texts on another GPU priced on the calibration's own, with why. */
  readonly unmoved: Map<string, string>;
}

function gpuPricing(c: Calibration, table: MeasurementTable, transfer: boolean, remedies: FitRemedies): GpuPricing {
  const { texts } = table.gpu;
  const moved = new Set<string>();
  const unmoved = new Map<string, string>();
  // Each GPU text matched once: its one profile sets the memory the row ran in and where it moves.
  const matches = texts.map((gpu) => profileMatches(gpu));
  const memoryByCode = matches.map((profiles) => (profiles.length === 1 ? profiles[0] : undefined));
  const byCode = texts.map((gpu, code) => {
    // The same GPU by another name is the calibration's own.
    const profiles = matches[code];
    if (gpu.toLowerCase() === c.gpu.toLowerCase() || (profiles.length === 1 && profiles[0].id === c.profile)) return c;
    if (!transfer) {
      unmoved.set(gpu, `not moved (${remedies.noTransfer})`);
      return c;
    }
    if (c.form !== 'hardware' || c.profile === null) {
      unmoved.set(gpu, `a '${c.form}' calibration holds its own GPU's coefficients`);
      return c;
    }
    if (profiles.length !== 1) {
      unmoved.set(gpu, profiles.length === 0 ? 'no GPU profile matches the name' : `the name fits ${profiles.length} profiles: name the form factor and memory`);
      return c;
    }
    try {
      // The GPU is known but may lack the calibration's precision (8-bit weights on a V100).
      peakFlopsAt(profiles[0], precisionFor(c.weightBytes, profiles[0]));
    } catch (error) {
      if (!(error instanceof SweetspotInputError)) throw error;
      unmoved.set(gpu, error.message);
      return c;
    }
    moved.add(gpu);
    return transferCalibration(c, profiles[0]);
  });
  return { byCode, memoryByCode, moved, unmoved };
}

/** {@link predictTable}, with the energy models it bound (each (model, batch) once), for the intervals. */
function predictWithModels(
  calibration: Calibration,
  table: MeasurementTable,
  p: PreparedData,
  options: EvaluateOptions,
  remedies: FitRemedies = LIBRARY_REMEDIES,
): { predicted: number[]; models: ModelsByKey; pricing: GpuPricing } {
  const c = calibration;
  if (options.transfer !== undefined && typeof options.transfer !== 'boolean') {
    throw new SweetspotInputError(`evaluate(calibration, rows, { transfer }): expected true or false, got ${kindOf(options.transfer)}`);
  }
  const pricing = gpuPricing(c, table, options.transfer !== false, remedies);
  const resolve = options.resolve ?? resolveArchitecture;
  const form = c.form === 'formula' ? options.form : options.form ?? energyForm(c.form);
  if (!form) throw new SweetspotInputError('evaluate(calibration, rows, { form }): a formula calibration needs its compiled form (await calibrationForm(calibration))');
  const n = table.length;
  // Waves need the calibration's GPU memory; a calibration without a profile prices none.
  const waves = options.waves === undefined || options.waves === false ? false : checkWavesOption({ waves: options.waves }, 'evaluate');
  if (form.scope === 'per-model') {
    const keys = new Set<string>();
    for (let i = 0; i < n; i++) keys.add(p.keys.at(i)!);
    const missing = [...keys].filter((k) => !(k in c.models));
    if (missing.length) {
      throw new SweetspotInputError(
        `calibration has no parameters for model(s) ${firstFew(missing, ', ')} (calibrated: ${firstFew(Object.keys(c.models), ', ')}); a per-model '${c.form}' calibration predicts only its own models (use a hardware calibration for others)`,
      );
    }
  }
  const { nIn, nOut, batchSize, kvCache } = table;
  const { texts, codes } = table.model;
  const models: ModelsByKey = new Map();
  // Rows on g > 1 GPUs: priced as `predict --gpus g` prices them (memory of g GPUs, the hardware
  // form's per-step energy on each; docs/energy-models.md#memory, tensor parallelism).
  const onSeveral = new Map<string, Estimator | null>();
  // Length-only forms need no architecture, only the model's parameters (with the same batch
  // check as energyModel: a row at another batch is an error, not a prediction): null for them.
  const archOf = (name: string, i: number): Architecture | null => {
    try {
      return resolve(name);
    } catch (error) {
      if (predictsWithoutArchitecture(c, p.keys.at(i)!)) return null;
      throw error;
    }
  };
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const regime = kvCache[i] === 1 ? 'kv-cache' : 'recompute';
    if (regime !== c.regime) {
      throw new SweetspotInputError(`${p.labels.at(i)}: kv_cache: the row is ${regime} but the calibration is for the ${c.regime} regime`);
    }
    const name = texts[codes[i]];
    const gpuCode = table.gpu.codes[i];
    const ci = gpuCode < 0 ? c : pricing.byCode[gpuCode];
    // Waves count against the row's own GPU where it names one, even when priced on the calibration's.
    const memoryGpu = waves && gpuCode >= 0 ? pricing.memoryByCode[gpuCode] : undefined;
    const gpus = gpusAt(table, i);
    if (gpus !== 1) {
      const k = `${name}|${gpus}|${gpuCode}`;
      let estimator = onSeveral.get(k);
      if (estimator === undefined) {
        estimator = labelled(p, i, () => {
          const arch = archOf(name, i);
          // Measured rows ran: no memory check refuses them (as energyModel prices one-GPU rows).
          return arch && bindEstimator(arch, { calibration: ci, form, allowOverflow: true, gpus, ...(waves ? { waves } : { ignoreMemory: true }) }, 'evaluate', memoryGpu ? { memoryGpu, measured: true } : { measured: true });
        });
        onSeveral.set(k, estimator);
      }
      // Without an architecture only a length-only form predicts, whose θ no GPU count changes.
      out[i] = labelled(p, i, () => (estimator ? estimator.energyJ(nIn[i], nOut[i], batchSize[i]) : lengthOnlyEnergyJ(c, p.keys.at(i)!, nIn[i], nOut[i], batchSize[i])));
      continue;
    }
    const key = modelKey(name, batchSize[i], gpuCode);
    let model = models.get(key);
    if (model === undefined) {
      model = labelled(p, i, () => {
        const arch = archOf(name, i);
        const options = { batch: batchSize[i], allowOverflow: true, form, ...(waves ? { waves } : {}) };
        return arch && (memoryGpu ? energyModelWithMemory(ci, arch, options, memoryGpu) : energyModel(ci, arch, options));
      });
      models.set(key, model);
    }
    try {
      out[i] = model ? model.energyJ(nIn[i], nOut[i]) : lengthOnlyEnergyJ(c, p.keys.at(i)!, nIn[i], nOut[i], batchSize[i]);
    } catch (error) {
      throw withLabel(p, i, error);
    }
  }
  return { predicted: out, models, pricing };
}

/** Runs `f`, naming row i (`line N` or `rows[i]`) in the input error it throws (a memory error stays one). */
function labelled<T>(p: PreparedData, i: number, f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw withLabel(p, i, error);
  }
}

function withLabel(p: PreparedData, i: number, error: unknown): unknown {
  if (error instanceof SweetspotMemoryError) return new SweetspotMemoryError(`${p.labels.at(i)}: ${error.message}`, error.neededBytes, error.availableBytes, error.gpus);
  if (error instanceof SweetspotInputError) {
    // Each issue names the row too: a caller that prints `issues` (src/errors.ts) must see which.
    const label = p.labels.at(i);
    return new SweetspotInputError(`${label}: ${error.message}`, error.issues.map((issue) => `${label}: ${issue}`));
  }
  return error;
}

/**
 * Evaluates a calibration on measurements: MAPE overall, per model and per measured configuration,
 * the noise floor of the repeats, and the baselines side by side. Baselines are fitted on the
 * evaluation rows themselves (in-sample), which favours them: a calibration that beats them here
 * beats them fairly.
 *
 * Rows may be plain objects (validated; fields left out listed in `defaulted`) or a
 * {@link MeasurementTable} (`loadMeasurementTable`; checked column by column, `defaulted` empty),
 * as `calibrate` takes them: plain rows become a table and run the same code, so that 10⁶ rows
 * are evaluated without an object per row (docs/fitting.md#measurement-tables).
 *
 * @throws {SweetspotInputError} for a bad row or table cell (named), a model missing from a per-model calibration (named), rows of
 *   another regime, or a batch a length-only calibration was not fitted at.
 * @example
 * const ev = evaluate(parseCalibration(readFileSync('calib.json', 'utf8')), rows);
 * ev.mape; ev.perModel['llama-2-7b'].mape; ev.baselines.linear.mape
 * evaluate(calibration, (await loadMeasurementTable('sweep.csv', process.cwd())).table).mape
 * @category Fitting
 */
export function evaluate(calibration: Calibration | CalibrationInput, input: readonly MeasurementInput[] | MeasurementTable, evaluateOptions?: EvaluateOptions): Evaluation {
  return evaluateWith(calibration, input, evaluateOptions, LIBRARY_REMEDIES);
}

/**
 * {@link evaluate}, its warnings telling the caller what to do in the caller's own terms
 * (`remedies`: the command line passes its flags). Internal.
 *
 * @example
 * evaluateWith(calibration, table, { transfer: false }, LIBRARY_REMEDIES).warnings
 */
export function evaluateWith(
  calibration: Calibration | CalibrationInput,
  input: readonly MeasurementInput[] | MeasurementTable,
  evaluateOptions: EvaluateOptions | undefined,
  remedies: FitRemedies,
): Evaluation {
  const options = optionsObject('evaluate', evaluateOptions, EVALUATE_KEYS);
  const c = parseCalibration(calibration);
  const { table, defaulted } = measurementTable(input, 'evaluate');
  const baselineForms = (options.baselines ?? [linearForm, perParamForm]).filter((b) => b.id !== c.form);
  // The complexity terms are computed only for baselines that read them (the default ones do not).
  const p = prepareTable(table, { resolve: options.resolve, weightBytes: c.weightBytes, kvBytes: c.kvBytes, terms: !baselineForms.every(readsSizesOnly) });
  const { predicted, models, pricing } = predictWithModels(c, table, p, options, remedies);
  const all = errorMetrics(predicted, p.measuredJ);
  const perKey = perKeyErrors(p.keys, predicted, p.measuredJ);
  const perModel = Object.fromEntries(Object.entries(perKey).map(([k, e]) => [k, { mape: e.mape, maxApe: e.maxApe, n: e.n }]));
  const baselines: Record<string, BaselineEvaluation> = {};
  for (const b of baselineForms) {
    // The baselines read lengths and parameter counts only: no hardware context.
    const rep = fitBaseline(b, p, {});
    if (!rep.fitted || !rep.errors) {
      baselines[b.id] = { note: `not fitted: ${rep.skipped}` };
      continue;
    }
    const bp = rep.fitted.predict(p.features, p.keys);
    const bk = perKeyErrors(p.keys, bp, p.measuredJ);
    baselines[b.id] = {
      mape: rep.errors.mape,
      maxApe: rep.errors.maxApe,
      r2: rep.errors.r2,
      perModel: Object.fromEntries(Object.entries(bk).map(([k, e]) => [k, { mape: e.mape, n: e.n }])),
      note: 'fitted on the evaluation rows (in-sample), which favours the baseline',
    };
  }
  const intervals = intervalsOf(c, table, models, options.level ?? 0.9);
  return {
    n: all.n,
    mape: all.mape,
    maxApe: all.maxApe,
    r2: all.r2,
    perModel,
    perPoint: pointErrors(table, p, predicted),
    predictedJ: predicted,
    noiseFloor: noiseFloor(table),
    baselines,
    warnings: gpuWarnings(table, pricing, remedies),
    intervals,
    defaulted,
  };
}

/** The errors at each measured configuration (the repeats of one, docs/fitting.md#repeats-and-the-noise-floor). */
function pointErrors(table: MeasurementTable, p: PreparedData, predicted: readonly number[]): PointError[] {
  const { count, start, rows } = tableRepeats(table);
  // Predictions and energies in group order, so that each group's are one contiguous view.
  const predictedJ = new Float64Array(rows.length);
  const measuredJ = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    predictedJ[k] = predicted[rows[k]];
    measuredJ[k] = table.energyJ[rows[k]];
  }
  const out = new Array<PointError>(count);
  for (let g = 0; g < count; g++) {
    const from = start[g];
    const to = start[g + 1];
    const first = rows[from];
    let sum = 0;
    for (let k = from; k < to; k++) sum += measuredJ[k];
    const e = errorMetrics(predictedJ.subarray(from, to), measuredJ.subarray(from, to));
    out[g] = {
      model: p.keys.at(first)!,
      nIn: table.nIn[first],
      nOut: table.nOut[first],
      batch: table.batchSize[first],
      n: to - from,
      measuredMeanJ: sum / (to - from),
      predictedJ: predicted[first],
      mape: e.mape,
    };
  }
  return out;
}

/** Warnings for rows measured on another GPU than the calibration's: moved to theirs, or not (and why). */
function gpuWarnings(table: MeasurementTable, pricing: GpuPricing, remedies: FitRemedies): string[] {
  const { texts, codes } = table.gpu;
  let moved = 0;
  let unmoved = 0;
  for (let i = 0; i < table.length; i++) {
    if (codes[i] < 0) continue;
    const gpu = texts[codes[i]];
    if (pricing.moved.has(gpu)) moved++;
    else if (pricing.unmoved.has(gpu)) unmoved++;
  }
  const out: string[] = [];
  if (moved) {
    out.push(
      `${moved} row(s) measured on another GPU than the calibration's (${firstFew([...pricing.moved], ' | ')}): priced by the calibration moved to each row's GPU by ratios to physics (docs/energy-models.md#other-gpus; ${remedies.noTransfer} prices them on the calibration's GPU)`,
    );
  }
  if (unmoved) {
    const why = firstFew([...pricing.unmoved].map(([gpu, reason]) => `${gpu}: ${reason}`), ' | ');
    out.push(`${unmoved} row(s) measured on another GPU than the calibration's, priced on the calibration's GPU (${why}): this is a transfer test`);
  }
  return out;
}

/**
 * Each row's prediction interval, and how many rows it covered; null without uncertainty. The
 * models are those the predictions bound (every row's (model, batch) is among them).
 */
function intervalsOf(c: Calibration, table: MeasurementTable, models: ModelsByKey, level: number): Evaluation['intervals'] {
  const hasUncertainty = c.uncertainty !== null || Object.values(c.models).some((m) => m.uncertainty !== null);
  if (!hasUncertainty) return null;
  const { nIn, nOut, batchSize, energyJ } = table;
  const { texts, codes } = table.model;
  const lowJ: number[] = [];
  const highJ: number[] = [];
  let covered = 0;
  let n = 0;
  for (let i = 0; i < table.length; i++) {
    // Intervals are for one GPU (as `estimate` gives them): rows on several have none.
    const model = gpusAt(table, i) === 1 ? models.get(modelKey(texts[codes[i]], batchSize[i], table.gpu.codes[i])) : undefined;
    if (!model?.uncertainty) {
      lowJ.push(NaN);
      highJ.push(NaN);
      continue;
    }
    const iv = intervalOf(model, nIn[i], nOut[i], level);
    lowJ.push(iv.lowJ);
    highJ.push(iv.highJ);
    n++;
    if (iv.lowJ <= energyJ[i] && energyJ[i] <= iv.highJ) covered++;
  }
  return n > 0 ? { level, coverage: covered / n, n, lowJ, highJ } : null;
}

export type { ErrorMetrics };
