import { describe, expect, it } from 'vitest';
import { functionEnergy, polynomialEnergy } from '../../src/surface/energy/energy.js';
import { axisLog, axisPoints } from '../../src/surface/grid/grid.js';
import { heatmapSvg } from '../../src/surface/plot/heatmap.js';
import { linePlotSvg } from '../../src/surface/plot/lines.js';
import { logSubsample, cellEdges } from '../../src/surface/plot/resample.js';
import { logValueTicks, makeScale, niceTicks, tokenTicks } from '../../src/surface/plot/scale.js';
import { escapeXml, formatValue } from '../../src/surface/plot/svg.js';
import { computeSurface } from '../../src/surface/grid/surface.js';
import { plainPolynomial } from './helpers.js';
import { METRICS } from '../../src/surface/metrics.js';
import { heatmapLayout } from '../../src/surface/plot/heatmap.js';
import { parseXml } from './xml.js';

const THETA = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];

describe('heatmap SVG', () => {
  const energy = polynomialEnergy(THETA, { model: 'llama-2-7b', gpu: 'NVIDIA H100 SXM5 80GB', calibration: 'calib.json <fitted>', maxPositions: 4096 });
  const surface = computeSurface(energy, { nIn: axisLog(64, 4096, 30), nOut: axisLog(64, 4096, 30) });
  const svg = heatmapSvg(surface);

  it('is one SVG document naming model, GPU and calibration (escaped), with the unit on the colour bar', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('llama-2-7b: energy per output token');
    expect(svg).toContain('GPU: NVIDIA H100 SXM5 80GB');
    expect(svg).toContain('calibration: calib.json &lt;fitted&gt;');
    expect(svg).toContain('J/output token · energy per output token');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('marks the brute-force best point, the region, and the points beyond the context', () => {
    let best = { i: 0, o: 0, v: Infinity };
    for (const i of surface.nIn) for (const o of surface.nOut) {
      if (i + o - 1 > 4096) continue;
      const v = plainPolynomial(THETA, i, o) / o;
      if (v < best.v) best = { i, o, v };
    }
    expect(svg).toContain(`data-n-in="${best.i}" data-n-out="${best.o}"`);
    expect(svg).toContain('class="sweet-region"');
    expect(svg).toContain('within 10% of best');
    expect(svg).toContain('url(#ss-beyond-context)');
    expect(heatmapSvg(surface, { withinPercent: null })).not.toContain('sweet-region');
  });

  it('a 4033-point axis is drawn with at most maxCells cells per side', () => {
    const big = computeSurface(energy, { nIn: axisLog(64, 4096, 5), nOut: axisPoints(Array.from({ length: 4033 }, (_, k) => 64 + k)) });
    const small = heatmapSvg(big, { maxCells: 50 });
    // Every cell is a subpath "M…Z"; runs of equal colour merge, so there are at most 5 × 50.
    expect((small.match(/Z/g) ?? []).length).toBeLessThanOrEqual(5 * 50 + 10);
  });

  it('errors: an all-masked surface, a bad tolerance', () => {
    const masked = computeSurface(functionEnergy(() => 1, { model: 'tiny', maxPositions: 10 }), { nIn: axisPoints([20]), nOut: axisPoints([20]) });
    expect(() => heatmapSvg(masked)).toThrow(/heatmap: every point is beyond tiny's context of 10 tokens/);
    expect(() => heatmapSvg(surface, { withinPercent: -5 })).toThrow(/withinPercent: must be a finite number ≥ 0/);
  });
});

describe('SVG documents parse as XML', () => {
  it('the checker itself rejects broken documents', () => {
    expect(parseXml('<svg><g/><text x="1">a &amp; b</text></svg>')).toEqual(['svg', 'g', 'text']);
    for (const broken of ['<svg><g></svg>', '<svg a="1" a="2"/>', '<svg>a & b</svg>', '<svg x=1/>', '<svg/><svg/>', '<svg>', '<svg t="a<b"/>']) {
      expect(() => parseXml(broken)).toThrow(/not well-formed/);
    }
  });

  it('every heatmap (each metric, masked corners, one-point axes, names needing escapes) and line plot', () => {
    const labels = { model: `m<&"'>`, gpu: 'G & G', calibration: '"c" <fit>' };
    const energy = polynomialEnergy(THETA, { ...labels, maxPositions: 3000 });
    const grids = [
      { nIn: axisLog(64, 4096, 30), nOut: axisLog(64, 4096, 30) },
      { nIn: axisPoints([100]), nOut: axisLog(64, 4096, 9) },
      { nIn: axisPoints([100]), nOut: axisPoints([200]) },
      { nIn: axisPoints([100, 101]), nOut: axisPoints([5, 6, 7]) },
    ];
    for (const grid of grids) {
      for (const metric of METRICS) {
        const svg = heatmapSvg(computeSurface(energy, grid, metric));
        expect(parseXml(svg)[0]).toBe('svg');
        expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      }
    }
    const lines = linePlotSvg(energy, { nIn: [64, 1000, 2900] });
    expect(parseXml(lines)[0]).toBe('svg');
  });

  it('plots curves of hundreds of thousands of points (their range read by a loop, not by spreading them as arguments)', () => {
    const long = polynomialEnergy(THETA, { model: 'm', maxPositions: 1 << 20 });
    const outs = axisLog(1, 400_000, 400_000);
    const svg = linePlotSvg(long, { nIn: [64, 128], nOut: [1, 400_000], points: 400_000 });
    const paths = [...svg.matchAll(/<path class="curve" data-n-in="(\d+)"[^>]* d="([^"]*)"/g)];
    expect(paths.map((m) => m[1])).toEqual(['64', '128']);
    // Every output length of the axis is a vertex of each curve (the context, 2^20, holds them all).
    for (const m of paths) expect(m[2].split(/[ML]/).length - 1).toBe(outs.length);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('heatmap axes and colour bar', () => {
  const energy = polynomialEnergy(THETA, { model: 'm', maxPositions: 8192 });
  const textAt = (svg: string, label: string) =>
    [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].filter((m) => m[3] === label).map((m) => [Number(m[1]), Number(m[2])]);

  it('log token ticks sit where log(n) puts them: 512 halfway along 64…4096, powers of two only', () => {
    const svg = heatmapSvg(computeSurface(energy, { nIn: axisLog(64, 4096, 20), nOut: axisLog(64, 4096, 20) }));
    const { plot } = heatmapLayout();
    // Halfway in log: log(512/64) / log(4096/64) = 3/6.
    const x512 = textAt(svg, '512').find(([, y]) => y > plot.y + plot.height)!;
    expect(x512[0]).toBeCloseTo(plot.x + plot.width / 2, 1);
    const y128 = textAt(svg, '128').find(([x]) => x < plot.x)!;
    // nIn = 128 is 1/6 of the way up; the label's baseline is 4 px below the tick.
    expect(y128[1] - 4).toBeCloseTo(plot.y + plot.height - plot.height / 6, 1);
    for (const t of ['64', '128', '256', '1024', '2048', '4096']) expect(textAt(svg, t).length).toBe(2);
  });

  it('colour-bar ticks rise monotonically with their values, and the bar names the unit', () => {
    for (const metric of ['j-per-output-token', 'tokens-per-j', 'j-per-request', 'relative'] as const) {
      const svg = heatmapSvg(computeSurface(energy, { nIn: axisLog(64, 4096, 20), nOut: axisLog(64, 4096, 20) }, metric));
      const { colorBar } = heatmapLayout();
      const ticks = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)">([^<]*)<\/text>/g)]
        .filter((m) => Number(m[1]) === colorBar.x + colorBar.width + 7)
        .map((m) => ({ y: Number(m[2]), v: Number(m[3]) }));
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      for (let k = 1; k < ticks.length; k++) {
        expect(ticks[k].v).toBeGreaterThan(ticks[k - 1].v);
        expect(ticks[k].y).toBeLessThan(ticks[k - 1].y);
      }
      const unit = { 'j-per-output-token': 'J/output token', 'tokens-per-j': 'output tokens/J', 'j-per-request': 'J', relative: 'relative (best = 1)' }[metric];
      expect(svg).toContain(`>${unit} · `);
    }
  });
});

describe('line plot SVG', () => {
  it('one curve per prompt length, each minimum at the brute-force best output length', () => {
    const energy = polynomialEnergy(THETA, { model: 'm', maxPositions: 4096 });
    const svg = linePlotSvg(energy, { nIn: [256, 1024, 3500] });
    for (const i of [256, 1024, 3500]) {
      let best = { o: 0, v: Infinity };
      for (let o = 64; o <= Math.min(4096, 4097 - i); o++) {
        const v = plainPolynomial(THETA, i, o) / o;
        if (v < best.v) best = { o, v };
      }
      expect(svg).toContain(`class="curve-best" data-n-in="${i}" data-n-out="${best.o}"`);
      expect(svg).toContain(`class="curve" data-n-in="${i}"`);
    }
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('a prompt with no room in the context gets no curve; none at all is an error', () => {
    const energy = polynomialEnergy(THETA, { model: 'tiny', maxPositions: 100 });
    const svg = linePlotSvg(energy, { nIn: [10, 90], nOut: [16, 64] });
    expect(svg).toContain('90 in · beyond context');
    expect(() => linePlotSvg(energy, { nIn: [200], nOut: [16, 64] })).toThrow(/linePlot: no prompt length leaves room/);
  });

  it('an energy that is not finite and positive is an error, never a NaN curve', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      const energy = functionEnergy((i, o) => (o === 64 ? bad : i + o), { model: 'odd' });
      expect(() => linePlotSvg(energy, { nIn: [100], nOut: [16, 256] })).toThrow(/energy of odd at nIn=100, nOut=64 is .* J/);
    }
  });
});

describe('plot helpers', () => {
  it('log scale, ticks, subsampling, cell edges, formatting', () => {
    expect(makeScale('log', [64, 4096], [0, 600]).at(512)).toBeCloseTo(300, 9);
    expect(makeScale('linear', [0, 10], [100, 0]).at(2.5)).toBe(75);
    expect(tokenTicks('log', [64, 4096])).toEqual([64, 128, 256, 512, 1024, 2048, 4096]);
    expect(tokenTicks('log', [1, 2 ** 20], 6)).toEqual([1, 16, 256, 4096, 65536, 1048576]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(logValueTicks(0.1, 3)).toEqual([0.1, 0.2, 0.5, 1, 2]);
    expect(logSubsample(Int32Array.from({ length: 1000 }, (_, k) => k + 1), 4)).toEqual([0, 9, 99, 999]);
    expect(cellEdges([64, 256, 1024])).toEqual([64, 128, 512, 1024]);
    expect(escapeXml(`a<b & "c"`)).toBe('a&lt;b &amp; &quot;c&quot;');
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(123456)).toBe('1.23e+5');
  });
});
