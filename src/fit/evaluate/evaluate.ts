import type { Architecture } from '../../architecture/schema.js';
import { parseCalibration, type Calibration, type CalibrationInput } from '../../energy/calibration/document.js';
import type { EnergyForm } from '../../energy/form.js';
import { energyForm } from '../../energy/forms/registry.js';
import { energyModel, type EnergyModel } from '../../energy/predict/predict.js';
import { intervalOf } from '../../energy/predict/interval.js';
import { SweetspotInputError } from '../../errors.js';
import { fitBaseline, perKeyErrors } from '../calibrate.js';
import type { Measurement, MeasurementInput } from '../data/measurement.js';
import { measurementRows, type DefaultedField } from '../data/rows.js';
import { errorMetrics, type ErrorMetrics } from './metrics.js';
import { prepareRows, type PreparedRows } from '../prepare.js';
import { groupRepeats, noiseFloor, type NoiseFloor } from './repeats.js';
import { lengthOnlyEnergyJ, predictsWithoutArchitecture } from '../length-only.js';
import { linearForm } from '../../energy/forms/linear.js';
import { perParamForm } from '../../energy/forms/per-param.js';
import { resolveArchitecture } from '../../architecture/resolve.js';
import { resolveProfile } from '../../energy/hardware/profiles.js';

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
}

/**
 * Predicts measured rows with a calibration, checking that the rows match it (regime; batch for
 * length-only forms; each model known to a per-model calibration). Rows beyond a model's context
 * are predicted anyway: they were measured.
 *
 * @throws {SweetspotInputError} naming the first mismatching row or the missing model.
 * @example
 * const predicted = predictRows(calibration, prepareRows(rows));
 */
export function predictRows(calibration: Calibration, p: PreparedRows, options: EvaluateOptions = {}): number[] {
  const c = calibration;
  const resolve = options.resolve ?? resolveArchitecture;
  const form = c.form === 'formula' ? options.form : options.form ?? energyForm(c.form);
  if (!form) throw new SweetspotInputError('evaluate(calibration, rows, { form }): a formula calibration needs its compiled form (await calibrationForm(calibration))');
  const perModel = form.scope === 'per-model';
  if (perModel) {
    const missing = [...new Set(p.keys)].filter((k) => !(k in c.models));
    if (missing.length) {
      throw new SweetspotInputError(
        `calibration has no parameters for model(s) ${missing.join(', ')} (calibrated: ${Object.keys(c.models).join(', ')}); a per-model '${c.form}' calibration predicts only its own models (use a hardware calibration for others)`,
      );
    }
  }
  const models = new Map<string, EnergyModel>();
  return p.rows.map((r, i) => {
    const regime = r.kvCache ? 'kv-cache' : 'recompute';
    if (regime !== c.regime) {
      throw new SweetspotInputError(`${p.labels[i]}: kv_cache: the row is ${regime} but the calibration is for the ${c.regime} regime`);
    }
    const key = `${r.model}|${r.batchSize}`;
    let model = models.get(key);
    if (!model) {
      try {
        let arch: Architecture;
        try {
          arch = resolve(r.model);
        } catch (error) {
          // Length-only forms need no architecture, only the model's parameters (with the same
          // batch check as energyModel: a row at another batch is an error, not a prediction).
          if (predictsWithoutArchitecture(c, p.keys[i])) return lengthOnlyEnergyJ(c, p.keys[i], r.nIn, r.nOut, r.batchSize);
          throw error;
        }
        model = energyModel(c, arch, { batch: r.batchSize, allowOverflow: true, form });
      } catch (error) {
        if (error instanceof SweetspotInputError) throw new SweetspotInputError(`${p.labels[i]}: ${error.message}`);
        throw error;
      }
      models.set(key, model);
    }
    return model.energyJ(r.nIn, r.nOut);
  });
}

/**
 * Evaluates a calibration on measurements: MAPE overall, per model and per measured configuration,
 * the noise floor of the repeats, and the baselines side by side. Baselines are fitted on the
 * evaluation rows themselves (in-sample), which favours them: a calibration that beats them here
 * beats them fairly.
 *
 * @throws {SweetspotInputError} for a model missing from a per-model calibration (named), rows of
 *   another regime, or a batch a length-only calibration was not fitted at.
 * @example
 * const ev = evaluate(parseCalibration(readFileSync('calib.json', 'utf8')), rows);
 * ev.mape; ev.perModel['llama-2-7b'].mape; ev.baselines.linear.mape
 * @category Fitting
 */
