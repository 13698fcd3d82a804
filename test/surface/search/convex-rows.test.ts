import { describe, expect, it } from 'vitest';
import { inBoxRegion, sweetRegion } from '../../../src/surface/search/box-region.js';
import { functionEnergy, type SurfaceEnergy } from '../../../src/surface/energy/energy.js';
import { surfaceEnergy } from '../../../src/surface/energy/from-model.js';
import { METRICS } from '../../../src/surface/metrics.js';
import { firstTrue, firstTrueNear } from '../../../src/surface/search/row.js';
import { bestOutputFor, sweetSpot } from '../../../src/surface/search/sweet-spot.js';
import { hardwareCalibration, int, preset, randomHardware, rng } from '../helpers.js';

/** The same energies behind the general path: every point of the box scanned (the reference). */
const scanned = (e: SurfaceEnergy) => functionEnergy((i, o) => e.energyJ(i, o), { model: e.model, maxPositions: e.maxPositions });

function randomBox(r: () => number): { nIn: [number, number]; nOut: [number, number] } {
  const i0 = int(r, 1, 6000);
  const o0 = int(r, 1, 600);
  // Wide output ranges (the minimum is then inside) and narrow ones (it sits at an end).
  const width = r() < 0.7 ? int(r, 200, 5000) : int(r, 0, 30);
  return { nIn: [i0, i0 + int(r, 0, 12)], nOut: [o0, o0 + width] };
}

describe('hardware form: per-row bisection on convex rows equals the exact scan', () => {
  it('sweet spot, worst point and best output length, every metric, random calibrations, presets, regimes and boxes', () => {
    const r = rng(21);
    for (let trial = 0; trial < 40; trial++) {
      const params = randomHardware(r);
      // Zero terms make rows flat or linear: the degenerate cases of the convexity argument.
      if (r() < 0.2) params.eStep = 0;
      if (r() < 0.2) params.eFlop = 0;
      const calib = hardwareCalibration(params, r() < 0.7 ? 'kv-cache' : 'recompute');
      const arch = preset(['llama-3.1-8b', 'gemma-2-2b', 'llama-2-7b', 'mistral-7b'][trial % 4]);
      const energy = surfaceEnergy(calib, arch);
      expect(energy.convexRows).toBe(true);
      const reference = scanned(energy);
      const box = randomBox(r);
      for (const metric of METRICS) {
        let want;
        try {
          want = sweetSpot(reference, box, { metric });
        } catch {
          expect(() => sweetSpot(energy, box, { metric })).toThrow(/no point/);
          continue;
        }
        const got = sweetSpot(energy, box, { metric });
        expect(got).toEqual(want);
      }
      const i = box.nIn[0];
      if (i + box.nOut[0] - 1 <= energy.maxPositions) {
        expect(bestOutputFor(energy, i, box.nOut, { metric: 'j-per-token' })).toEqual(bestOutputFor(reference, i, box.nOut, { metric: 'j-per-token' }));
      }
    }
  });

  it('the sweet region: the same runs as the scan, every cost basis and tolerance', () => {
    const r = rng(22);
    for (let trial = 0; trial < 30; trial++) {
      const calib = hardwareCalibration(randomHardware(r), r() < 0.7 ? 'kv-cache' : 'recompute');
      const arch = preset(['llama-3.1-8b', 'gemma-2-2b', 'mistral-7b'][trial % 3]);
      const energy = surfaceEnergy(calib, arch);
      const box = randomBox(r);
      if (box.nIn[0] + box.nOut[0] - 1 > energy.maxPositions) continue;
      const withinPercent = [0, 0.5, 5, 30, 300][trial % 5];
      for (const metric of ['j-per-output-token', 'j-per-token', 'j-per-request'] as const) {
        const want = sweetRegion(scanned(energy), box, { metric, withinPercent });
        const got = sweetRegion(energy, box, { metric, withinPercent });
        expect(Array.from(got.runs)).toEqual(Array.from(want.runs));
        expect([got.count, got.nInRange, got.nOutRange]).toEqual([want.count, want.nInRange, want.nOutRange]);
        expect(inBoxRegion(got, got.spot.best.nIn, got.spot.best.nOut)).toBe(true);
      }
    }
  });

  it('finds an interior minimum on the full default box (J per output token falls, then rises, along a row)', () => {
    const energy = surfaceEnergy(hardwareCalibration({ eFlop: 5e-13, eByte: 6e-11, staticPowerW: 250, etaCompute: 0.6, etaMemory: 0.7, eStep: 0.05 }), preset('llama-3.1-8b'));
    const best = bestOutputFor(energy, 1024, [1, 8192]);
    expect(best.nOut).toBeGreaterThan(1);
    expect(best.nOut).toBeLessThan(8192);
    // Its neighbours, evaluated directly, cost no less.
    const cost = (o: number) => energy.energyJ(1024, o) / o;
    expect(cost(best.nOut - 1)).toBeGreaterThanOrEqual(best.value);
    expect(cost(best.nOut + 1)).toBeGreaterThanOrEqual(best.value);
  });
});

describe('the bisections behind convex rows', () => {
  it('firstTrue and firstTrueNear find the first o where a false-then-true predicate holds, from any guess', () => {
    const r = rng(23);
    for (let trial = 0; trial < 3000; trial++) {
      const a = int(r, 1, 5000);
      const b = a + int(r, 0, trial % 2 ? 20 : 5000);
      // The answer: the first true point (b when the predicate only holds at b, as on a row's last point).
      const answer = int(r, a, b);
      let calls = 0;
      const pred = (o: number) => {
        calls++;
        expect(o).toBeGreaterThanOrEqual(a);
        expect(o).toBeLessThanOrEqual(b);
        return o >= answer;
      };
      expect(firstTrue(a, b, pred)).toBe(answer);
      const hint = r() < 0.1 ? int(r, 0, b + 100) : Math.max(a, Math.min(b, answer + int(r, -40, 40)));
      calls = 0;
      expect(firstTrueNear(a, b, hint, pred)).toBe(answer);
      // Close guesses are cheap: about 2·log2(distance) + 2 evaluations.
      if (hint >= a && hint <= b) expect(calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(Math.abs(hint - answer) + 2)) + 3);
    }
  });
});
