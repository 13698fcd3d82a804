import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hardwareForm, hardwareFormBase, rooflineTimeS, waveWeightBytes } from '../../src/energy/forms/hardware.js';
import type { HardwareProfile } from '../../src/energy/hardware/profile.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { preset } from '../../src/architecture/registry.js';
import { featuresFromTerms } from '../../src/complexity/features.js';
import { requestTerms } from '../../src/complexity/terms.js';
import { SweetspotInputError } from '../../src/errors.js';
import { expectClose, features, finiteDifferences } from './helpers.js';

// Round numbers so that every expectation below is a hand computation.
const profile: HardwareProfile = {
  id: 'toy',
  name: 'Toy GPU',
  aliases: [],
  peakFlops: { bf16: 1e15, fp8: 2e15 },
  memoryBandwidthBytesPerS: 1e12,
  memoryBytes: 8e10,
  tdpW: 500,
  idlePowerW: 50,
  fitted: false,
  sources: ['test'],
};
const ctx = { profile };
// eFlop, eByte, staticPowerW, etaCompute, etaMemory, eStep
const theta = [1e-12, 5e-11, 100, 0.5, 0.8, 0.2];

// Prefill compute-bound (1e15 FLOPs at 0.5e15/s = 2 s vs 1e10 B at 0.8e12 B/s = 0.0125 s);
// decode memory-bound (1e13 FLOPs → 0.02 s vs 4e12 B → 5 s).
const x = features({
  nIn: 1000,
  nOut: 101,
  batch: 1,
  prefillFlops: 1e15,
  prefillBytes: 1e10,
  decodeFlops: 1e13,
  decodeBytes: 4e12,
  decodeSteps: 100,
  totalFlops: 1e15 + 1e13,
  totalBytes: 1e10 + 4e12,
});

/**
 * Analytic vs central-difference gradient, each entry within 1e-5 relative or, where a parameter's
 * share θ_k·∂E/∂θ_k of the energy is tiny, within 1e-7·E in that share: the difference quotient
 * cancels there (its round-off is about ε·E/h), so a relative test alone would reject a correct gradient.
 */
function expectScaledClose(grad: Float64Array, fd: number[], theta: number[], energyJ: number): void {
  for (let k = 0; k < fd.length; k++) {
    const err = Math.abs(grad[k] - fd[k]);
    if (!(err <= 1e-5 * Math.abs(fd[k]) || err * Math.abs(theta[k]) <= 1e-7 * energyJ)) {
      throw new Error(`entry ${k}: ${grad[k]} vs finite difference ${fd[k]} (θ=${theta[k]}, E=${energyJ})`);
    }
  }
}

