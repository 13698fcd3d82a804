import type { z } from 'zod';
import { SweetspotInputError, parseWith } from '../../errors.js';
import { shownValue } from '../../arguments.js';
import { isReservedName } from '../../reserved-names.js';
import { MAX_BATCH } from '../limits.js';
import { jsonErrorText, stripBom } from '../../text-input.js';
import { lazySchema } from '../../zod.js';
// Types only: the values are built on first use below; schemas.ts holds the layer entry's copies.
import type { CalibrationErrorsSchema, CalibrationSchema, ErrorSummarySchema, ModelCalibrationSchema, ParamValueSchema, ParamValuesSchema, UncertaintySchema } from '../schemas.js';
import { checkCalibrationSize } from './size.js';

/**
 * The calibration document version this library writes. Version 2 added `attention` and
 * `uncertainty`; version 1 documents still load (as `attention: 'fused'`, no uncertainty).
 *
 * @example
 * parseCalibration(text).version === CALIBRATION_VERSION
 */
export const CALIBRATION_VERSION = 2;

/**
 * Document versions this library reads.
 *
 * @example
 * READABLE_CALIBRATION_VERSIONS.includes(1) // true: old files stay loadable
 */
export const READABLE_CALIBRATION_VERSIONS: readonly number[] = [1, 2];

/**
 * How a calibration's engine computes attention (docs/complexity.md#attention-implementations):
 * `fused`, `masked` or `eager` for every model, or `transformers-sdpa`, the choice Hugging Face
 * transformers 4.36–4.39 with torch 2.1–2.2 makes per architecture (`attentionFor`).
 *
 * @example
 * ATTENTION_SETTINGS.includes('eager') // true
 */
export const ATTENTION_SETTINGS = ['fused', 'masked', 'eager', 'transformers-sdpa'] as const;
/**
 * One of {@link ATTENTION_SETTINGS}.
 *
 * @example
 * const a: AttentionSetting = 'transformers-sdpa';
 */
export type AttentionSetting = (typeof ATTENTION_SETTINGS)[number];

/**
 * Form ids a calibration may name.
 *
 * @example
 * CALIBRATION_FORMS.includes('hardware') // true
 */
export const CALIBRATION_FORMS = ['sweetspot', 'hardware', 'linear', 'per-param', 'formula'] as const;
/**
 * One of {@link CALIBRATION_FORMS}.
 *
 * @example
 * const id: CalibrationFormId = 'hardware';
 */
export type CalibrationFormId = (typeof CALIBRATION_FORMS)[number];

/**
 * Built-in forms whose parameters belong to one LLM (stored under `models`, not `params`).
 *
 * @example
 * PER_MODEL_FORMS.has('sweetspot') // true
 */
export const PER_MODEL_FORMS: ReadonlySet<string> = new Set(['sweetspot', 'linear']);

/**
 * The zod schemas of a calibration document, built on first use (zod loads only when input is
 * checked); `sweetspot/energy` exports each under its name.
 *
 * @example
 * calibrationSchemas().CalibrationSchema.safeParse(JSON.parse(text)).success
 */
