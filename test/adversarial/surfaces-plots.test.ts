import { describe, expect, it } from 'vitest';
import { fromHfConfig } from '../../src/architecture/hf-config.js';
import { preset } from '../../src/architecture/registry.js';
import { batchList, MAX_BATCH_LIST } from '../../src/cli/commands/sweetspot.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { MAX_GPUS } from '../../src/energy/limits.js';
import { createEstimator } from '../../src/energy/predict/estimator.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { SweetspotMemoryError } from '../../src/errors.js';
import { functionEnergy, polynomialEnergy } from '../../src/surface/energy/energy.js';
import { surfaceEnergy } from '../../src/surface/energy/from-model.js';
import { parseAxisSpec } from '../../src/surface/grid/axis-spec.js';
import { surfaceExtremes } from '../../src/surface/grid/extremes.js';
import { MAX_AXIS_POINTS, axisLog, axisPoints, axisRange, checkTokenAxis } from '../../src/surface/grid/grid.js';
import { surfaceRegion } from '../../src/surface/grid/region.js';
import { computeSurface } from '../../src/surface/grid/surface.js';
import { heatmapLayout, heatmapSvg } from '../../src/surface/plot/heatmap.js';
import { PLOT_LIMITS } from '../../src/surface/plot/limits.js';
import { linePlotSvg } from '../../src/surface/plot/lines.js';
import { createAdvisor } from '../../src/surface/search/advice.js';
import { sweetRegion } from '../../src/surface/search/box-region.js';
import { DEFAULT_BOX } from '../../src/surface/search/box.js';
import { sweetSpot } from '../../src/surface/search/sweet-spot.js';
import { parseXml } from '../surface/xml.js';
import { cli, inputError } from './helpers.js';

// A polynomial small enough to check by hand: E(i, o) = 1e-3·i + 0.2·o + 5 plus a little curvature.
const THETA = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];
const E = (i: number, o: number) => THETA[0] * i * i + THETA[1] * i + THETA[2] * i * o + THETA[3] * o * o + THETA[4] * o + THETA[5];
const energy = polynomialEnergy(THETA, { model: 'toy', maxPositions: 8192 });
// No context limit, for curves over 10⁴…10⁵ output tokens: log-spaced points there are ≥ 5 apart,
// so none collapse when rounded to integers.
const wide = polynomialEnergy(THETA, { model: 'toy' });
const grid = { nIn: axisLog(64, 4096, 9), nOut: axisLog(64, 4096, 9) };
const surface = computeSurface(energy, grid);

// Characters XML 1.0 cannot hold at all, not even as references.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

