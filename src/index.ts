/**
 * sweetspot: predict and explain the energy of LLM inference.
 *
 * The main entry holds what a service and an analyst use, grouped by category: estimate a
 * request's energy; name models and GPUs; read and write calibrations; fit, evaluate and
 * cross-validate on measurements; search surfaces for sweet spots and advise on requests; draw
 * plots; and the errors. Everything else of each layer is in its subpath entry
 * (`sweetspot/architecture`, `sweetspot/complexity`, `sweetspot/energy`, `sweetspot/fit`,
 * `sweetspot/surface`); the NVML adapter is `sweetspot/nvml`.
 *
 * @example
 * import { estimate } from 'sweetspot';
 * estimate('llama-3.1-8b', { nIn: 2048, nOut: 256 }).jPerOutputToken
 * @module sweetspot
 * @mergeModuleWith <project>
 * @categoryDescription Estimate
 * The energy of a request, per call or bound once for many calls.
 * @categoryDescription Models and GPUs
 * Architectures by preset, Hugging Face id or config.json; their complexity; GPU profiles.
 * @categoryDescription Calibrations
 * The built-in default, the shelf of named public calibrations, and calibration documents in and out.
 * @categoryDescription Fitting
 * Measurements in, forms fitted, evaluated and cross-validated.
 * @categoryDescription Surfaces
 * Efficiency over (prompt, output) lengths, sweet spots and per-request advice.
 * @categoryDescription Plots
 * SVG heatmaps and curves of a surface.
 * @categoryDescription Errors
 * What bad input throws.
 * @categoryDescription Subpath entries
 * Each layer in full, and the NVML measurement adapter.
 */

// ── Estimate ──
export { estimate } from './energy/predict/estimate.js';
export type { EstimateOptions, EstimateRequest } from './energy/predict/estimate.js';
export { createEstimator } from './energy/predict/estimator.js';
export type { Estimate, Estimator, EstimatorOptions } from './energy/predict/estimator.js';
export { predictEnergy } from './energy/predict/predict.js';
export { predictInterval } from './energy/predict/interval.js';
export type { EnergyInterval } from './energy/predict/interval.js';

// ── Models and GPUs ──
export { preset, presetIds } from './architecture/registry.js';
export { resolveArchitecture } from './architecture/resolve.js';
export { loadArchitecture } from './architecture/load.js';
export { fromHfConfig } from './architecture/hf-config.js';
export { paramCount } from './architecture/params.js';
export type { Architecture } from './architecture/schema.js';
export { requestTerms } from './complexity/terms.js';
export type { RequestTerms } from './complexity/terms.js';
export { HARDWARE_PROFILES, resolveProfile } from './energy/hardware/profiles.js';
export type { HardwareProfile } from './energy/hardware/profile.js';

// ── Calibrations ──
export { H100_DEFAULT_CALIBRATION, defaultCalibration } from './energy/calibration/defaults.js';
export { parseCalibration, serializeCalibration } from './energy/calibration/document.js';
export type { Calibration, CalibrationInput } from './energy/calibration/document.js';
export { calibrationByName, listCalibrations } from './energy/calibration/shelf.js';
export type { ShelfSummary } from './energy/calibration/shelf.js';

// ── Fitting ──
export { readMeasurements } from './fit/read/read.js';
export { loadMeasurementTable, loadMeasurements } from './fit/read/load.js';
export { filterMeasurements } from './fit/data/filter.js';
export type { Measurement, MeasurementInput } from './fit/data/measurement.js';
export type { MeasurementTable } from './fit/data/table.js';
export type { DefaultedField } from './fit/data/rows.js';
export { calibrate } from './fit/calibrate.js';
export type { CalibrationReport } from './fit/calibrate.js';
export { evaluate } from './fit/evaluate/evaluate.js';
export type { Evaluation } from './fit/evaluate/evaluate.js';
export { crossValidate } from './fit/evaluate/cv.js';
export type { CvResult } from './fit/evaluate/cv.js';
export type { CvScheme } from './fit/evaluate/folds.js';
export { energyForm } from './energy/forms/registry.js';
export { hardwareForm } from './energy/forms/hardware.js';
export { sweetspotForm } from './energy/forms/sweetspot.js';
export type { EnergyForm } from './energy/form.js';

// ── Surfaces ──
export { surfaceEnergy } from './surface/energy/from-model.js';
export type { SurfaceEnergy } from './surface/energy/energy.js';
export { axisLog, axisRange } from './surface/grid/grid.js';
export { computeSurface } from './surface/grid/surface.js';
export type { Surface } from './surface/grid/surface.js';
export { DEFAULT_BOX } from './surface/search/box.js';
export type { TokenBox } from './surface/search/box.js';
export { sweetSpot } from './surface/search/sweet-spot.js';
export type { SweetSpot } from './surface/search/sweet-spot.js';
export { sweetRegion } from './surface/search/box-region.js';
export type { BoxRegion } from './surface/search/box-region.js';
export { createAdvisor } from './surface/search/advice.js';
export type { Advice, Advisor } from './surface/search/advice.js';

// ── Plots ──
export { heatmapSvg } from './surface/plot/heatmap.js';
export { linePlotSvg } from './surface/plot/lines.js';

// ── Errors ──
export { SweetspotInputError, SweetspotMemoryError } from './errors.js';
