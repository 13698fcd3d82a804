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
export { COLUMN_TO_FIELD, MEASUREMENT_COLUMNS } from './data/measurement.js';
export { MeasurementSchema } from './data/schemas.js';
export type { Measurement, MeasurementInput } from './data/measurement.js';
export { SCHEMA_DEFAULTS, measurementRows } from './data/rows.js';
export type { DefaultedField } from './data/rows.js';
export { CsvRecords, eachCsvRecord, parseCsv } from './read/csv.js';
export type { CsvRecord, CsvTable } from './read/csv.js';
export { readMeasurements } from './read/read.js';
export type { MeasurementDefaults, ReadOptions, ReadResult } from './read/read.js';
export { columnValue, filterMeasurements, filterTable } from './data/filter.js';
export type { FilterResult, FilterStep, MeasurementFilter } from './data/filter.js';
export { loadMeasurementTable, loadMeasurements } from './read/load.js';
export type { LoadedMeasurements, LoadedTable } from './read/load.js';
// Measurements as columns (docs/fitting.md#measurement-tables).
export { checkTable, isMeasurementTable, selectRows, tableFromRows, tableRows, usedCodes, usedTexts } from './data/table.js';
export { linearWidth, tableRow } from './checked-helpers.js';
export { splitGpuCount } from './data/measurement.js';
export type { MeasurementTable, TextColumn } from './data/table.js';
export { featureColumn, rowsAt } from './data/row-list.js';
export type { FeatureList, RowList } from './data/row-list.js';
export { configKey, groupRepeats, noiseFloor, tableRepeats } from './evaluate/repeats.js';
export type { NoiseFloor, RepeatGroup } from './evaluate/repeats.js';
export { errorMetrics } from './evaluate/metrics.js';
export type { ErrorMetrics } from './evaluate/metrics.js';
export { nnls } from './solve/nnls.js';
export type { NnlsOptions, NnlsResult } from './solve/nnls.js';
export { levenbergMarquardt } from './solve/lm.js';
export type { LeastSquaresProblem, LmOptions, LmReason, LmResult } from './solve/lm.js';
export { conditionNumber, undeterminedParams } from './solve/identify.js';
export { formNeedsArchitecture, measurementFeatures, tableFeatures } from './features.js';
export type { FeatureOptions } from './features.js';
export { relativeProblem, whitenedBasis } from './solve/problem.js';
export { defaultStarts } from './solve/starts.js';
export { preparedAt, prepareRows, prepareTable, requireArchitectures, subset } from './prepare.js';
export type { PrepareOptions, PreparedData, PreparedRows } from './prepare.js';
export { SHARED_KEY, fitRows } from './solve/fit-rows.js';
export type { FittedRows } from './solve/fit-rows.js';
export { fitForm } from './solve/fit-form.js';
export type { FitFormOptions, FitResult, FittedParam, SolverReport } from './solve/fit-form.js';
export { parsePins, pinParams } from './solve/pin.js';
export { canonicalRows, rowsSha256 } from './data/canonical.js';
export { calibrate, fitBaseline, perKeyErrors } from './calibrate.js';
export type { BaselineReport, CalibrateOptions, CalibrationReport } from './calibrate.js';
export { evaluate, predictRows, predictTable } from './evaluate/evaluate.js';
export type { BaselineEvaluation, EvaluateOptions, Evaluation, PointError } from './evaluate/evaluate.js';
export { crossValidate } from './evaluate/cv.js';
export type { CvFold, CvFormResult, CvOptions, CvResult, IntervalCoverage } from './evaluate/cv.js';
export { cvFolds, groupByColumns } from './evaluate/folds.js';
export type { CvScheme, FoldIndices } from './evaluate/folds.js';
// Priors and engine-aware settings (docs/fitting.md#priors).
export { checkPrior, linearPriorRows, priorDerivative, priorReport, priorResidual, priorRows, withPriorRows } from './solve/prior.js';
export type { FormPrior, ParamPrior, PriorReport, PriorRow } from './solve/prior.js';
export { HARDWARE_PRIOR_WIDTHS, SWEETSPOT_PRIOR_WIDTH, hardwarePrior, priorSource, scalePriorToData, sweetspotPrior } from './solve/physics-prior.js';
export type { PriorContext, PriorOption, PriorSource, SweetspotPriorOptions } from './solve/physics-prior.js';
export { engineSettings, kvCacheFromEngine } from './engine.js';
export type { EngineSettings } from './engine.js';
// Limits on untrusted input (docs/fitting.md).
export { ENERGY_RANGE_J } from './data/measurement.js';
export { SAFE_REGEX_LIMITS, checkSafeRegex, regexSteps } from './data/safe-regex.js';
export type { RegexCost } from './data/safe-regex.js';
export { READ_LIMITS } from '../text-input.js';
export { CV_LIMITS, MEASUREMENT_LIMITS } from './read/limits.js';