describe('plots: every option is checked against a documented limit', () => {
  it('refuses linePlot points: 1e9 (it ran 10 s and threw RangeError "Invalid array length") and too many curves × points', async () => {
    await inputError(() => linePlotSvg(energy, { points: 1e9 }), [`linePlot: points must be an integer in 2..${PLOT_LIMITS.maxCurvePoints}, got 1000000000`]);
    for (const bad of [1, 0, -3, 2.5, NaN]) await inputError(() => linePlotSvg(energy, { points: bad }), ['linePlot: points must be an integer']);
    // Curves times points are bounded too: 64 curves of a million points would be gigabytes of SVG.
    const nIn64 = Array.from({ length: PLOT_LIMITS.maxCurves }, (_, k) => 64 + k);
    await inputError(() => linePlotSvg(energy, { nIn: nIn64, points: PLOT_LIMITS.maxCurvePoints }), [
      `linePlot: 64 curves × ${PLOT_LIMITS.maxCurvePoints} points = ${64 * PLOT_LIMITS.maxCurvePoints} points, more than the ${PLOT_LIMITS.maxLinePoints}`,
    ]);
    // Over a range of more integers than points, each curve has exactly the points asked for.
    const svg = linePlotSvg(wide, { nIn: [64], nOut: [10_000, 100_000], points: 4096 });
    const d = svg.match(/class="curve"[^>]* d="([^"]*)"/)![1];
    expect(d.match(/[ML]/g)!.length).toBe(4096);
  });

  it('refuses 10⁵ curves (it overflowed the stack after 13 s) and finds the y range of the most curves by a loop', async () => {
    const many = Array.from({ length: 100_000 }, (_, k) => k + 1);
    await inputError(() => linePlotSvg(energy, { nIn: many }), [`linePlot: nIn has 100000 distinct prompt lengths, more than the ${PLOT_LIMITS.maxCurves} curves`]);
    // Repeats draw one curve and do not count: 65 copies of one length are one curve.
    const once = linePlotSvg(energy, { nIn: Array.from({ length: PLOT_LIMITS.maxCurves + 1 }, () => 512) });
    expect([...once.matchAll(/class="curve"/g)].length).toBe(1);
    // 64 curves of 4096 points: 262 144 values, too many to spread into Math.min (RangeError before).
    const nIn = Array.from({ length: PLOT_LIMITS.maxCurves }, (_, k) => 64 + k);
    const svg = linePlotSvg(wide, { nIn, nOut: [10_000, 100_000], points: 4096 });
    const curves = [...svg.matchAll(/class="curve"[^>]* d="([^"]*)"/g)];
    expect(curves.length).toBe(PLOT_LIMITS.maxCurves);
    for (const c of curves) expect(c[1].match(/[ML]/g)!.length).toBe(4096);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(() => parseXml(svg)).not.toThrow();
  });

  it('refuses sizes that leave no plot area or are not numbers (width NaN wrote "NaN" into the SVG; width -5 and 10 drew a negative plot)', async () => {
    for (const [width, height] of [[NaN, 480], [-5, 480], [10, 480], [1e12, 480], [760, 0], [760, Infinity], ['760', 480]] as Array<[number, number]>) {
      await inputError(() => linePlotSvg(energy, { width, height }), ['linePlot: ']);
      await inputError(() => heatmapSvg(surface, { width, height }), ['heatmap: ']);
    }
    await inputError(() => heatmapLayout(NaN, 600), [`heatmap: width must be an integer in ${PLOT_LIMITS.minWidthPx}..${PLOT_LIMITS.maxSizePx}, got NaN`]);
    // The least sizes still make well-formed plots with a plot area of positive size.
    const { minWidthPx: w, minHeightPx: h } = PLOT_LIMITS;
    const layout = heatmapLayout(w, h);
    expect(layout.plot.width).toBeGreaterThan(0);
    expect(layout.plot.height).toBeGreaterThan(0);
    for (const svg of [heatmapSvg(surface, { width: w, height: h }), linePlotSvg(energy, { width: w, height: h })]) {
      expect(svg).toContain(`width="${w}" height="${h}"`);
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect(() => parseXml(svg)).not.toThrow();
    }
  });

  it('refuses heatmap maxCells outside 2..2048 (0, -1 and NaN were ignored, 1 drew 2 cells, 1e6 wrote 5.5 MB in 8 s)', async () => {
    for (const bad of [0, -1, NaN, 1, 2.5, 1e6, PLOT_LIMITS.maxCells + 1]) {
      await inputError(() => heatmapSvg(surface, { maxCells: bad }), [`heatmap: maxCells must be an integer in 2..${PLOT_LIMITS.maxCells}, got ${bad}`]);
    }
    // maxCells 2 keeps the two ends of each axis: at most 2 × 2 cells, so at most 4 rectangles.
    const svg = heatmapSvg(surface, { maxCells: 2 });
    const cells = svg.match(/<g shape-rendering="crispEdges">([\s\S]*?)<\/g>/)![1].match(/M[\d.]+ [\d.]+H/g)!;
    expect(cells.length).toBeLessThanOrEqual(4);
  });

  it('refuses an unknown colorScale (it was taken as auto) and a title that is not a string', async () => {
    await inputError(() => heatmapSvg(surface, { colorScale: 'logarithmic' as never }), ['heatmap: colorScale must be one of auto, log, linear, got "logarithmic"']);
    await inputError(() => heatmapSvg(surface, { title: 42 as never }), ['heatmap: title must be a string, got number']);
    await inputError(() => linePlotSvg(energy, { title: {} as never }), ['linePlot: title must be a string, got object']);
  });

  it('writes well-formed XML whatever the title or model name holds (a NUL or ESC made the file unreadable)', () => {
    const title = 'a <b> & "c" \u0000\u001b\uFFFF \uD800 end';
    const named = polynomialEnergy(THETA, { model: 'm\u0007<x>', gpu: 'g\u0001', calibration: 'c\uDC00', maxPositions: 8192 });
    const svgs = [
      heatmapSvg(surface, { title }),
      linePlotSvg(energy, { title }),
      heatmapSvg(computeSurface(named, grid)),
      linePlotSvg(named),
    ];
    for (const svg of svgs) {
      expect(svg).not.toMatch(NOT_XML);
      // No lone surrogate either: every high surrogate is followed by a low one.
      expect(svg).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(() => parseXml(svg)).not.toThrow();
      expect(svg).toContain('\uFFFD');
    }
    expect(svgs[0]).toContain('a &lt;b&gt; &amp; &quot;c&quot; \uFFFD\uFFFD\uFFFD \uFFFD end');
    expect(svgs[2]).toContain('m\uFFFD&lt;x&gt;');
  });

  it('names the point when an energy function returns NaN for a line plot, never drawing "NaN" coordinates', async () => {
    const broken = functionEnergy((i, o) => (o > 1000 ? NaN : 0.001 * i + 0.2 * o), { model: 'broken' });
    await inputError(() => linePlotSvg(broken, { nIn: [128] }), ['energy of broken at nIn=128, nOut=', 'is NaN J']);
  });

  it('refuses options that are not objects by name (null threw TypeError in sweetSpot, sweetRegion, createAdvisor, advise, surfaceEnergy)', async () => {
    const arch = preset('llama-3.1-8b');
    await inputError(() => sweetSpot(energy, DEFAULT_BOX, null as never), ['sweetSpot: options must be an object, got null']);
    await inputError(() => sweetRegion(energy, DEFAULT_BOX, null as never), ['sweetRegion: options must be an object, got null']);
    await inputError(() => createAdvisor(energy, null as never), ['createAdvisor: options must be an object, got null']);
    await inputError(() => createAdvisor(energy, { box: { nIn: [64, 256], nOut: [64, 256] } }).advise(100, 10, null as never), ['advise: options must be an object, got null']);
    await inputError(() => surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, null as never), ['surfaceEnergy: options must be an object, got null']);
    await inputError(() => heatmapSvg(surface, 'big' as never), ['heatmap: options must be an object, got string']);
    await inputError(() => linePlotSvg(energy, [] as never), ['linePlot: options must be an object, got an array']);
    // Absent options are the defaults, as before.
    expect(sweetSpot(energy, { nIn: [64, 64], nOut: [64, 64] }).best.energyJ).toBe(E(64, 64));
  });
});

