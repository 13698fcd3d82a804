/**
 * The energy layer in full: calibration documents and their schemas, the energy forms, hardware
 * profiles, bound energy models, memory figures (docs/energy-models.md). The main entry
 * re-exports what services use (`estimate`, `createEstimator`, calibration I/O, profiles).
 *
 * @example
 * import { energyModel, compileFormula, CalibrationSchema } from 'sweetspot/energy';
 * @module sweetspot/energy
 * @category Subpath entries
 */
export type { EnergyForm, FormContext, ParamSpec } from './form.js';
export type { HardwareProfile } from './hardware/profile.js';
export {
  CALIBRATION_FORMS,
  CALIBRATION_VERSION,
  ATTENTION_SETTINGS,
  PER_MODEL_FORMS,
  READABLE_CALIBRATION_VERSIONS,
  parseCalibration,
  serializeCalibration,
} from './calibration/document.js';
export type {
  AttentionSetting,
  Uncertainty,
  Calibration,
  CalibrationErrors,
  CalibrationFormId,
  CalibrationInput,
  ErrorSummary,
  ModelCalibration,
  ParamValue,
  ParamValues,
} from './calibration/document.js';
export { calibrationLabel } from './calibration/label.js';
export { sweetspotForm } from './forms/sweetspot.js';
export { linearForm } from './forms/linear.js';
export { perParamForm } from './forms/per-param.js';
export { HARDWARE_PARAMS, hardwareForm, hardwareFormBase, rooflineTimeS } from './forms/hardware.js';
export { fitsInMemory, hardwarePhaseJ } from './checked-helpers.js';
export type { HardwareFixed } from './forms/hardware.js';
export { FORMULA_FUNCTIONS, compileFormula } from './forms/formula.js';
export type { FormulaOptions } from './forms/formula.js';
export { BUILT_IN_FORMS, energyForm } from './forms/registry.js';
export { HARDWARE_PROFILES, profileMatches, resolveProfile } from './hardware/profiles.js';
export { peakFlopsAt, precisionFor } from './hardware/precision.js';
export { energyModel, energyModelAsync, predictEnergy } from './predict/predict.js';
export type { EnergyModel, EnergyModelOptions, EnergyPrediction, PredictRequest } from './predict/predict.js';
export { calibrationForm } from './calibration/form.js';
export { callMetrics } from './predict/metrics.js';
export type { CallMetrics } from './predict/metrics.js';
export { describesOneBatch, isLengthOnlyForm } from './one-batch.js';
export { H100_DEFAULT_CALIBRATION, defaultCalibration } from './calibration/defaults.js';
export { estimate } from './predict/estimate.js';
export type { EstimateOptions, EstimateRequest } from './predict/estimate.js';
export { createEstimator } from './predict/estimator.js';
export type { Estimate, EstimateBatch, Estimator, EstimatorOptions } from './predict/estimator.js';
export { checkGpus, checkMemory, weightMemoryBytes } from './hardware/memory.js';
export { checkTensorParallel, gpusToFit, isTensorParallelDegree, kvCacheCopies, nextTensorParallelDegree, tensorParallelDegrees } from './hardware/tensor-parallel.js';
export { checkWavesOption, maxWaveBatch, waveCount } from './hardware/waves.js';
export { MEMORY_SEARCH_POSITIONS, memoryLimit } from './hardware/memory-limit.js';
export type { MemoryLimit } from './hardware/memory-limit.js';
// The shelf: named public calibrations with provenance and cross-validated errors.
export { DEFAULT_CALIBRATION_NAME, calibrationByName, isCalibrationName, listCalibrations, shelfEntry } from './calibration/shelf.js';
export type { ShelfSummary } from './calibration/shelf.js';
export { parseShelfEntry } from './calibration/shelf-entry.js';
export {
  CalibrationErrorsSchema,
  CalibrationSchema,
  CrossValidationSchema,
  CvFoldSummarySchema,
  ErrorSummarySchema,
  FittedOnSchema,
  HardwareProfileSchema,
  ModelCalibrationSchema,
  ParamValueSchema,
  ParamValuesSchema,
  ShelfEntrySchema,
  UncertaintySchema,
} from './schemas.js';
export type { CrossValidation, ShelfEntry } from './calibration/shelf-entry.js';
export { H100_PHYSICS_PRIOR } from './calibration/physics-prior.js';
// Physics behind the default and the priors; prediction intervals; attention kernels.
export { TRANSFER_GDDR_LOG_SIGMA, TRANSFER_LOG_SIGMA, transferCalibration, transferLogSigma } from './calibration/transfer.js';
export { outsideFit } from './calibration/outside-fit.js';
export { PHYSICS_ETA_COMPUTE, PHYSICS_ETA_MEMORY, PHYSICS_E_BYTE_J, PHYSICS_STATIC_FRACTION, PHYSICS_STEP_GAP_S, hardwarePhysics } from './hardware/physics.js';
export type { HardwarePhysics } from './hardware/physics.js';
export { normalQuantile, intervalOf, predictInterval } from './predict/interval.js';
export type { EnergyInterval } from './predict/interval.js';
export { TRANSFORMERS_SDPA_ATTENTION, attentionFor, inferAttention } from './attention.js';
// Limits on untrusted input (docs/energy-models.md).
export { FORMULA_LIMITS } from './forms/formula-limits.js';
export { CALIBRATION_LIMITS, MAX_BATCH, MAX_GPUS } from './limits.js';
export { isReservedName } from '../reserved-names.js';
export { READ_LIMITS } from '../text-input.js';
export { SCHEMA_ISSUE_LIMITS } from '../errors.js';
