import { checkArchitecture, type Architecture } from './schema.js';

/**
 * Layers that share one attention window: `window` is `Infinity` for global attention.
 *
 * @example
 * const g: WindowGroup = { window: 4096, layers: 13 }; // Gemma-2-2B's windowed half
 */
export interface WindowGroup {
  readonly window: number;
  readonly layers: number;
}

/**
 * {@link layerWindows} of an architecture already validated (no checks; internal hot path).
 *
 * @example
 * layerWindowsOf(preset('mistral-7b'))[31] // 4096
 */
export function layerWindowsOf(arch: Architecture): number[] {
  const windows = new Array<number>(arch.numLayers).fill(Infinity);
  const sw = arch.slidingWindow;
  if (!sw) return windows;
  for (let l = 0; l < arch.numLayers; l++) {
    const sliding =
      sw.layers === 'all' ||
      (sw.layers === 'even' && l % 2 === 0) ||
      (sw.layers === 'odd' && l % 2 === 1) ||
      (Array.isArray(sw.layers) && sw.layers.includes(l));
    if (sliding) windows[l] = sw.size;
  }
  return windows;
}

/**
 * {@link windowGroups} of an architecture already validated (no checks; internal hot path).
 *
 * @example
 * windowGroupsOf(preset('llama-2-7b')) // [{ window: Infinity, layers: 32 }]
 */
export function windowGroupsOf(arch: Architecture): WindowGroup[] {
  const counts = new Map<number, number>();
  for (const w of layerWindowsOf(arch)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([window, layers]) => ({ window, layers }));
}

/**
 * The attention window of every layer, in order (`Infinity` = global attention).
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture, naming the field.
 * @example
 * layerWindows(preset('gemma-2-2b')).slice(0, 3) // [4096, Infinity, 4096]
 */
export function layerWindows(arch: Architecture): number[] {
  return layerWindowsOf(checkArchitecture(arch));
}

/**
 * Layers grouped by attention window, so that per-layer sums cost one term per distinct window.
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture, naming the field.
 * @example
 * windowGroups(preset('gemma-2-2b')) // [{ window: 4096, layers: 13 }, { window: Infinity, layers: 13 }]
 */
export function windowGroups(arch: Architecture): WindowGroup[] {
  return windowGroupsOf(checkArchitecture(arch));
}