describe('hardware form', () => {
  it('computes the roofline time per phase on the active branch', () => {
    expect(rooflineTimeS(x, 0.5, 0.8, 1e15, 1e12)).toBeCloseTo(2 + 5, 12);
  });

  it('predicts E = eFlop·F + eByte·B + P·T + eStep·(steps+1), by hand', () => {
    const hand = 1e-12 * 1.01e15 + 5e-11 * 4.01e12 + 100 * 7 + 0.2 * 101;
    expect(hardwareFormBase.predictJ(theta, x, ctx)).toBeCloseTo(hand, 9);
  });

  it('in waves each further wave reads the weights again at every step, in the energy and in its gradient, by hand', () => {
    // 1e10 bytes of weights per step; 3 waves: prefill 1e10 + 2·1e10 = 3e10 B (0.0375 s, still
    // compute-bound at 2 s), decode 4e12 + 2·100·1e10 = 6e12 B (7.5 s), eStep paid 3 times.
    const x3 = features({ ...x, weightBytesPerStep: 1e10, waves: 3 });
    expect(waveWeightBytes(x3, 1)).toBe(2e10);
    expect(waveWeightBytes(x3, x3.decodeSteps)).toBe(2e12);
    expect(waveWeightBytes(features({ ...x3, waves: 1 }), 100)).toBe(0);
    expect(waveWeightBytes(features({ ...x, weightBytesPerStep: NaN }), 100)).toBe(0);
    const hand = 1e-12 * 1.01e15 + 5e-11 * (3e10 + 6e12) + 100 * (2 + 7.5) + 0.2 * 101 * 3;
    expect(hardwareFormBase.predictJ(theta, x3, ctx)).toBeCloseTo(hand, 9);
    const grad = new Float64Array(6);
    hardwareFormBase.gradient!(theta, x3, ctx, grad);
    // By hand: ∂E/∂eByte is the bytes in waves, ∂E/∂staticPowerW the roofline time, ∂E/∂eStep the steps times the waves.
    expect(grad[1]).toBeCloseTo(3e10 + 6e12, 0);
    expect(grad[2]).toBeCloseTo(9.5, 12);
    expect(grad[5]).toBe(303);
    expectScaledClose(grad, finiteDifferences(hardwareFormBase, theta, x3, ctx), theta, hand);
  });

  it('uses the peak of the context precision', () => {
    // fp8 halves the prefill time: 1 s instead of 2 s, so 100 J less.
    const bf16 = hardwareFormBase.predictJ(theta, x, ctx);
    const fp8 = hardwareFormBase.predictJ(theta, x, { profile, precision: 'fp8' });
    expect(bf16 - fp8).toBeCloseTo(100, 9);
  });

  it('has an analytic gradient that matches finite differences on both branches', () => {
    const grad = new Float64Array(6);
    hardwareFormBase.gradient!(theta, x, ctx, grad);
    expectClose(grad, finiteDifferences(hardwareFormBase, theta, x, ctx), 1e-6);
    // By hand: ∂E/∂ηc = −P·(F_p/(ηc²·peak)) = −100·2/0.5 = −400; ∂E/∂ηm = −100·5/0.8 = −625.
    expect(grad[3]).toBeCloseTo(-400, 9);
    expect(grad[4]).toBeCloseTo(-625, 9);

    // A large batch makes decode compute-bound: now ηm has no effect.
    const big = features({ ...x, decodeFlops: 1e16, totalFlops: 1.1e16 });
    hardwareFormBase.gradient!(theta, big, ctx, grad);
    expectClose(grad, finiteDifferences(hardwareFormBase, theta, big, ctx), 1e-6);
    expect(grad[4]).toBe(0);
  });

  it('has a gradient that matches finite differences at random points, on all four branch combinations', () => {
    // Log-uniform magnitudes put each phase on either side of the ridge; points within 1e-4 of a
    // kink are skipped (a central difference across the kink averages the two branches).
    const mag = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true }).map((e) => 10 ** e);
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.record({
          eFlop: mag(-14, -11),
          eByte: mag(-12, -9),
          staticPowerW: mag(0, 3),
          etaCompute: fc.double({ min: 0.02, max: 1, noNaN: true }),
          etaMemory: fc.double({ min: 0.02, max: 1, noNaN: true }),
          eStep: mag(-3, 1),
          prefillFlops: mag(9, 17),
          prefillBytes: mag(7, 12),
          decodeFlops: mag(9, 17),
          decodeBytes: mag(7, 14),
          decodeSteps: fc.integer({ min: 0, max: 5000 }),
        }),
        (r) => {
          const t = [r.eFlop, r.eByte, r.staticPowerW, r.etaCompute, r.etaMemory, r.eStep];
          const rc = r.etaCompute * profile.peakFlops.bf16;
          const rm = r.etaMemory * profile.memoryBandwidthBytesPerS;
          const gapP = r.prefillFlops / rc / (r.prefillBytes / rm);
          const gapD = r.decodeFlops / rc / (r.decodeBytes / rm);
          fc.pre(Math.abs(Math.log(gapP)) > 1e-4 && Math.abs(Math.log(gapD)) > 1e-4);
          seen.add(`${gapP > 1 ? 'compute' : 'memory'}/${gapD > 1 ? 'compute' : 'memory'}`);
          const point = features({
            ...r,
            totalFlops: r.prefillFlops + r.decodeFlops,
            totalBytes: r.prefillBytes + r.decodeBytes,
          });
          const grad = new Float64Array(6);
          hardwareFormBase.gradient!(t, point, ctx, grad);
          expectScaledClose(grad, finiteDifferences(hardwareFormBase, t, point, ctx), t, hardwareFormBase.predictJ(t, point, ctx));
          // Independent of the form's code: ∂E/∂P is the roofline time, ∂E/∂eStep the step count.
          expect(grad[2]).toBeCloseTo(Math.max(r.prefillFlops / rc, r.prefillBytes / rm) + Math.max(r.decodeFlops / rc, r.decodeBytes / rm), 9);
          expect(grad[5]).toBe(r.decodeSteps + 1);
        },
      ),
      { numRuns: 400, seed: 20261126 },
    );
    expect([...seen].sort()).toEqual(['compute/compute', 'compute/memory', 'memory/compute', 'memory/memory']);
  });

  it('has a gradient that matches finite differences on the terms of real requests (both regimes, batch 1 to 512)', () => {
    const h100 = resolveProfile('h100-sxm-80gb');
    const h100ctx = { profile: h100 };
    const t = [8e-13, 6e-11, 200, 0.6, 0.65, 0.1];
    const branches = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom('llama-3-8b', 'mistral-7b', 'gemma-2-9b', 'opt-1.3b'),
        fc.integer({ min: 1, max: 1500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom(1, 8, 64, 512),
        fc.constantFrom('kv-cache' as const, 'recompute' as const),
        (id, nIn, nOut, batch, regime) => {
          const arch = preset(id);
          const point = featuresFromTerms(requestTerms(arch, { nIn, nOut, batch, regime }));
          const rc = 0.6 * h100.peakFlops.bf16;
          const rm = 0.65 * h100.memoryBandwidthBytesPerS;
          const gapP = point.prefillFlops / rc / (point.prefillBytes / rm);
          const gapD = point.decodeSteps > 0 ? point.decodeFlops / rc / (point.decodeBytes / rm) : 0.5;
          fc.pre(Math.abs(Math.log(gapP)) > 1e-4 && Math.abs(Math.log(gapD)) > 1e-4);
          branches.add(`${gapP > 1 ? 'compute' : 'memory'}/${gapD > 1 ? 'compute' : 'memory'}`);
          const grad = new Float64Array(6);
          hardwareFormBase.gradient!(t, point, h100ctx, grad);
          expectScaledClose(grad, finiteDifferences(hardwareFormBase, t, point, h100ctx), t, hardwareFormBase.predictJ(t, point, h100ctx));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
    expect(branches.size).toBeGreaterThanOrEqual(3);
  });

  it('takes the compute branch at a kink, as documented', () => {
    // Prefill exactly on the ridge: 1e15 FLOPs at 0.5e15/s = 2 s = 1.6e12 B at 0.8e12 B/s.
    const kink = features({ ...x, prefillBytes: 1.6e12, totalBytes: 1.6e12 + 4e12 });
    expect(rooflineTimeS(kink, 0.5, 0.8, 1e15, 1e12)).toBeCloseTo(2 + 5, 12);
    const grad = new Float64Array(6);
    hardwareFormBase.gradient!(theta, kink, ctx, grad);
    // Compute branch for the prefill: ∂E/∂ηc = −100·2/0.5; ηm only through the decode: −100·5/0.8.
    expect(grad[3]).toBeCloseTo(-400, 9);
    expect(grad[4]).toBeCloseTo(-625, 9);
  });

  it('is truly nonlinear in the efficiencies', () => {
    const at = (etaMemory: number) => hardwareFormBase.predictJ([0, 0, 100, 0.5, etaMemory, 0], x, ctx);
    // Halving ηm doubles the decode time (5 s → 10 s): +500 J, not a linear change.
    expect(at(0.4) - at(0.8)).toBeCloseTo(500, 9);
    expect(at(0.2) - at(0.4)).toBeCloseTo(1000, 9);
  });

  it('needs a profile, and a peak for the precision', () => {
    expect(() => hardwareFormBase.predictJ(theta, x, {})).toThrow(/needs a hardware profile/);
    expect(() => hardwareFormBase.predictJ(theta, x, { profile, precision: 'int4' })).toThrow(/no peak FLOP\/s for precision 'int4'.*bf16, fp8/);
    expect(hardwareFormBase.needsProfile).toBe(true);
    expect(hardwareFormBase.scope).toBe('shared');
  });

  it('pins parameters with lower = upper, and rejects unknown or out-of-range ones', () => {
    const pinned = hardwareForm({ staticPowerW: 80, etaCompute: 0.7 });
    const byName = Object.fromEntries(pinned.params.map((p) => [p.name, p]));
    expect([byName.staticPowerW.lower, byName.staticPowerW.upper]).toEqual([80, 80]);
    expect([byName.etaCompute.lower, byName.etaCompute.upper]).toEqual([0.7, 0.7]);
    expect([byName.eByte.lower, byName.eByte.upper]).toEqual([0, Infinity]);
    expect(pinned.predictJ(theta, x, ctx)).toBe(hardwareFormBase.predictJ(theta, x, ctx));
    expect(hardwareForm()).toBe(hardwareFormBase);
    expect(() => hardwareForm({ etaMemory: 1.5 })).toThrow(SweetspotInputError);
    expect(() => hardwareForm({ bogus: 1 } as never)).toThrow(/unknown parameter 'bogus'/);
  });
});
