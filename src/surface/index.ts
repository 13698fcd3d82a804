/**
 * The surface layer in full: token grids and axes, energy sources for surfaces, feature tables,
 * metrics, regions, row scans, sweet spots, advice, SVG plots and the colour map
 * (docs/surface.md). The main entry re-exports what services and analysts call.
 *
 * @example
 * import { polynomialEnergy, surfaceExtremes, viridisHex } from 'sweetspot/surface';
 * @module sweetspot/surface
 * @category Subpath entries
 */
export { MAX_AXIS_POINTS, MAX_AXIS_TOKENS, axisLog, axisPoints, axisRange, checkTokenAxis, defaultLogPoints } from './grid/grid.js';
export type { TokenAxis, TokenGrid } from './grid/grid.js';
export { parseAxisSpec } from './grid/axis-spec.js';
export { METRICS, metricFromCost, metricInfo } from './metrics.js';
export { checkEnergyJ, contextOutLimit, costOf, regionThreshold, viridis, viridisHex } from './checked-helpers.js';
export type { CostBasis, MetricId, MetricInfo } from './metrics.js';
export { functionEnergy, formEnergy, polynomialEnergy } from './energy/energy.js';
export type { EnergyLabels, EnergyLimits, FormEnergyInput, PerOutputRowFill, PolynomialCoefficients, SurfaceEnergy } from './energy/energy.js';
export { FeatureTable } from './energy/feature-table.js';
export type { FeatureSettings } from './energy/feature-table.js';
export { hardwareEnergy } from './energy/hardware-energy.js';
export { calibrationLabel, onGpus, surfaceEnergy, surfaceEnergyFromModel, surfaceMemoryLimit } from './energy/from-model.js';
export type { SurfaceEnergyOptions, SurfaceMemoryOptions } from './energy/from-model.js';
export type { MemoryLimit } from '../energy/hardware/memory-limit.js';
export { MASK_CONTEXT, MASK_MEMORY, MAX_SURFACE_POINTS, checkSurface, computeSurface } from './grid/surface.js';
export type { Surface, SurfaceBuffers, SurfaceValues } from './grid/surface.js';
export { surfaceExtremes } from './grid/extremes.js';
export type { SurfaceExtremes, SurfacePoint } from './grid/extremes.js';
export { checkWithinPercent, surfaceRegion } from './grid/region.js';
export type { SurfaceRegion } from './grid/region.js';
export { DEFAULT_BOX, checkBox, limitsText, memoryPositions, memoryText } from './search/box.js';
export type { TokenBox } from './search/box.js';
export { MAX_SCAN_POINTS, bestOutputFor, checkSearchSize, sweetSpot } from './search/sweet-spot.js';
export type { MetricPoint, SweetSpot } from './search/sweet-spot.js';
export { inBoxRegion, sweetRegion } from './search/box-region.js';
export type { BoxRegion } from './search/box-region.js';
export { RowScratch, emptyRowExtremes, rowExtremes, rowRuns } from './search/row.js';
export type { RowExtremes } from './search/row.js';
export { createAdvisor } from './search/advice.js';
export type { Advice, AdviceOption, Advisor, AdvisorOptions } from './search/advice.js';
export { SWEET_SPOT_COLOR, heatmapLayout, heatmapSvg } from './plot/heatmap.js';
export type { HeatmapLayout, HeatmapOptions } from './plot/heatmap.js';
export { linePlotSvg } from './plot/lines.js';
export type { LinePlotOptions } from './plot/lines.js';
export { PLOT_LIMITS } from './plot/limits.js';
