import { describe, expect, it } from 'vitest';
import { functionEnergy } from '../../src/surface/energy/energy.js';
import { axisLog } from '../../src/surface/grid/grid.js';
import { heatmapLayout, heatmapSvg } from '../../src/surface/plot/heatmap.js';
import { computeSurface } from '../../src/surface/grid/surface.js';
import { luminance, renderSvgs, shouldSkipRendering, skipRendering } from './chromium.js';

// An energy whose J per output token has its minimum inside the grid, near (700 in, 300 out), and a
// context of 5000 tokens that cuts the top-right corner.
const energy = functionEnergy((i, o) => o * (1 + Math.log(i / 700) ** 2 + 0.5 * Math.log(o / 300) ** 2), {
  model: 'test-model',
  gpu: 'Test GPU',
  calibration: 'test calibration',
  maxPositions: 5000,
});
const grid = { nIn: axisLog(64, 4096, 57), nOut: axisLog(64, 4096, 43) };

/** The grid's best point, by a plain scan of the definition. */
function bruteBest(): { i: number; o: number } {
  let best = { i: 0, o: 0, v: Infinity };
  for (const i of grid.nIn) {
    for (const o of grid.nOut) {
      if (i + o - 1 > 5000) continue;
      const v = energy.energyJ(i, o) / o;
      if (v < best.v) best = { i, o, v };
    }
  }
  return best;
}

describe('when the rendering test may skip', () => {
  it('only when Chromium is missing and CI is unset', () => {
    expect(shouldSkipRendering(false, {})).toBe(true);
    expect(shouldSkipRendering(true, {})).toBe(false);
    for (const ci of ['true', '1', '', 'false']) {
      expect(shouldSkipRendering(false, { CI: ci })).toBe(false);
      expect(shouldSkipRendering(true, { CI: ci })).toBe(false);
    }
  });
});

describe.skipIf(skipRendering)('heatmap rendered in headless Chromium', () => {
  it('puts the sweet-spot marker where the data has its best point, with a monotone colour bar', async () => {
    const surface = computeSurface(energy, grid, 'j-per-output-token');
    const svg = heatmapSvg(surface);
    const layout = heatmapLayout();
    const [pixels] = await renderSvgs([svg], layout.width, layout.height);
    const { plot, colorBar } = layout;

    // Expected marker position: log axes spanning exactly 64…4096 over the plot area.
    const best = bruteBest();
    const ex = plot.x + (Math.log(best.o / 64) / Math.log(4096 / 64)) * plot.width;
    const ey = plot.y + plot.height - (Math.log(best.i / 64) / Math.log(4096 / 64)) * plot.height;
    // Red pixels inside the plot: the marker only (viridis has no saturated red).
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let y = plot.y; y < plot.y + plot.height; y++) {
      for (let x = plot.x; x < plot.x + plot.width; x++) {
        const [r, g, b] = pixels.at(x, y);
        if (r > 200 && g < 80 && b < 80) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(20);
    expect(Math.abs(sx / n - ex)).toBeLessThan(2.5);
    expect(Math.abs(sy / n - ey)).toBeLessThan(2.5);

    // Colour bar: values rise upwards; for a J metric low is efficient and drawn bright, so the
    // luminance must fall monotonically from the bottom of the bar to its top.
    const cx = colorBar.x + colorBar.width / 2;
    const lum: number[] = [];
    for (let y = colorBar.y + colorBar.height - 3; y >= colorBar.y + 3; y--) lum.push(luminance(pixels.at(cx, y)));
    for (let k = 1; k < lum.length; k++) expect(lum[k]).toBeLessThanOrEqual(lum[k - 1] + 1);
    expect(lum[0] - lum[lum.length - 1]).toBeGreaterThan(100);

    // The bar's bright end is the colour of the best cells: sample a cell next to the marker.
    const near = pixels.at(ex + 14, ey);
    expect(Math.abs(luminance(near) - lum[0])).toBeLessThan(25);
    // The corner beyond the context is hatched grey, not a viridis colour.
    const [r, g, b] = pixels.at(plot.x + plot.width - 3, plot.y + 3);
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(12);
  });

  it('for tokens per joule (higher is better) the bar brightens upwards and the marker does not move', async () => {
    const surface = computeSurface(energy, grid, 'tokens-per-j');
    const layout = heatmapLayout();
    const [pixels] = await renderSvgs([heatmapSvg(surface)], layout.width, layout.height);
    const { colorBar, plot } = layout;
    const cx = colorBar.x + colorBar.width / 2;
    const lum: number[] = [];
    for (let y = colorBar.y + colorBar.height - 3; y >= colorBar.y + 3; y--) lum.push(luminance(pixels.at(cx, y)));
    for (let k = 1; k < lum.length; k++) expect(lum[k]).toBeGreaterThanOrEqual(lum[k - 1] - 1);
    const best = bruteBest();
    const ex = plot.x + (Math.log(best.o / 64) / Math.log(4096 / 64)) * plot.width;
    const [r, g, b] = pixels.at(ex, plot.y + plot.height - (Math.log(best.i / 64) / Math.log(64)) * plot.height - 8);
    // The top of the marker's ring is red.
    expect(r > 200 && g < 80 && b < 80).toBe(true);
  });
});
