import { paramCount } from '../../../src/architecture/params.js';
import { describe, expect, it } from 'vitest';
import { emptyFeatures, fillFeatures } from '../../../src/complexity/features.js';
import { termsKernel } from '../../../src/complexity/terms.js';
import { weightBytesPerStep } from '../../../src/complexity/weights.js';
import { H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { energyModel } from '../../../src/energy/predict/predict.js';
import { perParamForm } from '../../../src/energy/forms/per-param.js';
import { type SurfaceEnergy, formEnergy, functionEnergy, polynomialEnergy } from '../../../src/surface/energy/energy.js';
import { surfaceExtremes } from '../../../src/surface/grid/extremes.js';
import { FeatureTable } from '../../../src/surface/energy/feature-table.js';
import { surfaceEnergy } from '../../../src/surface/energy/from-model.js';
import { axisLog, axisPoints, axisRange } from '../../../src/surface/grid/grid.js';
import { METRICS } from '../../../src/surface/metrics.js';
import { surfaceRegion } from '../../../src/surface/grid/region.js';
import { computeSurface } from '../../../src/surface/grid/surface.js';
import { sweetSpot } from '../../../src/surface/search/sweet-spot.js';
import { hardwareCalibration, int, plainPolynomial, preset, randomHardware, randomTheta, rng } from '../helpers.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** The metric by its definition (docs/conventions.md), from a plain energy. */
function expected(metric: string, e: number, i: number, o: number): number {
  switch (metric) {
    case 'j-per-request':
      return e;
    case 'j-per-output-token':
      return e / o;
    case 'j-per-token':
      return e / (i + o);
    case 'tokens-per-j':
      return o / e;
    default:
      throw new Error(metric);
  }
}

describe('computeSurface', () => {
  it('every metric agrees with its definition on random grids and polynomials', () => {
    const r = rng(1);
    for (let trial = 0; trial < 20; trial++) {
      const theta = randomTheta(r);
      if (!theta.some((t) => t > 0)) theta[5] = 1;
      const maxPositions = int(r, 200, 3000);
      const energy = polynomialEnergy(theta, { model: 'm', maxPositions });
      const grid = {
        nIn: axisPoints(Array.from({ length: int(r, 1, 30) }, () => int(r, 1, 2000))),
        nOut: axisPoints(Array.from({ length: int(r, 1, 30) }, () => int(r, 1, 2000))),
      };
      for (const metric of METRICS) {
        const s = computeSurface(energy, grid, metric);
        let masked = 0;
        let bestJpot = Infinity;
        grid.nIn.forEach((i) => grid.nOut.forEach((o) => {
          if (i + o - 1 <= maxPositions) bestJpot = Math.min(bestJpot, plainPolynomial(theta, i, o) / o);
        }));
        grid.nIn.forEach((i, row) =>
          grid.nOut.forEach((o, col) => {
            const k = row * grid.nOut.length + col;
            if (i + o - 1 > maxPositions) {
              masked++;
              expect(s.mask[k]).toBe(1);
              expect(Number.isNaN(s.values[k])).toBe(true);
              return;
            }
            expect(s.mask[k]).toBe(0);
            const e = plainPolynomial(theta, i, o);
            const want = metric === 'relative' ? bestJpot / (e / o) : expected(metric, e, i, o);
            expect(rel(s.values[k], want)).toBeLessThan(1e-12);
          }),
        );
        expect(s.maskedCount).toBe(masked);
      }
    }
  });

  it('Float32 values: the Float64 surface rounded once, same mask, every metric, polynomial and hardware', () => {
    const r = rng(31);
    const arch = preset('llama-3.1-8b');
    const energies = [
      polynomialEnergy([2e-7, 3e-3, 4e-6, 1e-6, 0.15, 3], { model: 'p', maxPositions: 3000 }),
      surfaceEnergy(hardwareCalibration(randomHardware(r)), arch),
      functionEnergy((i, o) => 0.002 * i + 0.3 * o + 5, { model: 'f', maxPositions: 2500 }),
    ];
    const grid = { nIn: axisLog(64, 4096, 40), nOut: axisLog(1, 4096, 40) };
    for (const energy of energies) {
      for (const metric of METRICS) {
        const wide = computeSurface(energy, grid, metric);
        const narrow = computeSurface(energy, grid, metric, { float32: true });
        expect(narrow.values).toBeInstanceOf(Float32Array);
        expect(Array.from(narrow.mask)).toEqual(Array.from(wide.mask));
        expect(narrow.maskedCount).toBe(wide.maskedCount);
        for (let k = 0; k < wide.values.length; k++) {
          if (wide.mask[k]) expect(Number.isNaN(narrow.values[k])).toBe(true);
          else expect(rel(narrow.values[k], wide.values[k])).toBeLessThan(2e-7);
        }
        if (metric === 'relative') expect(Math.max(...Array.from(narrow.values).filter((v) => !Number.isNaN(v)))).toBe(1);
        // Reusing buffers: Float64 arrays are not taken for a Float32 surface, Float32 ones are.
        const again = computeSurface(energy, grid, metric, { ...narrow, float32: true });
        expect(again.values).toBe(narrow.values);
        const notTaken = computeSurface(energy, grid, metric, { values: wide.values, float32: true });
        expect(notTaken.values).not.toBe(wide.values);
      }
    }
  });

  it('an energy that overflows is an error naming its point, on the fast per-output-token fill and the general one', () => {
    // 1e300·i² passes 1.8e308 first at i = 13408.
    const grid = { nIn: axisRange(13_000, 14_000, 8), nOut: axisRange(1, 5) };
    const poly = polynomialEnergy([1e300, 0, 0, 0, 0, 1], { model: 'huge' });
    expect(poly.perOutputRows).toBeDefined();
    for (const metric of ['j-per-output-token', 'tokens-per-j', 'j-per-token'] as const) {
      expect(() => computeSurface(poly, grid, metric)).toThrow(/energy of huge at nIn=13408, nOut=1 is Infinity J/);
      // Costs past 3.4e38 have no Float32: named before the overflow is reached.
      expect(() => computeSurface(poly, grid, metric, { float32: true })).toThrow(/at nIn=13000, nOut=1 is [0-9.e+-]+, outside Float32's range/);
    }
    const zero = functionEnergy((i) => (i === 13_008 ? 0 : 1), { model: 'z' });
    expect(() => computeSurface(zero, grid)).toThrow(/energy of z at nIn=13008, nOut=1 is 0 J/);
  });

  it('rows are checked once, yet a bad point in the middle of a row is named exactly', () => {
    // θ4·o passes 1.8e308 first at o = 1798: the row's first 1734 points are fine, the rest Infinity.
    const poly = polynomialEnergy([0, 0, 0, 1e305, 0, 1], { model: 'wide' });
    // Rows are filled two points at a time: the first bad point at an even and at an odd column,
    // in a row of odd and of even length, and as the last point of an odd row.
    for (const nOut of [axisRange(64, 4096), axisRange(65, 4096), axisRange(64, 1800), axisRange(65, 1800), axisRange(64, 1798)]) {
      const grid = { nIn: axisPoints([64, 100]), nOut };
      for (const metric of ['j-per-output-token', 'tokens-per-j', 'relative'] as const) {
        // An energy that is not a finite number is named before any Float32 range question.
        for (const float32 of [false, true]) {
          expect(() => computeSurface(poly, grid, metric, { float32 })).toThrow(/energy of wide at nIn=64, nOut=1798 is Infinity J/);
        }
      }
    }
    // An energy whose own row filler writes NaN at one point (the energy itself finite there).
    const odd: SurfaceEnergy = {
      ...functionEnergy((i, o) => i + o, { model: 'odd-rows' }),
      perOutputRows: (outs) => (i, end, out, offset) => {
        let lowest = Infinity;
        for (let k = 0; k < end; k++) {
          const v = i === 200 && outs[k] === 333 ? NaN : (i + outs[k]) / outs[k];
          out[offset + k] = v;
          if (v < lowest) lowest = v;
        }
        return i === 200 ? NaN : lowest;
      },
    };
    expect(() => computeSurface(odd, { nIn: axisPoints([100, 200]), nOut: axisRange(300, 400) })).toThrow(
      /energy of odd-rows at nIn=200, nOut=333: J per output token is NaN/,
    );
  });

  it('a row that fails its quick check only because its sum overflows is kept, values and minimum exact', () => {
    // E/o = 1/o + 1e308: every value finite (1e308 to the last bit), their sum is not.
    const poly = polynomialEnergy([0, 0, 0, 0, 1e308, 1], { model: 'big' });
    const grid = { nIn: axisPoints([64, 65]), nOut: axisRange(1, 50) };
    const s = computeSurface(poly, grid);
    for (let k = 0; k < s.values.length; k++) expect(s.values[k]).toBe(1 / grid.nOut[k % 50] + 1e308);
    const r = computeSurface(poly, grid, 'relative');
    for (let k = 0; k < r.values.length; k++) expect(r.values[k]).toBe(1);
  });

  it('relative = the brute-force least J per output token over each value, to the bit (polynomial and hardware, masked points)', () => {
    const r = rng(31);
    const arch = preset('llama-3.1-8b');
    const energies = [
      polynomialEnergy(randomTheta(r), { model: 'p', maxPositions: 2500 }),
      surfaceEnergy(hardwareCalibration(randomHardware(r)), { ...arch, maxPositions: 3000 }),
    ];
    const grid = { nIn: axisLog(64, 4096, 37), nOut: axisLog(1, 4096, 41) };
    for (const energy of energies) {
      const cost = computeSurface(energy, grid, 'j-per-output-token');
      let least = Infinity;
      for (let k = 0; k < cost.values.length; k++) if (!cost.mask[k] && cost.values[k] < least) least = cost.values[k];
      expect(cost.maskedCount).toBeGreaterThan(0);
      const relative = computeSurface(energy, grid, 'relative');
      for (let k = 0; k < cost.values.length; k++) {
        if (cost.mask[k]) expect(Number.isNaN(relative.values[k])).toBe(true);
        else expect(relative.values[k]).toBe(least / cost.values[k]);
      }
      // The row fill agrees with the energy point by point to a few ulps.
      for (let k = 0; k < cost.values.length; k += 97) {
        if (cost.mask[k]) continue;
        const i = grid.nIn[Math.floor(k / grid.nOut.length)];
        const o = grid.nOut[k % grid.nOut.length];
        expect(rel(cost.values[k], energy.energyJ(i, o) / o)).toBeLessThan(1e-14);
      }
    }
  });

  it('extremes never read a masked point, even where the masked energy would win', () => {
    // Energy falls with the lengths: the masked corner would be the best point if it were read.
    const energy = functionEnergy((i, o) => 1e6 / (i * o), { model: 'm', maxPositions: 100 });
    const s = computeSurface(energy, { nIn: axisRange(10, 100, 10), nOut: axisRange(10, 100, 10) }, 'j-per-request');
    const ext = surfaceExtremes(s)!;
    expect(ext.best.nIn + ext.best.nOut - 1).toBeLessThanOrEqual(100);
    // Brute force over the points that fit: the smallest 1e6/(i·o) with i + o ≤ 101 on this grid.
    let best = Infinity;
    for (let i = 10; i <= 100; i += 10) for (let o = 10; o <= 100; o += 10) if (i + o - 1 <= 100) best = Math.min(best, 1e6 / (i * o));
    expect(ext.best.value).toBe(best);
    expect(ext.worst.value).toBe(1e6 / 100);
    expect(ext.evaluated).toBe(s.values.length - s.maskedCount);
    const region = surfaceRegion(s, 0);
    for (let k = 0; k < s.mask.length; k++) if (s.mask[k]) expect(region.inside[k]).toBe(0);
  });

  it('reused arrays give the same surface as fresh ones (old values and mask overwritten)', () => {
    const a = polynomialEnergy([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], { model: 'a', maxPositions: 300 });
    const b = polynomialEnergy([2e-7, 0, 1e-6, 3e-6, 0.1, 9], { model: 'b', maxPositions: 250 });
    const grid = { nIn: axisRange(50, 200, 10), nOut: axisRange(50, 200, 10) };
    const first = computeSurface(a, grid, 'j-per-token');
    const fresh = computeSurface(b, grid, 'tokens-per-j');
    const reused = computeSurface(b, grid, 'tokens-per-j', first);
    expect(reused.values).toBe(first.values);
    expect(Array.from(reused.values)).toEqual(Array.from(fresh.values));
    expect(Array.from(reused.mask)).toEqual(Array.from(fresh.mask));
    expect(reused.maskedCount).toBe(fresh.maskedCount);
  });

  it('an all-masked surface has no extremes', () => {
    const energy = functionEnergy(() => 1, { model: 'm', maxPositions: 10 });
    const s = computeSurface(energy, { nIn: axisPoints([20]), nOut: axisPoints([20]) });
    expect(s.maskedCount).toBe(1);
    expect(surfaceExtremes(s)).toBeNull();
    expect(() => surfaceRegion(s)).toThrow(/every point is beyond the context/);
  });

  it('an energy that is not finite and positive is an error, never a silent 0 J or infinite tokens/J', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      const energy = functionEnergy((i, o) => (i === 128 && o === 64 ? bad : i + o), { model: 'odd' });
      expect(() => computeSurface(energy, { nIn: axisPoints([64, 128]), nOut: axisPoints([64, 96]) }, 'tokens-per-j')).toThrow(
        /energy of odd at nIn=128, nOut=64 is .* J: the model must predict a finite positive energy/,
      );
      expect(() => sweetSpot(energy, { nIn: [64, 128], nOut: [64, 96] })).toThrow(/energy of odd at nIn=128, nOut=64/);
    }
  });

  it('tokens per joule and relative efficiency pick the same best point as J per output token', () => {
    const energy = polynomialEnergy([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], { model: 'm' });
    const grid = { nIn: axisLog(64, 4096, 20), nOut: axisLog(64, 4096, 20) };
    const a = surfaceExtremes(computeSurface(energy, grid, 'j-per-output-token'))!;
    const b = surfaceExtremes(computeSurface(energy, grid, 'tokens-per-j'))!;
    const c = surfaceExtremes(computeSurface(energy, grid, 'relative'))!;
    expect(b.best.index).toBe(a.best.index);
    expect(c.best.index).toBe(a.best.index);
    expect(c.best.value).toBe(1);
    expect(rel(b.worstOverBest, a.worstOverBest)).toBeLessThan(1e-12);
    expect(rel(c.worstOverBest, a.worstOverBest)).toBeLessThan(1e-12);
  });

  it('region: exactly the points within X% of the best', () => {
    const energy = polynomialEnergy([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], { model: 'm', maxPositions: 5000 });
    const grid = { nIn: axisLog(64, 4096, 25), nOut: axisLog(64, 4096, 25) };
    for (const metric of ['j-per-output-token', 'tokens-per-j'] as const) {
      const s = computeSurface(energy, grid, metric);
      const region = surfaceRegion(s, 15);
      let count = 0;
      let best = Infinity;
      grid.nIn.forEach((i) => grid.nOut.forEach((o) => i + o - 1 <= 5000 && (best = Math.min(best, plainPolynomial([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], i, o) / o))));
      grid.nIn.forEach((i, row) =>
        grid.nOut.forEach((o, col) => {
          const jpot = plainPolynomial([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], i, o) / o;
          const inside = i + o - 1 <= 5000 && jpot <= best * 1.15 * (1 + 1e-12);
          const clearly = Math.abs(jpot - best * 1.15) > 1e-9 * best;
          if (clearly) expect(region.inside[row * grid.nOut.length + col]).toBe(inside ? 1 : 0);
          if (inside) count++;
        }),
      );
      expect(region.count).toBe(count);
      let inContext = 0;
      grid.nIn.forEach((i) => grid.nOut.forEach((o) => i + o - 1 <= 5000 && inContext++));
      expect(region.share).toBe(count / inContext);
    }
  });
});

