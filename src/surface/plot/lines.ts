import { SweetspotInputError } from '../../errors.js';
import { optionKeys, optionsObject } from '../../options.js';
import { type TokenBox, checkBox, contextOutLimit, limitsText, memoryPositions } from '../search/box.js';
import { type SurfaceEnergy, checkEnergyJ } from '../energy/energy.js';
import { axisLog, axisPoints } from '../grid/grid.js';
import { bestOutputFor } from '../search/sweet-spot.js';
import { viridisHex } from './colormap.js';
import { logValueTicks, makeScale, niceTicks, tokenTicks } from './scale.js';
import { PLOT_LIMITS, plotInteger, plotSize, plotTitle } from './limits.js';
import { escapeXml, formatTokens, formatValue, px } from './svg.js';
import { checkSurfaceEnergy } from '../energy/check.js';

/**
 * Options of {@link linePlotSvg}.
 *
 * @example
 * linePlotSvg(energy, { nIn: [256, 1024, 4096], nOut: [16, 8192] } satisfies LinePlotOptions)
 */
export interface LinePlotOptions {
  /** Prompt lengths, one curve each (default 128, 512, 2048). */
  readonly nIn?: readonly number[];
  /** Output range of the x axis (default 64…4096). */
  readonly nOut?: readonly [number, number];
  /** Points per curve, log-spaced (default 160). */
  readonly points?: number;
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
}

const LINE_KEYS = optionKeys<LinePlotOptions>()('nIn', 'nOut', 'points', 'width', 'height', 'title');

/**
 * J per output token against output length, one curve per prompt length, as a standalone SVG:
 * log x axis in tokens, y in J/token (log when the curves span 3× or more), each curve's best
 * output length marked with a dot and labelled, curves stopping at the context limit (or where the KV cache no longer fits the GPUs' memory).
 *
 * @throws {SweetspotInputError} for bad lengths, an option outside its limits ({@link PLOT_LIMITS}),
 *   a point whose energy is not finite and positive, or when no curve has a point within the context.
 * @example
 * writeFileSync('curves.svg', linePlotSvg(energy, { nIn: [256, 1024, 4096] }));
 * @category Plots
 */