describe('grids: axes are checked, and no axis is longer than a surface may be', () => {
  it('refuses axisLog with 1e9 points (9 s, then RangeError) and an axisRange of 2²⁹ integers (2 GiB) before allocating', async () => {
    await inputError(() => axisLog(1, 2 ** 29, 1e9), [`axis: 1000000000 points exceeds the limit of ${MAX_AXIS_POINTS} per axis`]);
    await inputError(() => axisRange(1, 2 ** 29), [`axis: 536870912 points exceeds the limit of ${MAX_AXIS_POINTS}`]);
    await inputError(() => axisRange(1, MAX_AXIS_POINTS + 1), [`${MAX_AXIS_POINTS + 1} points exceeds`]);
    // A step makes the same range short enough; its end is still on the axis.
    const stepped = axisRange(1, 2 ** 29, 2 ** 20);
    expect(stepped.length).toBe(513);
    expect(stepped[stepped.length - 1]).toBe(2 ** 29);
    await inputError(() => parseAxisSpec('1:536870912', '--in'), [`--in: '1:536870912' has 536870912 points, more than the ${MAX_AXIS_POINTS} allowed`]);
    await inputError(() => axisPoints(null as never, 'nIn'), ['nIn: must be an array of token counts, got null']);
  });

  it('refuses axes computeSurface cannot use (unsorted axes were masked wrongly, an empty one gave an empty surface, plain arrays reached NaN)', async () => {
    await inputError(() => computeSurface(energy, { nIn: Int32Array.of(4096, 64), nOut: Int32Array.of(64) }), ['grid.nIn: must be strictly increasing, but point 2 (64) follows 4096']);
    await inputError(() => computeSurface(energy, { nIn: Int32Array.of(64, 64), nOut: Int32Array.of(64) }), ['grid.nIn: must be strictly increasing']);
    await inputError(() => computeSurface(energy, { nIn: new Int32Array(0), nOut: Int32Array.of(64) }), ['grid.nIn: needs at least one token count']);
    await inputError(() => computeSurface(energy, { nIn: Int32Array.of(64), nOut: Int32Array.of(0, 5) }), ['grid.nOut: point 1 must be in 1..536870912, got 0']);
    await inputError(() => computeSurface(energy, { nIn: [64, 128] as never, nOut: Int32Array.of(64) }), ['grid.nIn: must be an Int32Array of token counts', 'got an array']);
    await inputError(() => computeSurface(energy, undefined as never), ['grid: must be { nIn, nOut }', 'got undefined']);
    await inputError(() => computeSurface(energy, grid, undefined, null as never), ['computeSurface: reuse must be an object']);
    expect(checkTokenAxis(grid.nIn)).toBe(grid.nIn);
  });

  it('reuses a mask only when it is a Uint8Array (a Float64Array of the right length was written into)', () => {
    const foreign = new Float64Array(grid.nIn.length * grid.nOut.length).fill(7);
    const s = computeSurface(energy, grid, 'j-per-output-token', { mask: foreign as never });
    expect(s.mask).toBeInstanceOf(Uint8Array);
    expect(s.mask).not.toBe(foreign);
    expect(foreign.every((v) => v === 7)).toBe(true);
  });

  it('refuses a surface that is not one (a JSON round trip) in plots, regions and extremes, by name', async () => {
    const roundTrip = JSON.parse(JSON.stringify(surface));
    await inputError(() => heatmapSvg(roundTrip), ['heatmap: surface.nIn: must be an Int32Array']);
    await inputError(() => surfaceRegion(roundTrip), ['surfaceRegion: surface.nIn: must be an Int32Array']);
    await inputError(() => surfaceExtremes(roundTrip), ['surfaceExtremes: surface.nIn: must be an Int32Array']);
    await inputError(() => heatmapSvg({ ...surface, values: surface.values.subarray(1) }), [`heatmap: surface.values must be a Float64Array or Float32Array of ${surface.values.length} values`]);
    await inputError(() => heatmapSvg({ ...surface, mask: new Uint8Array(3) }), [`heatmap: surface.mask must be a Uint8Array of ${surface.values.length} entries`]);
    await inputError(() => heatmapSvg({ ...surface, metric: 'watts' as never }), ['metric: must be one of']);
  });
});