export const calibrationSchemas = lazySchema((z) => {
  // -0 would not survive JSON (it prints as 0): normalise it so that save/load round-trips exactly.
  const noNegZero = (v: number): number => (v === 0 ? 0 : v);
  const finite = z.number().finite();
  const num = finite.transform(noNegZero);
  const nonneg = finite.nonnegative().transform(noNegZero);
  const positive = finite.positive();
  // Keys of parameter and model records: a reserved name (`__proto__`, `constructor`, …) would be
  // dropped or read as an inherited member by a plain object, so it is refused by name before the
  // record is built (docs/energy-models.md#limits-on-untrusted-input).
  function safeRecord<T extends z.ZodType>(value: T): z.ZodRecord<z.ZodString, T> {
    // Typed as the plain record it checks: the preprocess step changes no value, only refuses keys.
    return z.preprocess((input, ctx) => {
      if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
        for (const k of Object.keys(input)) {
          if (isReservedName(k)) {
            ctx.issues.push({ code: 'custom', input, path: [k], message: 'a reserved name (a JavaScript global, a prototype member or a name beginning with __) may not be a key' });
          }
        }
      }
      return input;
    }, z.record(z.string().min(1), value)) as unknown as z.ZodRecord<z.ZodString, T>;
  }

  /**
   * How the data and the prior shared in determining a fitted parameter (docs/fitting.md#priors).
   *
   * @example
   * PriorSummarySchema.parse({ center: 114, width: 0.5, scale: 'log', shift: -1.3, narrowing: 0.6, determinedBy: 'data and prior' })
   */
  const PriorSummarySchema = z
    .object({
      center: num,
      width: finite.positive(),
      scale: z.enum(['log', 'linear']),
      /** (value − centre)/width on the prior's scale. */
      shift: num,
      /** Posterior sd / prior sd; null at a bound. */
      narrowing: nonneg.nullable(),
      determinedBy: z.enum(['data', 'prior', 'data and prior', 'bound']),
    })
    .strict();

  /**
   * One fitted (or derived) parameter value with its unit and standard error.
   *
   * @example
   * ParamValueSchema.parse({ value: 0.25, unit: 'J/token', stdErr: null })
   */
  const ParamValueSchema = z
    .object({
      value: num,
      /** Unit of `value`, e.g. `J/token²`, `J/FLOP`, `W`, `1`. */
      unit: z.string(),
      /** Standard error from the Jacobian at the optimum; null when not fitted or not determined. */
      stdErr: nonneg.nullable(),
      /** For a fit under a prior (version 2): what determined the value. */
      prior: PriorSummarySchema.optional(),
    })
    .strict();

  /**
   * Parameter name → value, in the form's parameter order.
   *
   * @example
   * ParamValuesSchema.parse({ a: { value: 1, unit: 'J', stdErr: null } })
   */
  const ParamValuesSchema = safeRecord(ParamValueSchema);

  /**
   * What prediction intervals need (docs/fitting.md#prediction-intervals): the relative scatter of
   * the rows about the fit (σ of log E), a systematic log offset known from checks (0 for a fit),
   * and the covariance of the parameters in the order of `params`.
   *
   * @example
   * UncertaintySchema.parse({ residualSigma: 0.05, logBias: 0, covariance: null })
   */
  const UncertaintySchema = z
    .object({
      /** σ of log(measured/predicted) about the fit, from its residuals (dimensionless). */
      residualSigma: nonneg,
      /** Mean log(measured/predicted) known from checks against data the calibration was not fitted on; 0 for a fit. */
      logBias: num.default(0),
      /** Covariance of θ (posterior under a prior), rows and columns in the order of `params`; null when not available. */
      covariance: z.array(z.array(num)).nullable(),
    })
    .strict();

  /**
   * Parameters of one LLM for a per-model form.
   *
   * @example
   * ModelCalibrationSchema.parse({ params: {}, rows: 0, mape: null })
   */
  const ModelCalibrationSchema = z
    .object({
      params: ParamValuesSchema,
      /** Measurement rows this model's parameters were fitted on. */
      rows: z.number().int().nonnegative(),
      /** In-sample MAPE (%) on those rows; null when unknown. */
      mape: nonneg.nullable(),
      /** What this model's prediction intervals need (version 2); null when unknown. */
      uncertainty: UncertaintySchema.nullable().default(null),
    })
    .strict();

  /**
   * MAPE (%), max APE (%) and R² of one model (the fit or a baseline).
   *
   * @example
   * ErrorSummarySchema.parse({ mape: 2.1, maxApe: 7.5, r2: 0.99 })
   */
  const ErrorSummarySchema = z
    .object({
      mape: nonneg,
      maxApe: nonneg,
      r2: num,
    })
    .strict();

  /**
   * Errors of a fit, with the noise floor of repeated rows and the baselines side by side.
   *
   * @example
   * CalibrationErrorsSchema.parse({ mape: 2.1, maxApe: 7.5, r2: 0.99, noiseFloorMape: 0.8, baselines: {} })
   */
  const CalibrationErrorsSchema = z
    .object({
      mape: nonneg,
      maxApe: nonneg,
      r2: num,
      /** MAPE of repeats around their own mean: no model can do better than this; null without repeats. */
      noiseFloorMape: nonneg.nullable(),
      baselines: z.record(z.string().min(1), ErrorSummarySchema),
    })
    .strict();

  /**
   * What a calibration was fitted on.
   *
   * @example
   * FittedOnSchema.parse({ rows: 482, sha256: '0'.repeat(64), models: ['llama-2-7b'] })
   */
  const FittedOnSchema = z
    .object({
      rows: z.number().int().nonnegative(),
      /** SHA-256 (hex) of the measurement rows used, as the fitter canonicalises them. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
      models: z.array(z.string().min(1)),
      /**
       * The span of the rows fitted on (optional; written by `calibrate`): the least and greatest
       * prompt length, output length and batch. A prediction outside it is an extrapolation, which
       * the intervals do not cover (`outsideFit`).
       */
      ranges: z
        .object({
          nIn: z.tuple([positive, positive]),
          nOut: z.tuple([positive, positive]),
          batch: z.tuple([positive, positive]),
        })
        .strict()
        .optional(),
      /**
       * Where each row came from (optional): per source file of the measurements, its provenance
       * (`owner/repo@commit:path` of the public source, or a description) and the line of every row
       * used in that file. Built-in calibrations carry it (docs/calibrations.md).
       */
      sources: z
        .array(
          z
            .object({
              /** The measurement file, e.g. `data/argonne_hopper_diag.csv`. */
              file: z.string().min(1),
              /** The public source the rows were taken from, e.g. `owner/repo@commit12:path`. */
              source: z.string().min(1),
              /** 1-based line of each row in `file`. */
              lines: z.array(z.number().int().positive()),
            })
            .strict(),
        )
        .optional(),
    })
    .strict();

  /**
   * A calibration: an energy form with its parameters, the GPU, engine and precision they belong
   * to, what they were fitted on and how well they fit. A JSON document; {@link parseCalibration}
   * and {@link serializeCalibration} round-trip it exactly.
   *
   * Per-model forms (`sweetspot`, `linear`, and a `formula` with `models`) keep their parameters
   * under `models[presetId].params` and leave `params` empty; shared forms (`hardware`,
   * `per-param`, a shared `formula`) keep them in `params`.
   *
   * @example
   * CalibrationSchema.safeParse(JSON.parse(text)).success
   */
  const CalibrationSchema = z
    .object({
      /** Document version: 1 or 2 (read), 2 (written). Any other value (or none) is refused, naming what was found. */
      version: z.unknown().transform((v, ctx): typeof CALIBRATION_VERSION => {
        if (v === 1 || v === 2) return CALIBRATION_VERSION;
        ctx.addIssue({
          code: 'custom',
          message:
            v === undefined
              ? `missing: a calibration document says which version it is (this library reads versions ${READABLE_CALIBRATION_VERSIONS.join(' and ')})`
              : `unsupported calibration version ${shownValue(v)} (this library reads versions ${READABLE_CALIBRATION_VERSIONS.join(' and ')})`,
        });
        return z.NEVER;
      }),
      form: z.enum(CALIBRATION_FORMS),
      /** The formula text of a `formula` calibration; null for the built-in forms. */
      formula: z.string().min(1).nullable().default(null),
      /** How the engine generated: the regime the complexity terms are computed in. */
      regime: z.enum(['kv-cache', 'recompute']),
      /** GPU as given (by the data or the user), e.g. `NVIDIA H100 80GB HBM3`. */
      gpu: z.string().min(1),
      /** Hardware profile id (see `profiles.ts`), or null for forms that need none. */
      profile: z.string().min(1).nullable(),
      /** Inference engine and the settings that matter, e.g. `TensorRT-LLM`. */
      engine: z.string().min(1),
      /** How the engine computes attention (version 2; version 1 documents are `fused`). */
      attention: z.enum(ATTENTION_SETTINGS).default('fused'),
      /** Bytes per weight (2 = 16-bit). */
      weightBytes: positive,
      /** Bytes per KV-cache element. */
      kvBytes: positive,
      /**
       * Batch the measured calls ran at, for the forms that describe calls at one batch
       * (`describesOneBatch`: `sweetspot`, `linear`, a per-model `formula`): they describe the whole
       * call at this batch and are not extrapolated to others.
       */
      batch: z.number().int().min(1).max(MAX_BATCH, `must be at most ${MAX_BATCH}`).default(1),
      params: ParamValuesSchema,
      models: safeRecord(ModelCalibrationSchema),
      fittedOn: FittedOnSchema.nullable(),
      /** False for a calibration derived from datasheets and physics (such as the H100 prior) rather than fitted to measurements. */
      fitted: z.boolean(),
      note: z.string(),
      errors: CalibrationErrorsSchema.nullable(),
      /** What prediction intervals of a shared form need (version 2); per-model forms keep it under `models`. */
      uncertainty: UncertaintySchema.nullable().default(null),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (c.form === 'formula' && c.formula === null) {
        ctx.addIssue({ code: 'custom', path: ['formula'], message: 'a formula calibration needs the formula text' });
      }
      if (c.form !== 'formula' && c.formula !== null) {
        ctx.addIssue({ code: 'custom', path: ['formula'], message: `must be null for the '${c.form}' form` });
      }
      const modelCount = Object.keys(c.models).length;
      const paramCount = Object.keys(c.params).length;
      if (PER_MODEL_FORMS.has(c.form) && modelCount === 0) {
        ctx.addIssue({ code: 'custom', path: ['models'], message: `the per-model '${c.form}' form needs at least one model` });
      }
      if (PER_MODEL_FORMS.has(c.form) && paramCount > 0) {
        ctx.addIssue({ code: 'custom', path: ['params'], message: `the per-model '${c.form}' form keeps its parameters under models, not params` });
      }
      if ((c.form === 'hardware' || c.form === 'per-param') && paramCount === 0) {
        ctx.addIssue({ code: 'custom', path: ['params'], message: `the shared '${c.form}' form needs its parameters` });
      }
      if (c.form === 'hardware' && c.profile === null) {
        ctx.addIssue({ code: 'custom', path: ['profile'], message: 'the hardware form needs a hardware profile id' });
      }
      if (c.fitted && c.fittedOn === null) {
        ctx.addIssue({ code: 'custom', path: ['fittedOn'], message: 'a fitted calibration must say what it was fitted on' });
      }
    })
    .transform((c) => {
      // Hardware documents from before eScore existed charged score bytes at eByte: say so explicitly.
      if (c.form !== 'hardware' || Object.hasOwn(c.params, 'eScore') || !Object.hasOwn(c.params, 'eByte')) return c;
      return { ...c, params: { ...c.params, eScore: { value: c.params.eByte.value, unit: 'J/byte', stdErr: null } } };
    });
  return { PriorSummarySchema, ParamValueSchema, ParamValuesSchema, UncertaintySchema, ModelCalibrationSchema, ErrorSummarySchema, CalibrationErrorsSchema, FittedOnSchema, CalibrationSchema };
});

