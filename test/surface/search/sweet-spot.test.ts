import { describe, expect, it } from 'vitest';
import { energyModel } from '../../../src/energy/predict/predict.js';
import { inBoxRegion, sweetRegion } from '../../../src/surface/search/box-region.js';
import { functionEnergy, polynomialEnergy, type SurfaceEnergy } from '../../../src/surface/energy/energy.js';
import { surfaceEnergy } from '../../../src/surface/energy/from-model.js';
import type { MetricId } from '../../../src/surface/metrics.js';
import { bestOutputFor, sweetSpot } from '../../../src/surface/search/sweet-spot.js';
import { hardwareCalibration, int, plainPolynomial, preset, randomHardware, randomTheta, rng } from '../helpers.js';

type Box = { nIn: [number, number]; nOut: [number, number] };

const COST: Record<string, (e: number, i: number, o: number) => number> = {
  'j-per-request': (e) => e,
  'j-per-output-token': (e, _i, o) => e / o,
  'j-per-token': (e, i, o) => e / (i + o),
  'tokens-per-j': (e, _i, o) => e / o,
  relative: (e, _i, o) => e / o,
};

/** Every point of the box, plainly: the independent expectation. */
function bruteForce(energyJ: (i: number, o: number) => number, box: Box, maxPositions: number, metric: string) {
  let best = { i: 0, o: 0, c: Infinity };
  let worst = { i: 0, o: 0, c: -Infinity };
  const costs: Array<[number, number, number]> = [];
  for (let i = box.nIn[0]; i <= box.nIn[1]; i++) {
    for (let o = box.nOut[0]; o <= box.nOut[1]; o++) {
      if (i + o - 1 > maxPositions) continue;
      const c = COST[metric](energyJ(i, o), i, o);
      costs.push([i, o, c]);
      if (c < best.c) best = { i, o, c };
      if (c > worst.c) worst = { i, o, c };
    }
  }
  return { best, worst, costs };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function randomBox(r: () => number): Box {
  const i0 = int(r, 1, 3000);
  const o0 = int(r, 1, 3000);
  return { nIn: [i0, i0 + int(r, 0, 40)], nOut: [o0, o0 + int(r, 0, 300)] };
}

/** Same cost (a tie) or the same point. */
function expectSamePoint(got: { nIn: number; nOut: number; energyJ: number }, want: { i: number; o: number; c: number }, metric: string) {
  const gotCost = COST[metric](got.energyJ, got.nIn, got.nOut);
  expect(rel(gotCost, want.c)).toBeLessThan(1e-12);
  if (rel(gotCost, want.c) > 1e-15) expect([got.nIn, got.nOut]).toEqual([want.i, want.o]);
}

describe('sweetSpot agrees with brute force', () => {
  it('polynomial (closed forms per row), every metric, random boxes and contexts', () => {
    const r = rng(11);
    const metrics: MetricId[] = ['j-per-output-token', 'j-per-token', 'j-per-request', 'tokens-per-j', 'relative'];
    for (let trial = 0; trial < 60; trial++) {
      const theta = randomTheta(r);
      if (!theta.some((t) => t > 0)) theta[4] = 0.1;
      const box = randomBox(r);
      // Sometimes the context cuts through the box.
      const maxPositions = r() < 0.4 ? box.nIn[0] + Math.floor((box.nOut[0] + box.nOut[1]) / 2) : Infinity;
      const energy = polynomialEnergy(theta, { model: 'm', maxPositions });
      for (const metric of metrics) {
        const want = bruteForce((i, o) => plainPolynomial(theta, i, o), box, maxPositions, metric);
        const got = sweetSpot(energy, box, { metric });
        expectSamePoint(got.best, want.best, metric);
        expectSamePoint(got.worst, want.worst, metric);
        expect(rel(got.worstOverBest, want.worst.c / want.best.c)).toBeLessThan(1e-11);
        const boxPoints = (box.nIn[1] - box.nIn[0] + 1) * (box.nOut[1] - box.nOut[0] + 1);
        expect(got.outOfContext).toBe(boxPoints - want.costs.length);
        if (metric === 'tokens-per-j') expect(rel(got.best.value, 1 / want.best.c)).toBeLessThan(1e-12);
        if (metric === 'relative') {
          expect(got.best.value).toBe(1);
          expect(rel(got.worst.value, want.best.c / want.worst.c)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('hardware form (exact scan), against energyModel point by point', () => {
    const r = rng(12);
    for (let trial = 0; trial < 6; trial++) {
      const calib = hardwareCalibration(randomHardware(r), r() < 0.5 ? 'kv-cache' : 'recompute');
      const arch = preset(['llama-3.1-8b', 'gemma-2-2b', 'llama-2-7b'][trial % 3]);
      const model = energyModel(calib, arch);
      const energy = surfaceEnergy(calib, arch);
      const box = randomBox(r);
      for (const metric of ['j-per-output-token', 'j-per-token'] as const) {
        const want = bruteForce(model.energyJ, box, arch.maxPositions, metric);
        if (want.costs.length === 0) continue;
        const got = sweetSpot(energy, box, { metric });
        // Different evaluation order: compare costs, and points unless within rounding of a tie.
        expect(rel(COST[metric](got.best.energyJ, got.best.nIn, got.best.nOut), want.best.c)).toBeLessThan(1e-12);
        expect(rel(COST[metric](got.worst.energyJ, got.worst.nIn, got.worst.nOut), want.worst.c)).toBeLessThan(1e-12);
      }
    }
  });

  it('a polynomial that overflows to Infinity is an error naming the point, not an infinite savings ratio', () => {
    // θ1·i² passes 1.8e308 from i ≈ 13 400 on.
    const energy = polynomialEnergy([1e300, 0, 0, 0, 0, 1], { model: 'huge' });
    // 1e300·i² overflows first at i = 13408 (√(1.797e308/1e300) ≈ 13 407.8).
    expect(() => sweetSpot(energy, { nIn: [1, 100_000], nOut: [1, 5] })).toThrow(/energy of huge at nIn=13408, nOut=1 is Infinity J/);
    // Every point overflows: the same error, not "no point fits the context".
    expect(() => sweetSpot(energy, { nIn: [100_000, 100_001], nOut: [1, 5] })).toThrow(/energy of huge at nIn=100000, nOut=1 is Infinity J/);
    expect(() => bestOutputFor(energy, 100_000, [1, 5])).toThrow(/energy of huge at nIn=100000/);
  });

  it('a box entirely beyond the context is an error naming it', () => {
    const energy = polynomialEnergy([0, 0, 0, 0, 1, 1], { model: 'tiny', maxPositions: 100 });
    expect(() => sweetSpot(energy, { nIn: [200, 300], nOut: [1, 5] })).toThrow(/box: no point .* fits tiny's context of 100/);
    expect(() => sweetSpot(energy, { nIn: [5, 1], nOut: [1, 5] })).toThrow(/box.nIn: high bound 1 is below low bound 5/);
    expect(() => sweetSpot(energy, { nIn: [0, 1], nOut: [1, 5] })).toThrow(/box.nIn: low bound must be an integer/);
    expect(() => sweetSpot(energy, { nIn: [1, 1], nOut: [1, 5] }, { metric: 'watts' as MetricId })).toThrow(/metric: must be one of/);
    const scanned = functionEnergy((i, o) => i + o, { model: 'f' });
    expect(() => sweetSpot(scanned, { nIn: [1, 100_000], nOut: [1, 100_000] })).toThrow(/box: .* has 10000000000 points to scan \(limit 268435456/);
    expect(() => sweetSpot(energy, { nIn: [1, 2 ** 25], nOut: [1, 5] })).toThrow(/has 33554432 prompt lengths \(limit 16777216\)/);
  });
});

describe('bestOutputFor', () => {
  it('matches the closed form o* = √((θ1·i² + θ2·i + θ6)/θ4) computed by hand', () => {
    // i = 10: θ1·i² + θ2·i + θ6 = 0.01·100 + 0.2·10 + 6 = 9; θ4 = 0.01 → o* = √900 = 30.
    const energy = polynomialEnergy([0.01, 0.2, 0.5, 0.01, 3, 6], { model: 'm' });
    expect(bestOutputFor(energy, 10, [1, 1000]).nOut).toBe(30);
    // Clipped to the range.
    expect(bestOutputFor(energy, 10, [40, 1000]).nOut).toBe(40);
    expect(bestOutputFor(energy, 10, [1, 20]).nOut).toBe(20);
    // θ4 = 0: the cost only falls with o, the best is the top of the range.
    expect(bestOutputFor(polynomialEnergy([0.01, 0.2, 0.5, 0, 3, 6], { model: 'm' }), 10, [1, 777]).nOut).toBe(777);
  });

  it('agrees with brute force for the polynomial and for a scanned function, with the context', () => {
    const r = rng(13);
    for (let trial = 0; trial < 100; trial++) {
      const theta = randomTheta(r);
      theta[3] = theta[3] || 1e-6;
      const i = int(r, 1, 4000);
      const range: [number, number] = [int(r, 1, 500), int(r, 500, 5000)];
      const maxPositions = r() < 0.3 ? i + int(r, range[0], range[1]) : Infinity;
      const energies: SurfaceEnergy[] = [
        polynomialEnergy(theta, { model: 'm', maxPositions }),
        functionEnergy((a, b) => plainPolynomial(theta, a, b), { model: 'm', maxPositions }),
      ];
      const want = bruteForce((a, b) => plainPolynomial(theta, a, b), { nIn: [i, i], nOut: range }, maxPositions, 'j-per-output-token').best;
      for (const energy of energies) expectSamePoint(bestOutputFor(energy, i, range), want, 'j-per-output-token');
    }
  });

  it('errors name the argument', () => {
    const energy = polynomialEnergy([0, 0, 0, 1, 1, 1], { model: 'm', maxPositions: 50 });
    expect(() => bestOutputFor(energy, 0, [1, 10])).toThrow(/bestOutputFor.nIn/);
    expect(() => bestOutputFor(energy, 60, [1, 10])).toThrow(/nIn 60 leaves no output length of 1..10 within \S+'s context of 50 tokens/);
  });
});

describe('sweetRegion agrees with brute force', () => {
  it('exactly the points within X% of the best, polynomial and scanned, every cost basis', () => {
    const r = rng(14);
    for (let trial = 0; trial < 40; trial++) {
      const theta = randomTheta(r);
      if (!theta.some((t) => t > 0)) theta[5] = 1;
      const box = randomBox(r);
      const maxPositions = r() < 0.3 ? box.nIn[0] + box.nOut[1] - 20 : Infinity;
      const within = [0, 1, 5, 25, 100][trial % 5];
      for (const metric of ['j-per-output-token', 'j-per-token', 'j-per-request'] as const) {
        const want = bruteForce((i, o) => plainPolynomial(theta, i, o), box, maxPositions, metric);
        if (want.costs.length === 0) continue;
        const threshold = want.best.c * (1 + within / 100);
        for (const energy of [
          polynomialEnergy(theta, { model: 'm', maxPositions }),
          functionEnergy((i, o) => plainPolynomial(theta, i, o), { model: 'm', maxPositions }),
        ]) {
          const region = sweetRegion(energy, box, { metric, withinPercent: within });
          let count = 0;
          for (const [i, o, c] of want.costs) {
            // Points within rounding of the edge may go either way.
            if (Math.abs(c - threshold) <= 1e-12 * threshold) continue;
            expect(inBoxRegion(region, i, o)).toBe(c < threshold);
            if (c < threshold) count++;
          }
          expect(region.count).toBeGreaterThanOrEqual(count);
          // Its bounding lengths, from the points clearly inside and those within rounding of the edge.
          const sure = want.costs.filter(([, , c]) => c < threshold * (1 - 1e-12));
          const maybe = want.costs.filter(([, , c]) => c <= threshold * (1 + 1e-12));
          const lo = (pts: typeof sure, k: 0 | 1) => Math.min(...pts.map((p) => p[k]));
          const hi = (pts: typeof sure, k: 0 | 1) => Math.max(...pts.map((p) => p[k]));
          if (sure.length > 0) {
            for (const k of [0, 1] as const) {
              const range = k === 0 ? region.nInRange : region.nOutRange;
              expect(range[0]).toBeLessThanOrEqual(lo(sure, k));
              expect(range[0]).toBeGreaterThanOrEqual(lo(maybe, k));
              expect(range[1]).toBeGreaterThanOrEqual(hi(sure, k));
              expect(range[1]).toBeLessThanOrEqual(hi(maybe, k));
            }
          }
          expect(region.count).toBeLessThanOrEqual(want.costs.filter(([, , c]) => c <= threshold * (1 + 1e-12)).length);
          // The share is of the box's points within the context (the brute force lists exactly those).
          expect(region.share).toBe(region.count / want.costs.length);
          // Runs are sorted and disjoint.
          for (let k = 3; k < region.runs.length; k += 3) {
            const sameRow = region.runs[k] === region.runs[k - 3];
            expect(region.runs[k] > region.runs[k - 3] || (sameRow && region.runs[k + 1] > region.runs[k - 1] + 1)).toBe(true);
          }
        }
      }
    }
  });

  it('rows wider than a scan chunk (4096): scanned runs equal the closed-form runs', () => {
    const theta = [1e-7, 1e-3, 2e-6, 2e-7, 0.2, 50];
    const box = { nIn: [100, 103] as [number, number], nOut: [1, 9000] as [number, number] };
    for (const within of [3, 40, 400]) {
      const a = sweetRegion(polynomialEnergy(theta, { model: 'm' }), box, { withinPercent: within });
      const b = sweetRegion(functionEnergy((i, o) => plainPolynomial(theta, i, o), { model: 'm' }), box, { withinPercent: within });
      expect(Array.from(b.runs)).toEqual(Array.from(a.runs));
      expect([b.spot.best.nIn, b.spot.best.nOut, b.spot.worst.nOut]).toEqual([a.spot.best.nIn, a.spot.best.nOut, a.spot.worst.nOut]);
    }
  });

  it('a bad tolerance is an error naming it', () => {
    const energy = polynomialEnergy([0, 0, 0, 1, 1, 1], { model: 'm' });
    expect(() => sweetRegion(energy, { nIn: [1, 2], nOut: [1, 2] }, { withinPercent: -1 })).toThrow(/withinPercent: must be a finite number ≥ 0/);
  });
});
