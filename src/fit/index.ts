/**
 * The fitting layer in full: measurements in (schema, CSV/JSON readers, filters, repeats), the
 * solvers (exact NNLS, a bounded Levenberg–Marquardt), identifiability checks, prepared rows,
 * calibration, evaluation and cross-validation with their option types (docs/fitting.md). The
 * main entry re-exports what an analyst calls.
 *
 * @example
 * import { nnls, levenbergMarquardt, prepareRows, pinParams } from 'sweetspot/fit';
 * @module sweetspot/fit
 * @category Subpath entries
 */
export { COLUMN_TO_FIELD, MEASUREMENT_COLUMNS } from './measurement.js';
export { MeasurementSchema } from './schemas.js';
export type { Measurement, MeasurementInput } from './measurement.js';
export { SCHEMA_DEFAULTS, measurementRows } from './rows.js';
export type { DefaultedField } from './rows.js';
export { CsvRecords, eachCsvRecord, parseCsv } from './csv.js';
export type { CsvRecord, CsvTable } from './csv.js';
export { readMeasurements } from './read.js';
export type { MeasurementDefaults, ReadOptions, ReadResult } from './read.js';
export { columnValue, filterMeasurements, filterTable } from './filter.js';
export type { FilterResult, FilterStep, MeasurementFilter } from './filter.js';
export { loadMeasurementTable, loadMeasurements } from './load.js';
export type { LoadedMeasurements, LoadedTable } from './load.js';
// Measurements as columns (docs/fitting.md#measurement-tables).
export { isMeasurementTable, selectRows, tableFromRows, tableRow, tableRows, usedCodes, usedTexts } from './table.js';
export type { MeasurementTable, TextColumn } from './table.js';
export { featureColumn, rowsAt } from './row-list.js';
export type { FeatureList, RowList } from './row-list.js';
export { configKey, groupRepeats, noiseFloor } from './repeats.js';
export type { NoiseFloor, RepeatGroup } from './repeats.js';
export { errorMetrics } from './metrics.js';
export type { ErrorMetrics } from './metrics.js';
export { nnls } from './nnls.js';
export type { NnlsOptions, NnlsResult } from './nnls.js';
export { levenbergMarquardt } from './lm.js';
export type { LeastSquaresProblem, LmOptions, LmReason, LmResult } from './lm.js';
export { conditionNumber, undeterminedParams } from './identify.js';
export { formNeedsArchitecture, measurementFeatures, tableFeatures } from './features.js';
export type { FeatureOptions } from './features.js';
export { relativeProblem, whitenedBasis } from './problem.js';
export { defaultStarts } from './starts.js';
export { prepareRows, prepareTable, requireArchitectures, subset } from './prepare.js';
export type { PrepareOptions, PreparedData, PreparedRows } from './prepare.js';
export { SHARED_KEY, fitRows } from './fit-rows.js';
export type { FittedRows } from './fit-rows.js';
export { fitForm } from './fit-form.js';
export type { FitFormOptions, FitResult, FittedParam, SolverReport } from './fit-form.js';
export { parsePins, pinParams } from './pin.js';
export { canonicalRows, rowsSha256 } from './canonical.js';
export { calibrate, fitBaseline, perKeyErrors } from './calibrate.js';
export type { BaselineReport, CalibrateOptions, CalibrationReport } from './calibrate.js';
export { evaluate, predictRows } from './evaluate.js';
export type { BaselineEvaluation, EvaluateOptions, Evaluation, PointError } from './evaluate.js';
export { crossValidate } from './cv.js';
export type { CvFold, CvFormResult, CvOptions, CvResult, IntervalCoverage } from './cv.js';
export { cvFolds, groupByColumns } from './folds.js';
export type { CvScheme, FoldIndices } from './folds.js';
// Priors and engine-aware settings (docs/fitting.md#priors).
export { checkPrior, linearPriorRows, linearWidth, priorDerivative, priorReport, priorResidual, priorRows, withPriorRows } from './prior.js';
export type { FormPrior, ParamPrior, PriorReport, PriorRow } from './prior.js';
export { HARDWARE_PRIOR_WIDTHS, SWEETSPOT_PRIOR_WIDTH, hardwarePrior, priorSource, scalePriorToData, sweetspotPrior } from './physics-prior.js';
export type { PriorContext, PriorOption, PriorSource, SweetspotPriorOptions } from './physics-prior.js';
export { engineSettings, kvCacheFromEngine } from './engine.js';
export type { EngineSettings } from './engine.js';
// Limits on untrusted input (docs/fitting.md).
export { ENERGY_RANGE_J } from './measurement.js';
export { SAFE_REGEX_LIMITS, checkSafeRegex } from './safe-regex.js';
export { READ_LIMITS } from '../text-input.js';
