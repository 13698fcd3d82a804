import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { hardwarePhysics } from '../../../src/energy/hardware/physics.js';
import { HARDWARE_PROFILES } from '../../../src/energy/hardware/profiles.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { hardwarePrior, sweetspotPrior } from '../../../src/fit/solve/physics-prior.js';

// Every built-in GPU at every precision it has: the priors of docs/fitting.md#priors come from
// datasheet figures alone, so a missing or mistyped figure shows up here as a non-finite centre.
const CASES = HARDWARE_PROFILES.flatMap((p) => Object.keys(p.peakFlops).map((precision) => [p.id, precision] as const));
const byId = new Map(HARDWARE_PROFILES.map((p) => [p.id, p]));
const positive = (v: number) => Number.isFinite(v) && v > 0;

describe('the physics prior of every GPU profile', () => {
  it('covers every profile and precision', () => {
    expect(new Set(CASES.map(([id]) => id)).size).toBe(HARDWARE_PROFILES.length);
    expect(CASES.length).toBeGreaterThan(100);
  });

  it.each(CASES)('%s at %s: physics and hardware prior finite and positive, eFlop by hand', (id, precision) => {
    const p = byId.get(id)!;
    const c = hardwarePhysics(p, precision);
    for (const [k, v] of Object.entries(c)) expect([k, positive(v)]).toEqual([k, true]);
    // (TDP − static)/(ηc·peak), static = 200/700 of TDP: computed here from the datasheet figures.
    expect(c.eFlop / ((p.tdpW * (500 / 700)) / (0.6 * p.peakFlops[precision])) - 1).toBeCloseTo(0, 12);
    const prior = hardwarePrior(p, precision);
    for (const [k, v] of Object.entries(prior)) expect([k, positive(v.center), positive(v.width)]).toEqual([k, true, true]);
  });

  it.each(CASES)('%s at %s: SweetSpot prior finite, and its per-output-token weight read as physics says', (id, precision) => {
    const p = byId.get(id)!;
    const arch = preset('llama-2-7b');
    const prior = sweetspotPrior(arch, p, { precision });
    for (const [k, v] of Object.entries(prior)) {
      expect([k, Number.isFinite(v.center) && v.center >= 0, positive(v.width)]).toEqual([k, true, true]);
    }
    // Decode at batch 1 is memory-bound on every one of these GPUs: θ5 ≈ Wb·(eByte + static/(ηm·bw)) + eStep.
    const c = hardwarePhysics(p, precision);
    const expected = 2 * 6.74e9 * (c.eByte + c.staticPowerW / (c.etaMemory * p.memoryBandwidthBytesPerS)) + c.eStep;
    expect(prior.theta5.center / expected).toBeGreaterThan(0.8);
    expect(prior.theta5.center / expected).toBeLessThan(1.25);
  });

  it('defaults to the 16-bit precision each GPU has (fp16 where there is no bf16)', () => {
    for (const p of HARDWARE_PROFILES) {
      const sixteen = 'bf16' in p.peakFlops ? 'bf16' : 'fp16';
      expect([p.id, hardwarePrior(p).eFlop.center]).toEqual([p.id, hardwarePrior(p, sixteen).eFlop.center]);
    }
  });

  it('refuses, by GPU and precision, every precision a GPU lacks', () => {
    for (const p of HARDWARE_PROFILES) {
      for (const precision of ['fp32', 'tf32', 'bf16', 'fp16', 'fp8', 'int8'].filter((k) => !(k in p.peakFlops))) {
        expect(() => hardwarePrior(p, precision)).toThrow(SweetspotInputError);
        expect(() => hardwarePhysics(p, precision)).toThrow(new RegExp(`profile '${p.id}'\\) has no peak FLOP/s for precision '${precision}'`));
      }
    }
  });
});
