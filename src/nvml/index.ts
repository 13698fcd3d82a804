/**
 * NVML energy measurement: read GPU energy counters and power, measure windows, run campaigns.
 *
 * @module sweetspot/nvml
 * @category Subpath entries
 */
export { NvmlError, NvmlUnavailableError, WindowEnergyError } from './errors.js';
export type { NvmlUnavailableReason } from './errors.js';
export { NVML_RETURN, NVML_FI_DEV_POWER_INSTANT, NVML_ARCHITECTURES, architectureName } from './library/constants.js';
export { NVML_LIBRARY_ENV, nvmlLibraryCandidates } from './library/library-path.js';
export { Nvml, openNvml } from './library/nvml.js';
export type { OpenNvmlOptions } from './library/nvml.js';
export { NvmlDevice } from './library/device.js';
export type { DeviceInfo, PowerSource } from './library/device.js';
export { EnergyMonitor, MONITOR_LIMITS } from './monitor/monitor.js';
export type { EnergyMonitorOptions } from './monitor/monitor.js';
export type { Clock, EnergyMethod, MonitoredDevice, TimerStarter, WindowFlag, WindowMeasurement, WindowMethod } from './monitor/monitor-types.js';
export { MAX_GPU_POWER_W, STUCK_AFTER_UPDATE_PERIODS, STUCK_COUNTER_MIN_POWER_W, isNvmlNotAvailable } from './monitor/sanity.js';
export { MAX_TIMER_S } from './monitor/timer-limit.js';
export { lockCampaignFile } from './campaign/lock.js';
export { measureIdlePower } from './monitor/idle.js';
export type { IdleMeasurement } from './monitor/idle.js';
export { trapezoidEnergyJ } from './monitor/integrate.js';
export type { PowerSample } from './monitor/integrate.js';
export { runCampaign, CampaignError } from './campaign/run.js';
export type { CampaignOptions, CampaignResult } from './campaign/run.js';
export { formatProgress, formatDurationS } from './campaign/progress.js';
export type { CampaignProgress } from './campaign/progress.js';
export { remainingPoints, gridSize, pointKey } from './campaign/grid.js';
export { CAMPAIGN_LIMITS } from './campaign/limits.js';
export type { CampaignPoint } from './campaign/grid.js';
export { promptTokenIds, DEFAULT_TOKEN_ID_RANGE } from './campaign/prompt.js';
export { requestCompletion, completionsUrl, CompletionError } from './campaign/client.js';
export type { CompletionRequest, CompletionResult } from './campaign/client.js';
export { CAMPAIGN_COLUMNS, CAMPAIGN_EXTRA_COLUMNS, CampaignCsvWriter, readCampaignFile, csvCell } from './campaign/csv.js';
export type { CampaignFileState, CampaignRow } from './campaign/csv.js';
