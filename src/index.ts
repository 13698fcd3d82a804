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
export { HARDWARE_PARAMS, hardwareForm, hardwareFormBase, hardwarePhaseJ, rooflineTimeS } from './energy/forms/hardware.js';
export type { HardwareFixed } from './energy/forms/hardware.js';
export { FORMULA_FUNCTIONS, compileFormula } from './energy/forms/formula.js';
export type { FormulaOptions } from './energy/forms/formula.js';
export { BUILT_IN_FORMS, energyForm } from './energy/forms/registry.js';
export { HARDWARE_PROFILES, resolveProfile } from './energy/profiles.js';
export { precisionFor } from './energy/precision.js';
export { energyModel, energyModelAsync, predictEnergy } from './energy/predict.js';
export { calibrationForm } from './energy/calibration-form.js';
export { callMetrics } from './energy/metrics.js';
export type { CallMetrics } from './energy/metrics.js';
export { describesOneBatch, isLengthOnlyForm } from './energy/one-batch.js';
export type { EnergyModel, EnergyModelOptions, EnergyPrediction, PredictRequest } from './energy/predict.js';
export { H100_DEFAULT_CALIBRATION, defaultCalibration } from './energy/defaults.js';

// ── Fitting & evaluation: measurements in, NNLS / Levenberg–Marquardt fits, calibrations, CV ──
export { parseCsv } from './fit/csv.js';
export type { CsvRecord, CsvTable } from './fit/csv.js';
export { readMeasurements } from './fit/read.js';
export type { MeasurementDefaults, ReadOptions, ReadResult } from './fit/read.js';
export { columnValue, filterMeasurements } from './fit/filter.js';
export type { FilterResult, FilterStep, MeasurementFilter } from './fit/filter.js';
export { loadMeasurements } from './fit/load.js';
export type { LoadedMeasurements } from './fit/load.js';
export { configKey, groupRepeats, noiseFloor } from './fit/repeats.js';
export type { NoiseFloor, RepeatGroup } from './fit/repeats.js';
export { errorMetrics } from './fit/metrics.js';
export type { ErrorMetrics } from './fit/metrics.js';
export { nnls } from './fit/nnls.js';
export type { NnlsOptions, NnlsResult } from './fit/nnls.js';
export { levenbergMarquardt } from './fit/lm.js';
export type { LeastSquaresProblem, LmOptions, LmReason, LmResult } from './fit/lm.js';
export { conditionNumber, undeterminedParams } from './fit/identify.js';
export { formNeedsArchitecture, measurementFeatures } from './fit/features.js';
export type { FeatureOptions } from './fit/features.js';
export { relativeProblem, whitenedBasis } from './fit/problem.js';
export { defaultStarts } from './fit/starts.js';
export { prepareRows, requireArchitectures, subset } from './fit/prepare.js';
export type { PrepareOptions, PreparedRows } from './fit/prepare.js';
export { SHARED_KEY, fitRows } from './fit/fit-rows.js';
export type { FittedRows } from './fit/fit-rows.js';
export { fitForm } from './fit/fit-form.js';
export type { FitFormOptions, FitResult, FittedParam, SolverReport } from './fit/fit-form.js';
export { parsePins, pinParams } from './fit/pin.js';
export { canonicalRows, rowsSha256 } from './fit/canonical.js';
export { calibrate, fitBaseline, perKeyErrors } from './fit/calibrate.js';
export type { BaselineReport, CalibrateOptions, CalibrationReport } from './fit/calibrate.js';
export { evaluate, predictRows } from './fit/evaluate.js';
export type { BaselineEvaluation, EvaluateOptions, Evaluation, PointError } from './fit/evaluate.js';
export { crossValidate } from './fit/cv.js';
export type { CvFold, CvFormResult, CvOptions, CvResult, IntervalCoverage } from './fit/cv.js';
export { cvFolds, groupByColumns } from './fit/folds.js';
export type { CvScheme, FoldIndices } from './fit/folds.js';

