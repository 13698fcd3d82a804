import { SweetspotInputError } from '../../errors.js';
import { shownValue } from '../../arguments.js';
import { optionKeys, optionsObject } from '../../options.js';
import { surfaceExtremes } from '../grid/extremes.js';
import { metricInfo } from '../metrics.js';
import { checkWithinPercent, regionThreshold } from '../grid/region.js';
import { MASK_MEMORY, type Surface, type SurfaceValues, checkSurface } from '../grid/surface.js';
import { PLOT_LIMITS, plotInteger, plotSize, plotTitle } from './limits.js';
import { viridisHex } from './colormap.js';
import { cellEdges, logSubsample } from './resample.js';
import { type Scale, logValueTicks, makeScale, niceTicks, tokenTicks } from './scale.js';
import { escapeXml, formatTokens, formatValue, px } from './svg.js';

/**
 * Options of {@link heatmapSvg}.
 *
 * @example
 * heatmapSvg(surface, { withinPercent: 5, maxCells: 100, colorScale: 'log' } satisfies HeatmapOptions)
 */
export interface HeatmapOptions {
  /** Outline of the points within this percent of the best (default 10; `null` for none). */
  readonly withinPercent?: number | null;
  /** Most cells per axis; larger axes are subsampled evenly in log scale (default 160). */
  readonly maxCells?: number;
  readonly width?: number;
  readonly height?: number;
  /** Colour scale of the metric: `auto` is log when the values span 3× or more. */
  readonly colorScale?: 'auto' | 'log' | 'linear';
  /** Replaces the first title line. */
  readonly title?: string;
}

/**
 * Where a heatmap puts things, in SVG pixels (what a rendering test checks against).
 *
 * @example
 * const { plot, colorBar }: HeatmapLayout = heatmapLayout(760, 600);
 */
