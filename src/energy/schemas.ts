import { calibrationSchemas } from './calibration/document.js';
import { hardwareProfileSchema } from './hardware/profile.js';
import { shelfEntrySchemas } from './calibration/shelf-entry.js';

// The layer entry's zod schemas, built when `sweetspot/energy` loads; the main entry never imports
// this file, so it loads without zod (docs/conventions.md#built-in-data).

/**
 * Datasheet figures of a GPU (and, where measured, fitted values). Profiles are data: see
 * `HARDWARE_PROFILES`. A profile not fitted to measurements says so in `fitted: false`.
 *
 * @example
 * HardwareProfileSchema.parse(JSON.parse(readFileSync('my-gpu.json', 'utf8'))).peakFlops.bf16
 */
export const HardwareProfileSchema = hardwareProfileSchema();

/**
 * One fitted (or derived) parameter value with its unit and standard error.
 *
 * @example
 * ParamValueSchema.parse({ value: 0.25, unit: 'J/token', stdErr: null })
 */
export const ParamValueSchema = calibrationSchemas().ParamValueSchema;

/**
 * Parameter name → value, in the form's parameter order.
 *
 * @example
 * ParamValuesSchema.parse({ a: { value: 1, unit: 'J', stdErr: null } })
 */
export const ParamValuesSchema = calibrationSchemas().ParamValuesSchema;

/**
 * What prediction intervals need (docs/fitting.md#prediction-intervals): the relative scatter of
 * the rows about the fit (σ of log E), a systematic log offset known from checks (0 for a fit),
 * and the covariance of the parameters in the order of `params`.
 *
 * @example
 * UncertaintySchema.parse({ residualSigma: 0.05, logBias: 0, covariance: null })
 */
export const UncertaintySchema = calibrationSchemas().UncertaintySchema;

/**
 * Parameters of one LLM for a per-model form.
 *
 * @example
 * ModelCalibrationSchema.parse({ params: {}, rows: 0, mape: null })
 */
export const ModelCalibrationSchema = calibrationSchemas().ModelCalibrationSchema;

/**
 * MAPE (%), max APE (%) and R² of one model (the fit or a baseline).
 *
 * @example
 * ErrorSummarySchema.parse({ mape: 2.1, maxApe: 7.5, r2: 0.99 })
 */
export const ErrorSummarySchema = calibrationSchemas().ErrorSummarySchema;

/**
 * Errors of a fit, with the noise floor of repeated rows and the baselines side by side.
 *
 * @example
 * CalibrationErrorsSchema.parse({ mape: 2.1, maxApe: 7.5, r2: 0.99, noiseFloorMape: 0.8, baselines: {} })
 */
export const CalibrationErrorsSchema = calibrationSchemas().CalibrationErrorsSchema;

/**
 * What a calibration was fitted on.
 *
 * @example
 * FittedOnSchema.parse({ rows: 482, sha256: '0'.repeat(64), models: ['llama-2-7b'] })
 */
export const FittedOnSchema = calibrationSchemas().FittedOnSchema;

/**
 * A calibration: an energy form with its parameters, the GPU, engine and precision they belong
 * to, what they were fitted on and how well they fit. A JSON document; `parseCalibration` and
 * `serializeCalibration` round-trip it exactly.
 *
 * @example
 * CalibrationSchema.safeParse(JSON.parse(text)).success
 */
export const CalibrationSchema = calibrationSchemas().CalibrationSchema;

/**
 * One held-out group of a cross-validation: the group's name, its rows and their MAPE.
 *
 * @example
 * CvFoldSummarySchema.parse({ heldOut: 'vLLM', rows: 8, mape: 9.1, maxApe: 20.3 })
 */
export const CvFoldSummarySchema = shelfEntrySchemas().CvFoldSummarySchema;

/**
 * A cross-validated error of a shelf calibration: the scheme (what each fold holds out), the
 * pooled MAPE and max APE over every held-out row, and the folds.
 *
 * @example
 * CrossValidationSchema.parse({ scheme: 'leave-one-model-out', rows: 16, mape: 8, maxApe: 20, folds: [] })
 */
export const CrossValidationSchema = shelfEntrySchemas().CrossValidationSchema;

/**
 * A named, versioned calibration of the shelf (docs/calibrations.md): the calibration document
 * with what it is for, how it was made from which public data, and its cross-validated errors.
 *
 * @example
 * ShelfEntrySchema.parse(JSON.parse(readFileSync('src/energy/calibration/shelf/h100-vllm.json', 'utf8')))
 */
export const ShelfEntrySchema = shelfEntrySchemas().ShelfEntrySchema;
