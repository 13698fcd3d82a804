/**
 * The architecture layer in full: the schema, presets, parameter counts, Hugging Face import,
 * name resolution and attention windows. The main entry re-exports what services use; this entry
 * holds the rest (docs/architectures.md).
 *
 * @example
 * import { ArchitectureSchema, findPreset, paramBreakdown } from 'sweetspot/architecture';
 * @module sweetspot/architecture
 * @category Subpath entries
 */
export { checkArchitecture } from './schema.js';
export { ArchitectureSchema, SlidingWindowSchema } from './schemas.js';
export type { Architecture, ArchitectureInput, SlidingWindow } from './schema.js';
export { layerWindows, windowGroups } from './windows.js';
export type { WindowGroup } from './windows.js';
export { PRESET_INPUTS } from './presets.js';
export { PRESETS, preset, presetIds } from './registry.js';
export { paramBreakdown, paramCount } from './params.js';
export type { ParamBreakdown } from './params.js';
export { HF_MODEL_TYPES, fromHfConfig } from './hf-config.js';
export type { FromHfConfigOptions, HfModelType } from './hf-config.js';
export { findPreset, resolveArchitecture } from './resolve.js';
export { loadArchitecture } from './load.js';
// Limits on untrusted input (docs/architectures.md).
export { ARCHITECTURE_LIMITS } from './limits.js';
export { READ_LIMITS } from '../text-input.js';