export interface HeatmapLayout {
  readonly width: number;
  readonly height: number;
  /** The plot area: x is nOut, y is nIn, both log axes spanning exactly the grid's range. */
  readonly plot: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** The colour bar, value rising upwards. */
  readonly colorBar: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

const COLOR_SCALES: readonly unknown[] = ['auto', 'log', 'linear'];

/**
 * The colour of the sweet-spot marker: pure red, which viridis never comes near.
 *
 * @example
 * heatmapSvg(surface).includes(SWEET_SPOT_COLOR) // true
 */
export const SWEET_SPOT_COLOR = '#ff0000';

/**
 * The layout of a heatmap of the given size (default 760 × 600).
 *
 * @throws {SweetspotInputError} for a size outside {@link PLOT_LIMITS}.
 * @example
 * heatmapLayout(760, 600).plot // { x: 78, y: 104, width: 512, height: 438 }
 */
export function heatmapLayout(widthPx?: number, heightPx?: number): HeatmapLayout {
  const [width, height] = plotSize('heatmap', widthPx, heightPx, [760, 600]);
  const left = 78;
  const top = 104;
  const right = 170;
  const bottom = 58;
  const plot = { x: left, y: top, width: width - left - right, height: height - top - bottom };
  return { width, height, plot, colorBar: { x: plot.x + plot.width + 26, y: plot.y, width: 18, height: Math.round(plot.height * 0.62) } };
}

const HEATMAP_KEYS = optionKeys<HeatmapOptions>()('withinPercent', 'maxCells', 'width', 'height', 'colorScale', 'title');

/**
 * A heatmap of a surface as a standalone SVG document: log token axes (x output tokens, y prompt
 * tokens), viridis colours with a colour bar in the metric's unit (bright = efficient, whatever
 * the metric's direction), points beyond the context hatched (points beyond the GPUs' memory
 * hatched the other way), the sweet region outlined, the sweet
 * spot circled in red, and a title naming the model, GPU and calibration. Pure string building: no
 * browser or DOM needed.
 *
 * @throws {SweetspotInputError} when every point of the surface is beyond the context, when the
 *   surface is not one ({@link checkSurface}), or for an option outside its limits ({@link PLOT_LIMITS}).
 * @example
 * writeFileSync('sweetspot.svg', heatmapSvg(computeSurface(energy, { nIn: axisLog(64, 4096), nOut: axisLog(64, 4096) })));
 * @category Plots
 */
export function heatmapSvg(surface: Surface<SurfaceValues>, heatmapOptions?: HeatmapOptions): string {
  const options = optionsObject('heatmap', heatmapOptions, HEATMAP_KEYS);
  checkSurface(surface, 'heatmap');
  const maxCells = plotInteger('heatmap', 'maxCells', options.maxCells ?? 160, 2, PLOT_LIMITS.maxCells);
  const colorScaleKind = options.colorScale ?? 'auto';
  if (!COLOR_SCALES.includes(colorScaleKind)) {
    throw new SweetspotInputError(`heatmap: colorScale must be one of ${COLOR_SCALES.join(', ')}, got ${shownValue(colorScaleKind)}`);
  }
  plotTitle('heatmap', options.title);
  const withinPercent = options.withinPercent === undefined ? 10 : options.withinPercent;
  if (withinPercent !== null) checkWithinPercent(withinPercent, 'withinPercent');
  const ext = surfaceExtremes(surface);
  if (!ext) throw new SweetspotInputError(`heatmap: every point is beyond ${surface.model}'s context of ${surface.maxPositions} tokens${surface.outOfMemoryCount > 0 ? " or the GPUs' memory" : ''}`);
  const info = metricInfo(surface.metric);
  const layout = heatmapLayout(options.width, options.height);
  const { plot, colorBar } = layout;
  const cols = surface.nOut.length;

  const rowIdx = logSubsample(surface.nIn, maxCells);
  const colIdx = logSubsample(surface.nOut, maxCells);
  const inVals = rowIdx.map((r) => surface.nIn[r]);
  const outVals = colIdx.map((c) => surface.nOut[c]);
  const x = makeScale('log', [outVals[0], outVals[outVals.length - 1]], [plot.x, plot.x + plot.width]);
  const y = makeScale('log', [inVals[0], inVals[inVals.length - 1]], [plot.y + plot.height, plot.y]);
  // A one-point axis fills the plot; otherwise cells end halfway (in log) between neighbours.
  const xEdges = outVals.length === 1 ? [plot.x, plot.x + plot.width] : cellEdges(outVals).map((v) => x.at(v));
  const yEdges = inVals.length === 1 ? [plot.y + plot.height, plot.y] : cellEdges(inVals).map((v) => y.at(v));

  const lo = Math.min(ext.best.value, ext.worst.value);
  const hi = Math.max(ext.best.value, ext.worst.value);
  const logColors = colorScaleKind === 'log' || (colorScaleKind === 'auto' && lo > 0 && hi / lo >= 3);
  const colorScale = makeScale(logColors && lo > 0 ? 'log' : 'linear', [lo, hi], [0, 1]);
  const LEVELS = 128;
  const level = (v: number) => {
    const f = Math.min(1, Math.max(0, colorScale.fraction(v)));
    // Bright means efficient: low joules, high tokens per joule.
    return Math.round((info.higherIsBetter ? f : 1 - f) * (LEVELS - 1));
  };
  const threshold = withinPercent === null ? null : regionThreshold(ext.best.value, withinPercent, info.higherIsBetter);
  const inRegion = (v: number) => threshold !== null && (info.higherIsBetter ? v >= threshold : v <= threshold);

  // One path per colour level, rows merged into runs of equal level: a compact file.
  const paths: string[][] = Array.from({ length: LEVELS + 2 }, () => []);
  // Two hatches, so that a reader can tell a point too long for the model from one that does not
  // fit the GPUs' memory at this batch.
  const MASKED = LEVELS;
  const MASKED_MEMORY = LEVELS + 1;
  const cellLevel = new Int16Array(rowIdx.length * colIdx.length);
  const cellIn = new Uint8Array(rowIdx.length * colIdx.length);
  rowIdx.forEach((r, a) => {
    colIdx.forEach((c, b) => {
      const k = r * cols + c;
      const m = surface.mask[k];
      const masked = m !== 0;
      cellLevel[a * colIdx.length + b] = !masked ? level(surface.values[k]) : m === MASK_MEMORY ? MASKED_MEMORY : MASKED;
      cellIn[a * colIdx.length + b] = !masked && inRegion(surface.values[k]) ? 1 : 0;
    });
    let start = 0;
    for (let b = 1; b <= colIdx.length; b++) {
      const cur = cellLevel[a * colIdx.length + start];
      if (b < colIdx.length && cellLevel[a * colIdx.length + b] === cur) continue;
      const x0 = xEdges[start];
      const x1 = xEdges[b];
      const yTop = yEdges[a + 1];
      const yBottom = yEdges[a];
      // Overlap cells by a hair so that anti-aliasing leaves no seams between them.
      paths[cur].push(`M${px(x0)} ${px(yTop)}H${px(x1 + 0.3)}V${px(yBottom + 0.3)}H${px(x0)}Z`);
      start = b;
    }
  });

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<defs><pattern id="ss-beyond-context" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e4e4e4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a8a8a8" stroke-width="2"/></pattern>` +
      `<pattern id="ss-beyond-memory" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#f3e3e3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b07a7a" stroke-width="2"/></pattern>`,
    `<linearGradient id="ss-colorbar" x1="0" y1="1" x2="0" y2="0">${gradientStops(info.higherIsBetter)}</linearGradient></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  for (const part of titleLines(surface, ext, info, options.title, layout)) parts.push(part);
  parts.push(`<g shape-rendering="crispEdges">`);
  paths.forEach((d, lvl) => {
    if (d.length === 0) return;
    const fill = lvl === MASKED ? 'url(#ss-beyond-context)' : lvl === MASKED_MEMORY ? 'url(#ss-beyond-memory)' : viridisHex(lvl / (LEVELS - 1));
    parts.push(`<path fill="${fill}" d="${d.join('')}"/>`);
  });
  parts.push(`</g>`);
  if (threshold !== null) parts.push(regionOutline(cellIn, rowIdx.length, colIdx.length, xEdges, yEdges));
  parts.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#333" stroke-width="1"/>`);
  for (const part of axes(x, y, layout)) parts.push(part);