describe('GPUs and batch lists: bounded', () => {
  const arch = preset('llama-3.1-8b');

  it(`refuses gpus above ${MAX_GPUS} (gpus: 1e6 priced a 64 + 64-token request at 7.7 MJ; 2⁵³ at 7·10¹⁶ J)`, async () => {
    for (const gpus of [MAX_GPUS + 1, 1e6, 2 ** 53]) {
      await inputError(() => surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { gpus }), [`surfaceEnergy({ gpus }): must be an integer in 1..${MAX_GPUS}`, `got ${gpus}`]);
      await inputError(() => estimate('llama-3.1-8b', { nIn: 100, nOut: 10 }, { gpus }), [`estimate({ gpus }): must be an integer in 1..${MAX_GPUS}`]);
      await inputError(() => createEstimator('llama-3.1-8b', { gpus }), [`must be an integer in 1..${MAX_GPUS}`]);
    }
    // At the limit, for a model whose 4096 heads split over 4096 GPUs: the H100 default splits the
    // step over the GPUs, each paying its static power, so the energy grows with the count; it
    // stays a finite positive number.
    const wide = fromHfConfig({ model_type: 'llama', hidden_size: 8 * MAX_GPUS, num_hidden_layers: 2, num_attention_heads: MAX_GPUS, vocab_size: 1000, intermediate_size: 1024, max_position_embeddings: 4096 });
    const one = estimate(wide, { nIn: 100, nOut: 10 }).energyJ;
    const most = estimate(wide, { nIn: 100, nOut: 10 }, { gpus: MAX_GPUS }).energyJ;
    expect(Number.isFinite(most) && most > one).toBe(true);
  });

  it('refuses --gpus above the limit in the CLI', async () => {
    await inputError(cli(process.cwd(), ['predict', '--model', 'llama-3.1-8b', '--in', '10', '--out', '10', '--gpus', '1000000']), [`predict: --gpus must be an integer in 1..${MAX_GPUS}, got '1000000'`]);
    await inputError(cli(process.cwd(), ['sweetspot', '--model', 'llama-3.1-8b', '--gpus', '1000000']), [`sweetspot: --gpus must be an integer in 1..${MAX_GPUS}, got '1000000'`]);
  });

  it('suggests a GPU count only when one within the limit would hold the weights', () => {
    const huge = fromHfConfig({ model_type: 'llama', hidden_size: 1 << 20, num_hidden_layers: 4096, num_attention_heads: 1 << 16, vocab_size: 1 << 24, intermediate_size: 1 << 22, max_position_embeddings: 1 << 27 });
    let caught: unknown;
    try {
      surfaceEnergy(H100_DEFAULT_CALIBRATION, huge);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SweetspotMemoryError);
    const message = (caught as Error).message;
    expect(message).toContain(`more than ${MAX_GPUS} GPUs would be needed: use fewer bytes per weight`);
    expect(message).not.toMatch(/gpus: \d/);
  });

  it(`refuses a --batch list of more than ${MAX_BATCH_LIST} batches at once (65 536 batches ran an O(n²) repeat check, then a search per batch: hours)`, async () => {
    const list = (n: number) => Array.from({ length: n }, (_, k) => k + 1).join(',');
    const started = performance.now();
    await inputError(cli(process.cwd(), ['sweetspot', '--model', 'llama-3.1-8b', '--batch', list(65_536)]), [`sweetspot: --batch lists 65536 batches, more than the ${MAX_BATCH_LIST} one run compares`]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(batchList({ batch: list(MAX_BATCH_LIST) })).toEqual(Array.from({ length: MAX_BATCH_LIST }, (_, k) => k + 1));
    await inputError(() => batchList({ batch: list(MAX_BATCH_LIST + 1) }), [`--batch lists ${MAX_BATCH_LIST + 1} batches`]);
    // A bad item is named by position; the message stays short however long the list.
    const long = `${list(63)},${'9'.repeat(5000)}`;
    const error = await inputError(() => batchList({ batch: long }), ['(item 64)']);
    expect(error.message.length).toBeLessThan(400);
    await inputError(() => batchList({ batch: `${list(63)},5` }), ['--batch lists 5 twice', '(item 64)']);
  });
});

