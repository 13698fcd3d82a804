/**
 * NVML energy measurement: read GPU energy counters and power, measure windows, run campaigns.
 *
 * @module sweetspot/nvml
 */
export {};