  // The sweet spot of the full surface (not of the subsampled cells).
  const sx = x.domain[0] === x.domain[1] ? plot.x + plot.width / 2 : x.at(ext.best.nOut);
  const sy = y.domain[0] === y.domain[1] ? plot.y + plot.height / 2 : y.at(ext.best.nIn);
  parts.push(
    `<g class="sweet-spot" data-n-in="${ext.best.nIn}" data-n-out="${ext.best.nOut}">`,
    `<circle cx="${px(sx)}" cy="${px(sy)}" r="8" fill="none" stroke="#ffffff" stroke-width="5"/>`,
    `<circle cx="${px(sx)}" cy="${px(sy)}" r="8" fill="none" stroke="${SWEET_SPOT_COLOR}" stroke-width="2.5"/>`,
    `<circle cx="${px(sx)}" cy="${px(sy)}" r="2" fill="${SWEET_SPOT_COLOR}"/></g>`,
  );
  for (const part of colorBarParts(colorScale, colorBar, info.label, info.unit)) parts.push(part);
  const outOfMemory = surface.outOfMemoryCount;
  for (const part of legend(layout, withinPercent, surface.maskedCount - outOfMemory > 0, outOfMemory > 0)) parts.push(part);
  parts.push(`</svg>\n`);
  return parts.join('\n');
}

function gradientStops(higherIsBetter: boolean): string {
  const stops: string[] = [];
  for (let k = 0; k <= 16; k++) {
    const f = k / 16;
    stops.push(`<stop offset="${f}" stop-color="${viridisHex(higherIsBetter ? f : 1 - f)}"/>`);
  }
  return stops.join('');
}