/**
 * A validated calibration.
 *
 * @example
 * const calib: Calibration = parseCalibration(readFileSync('calib.json', 'utf8'));
 * @category Calibrations
 */
export type Calibration = z.output<typeof CalibrationSchema>;
/**
 * A calibration as written (defaults not applied: `formula`, `batch`).
 *
 * @example
 * const input: CalibrationInput = { ...defaultCalibration(), batch: undefined }; // batch defaults to 1
 * @category Calibrations
 */
export type CalibrationInput = z.input<typeof CalibrationSchema>;
/**
 * One parameter value with its unit and standard error.
 *
 * @example
 * const v: ParamValue = { value: 200, unit: 'W', stdErr: null };
 */
export type ParamValue = z.output<typeof ParamValueSchema>;
/**
 * Parameter name → value.
 *
 * @example
 * const values: ParamValues = H100_DEFAULT_CALIBRATION.params;
 */
export type ParamValues = z.output<typeof ParamValuesSchema>;
/**
 * The parameters of one LLM in a per-model calibration.
 *
 * @example
 * const m: ModelCalibration = calib.models['llama-3-8b'];
 */
export type ModelCalibration = z.output<typeof ModelCalibrationSchema>;
/**
 * What a calibration's prediction intervals need.
 *
 * @example
 * const u: Uncertainty | null = calib.uncertainty;
 */