describe('energy paths agree with the energy layer', () => {
  it('feature table = fillFeatures at random points, both regimes, windows, batch > 1', () => {
    const r = rng(2);
    for (const id of ['llama-3.1-8b', 'gemma-2-2b', 'mistral-7b', 'opt-1.3b']) {
      const arch = preset(id);
      for (const regime of ['kv-cache', 'recompute'] as const) {
        const batch = int(r, 1, 8);
        const kernel = termsKernel(arch, 2);
        const wb = weightBytesPerStep(arch, 2);
        const table = new FeatureTable(kernel, { batch, regime, weightBytesPerStep: wb, params: 7 });
        table.ensure(9000);
        const a = emptyFeatures();
        const b = emptyFeatures();
        for (let k = 0; k < 200; k++) {
          const i = int(r, 1, 5000);
          const o = int(r, 1, 4000);
          table.fill(i, o, a);
          fillFeatures(kernel, i, o, batch, regime, wb, b);
          b.params = 7;
          if (regime === 'kv-cache') {
            // Exact: both are integers below 2^52.
            expect(a).toEqual(b);
          } else {
            // Cubic sums pass 2^52: a difference of the cumulative table rounds (see FeatureTable).
            for (const key of Object.keys(a) as Array<Exclude<keyof typeof a, 'gpus' | 'waves'>>) {
              expect(Math.abs(a[key] - b[key])).toBeLessThanOrEqual(1e-15 * (1 + i / Math.max(1, o - 1)) * Math.abs(b[key]));
            }
          }
        }
      }
    }
  });

  it('hardware specialisation and general path = energyModel.energyJ / batch (random parameters, both regimes)', () => {
    const r = rng(3);
    for (const id of ['llama-3.1-8b', 'gemma-2-9b', 'falcon-7b']) {
      for (const regime of ['kv-cache', 'recompute'] as const) {
        const calib = hardwareCalibration(randomHardware(r), regime);
        const batch = int(r, 1, 4);
        const model = energyModel(calib, preset(id), { batch });
        const energy = surfaceEnergy(calib, preset(id), { batch });
        // The general path (features record per point) on the same form, for comparison.
        const general = formEnergy({
          model: id,
          form: model.form,
          theta: model.theta,
          kernel: termsKernel(preset(id), 2),
          settings: { batch, regime, weightBytesPerStep: weightBytesPerStep(preset(id), 2), params: 0 },
          context: model.context,
        });
        const half = Math.floor(preset(id).maxPositions / 2);
        const outs = axisPoints(Array.from({ length: 40 }, () => int(r, 1, half)));
        const row = new Float64Array(outs.length);
        for (let k = 0; k < 20; k++) {
          const i = int(r, 1, half);
          energy.fillRowJ(i, outs, 0, outs.length, row, 0);
          outs.forEach((o, c) => {
            const want = model.energyJ(i, o) / batch;
            expect(rel(row[c], want)).toBeLessThan(regime === 'kv-cache' ? 1e-13 : 1e-15 * (1 + i / Math.max(1, o - 1)));
            expect(energy.energyJ(i, o)).toBe(row[c]);
            expect(rel(general.energyJ(i, o), want)).toBeLessThan(regime === 'kv-cache' ? 1e-13 : 1e-15 * (1 + i / Math.max(1, o - 1)));
          });
        }
      }
    }
  });

  it('the per-parameter baseline becomes the polynomial (a + b·P)·o, per request', () => {
    const calib = {
      ...hardwareCalibration(randomHardware(rng(4))),
      form: 'per-param' as const,
      profile: null,
      params: Object.fromEntries(perParamForm.params.map((p, k) => [p.name, { value: [2e-11, 0.5][k] ?? 1, unit: p.unit, stdErr: null }])),
    };
    const arch = preset('qwen2-7b');
    const model = energyModel(calib, arch);
    const energy = surfaceEnergy(calib, arch);
    expect(energy.polynomial).toEqual([0, 0, 0, 0, 2e-11 + 0.5 * paramCount(arch), 0]);
    for (const [i, o] of [[1, 1], [100, 2000], [4096, 64], [3000, 3000]]) {
      expect(rel(energy.energyJ(i, o), model.energyJ(i, o))).toBeLessThan(1e-12);
    }
  });

  it('the SweetSpot form becomes the polynomial, per request', () => {
    const theta = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];
    const energy = surfaceEnergy(
      { ...hardwareCalibration(randomHardware(rng(5))), form: 'sweetspot', profile: null, params: {}, models: {
        'llama-3.1-8b': { params: Object.fromEntries(theta.map((v, k) => [`theta${k + 1}`, { value: v, unit: 'J', stdErr: null }])), rows: 0, mape: null },
      } },
      preset('llama-3.1-8b'),
    );
    expect(energy.polynomial).toEqual(theta);
    expect(rel(energy.energyJ(1000, 300), plainPolynomial(theta, 1000, 300))).toBeLessThan(1e-15);
  });

  it('length-only forms calibrated at batch B: the surface is energyModel.energyJ / B, per request', () => {
    const theta = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];
    const names = ['theta1', 'theta2', 'theta3', 'theta4', 'theta5', 'theta6'];
    const base = { ...hardwareCalibration(randomHardware(rng(6))), profile: null, params: {}, batch: 4 };
    const perModel = (values: number[], keys: string[]) => ({
      'llama-3.1-8b': { params: Object.fromEntries(values.map((v, k) => [keys[k], { value: v, unit: 'J', stdErr: null }])), rows: 0, mape: null },
    });
    const arch = preset('llama-3.1-8b');
    for (const calib of [
      { ...base, form: 'sweetspot' as const, models: perModel(theta, names) },
      { ...base, form: 'linear' as const, models: perModel([0.02, 0.3, 5], ['a', 'b', 'c']) },
    ]) {
      const model = energyModel(calib, arch);
      expect(model.batch).toBe(4);
      const energy = surfaceEnergy(calib, arch);
      for (const [i, o] of [[1, 1], [64, 4096], [3000, 200]]) {
        // The calibration's parameters describe the whole call of 4 requests.
        expect(rel(energy.energyJ(i, o), model.energyJ(i, o) / 4)).toBeLessThan(1e-15);
      }
      const s = computeSurface(energy, { nIn: axisPoints([100]), nOut: axisPoints([50]) }, 'j-per-output-token');
      expect(rel(s.values[0], model.energyJ(100, 50) / 4 / 50)).toBeLessThan(1e-15);
    }
  });

  it('the built-in default gives a finite surface on the paper grid for every preset it is asked about', () => {
    for (const id of ['llama-3.1-8b', 'llama-2-7b', 'gemma-2-2b']) {
      const arch = preset(id);
      const energy = surfaceEnergy(H100_DEFAULT_CALIBRATION, arch);
      const s = computeSurface(energy, { nIn: axisLog(64, 4096, 12), nOut: axisLog(64, 4096, 12) });
      for (let k = 0; k < s.values.length; k++) {
        if (s.mask[k]) continue;
        expect(Number.isFinite(s.values[k]) && s.values[k] > 0).toBe(true);
      }
      // llama-2-7b has 4096 positions: the far corner is masked.
      expect(s.maskedCount > 0).toBe(arch.maxPositions < 8191);
    }
  });
});