function titleLines(
  surface: Surface<SurfaceValues>,
  ext: NonNullable<ReturnType<typeof surfaceExtremes>>,
  info: ReturnType<typeof metricInfo>,
  title: string | undefined,
  layout: HeatmapLayout,
): string[] {
  const first = title ?? `${surface.model}: ${info.label}`;
  // The unit once, after both values: 'J/output token' twice would run past the picture's width.
  const unit = info.unit === '1' ? '' : ` (${info.unit})`;
  const lines = [
    `GPU: ${surface.gpu ?? 'unspecified'}`,
    `calibration: ${surface.calibration ?? 'unspecified'}`,
    `sweet spot ${ext.best.nIn} in / ${ext.best.nOut} out: ${formatValue(ext.best.value)}` +
      ` · worst ${ext.worst.nIn} in / ${ext.worst.nOut} out: ${formatValue(ext.worst.value)}${unit}` +
      ` · worst/best ${formatValue(ext.worstOverBest)}×`,
  ];
  const x = layout.plot.x;
  // About 6.3 px per character at 11.5 px: cut long names rather than run off the picture.
  const room = Math.floor((layout.width - x - 8) / 6.3);
  const fit = (t: string) => (t.length > room ? `${t.slice(0, room - 1)}…` : t);
  return [
    `<text x="${x}" y="24" font-size="17" font-weight="bold" fill="#111">${escapeXml(fit(first))}</text>`,
    ...lines.map((t, k) => `<text x="${x}" y="${44 + 17 * k}" font-size="11.5" fill="#333">${escapeXml(fit(t))}</text>`),
  ];
}

function regionOutline(inside: Uint8Array, rows: number, cols: number, xEdges: number[], yEdges: number[]): string {
  // Cell edges between a region cell and a non-region cell. Outside the plot counts as inside,
  // so the outline never doubles the plot's frame.
  const at = (a: number, b: number) => (a >= 0 && a < rows && b >= 0 && b < cols ? inside[a * cols + b] : 1);
  const segs: string[] = [];
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      if (!at(a, b)) continue;
      const x0 = px(xEdges[b]);
      const x1 = px(xEdges[b + 1]);
      const yb = px(yEdges[a]);
      const yt = px(yEdges[a + 1]);
      if (!at(a - 1, b)) segs.push(`M${x0} ${yb}H${x1}`);
      if (!at(a + 1, b)) segs.push(`M${x0} ${yt}H${x1}`);
      if (!at(a, b - 1)) segs.push(`M${x0} ${yt}V${yb}`);
      if (!at(a, b + 1)) segs.push(`M${x1} ${yt}V${yb}`);
    }
  }
  const d = segs.join('');
  // A dark halo under a white line: visible on both ends of viridis.
  return (
    `<g class="sweet-region" fill="none" stroke-linecap="square"><path stroke="#1a1a1a" stroke-opacity="0.55" stroke-width="3.4" d="${d}"/>` +
    `<path stroke="#ffffff" stroke-width="1.5" d="${d}"/></g>`
  );
}

function axes(x: Scale, y: Scale, layout: HeatmapLayout): string[] {
  const { plot } = layout;
  const out: string[] = [`<g font-size="11" fill="#222">`];
  const bottom = plot.y + plot.height;
  for (const t of tokenTicks('log', x.domain)) {
    const xx = x.domain[0] === x.domain[1] ? plot.x + plot.width / 2 : x.at(t);
    out.push(`<line x1="${px(xx)}" y1="${bottom}" x2="${px(xx)}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${px(xx)}" y="${bottom + 18}" text-anchor="middle">${formatTokens(t)}</text>`);
  }
  for (const t of tokenTicks('log', y.domain)) {
    const yy = y.domain[0] === y.domain[1] ? plot.y + plot.height / 2 : y.at(t);
    out.push(`<line x1="${plot.x - 5}" y1="${px(yy)}" x2="${plot.x}" y2="${px(yy)}" stroke="#333"/>`);
    out.push(`<text x="${plot.x - 8}" y="${px(yy + 4)}" text-anchor="end">${formatTokens(t)}</text>`);
  }
  out.push(`</g>`);
  out.push(`<text x="${px(plot.x + plot.width / 2)}" y="${bottom + 42}" font-size="13" text-anchor="middle" fill="#111">output tokens (nOut, log scale)</text>`);
  const cy = px(plot.y + plot.height / 2);
  out.push(`<text x="22" y="${cy}" font-size="13" text-anchor="middle" fill="#111" transform="rotate(-90 22 ${cy})">prompt tokens (nIn, log scale)</text>`);
  return out;
}

