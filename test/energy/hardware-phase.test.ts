import { describe, expect, it } from 'vitest';
import { bandwidthOf, hardwareFormBase, hardwarePhaseJ, peakFlopsOf, rooflineTimeS } from '../../src/energy/forms/hardware.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { featuresOf } from '../fit/helpers.js';

const ctx = { profile: resolveProfile('h100-sxm-80gb') };
const THETA = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4];

describe('hardwarePhaseJ (the one scalar formula of the hardware form)', () => {
  it('is eFlop·F + eByte·B + P·max(F/rc, B/rm)', () => {
    expect(hardwarePhaseJ(2, 3, 5, 10, 4, 20, 12)).toBe(2 * 20 + 3 * 12 + 5 * Math.max(20 / 10, 12 / 4));
    expect(hardwarePhaseJ(2, 3, 5, 10, 4, 40, 4)).toBe(2 * 40 + 3 * 4 + 5 * 4);
  });

  it('predictJ is its sum over the phases plus eStep per step, bit for bit, and the roofline form to rounding', () => {
    const [rc, rm] = [THETA[3] * peakFlopsOf(ctx), THETA[4] * bandwidthOf(ctx)];
    for (const regime of ['kv-cache', 'recompute'] as const) {
      for (const [i, o, b] of [[1, 1, 1], [512, 128, 1], [4000, 90, 8], [64, 4096, 32]]) {
        const x = featuresOf('llama-2-7b', i, o, regime, b);
        const phases =
          hardwarePhaseJ(THETA[0], THETA[1], THETA[2], rc, rm, x.prefillFlops, x.prefillBytes) +
          hardwarePhaseJ(THETA[0], THETA[1], THETA[2], rc, rm, x.decodeFlops, x.decodeBytes) +
          THETA[5] * (x.decodeSteps + 1);
        const e = hardwareFormBase.predictJ(THETA, x, ctx);
        expect(e).toBe(phases);
        const roofline = THETA[0] * x.totalFlops + THETA[1] * x.totalBytes + THETA[2] * rooflineTimeS(x, THETA[3], THETA[4], peakFlopsOf(ctx), bandwidthOf(ctx)) + THETA[5] * (x.decodeSteps + 1);
        expect(Math.abs(e - roofline) / roofline).toBeLessThan(1e-14);
      }
    }
  });
});
