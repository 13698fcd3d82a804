import { describe, expect, it } from 'vitest';
import { hardwareForm, hardwareFormBase, rooflineTimeS } from '../../src/energy/forms/hardware.js';
import type { HardwareProfile } from '../../src/energy/profile.js';
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

describe('hardware form', () => {
  it('computes the roofline time per phase on the active branch', () => {
    expect(rooflineTimeS(x, 0.5, 0.8, 1e15, 1e12)).toBeCloseTo(2 + 5, 12);
  });

  it('predicts E = eFlop·F + eByte·B + P·T + eStep·(steps+1), by hand', () => {
    const hand = 1e-12 * 1.01e15 + 5e-11 * 4.01e12 + 100 * 7 + 0.2 * 101;
    expect(hardwareFormBase.predictJ(theta, x, ctx)).toBeCloseTo(hand, 9);
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
