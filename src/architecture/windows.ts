import type { Architecture } from './schema.js';

/** Layers that share one attention window: `window` is `Infinity` for global attention. */
export interface WindowGroup {
  readonly window: number;
  readonly layers: number;
}

/**
 * The attention window of every layer, in order (`Infinity` = global attention).
 *
 * @example
 * layerWindows(preset('gemma-2-2b')).slice(0, 3) // [4096, Infinity, 4096]
 */
export function layerWindows(arch: Architecture): number[] {
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
 * Layers grouped by attention window, so that per-layer sums cost one term per distinct window.
 *
 * @example
 * windowGroups(preset('gemma-2-2b')) // [{ window: 4096, layers: 13 }, { window: Infinity, layers: 13 }]
 */
export function windowGroups(arch: Architecture): WindowGroup[] {
  const counts = new Map<number, number>();
  for (const w of layerWindows(arch)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([window, layers]) => ({ window, layers }));
}