function colorBarParts(scale: Scale, bar: HeatmapLayout['colorBar'], label: string, unit: string): string[] {
  const out: string[] = [
    `<rect class="color-bar" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" fill="url(#ss-colorbar)" stroke="#333" stroke-width="0.8"/>`,
    `<g font-size="11" fill="#222">`,
  ];
  const [lo, hi] = scale.domain;
  const ticks = scale.kind === 'log' ? logValueTicks(lo, hi, 7) : niceTicks(lo, hi, 6);
  const pos = (v: number) => bar.y + bar.height - scale.fraction(v) * bar.height;
  for (const t of ticks) {
    const yy = pos(t);
    out.push(`<line x1="${bar.x + bar.width}" y1="${px(yy)}" x2="${bar.x + bar.width + 4}" y2="${px(yy)}" stroke="#333"/>`);
    out.push(`<text x="${bar.x + bar.width + 7}" y="${px(yy + 4)}">${formatValue(t)}</text>`);
  }
  out.push(`</g>`);
  const unitText = unit === '1' ? 'relative (best = 1)' : unit;
  const lx = bar.x + bar.width + 62;
  const ly = px(bar.y + bar.height / 2);
  out.push(
    `<text x="${lx}" y="${ly}" font-size="12" text-anchor="middle" fill="#111" transform="rotate(90 ${lx} ${ly})">${escapeXml(`${unitText} · ${label.split(' (')[0]}`)}</text>`,
  );
  return out;
}

function legend(layout: HeatmapLayout, withinPercent: number | null, masked: boolean, maskedMemory: boolean): string[] {
  const x = layout.colorBar.x;
  let y = layout.colorBar.y + layout.colorBar.height + 28;
  const out: string[] = [`<g font-size="11" fill="#222">`];
  out.push(`<circle cx="${x + 8}" cy="${y - 4}" r="6" fill="none" stroke="${SWEET_SPOT_COLOR}" stroke-width="2.5"/>`);
  out.push(`<text x="${x + 22}" y="${y}">sweet spot</text>`);
  if (withinPercent !== null) {
    y += 22;
    // The same white line with a dark halo as the outline in the plot.
    out.push(`<path d="M${x} ${y - 4}h18" stroke="#1a1a1a" stroke-opacity="0.55" stroke-width="3.4"/><path d="M${x} ${y - 4}h18" stroke="#ffffff" stroke-width="1.5"/>`);
    out.push(`<text x="${x + 22}" y="${y}">within ${formatValue(withinPercent)}% of best</text>`);
  }
  if (masked) {
    y += 22;
    out.push(`<rect x="${x}" y="${y - 11}" width="16" height="12" fill="url(#ss-beyond-context)" stroke="#555" stroke-width="0.8"/>`);
    out.push(`<text x="${x + 22}" y="${y}">beyond context</text>`);
  }
  if (maskedMemory) {
    y += 22;
    out.push(`<rect x="${x}" y="${y - 11}" width="16" height="12" fill="url(#ss-beyond-memory)" stroke="#555" stroke-width="0.8"/>`);
    out.push(`<text x="${x + 22}" y="${y}">exceeds GPU memory</text>`);
  }
  out.push(`</g>`);
  return out;
}
