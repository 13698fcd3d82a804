import { describe, expect, it } from 'vitest';
import { createAdvisor } from '../../../src/surface/search/advice.js';
import { inBoxRegion } from '../../../src/surface/search/box-region.js';
import { functionEnergy, polynomialEnergy } from '../../../src/surface/energy/energy.js';
import { int, plainPolynomial, randomTheta, rng } from '../helpers.js';

const THETA = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];

describe('createAdvisor', () => {
  it('truncation and cap: energies and savings by hand', () => {
    const energy = polynomialEnergy(THETA, { model: 'm', maxPositions: 8192 });
    const a = createAdvisor(energy, { box: { nIn: [64, 512], nOut: [64, 512] } }).advise(3000, 400, { truncateInTo: 1000, capOutTo: 100 });
    const e = plainPolynomial(THETA, 3000, 400);
    const eT = plainPolynomial(THETA, 1000, 400);
    const eC = plainPolynomial(THETA, 3000, 100);
    const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThan(1e-12 * Math.abs(y));
    close(a.request.energyJ, e);
    close(a.request.value, e / 400);
    close(a.truncated!.energyJ, eT);
    close(a.truncated!.savedJ, e - eT);
    close(a.truncated!.savedPercent, (100 * (e - eT)) / e);
    close(a.truncated!.efficiencyGain, e / 400 / (eT / 400));
    close(a.capped!.energyJ, eC);
    close(a.capped!.savedJ, e - eC);
    // Capping the output saves joules but costs more per output token here.
    close(a.capped!.efficiencyGain, e / 400 / (eC / 100));
    expect(a.inSweetRegion).toBe(false);
  });

  it('the nearest sweet point is the brute-force nearest in log tokens', () => {
    const r = rng(21);
    for (let trial = 0; trial < 15; trial++) {
      const theta = randomTheta(r);
      theta[5] = theta[5] || 1;
      const box = { nIn: [int(r, 1, 300), int(r, 300, 700)] as [number, number], nOut: [int(r, 1, 300), int(r, 300, 700)] as [number, number] };
      const maxPositions = r() < 0.3 ? 800 : Infinity;
      const within = 5 + 20 * r();
      const advisor = createAdvisor(polynomialEnergy(theta, { model: 'm', maxPositions }), { box, withinPercent: within });
      // The region by brute force.
      const region: Array<[number, number]> = [];
      let best = Infinity;
      for (let i = box.nIn[0]; i <= box.nIn[1]; i++)
        for (let o = box.nOut[0]; o <= box.nOut[1]; o++) if (i + o - 1 <= maxPositions) best = Math.min(best, plainPolynomial(theta, i, o) / o);
      for (let i = box.nIn[0]; i <= box.nIn[1]; i++)
        for (let o = box.nOut[0]; o <= box.nOut[1]; o++)
          if (i + o - 1 <= maxPositions && plainPolynomial(theta, i, o) / o <= best * (1 + within / 100)) region.push([i, o]);
      for (let q = 0; q < 10; q++) {
        const i0 = int(r, 1, 780);
        const o0 = int(r, 1, 800 - i0);
        const a = advisor.advise(i0, o0);
        let want = Infinity;
        for (const [i, o] of region) want = Math.min(want, Math.hypot(Math.log(i / i0), Math.log(o / o0)));
        expect(Math.abs(a.nearestSweet.logDistance - want)).toBeLessThan(1e-9);
        expect(Math.abs(Math.hypot(Math.log(a.nearestSweet.nIn / i0), Math.log(a.nearestSweet.nOut / o0)) - want)).toBeLessThan(1e-9);
        expect(inBoxRegion(advisor.region, a.nearestSweet.nIn, a.nearestSweet.nOut)).toBe(true);
        expect(a.inSweetRegion).toBe(want === 0);
      }
    }
  });

  it('relative efficiency is best cost over request cost; 1 at the sweet spot', () => {
    const advisor = createAdvisor(polynomialEnergy(THETA, { model: 'm' }), { box: { nIn: [64, 1024], nOut: [64, 1024] } });
    const { best } = advisor.region.spot;
    const a = advisor.advise(best.nIn, best.nOut);
    expect(a.relativeEfficiency).toBe(1);
    expect(a.inSweetRegion).toBe(true);
    expect(a.nearestSweet.logDistance).toBe(0);
    const b = advisor.advise(64, 64);
    expect(Math.abs(b.relativeEfficiency - best.value / (plainPolynomial(THETA, 64, 64) / 64))).toBeLessThan(1e-12);
  });

  it('works with scanned forms too (same answers as the polynomial path)', () => {
    const box = { nIn: [64, 400] as [number, number], nOut: [64, 400] as [number, number] };
    const a = createAdvisor(polynomialEnergy(THETA, { model: 'm' }), { box });
    const b = createAdvisor(functionEnergy((i, o) => plainPolynomial(THETA, i, o), { model: 'm' }), { box });
    expect(b.region.count).toBe(a.region.count);
    const x = a.advise(1000, 30);
    const y = b.advise(1000, 30);
    expect([y.nearestSweet.nIn, y.nearestSweet.nOut]).toEqual([x.nearestSweet.nIn, x.nearestSweet.nOut]);
  });

  it('bad requests are errors naming the field', () => {
    const advisor = createAdvisor(polynomialEnergy(THETA, { model: 'tiny', maxPositions: 500 }), { box: { nIn: [1, 100], nOut: [1, 100] } });
    expect(() => advisor.advise(0, 5)).toThrow(/advise: nIn must be an integer/);
    expect(() => advisor.advise(5, 2.5)).toThrow(/advise: nOut must be an integer/);
    expect(() => advisor.advise(400, 200)).toThrow(/advise: nIn \+ nOut - 1 = 599 exceeds tiny's context of 500/);
    expect(() => advisor.advise(100, 50, { truncateInTo: 101 })).toThrow(/advise: truncateInTo must be an integer in 1..100/);
    expect(() => advisor.advise(100, 50, { capOutTo: 0 })).toThrow(/advise: capOutTo must be an integer in 1..50/);
  });
});
