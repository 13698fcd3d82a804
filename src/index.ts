/**
 * sweetspot: predict and explain the energy of LLM inference.
 *
 * @module sweetspot
 */
export { SweetspotInputError } from './errors.js';

export { ArchitectureSchema, SlidingWindowSchema } from './architecture/schema.js';
export type { Architecture, ArchitectureInput, SlidingWindow } from './architecture/schema.js';
export { layerWindows, windowGroups } from './architecture/windows.js';
export type { WindowGroup } from './architecture/windows.js';

export { RequestSchema, requestTerms, termsKernel, termsWithKernel } from './complexity/terms.js';
export type { Regime, Request, RequestInput, RequestTerms, PhaseTerms, TermsKernel } from './complexity/terms.js';
export { FEATURE_NAMES, emptyFeatures, featuresFromTerms, fillFeatures } from './complexity/features.js';
export type { RequestFeatures } from './complexity/features.js';
export { causalPairs, sumCausalPairs, sumMin } from './complexity/sums.js';
export {
  blockMatmulParams,
  kvBytesPerToken,
  kvBytesPerTokenPerLayer,
  lmHeadParams,
  weightBytesPerStep,
} from './complexity/weights.js';

export type { EnergyForm, FormContext, ParamSpec } from './energy/form.js';
export { HardwareProfileSchema } from './energy/profile.js';
export type { HardwareProfile } from './energy/profile.js';

export { COLUMN_TO_FIELD, MEASUREMENT_COLUMNS, MeasurementSchema } from './fit/measurement.js';
export type { Measurement, MeasurementInput } from './fit/measurement.js';

// ── Architecture layer: presets, parameter count, Hugging Face import, name resolution ──
export { PRESET_INPUTS } from './architecture/presets.js';
export { PRESETS, preset, presetIds } from './architecture/registry.js';
export { paramBreakdown, paramCount } from './architecture/params.js';
export type { ParamBreakdown } from './architecture/params.js';
export { HF_MODEL_TYPES, fromHfConfig } from './architecture/hf-config.js';
export type { FromHfConfigOptions, HfModelType } from './architecture/hf-config.js';
export { findPreset, resolveArchitecture } from './architecture/resolve.js';
export { loadArchitecture } from './architecture/load.js';

// ── Energy models: calibrations, forms, hardware profiles, prediction, the built-in H100 default ──
export {
  CALIBRATION_FORMS,
  CalibrationErrorsSchema,
  CalibrationSchema,
  ErrorSummarySchema,
  FittedOnSchema,
  ModelCalibrationSchema,
  PER_MODEL_FORMS,
  ParamValueSchema,
  ParamValuesSchema,
  parseCalibration,
  serializeCalibration,
} from './energy/calibration.js';
export type {
  Calibration,
  CalibrationErrors,
  CalibrationFormId,
  CalibrationInput,
  ErrorSummary,
  ModelCalibration,
  ParamValue,
  ParamValues,
} from './energy/calibration.js';
export { sweetspotForm } from './energy/forms/sweetspot.js';
export { linearForm } from './energy/forms/linear.js';
export { perParamForm } from './energy/forms/per-param.js';
export { HARDWARE_PARAMS, hardwareForm, hardwareFormBase, rooflineTimeS } from './energy/forms/hardware.js';
export type { HardwareFixed } from './energy/forms/hardware.js';
export { FORMULA_FUNCTIONS, compileFormula } from './energy/forms/formula.js';
export type { FormulaOptions } from './energy/forms/formula.js';
export { BUILT_IN_FORMS, energyForm } from './energy/forms/registry.js';
export { HARDWARE_PROFILES, resolveProfile } from './energy/profiles.js';
export { precisionFor } from './energy/precision.js';
export { energyModel, energyModelAsync, predictEnergy } from './energy/predict.js';
export type { EnergyModel, EnergyModelOptions, EnergyPrediction, PredictRequest } from './energy/predict.js';
export { H100_DEFAULT_CALIBRATION, defaultCalibration } from './energy/defaults.js';