describe('extreme energies: no metric or ratio silently becomes 0 or Infinity', () => {
  const grid64 = { nIn: axisRange(1, 64), nOut: axisRange(1, 64) };
  // An energy function spanning 600 decades: 1e-300 J at nIn = 1, 1e300 J at nIn = 64 (per output token).
  const span = functionEnergy((i, o) => o * 10 ** (-300 + (600 * (i - 1)) / 63), { model: 'span' });

  it('refuses a worst/best that overflows (the heatmap title read "worst/best Infinity×")', async () => {
    await inputError(() => heatmapSvg(computeSurface(span, grid64)), ['surface: worst/best overflows', 'at nIn=64', 'at nIn=1,']);
    await inputError(() => surfaceExtremes(computeSurface(span, grid64)), ['surface: worst/best overflows']);
    await inputError(() => sweetSpot(span, { nIn: [1, 64], nOut: [1, 64] }), ['box: worst/best of span overflows', 'at nIn=64', 'over ']);
  });

  it('refuses relative efficiency that underflows to 0 (it stored 0 for the worst points)', async () => {
    await inputError(() => computeSurface(span, grid64, 'relative'), ['surface: efficiency relative to the best point', 'not a normal positive double']);
    await inputError(() => computeSurface(span, grid64, 'relative', { float32: true }), ["outside Float32's range"]);
  });

  it('refuses tokens per joule of Infinity and J per output token below the normal range (5e-324 J stored as is, 1/5e-324 = Infinity)', async () => {
    const denormal = functionEnergy(() => 5e-324, { model: 'denormal' });
    await inputError(() => computeSurface(denormal, grid64, 'tokens-per-j'), ['surface: ', 'at nIn=1, nOut=1 is 5e-324, not a normal positive double']);
    await inputError(() => computeSurface(denormal, grid64, 'j-per-token'), ['at nIn=1, nOut=1 is 0, not a normal positive double']);
    // The fast per-output-token fill of the polynomial: θ6 alone at 5e-323 J gives J per output
    // token of 5e-323 / o, whose inverse overflows.
    const tiny = polynomialEnergy([0, 0, 0, 0, 0, 5e-323], { model: 'tiny' });
    await inputError(() => computeSurface(tiny, { nIn: Int32Array.of(1), nOut: Int32Array.of(1, 2) }, 'tokens-per-j'), ['surface: tokens per joule at nIn=1, nOut=2 is Infinity, not a normal positive double']);
    // J per output token itself below the normal range is refused on the fast fill as on the
    // point-by-point path: 5e-323 J over 2 output tokens is 2.5e-323 J/token, a subnormal double.
    await inputError(() => computeSurface(tiny, { nIn: Int32Array.of(1), nOut: Int32Array.of(1, 2) }, 'j-per-output-token'), ['surface: energy per output token at nIn=1, nOut=', 'not a normal positive double']);
    // Small but normal energies keep working, every value exact.
    const small = functionEnergy((i, o) => 1e-300 * (i + o), { model: 'small' });
    const s = computeSurface(small, { nIn: axisRange(1, 4), nOut: axisRange(1, 4) }, 'tokens-per-j');
    for (let k = 0; k < 16; k++) expect(s.values[k]).toBe(1 / ((1e-300 * (1 + (k >> 2) + 1 + (k & 3))) / (1 + (k & 3))));
  });
});