export function evaluate(calibration: Calibration | CalibrationInput, input: readonly MeasurementInput[], options: EvaluateOptions = {}): Evaluation {
  const c = parseCalibration(calibration);
  const { rows, defaulted } = measurementRows(input, 'evaluate');
  const p = prepareRows(rows, { resolve: options.resolve, weightBytes: c.weightBytes, kvBytes: c.kvBytes });
  const predicted = predictRows(c, p, options);
  const all = errorMetrics(predicted, p.measuredJ);
  const perKey = perKeyErrors(p.keys, predicted, p.measuredJ);
  const perModel = Object.fromEntries(Object.entries(perKey).map(([k, e]) => [k, { mape: e.mape, maxApe: e.maxApe, n: e.n }]));
  const perPoint = groupRepeats(rows).map((g) => {
    const r = rows[g.indices[0]];
    const e = errorMetrics(
      g.indices.map((i) => predicted[i]),
      g.indices.map((i) => p.measuredJ[i]),
    );
    return { model: p.keys[g.indices[0]], nIn: r.nIn, nOut: r.nOut, batch: r.batchSize, n: g.indices.length, measuredMeanJ: g.meanEnergyJ, predictedJ: predicted[g.indices[0]], mape: e.mape };
  });
  const baselines: Record<string, BaselineEvaluation> = {};
  for (const b of options.baselines ?? [linearForm, perParamForm]) {
    if (b.id === c.form) continue;
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
  const warnings: string[] = [];
  const otherGpu = rows.filter((r) => r.gpu !== undefined && !sameGpu(r.gpu, c.gpu, c.profile));
  if (otherGpu.length) {
    const names = [...new Set(otherGpu.map((r) => r.gpu))];
    warnings.push(`${otherGpu.length} row(s) measured on another GPU than the calibration's (${names.join(' | ')}): this is a transfer test`);
  }
  const intervals = intervalsOf(c, rows, options);
  return { n: all.n, mape: all.mape, maxApe: all.maxApe, r2: all.r2, perModel, perPoint, predictedJ: predicted, noiseFloor: noiseFloor(rows), baselines, warnings, intervals, defaulted };
}

/** Each row's prediction interval, and how many rows it covered; null without uncertainty. */
function intervalsOf(c: Calibration, rows: readonly Measurement[], options: EvaluateOptions): Evaluation['intervals'] {
  const level = options.level ?? 0.9;
  const hasUncertainty = c.uncertainty !== null || Object.values(c.models).some((m) => m.uncertainty !== null);
  if (!hasUncertainty) return null;
  const resolve = options.resolve ?? resolveArchitecture;
  const form = c.form === 'formula' ? options.form : options.form ?? energyForm(c.form);
  const models = new Map<string, EnergyModel | null>();
  const lowJ: number[] = [];
  const highJ: number[] = [];
  let covered = 0;
  let n = 0;
  for (const r of rows) {
    const key = `${r.model}|${r.batchSize}`;
    if (!models.has(key)) {
      try {
        const m = energyModel(c, resolve(r.model), { batch: r.batchSize, allowOverflow: true, form });
        models.set(key, m.uncertainty ? m : null);
      } catch {
        models.set(key, null);
      }
    }
    const model = models.get(key);
    if (!model) {
      lowJ.push(NaN);
      highJ.push(NaN);
      continue;
    }
    const iv = intervalOf(model, r.nIn, r.nOut, level);
    lowJ.push(iv.lowJ);
    highJ.push(iv.highJ);
    n++;
    if (iv.lowJ <= r.energyJ && r.energyJ <= iv.highJ) covered++;
  }
  return n > 0 ? { level, coverage: covered / n, n, lowJ, highJ } : null;
}

function sameGpu(gpu: string, calibrationGpu: string, profileId: string | null): boolean {
  if (gpu.toLowerCase() === calibrationGpu.toLowerCase()) return true;
  try {
    return profileId !== null && resolveProfile(gpu).id === profileId;
  } catch {
    return false;
  }
}

export type { ErrorMetrics };
