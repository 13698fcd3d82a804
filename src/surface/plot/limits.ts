import { shownValue } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';

/**
 * Bounds on the options of the SVG plots (docs/surface.md#limits). Below the least size the plot
 * area would have no room (a negative width); beyond the largest sizes and counts a plot is no
 * longer a picture but megabytes of markup, and the work grows with it: `maxCells` is per axis
 * (2048² rectangles at most), `points` per curve (a million, for curves read closely), `nIn` the
 * number of curves, and all curves' points together at most `maxLinePoints` (about 40 MB of SVG;
 * `points: 1e9` ran 10 s and threw a `RangeError`).
 *
 * @example
 * PLOT_LIMITS.maxCells // 2048
 */
export const PLOT_LIMITS = Object.freeze({
  minWidthPx: 320,
  minHeightPx: 240,
  maxSizePx: 16_384,
  maxCells: 2048,
  maxCurvePoints: 1 << 20,
  maxCurves: 64,
  maxLinePoints: 1 << 21,
});

/**
 * `value` when it is an integer in `lo..hi`, else an error naming the option.
 *
 * @throws {SweetspotInputError} naming `where` and `name`.
 * @example
 * plotInteger('heatmap', 'maxCells', 160, 2, PLOT_LIMITS.maxCells) // 160
 */
export function plotInteger(where: string, name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw new SweetspotInputError(`${where}: ${name} must be an integer in ${lo}..${hi}, got ${shownValue(value)}`);
  }
  return value;
}

/**
 * The width and height of a plot in SVG pixels, checked against {@link PLOT_LIMITS}.
 *
 * @throws {SweetspotInputError} naming the option.
 * @example
 * plotSize('heatmap', undefined, 400, [760, 600]) // [760, 400]
 */
export function plotSize(where: string, width: unknown, height: unknown, fallback: readonly [number, number]): [number, number] {
  return [
    plotInteger(where, 'width', width ?? fallback[0], PLOT_LIMITS.minWidthPx, PLOT_LIMITS.maxSizePx),
    plotInteger(where, 'height', height ?? fallback[1], PLOT_LIMITS.minHeightPx, PLOT_LIMITS.maxSizePx),
  ];
}

/**
 * A plot's title option: absent, or a string.
 *
 * @throws {SweetspotInputError} naming the plot.
 * @example
 * plotTitle('heatmap', 'llama-3.1-8b') // fine
 */
export function plotTitle(where: string, title: unknown): void {
  if (title !== undefined && typeof title !== 'string') throw new SweetspotInputError(`${where}: title must be a string, got ${typeof title}`);
}