// ── Surfaces: efficiency over (nIn, nOut) grids, sweet spots, per-request advice, SVG plots ──
export { MAX_AXIS_TOKENS, axisLog, axisPoints, axisRange, defaultLogPoints } from './surface/grid.js';
export type { TokenAxis, TokenGrid } from './surface/grid.js';
export { parseAxisSpec } from './surface/axis-spec.js';
export { METRICS, costOf, metricFromCost, metricInfo } from './surface/metrics.js';
export type { CostBasis, MetricId, MetricInfo } from './surface/metrics.js';
export { checkEnergyJ, functionEnergy, formEnergy, polynomialEnergy } from './surface/energy.js';
export type { EnergyLabels, FormEnergyInput, PolynomialCoefficients, SurfaceEnergy } from './surface/energy.js';
export { FeatureTable } from './surface/feature-table.js';
export type { FeatureSettings } from './surface/feature-table.js';
export { hardwareEnergy } from './surface/hardware-energy.js';
export { calibrationLabel, surfaceEnergy, surfaceEnergyFromModel } from './surface/from-model.js';
export { MAX_SURFACE_POINTS, computeSurface } from './surface/surface.js';
export type { Surface, SurfaceBuffers, SurfaceValues } from './surface/surface.js';
export { surfaceExtremes } from './surface/extremes.js';
export type { SurfaceExtremes, SurfacePoint } from './surface/extremes.js';
export { checkWithinPercent, regionThreshold, surfaceRegion } from './surface/region.js';
export type { SurfaceRegion } from './surface/region.js';
export { PAPER_BOX, checkBox, contextOutLimit } from './surface/box.js';
export type { TokenBox } from './surface/box.js';
export { MAX_SCAN_POINTS, bestOutputFor, checkSearchSize, sweetSpot } from './surface/sweet-spot.js';
export type { MetricPoint, SweetSpot } from './surface/sweet-spot.js';
export { inBoxRegion, sweetRegion } from './surface/box-region.js';
export type { BoxRegion } from './surface/box-region.js';
export { RowScratch, emptyRowExtremes, rowExtremes, rowRuns } from './surface/row.js';
export type { RowExtremes } from './surface/row.js';
export { createAdvisor } from './surface/advice.js';
export type { Advice, AdviceOption, Advisor, AdvisorOptions } from './surface/advice.js';
export { SWEET_SPOT_COLOR, heatmapLayout, heatmapSvg } from './surface/plot/heatmap.js';
export type { HeatmapLayout, HeatmapOptions } from './surface/plot/heatmap.js';
export { linePlotSvg } from './surface/plot/lines.js';
export type { LinePlotOptions } from './surface/plot/lines.js';
export { viridis, viridisHex } from './surface/plot/colormap.js';
// Limits on untrusted input (docs/energy-models.md, docs/architectures.md, docs/fitting.md).
export { FORMULA_LIMITS } from './energy/forms/formula-limits.js';
export { MAX_BATCH } from './energy/limits.js';
export { ARCHITECTURE_LIMITS } from './architecture/limits.js';
export { READ_LIMITS } from './text-input.js';
export { ENERGY_RANGE_J } from './fit/measurement.js';
export { SAFE_REGEX_LIMITS, checkSafeRegex } from './fit/safe-regex.js';
export { isReservedName } from './reserved-names.js';

// Priors, prediction intervals and engine-aware terms (docs/fitting.md#priors, docs/complexity.md).
export { checkPrior, linearPriorRows, linearWidth, priorDerivative, priorReport, priorResidual, priorRows, withPriorRows } from './fit/prior.js';
export type { FormPrior, ParamPrior, PriorReport, PriorRow } from './fit/prior.js';
export { HARDWARE_PRIOR_WIDTHS, SWEETSPOT_PRIOR_WIDTH, hardwarePrior, priorSource, scalePriorToData, sweetspotPrior } from './fit/physics-prior.js';
export type { PriorContext, PriorOption, PriorSource, SweetspotPriorOptions } from './fit/physics-prior.js';
export { PHYSICS_ETA_COMPUTE, PHYSICS_ETA_MEMORY, PHYSICS_E_BYTE_J, PHYSICS_STATIC_FRACTION, PHYSICS_STEP_GAP_S, hardwarePhysics } from './energy/physics.js';
export type { HardwarePhysics } from './energy/physics.js';
export { normalQuantile, intervalOf, predictInterval } from './energy/interval.js';
export type { EnergyInterval } from './energy/interval.js';
export { TRANSFORMERS_SDPA_ATTENTION, attentionFor, inferAttention } from './energy/attention.js';
export { ATTENTION_SETTINGS, READABLE_CALIBRATION_VERSIONS, UncertaintySchema } from './energy/calibration.js';
export type { AttentionSetting, Uncertainty } from './energy/calibration.js';
export { EAGER_SCORE_BYTES, MASKED_SCORE_BYTES } from './complexity/terms.js';
export type { AttentionImpl } from './complexity/terms.js';
export { sumSquares } from './complexity/sums.js';
export { engineSettings, kvCacheFromEngine } from './fit/engine.js';
export type { EngineSettings } from './fit/engine.js';

// ── Calibration shelf: named public calibrations with provenance and cross-validated errors; the H100 physics prior ──
export { DEFAULT_CALIBRATION_NAME, calibrationByName, isCalibrationName, listCalibrations, shelfEntry } from './energy/shelf.js';
export type { ShelfSummary } from './energy/shelf.js';
export { CrossValidationSchema, CvFoldSummarySchema, ShelfEntrySchema, parseShelfEntry } from './energy/shelf-entry.js';
export type { CrossValidation, ShelfEntry } from './energy/shelf-entry.js';
export { H100_PHYSICS_PRIOR } from './energy/physics-prior.js';