export type Uncertainty = z.output<typeof UncertaintySchema>;
/**
 * The errors of a calibration's fit, with its baselines.
 *
 * @example
 * const e: CalibrationErrors | null = calib.errors; // e?.mape, e?.baselines.linear.mape
 */
export type CalibrationErrors = z.output<typeof CalibrationErrorsSchema>;
/**
 * MAPE, max APE and R² of one model.
 *
 * @example
 * const s: ErrorSummary = { mape: 2.1, maxApe: 7.5, r2: 0.99 };
 */
export type ErrorSummary = z.output<typeof ErrorSummarySchema>;

/**
 * Validates a calibration given as JSON text or as an already parsed object.
 *
 * @throws {SweetspotInputError} naming every bad field (`calibration: models.llama-2-7b.params.theta1.value: …`),
 *   or for more JSON values than `CALIBRATION_LIMITS.values`.
 * @example
 * const calib = parseCalibration(readFileSync('calib.json', 'utf8'));
 * calib.form // 'sweetspot'
 * @category Calibrations
 */
export function parseCalibration(json: string | unknown): Calibration {
  // Before JSON.parse and the schema, whose cost grows with every value (and every bad one).
  checkCalibrationSize(typeof json === 'string' ? stripBom(json) : json);
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(stripBom(json));
    } catch (e) {
      throw new SweetspotInputError(`calibration: not valid JSON: ${jsonErrorText(stripBom(json), e as Error)}`);
    }
  }
  return parseWith(calibrationSchemas().CalibrationSchema, value, 'calibration');
}

/**
 * Writes a calibration as JSON text (2-space indent, trailing newline). It is validated first,
 * and `parseCalibration(serializeCalibration(c))` deep-equals `c` (JSON keeps doubles exactly).
 *
 * @throws {SweetspotInputError} when `c` is not a valid calibration (e.g. a NaN parameter).
 * @example
 * writeFileSync('calib.json', serializeCalibration(calib));
 * @category Calibrations
 */
export function serializeCalibration(c: CalibrationInput | Calibration): string {
  checkCalibrationSize(c);
  const valid = parseWith(calibrationSchemas().CalibrationSchema, c, 'calibration');
  return `${JSON.stringify(valid, null, 2)}\n`;
}
