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
export { MAX_AXIS_TOKENS, axisLog, axisPoints, axisRange, defaultLogPoints } from './grid.js';
export type { TokenAxis, TokenGrid } from './grid.js';
export { parseAxisSpec } from './axis-spec.js';
export { METRICS, costOf, metricFromCost, metricInfo } from './metrics.js';
export type { CostBasis, MetricId, MetricInfo } from './metrics.js';
export { checkEnergyJ, functionEnergy, formEnergy, polynomialEnergy } from './energy.js';
export type { EnergyLabels, FormEnergyInput, PerOutputRowFill, PolynomialCoefficients, SurfaceEnergy } from './energy.js';
export { FeatureTable } from './feature-table.js';
export type { FeatureSettings } from './feature-table.js';
export { hardwareEnergy } from './hardware-energy.js';
export { calibrationLabel, onGpus, surfaceEnergy, surfaceEnergyFromModel } from './from-model.js';
export { MAX_SURFACE_POINTS, computeSurface } from './surface.js';
export type { Surface, SurfaceBuffers, SurfaceValues } from './surface.js';
export { surfaceExtremes } from './extremes.js';
export type { SurfaceExtremes, SurfacePoint } from './extremes.js';
export { checkWithinPercent, regionThreshold, surfaceRegion } from './region.js';
export type { SurfaceRegion } from './region.js';
export { DEFAULT_BOX, checkBox, contextOutLimit } from './box.js';
export type { TokenBox } from './box.js';
export { MAX_SCAN_POINTS, bestOutputFor, checkSearchSize, sweetSpot } from './sweet-spot.js';
export type { MetricPoint, SweetSpot } from './sweet-spot.js';
export { inBoxRegion, sweetRegion } from './box-region.js';
export type { BoxRegion } from './box-region.js';
export { RowScratch, emptyRowExtremes, rowExtremes, rowRuns } from './row.js';
export type { RowExtremes } from './row.js';
export { createAdvisor } from './advice.js';
export type { Advice, AdviceOption, Advisor, AdvisorOptions } from './advice.js';
export { SWEET_SPOT_COLOR, heatmapLayout, heatmapSvg } from './plot/heatmap.js';
export type { HeatmapLayout, HeatmapOptions } from './plot/heatmap.js';
export { linePlotSvg } from './plot/lines.js';
export type { LinePlotOptions } from './plot/lines.js';
export { viridis, viridisHex } from './plot/colormap.js';