export function linePlotSvg(energy: SurfaceEnergy, lineOptions?: LinePlotOptions): string {
  checkSurfaceEnergy('linePlotSvg(energy)', energy);
  const options = optionsObject('linePlot', lineOptions, LINE_KEYS);
  const nIn = options.nIn ?? [128, 512, 2048];
  if (!Array.isArray(nIn)) throw new SweetspotInputError(`linePlot: nIn must be an array of prompt lengths, got ${nIn === null ? 'null' : typeof nIn}`);
  // Repeated lengths draw one curve: the limit counts distinct ones.
  const ins = Array.from(axisPoints([...nIn], 'linePlot: nIn'));
  if (ins.length > PLOT_LIMITS.maxCurves) {
    throw new SweetspotInputError(`linePlot: nIn has ${ins.length} distinct prompt lengths, more than the ${PLOT_LIMITS.maxCurves} curves a plot may draw`);
  }
  const range = options.nOut ?? [64, 4096];
  checkBox({ nIn: [ins[0], ins[ins.length - 1]], nOut: range } as TokenBox, 'linePlot');
  // Points per curve: 2 at least (a log axis has two ends). Points beyond the integers of the
  // range would only repeat them: the axis is deduplicated.
  const points = plotInteger('linePlot', 'points', options.points ?? 160, 2, PLOT_LIMITS.maxCurvePoints);
  if (ins.length * points > PLOT_LIMITS.maxLinePoints) {
    throw new SweetspotInputError(`linePlot: ${ins.length} curves × ${points} points = ${ins.length * points} points, more than the ${PLOT_LIMITS.maxLinePoints} a plot may draw; use fewer points or curves`);
  }
  const outs = axisLog(range[0], range[1], points, 'nOut');
  const [width, height] = plotSize('linePlot', options.width, options.height, [760, 480]);
  plotTitle('linePlot', options.title);
  const plot = { x: 78, y: 70, width: width - 78 - 170, height: height - 70 - 58 };

  const curves = ins.map((i) => {
    const limit = Math.min(contextOutLimit(i, energy.maxPositions), contextOutLimit(i, memoryPositions(energy)));
    const pts: Array<[number, number]> = [];
    for (const o of outs) {
      if (o > limit) break;
      const energyJ = energy.energyJ(i, o);
      // A NaN or an infinity would be drawn as "NaN" coordinates: name the point instead.
      checkEnergyJ(energy, energyJ, i, o);
      pts.push([o, energyJ / o]);
    }
    const best = limit >= range[0] ? bestOutputFor(energy, i, range) : null;
    const why = contextOutLimit(i, energy.maxPositions) < range[0] ? 'beyond context' : 'exceeds GPU memory';
    return { i, pts, best, why };
  });
  // A loop over the points: passing every plotted value as an argument overflows the stack when
  // there are many curves and points.
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (const c of curves) {
    for (const p of c.pts) {
      lo = Math.min(lo, p[1]);
      hi = Math.max(hi, p[1]);
      count++;
    }
  }
  if (count === 0) throw new SweetspotInputError(`linePlot: no prompt length leaves room within ${limitsText(energy)}`);
  const logY = hi / lo >= 3;
  const x = makeScale('log', [range[0], range[1]], [plot.x, plot.x + plot.width]);
  const yDomain: [number, number] = lo === hi ? [lo * 0.9, hi * 1.1] : [lo / 1.05, hi * 1.05];
  const y = makeScale(logY ? 'log' : 'linear', yDomain, [plot.y + plot.height, plot.y]);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${plot.x}" y="24" font-size="17" font-weight="bold" fill="#111">${escapeXml(options.title ?? `${energy.model}: energy per output token`)}</text>`,
    `<text x="${plot.x}" y="44" font-size="11.5" fill="#333">${escapeXml(`GPU: ${energy.gpu ?? 'unspecified'} · calibration: ${energy.calibration ?? 'unspecified'}`)}</text>`,
    `<g font-size="11" fill="#222" stroke-width="1">`,
  ];
  const bottom = plot.y + plot.height;
  for (const t of tokenTicks('log', x.domain)) {
    parts.push(`<line x1="${px(x.at(t))}" y1="${plot.y}" x2="${px(x.at(t))}" y2="${bottom}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${px(x.at(t))}" y="${bottom + 18}" text-anchor="middle">${formatTokens(t)}</text>`);
  }
  for (const t of logY ? logValueTicks(yDomain[0], yDomain[1], 7) : niceTicks(yDomain[0], yDomain[1], 9)) {
    parts.push(`<line x1="${plot.x}" y1="${px(y.at(t))}" x2="${plot.x + plot.width}" y2="${px(y.at(t))}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${plot.x - 8}" y="${px(y.at(t) + 4)}" text-anchor="end">${formatValue(t)}</text>`);
  }
  parts.push(`</g>`);
  parts.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#333"/>`);
  curves.forEach((c, k) => {
    // Stop short of viridis' yellow end: a pale line on white is hard to see.
    const color = viridisHex(curves.length === 1 ? 0.3 : (0.78 * k) / (curves.length - 1));
    if (c.pts.length > 0) {
      const d = c.pts.map(([o, v], n) => `${n ? 'L' : 'M'}${px(x.at(o))} ${px(y.at(v))}`).join('');
      parts.push(`<path class="curve" data-n-in="${c.i}" fill="none" stroke="${color}" stroke-width="2.2" d="${d}"/>`);
    }
    if (c.best) {
      const bx = px(x.at(c.best.nOut));
      const by = px(y.at(c.best.value));
      parts.push(`<circle class="curve-best" data-n-in="${c.i}" data-n-out="${c.best.nOut}" cx="${bx}" cy="${by}" r="4.5" fill="${color}" stroke="#fff" stroke-width="1.5"/>`);
    }
    const ly = plot.y + 14 + 20 * k;
    const lx = plot.x + plot.width + 12;
    parts.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${color}" stroke-width="2.2"/>`);
    const bestText = c.best ? ` · best ${formatTokens(c.best.nOut)} out` : ` · ${c.why}`;
    parts.push(`<text x="${lx + 28}" y="${ly}" font-size="11" fill="#222">${escapeXml(`${formatTokens(c.i)} in${bestText}`)}</text>`);
  });
  parts.push(
    `<text x="${px(plot.x + plot.width / 2)}" y="${bottom + 42}" font-size="13" text-anchor="middle" fill="#111">output tokens (nOut, log scale)</text>`,
    `<text x="22" y="${px(plot.y + plot.height / 2)}" font-size="13" text-anchor="middle" fill="#111" transform="rotate(-90 22 ${px(plot.y + plot.height / 2)})">J per output token${logY ? ' (log scale)' : ''}</text>`,
    `</svg>\n`,
  );
  return parts.join('\n');
}
