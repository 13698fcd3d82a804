import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { memoryLimit } from '../../src/energy/hardware/memory-limit.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { SweetspotMemoryError } from '../../src/errors.js';
import { onGpus, surfaceEnergy, surfaceEnergyFromModel } from '../../src/surface/energy/from-model.js';
import { energyModel } from '../../src/energy/predict/predict.js';
import { surfaceExtremes } from '../../src/surface/grid/extremes.js';
import { surfaceRegion } from '../../src/surface/grid/region.js';
import { MASK_CONTEXT, MASK_MEMORY, computeSurface } from '../../src/surface/grid/surface.js';
import { axisRange } from '../../src/surface/grid/grid.js';
import { heatmapSvg } from '../../src/surface/plot/heatmap.js';
import { createAdvisor } from '../../src/surface/search/advice.js';
import { sweetRegion } from '../../src/surface/search/box-region.js';
import { DEFAULT_BOX, type TokenBox } from '../../src/surface/search/box.js';
import { bestOutputFor, sweetSpot } from '../../src/surface/search/sweet-spot.js';
import type { SurfaceEnergy } from '../../src/surface/energy/energy.js';
import { int, rng, sweetspotCalibration } from './helpers.js';

const H100_BYTES = 80e9;
// Llama-3.1-8B by hand: 32 layers, 8 KV heads of 128, 16-bit K and V.
const LLAMA8_KV_PER_TOKEN = 2 * 32 * 8 * 128 * 2; // 131072 bytes
// Embeddings and an untied LM head (128256 × 4096 each), 32 layers of attention (q, o: 4096²;
// k, v: 4096 × 1024), a SwiGLU MLP (3 × 4096 × 14336) and two norms, and the final norm.
const LLAMA8_PARAMS = 2 * 128256 * 4096 + 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096) + 4096;
const LLAMA8_WEIGHTS = 2 * LLAMA8_PARAMS;
// Llama-2-7B: 32 layers, 32 KV heads of 128; 4096 positions.
const LLAMA2_KV_PER_TOKEN = 2 * 32 * 32 * 128 * 2; // 524288 bytes
const LLAMA2_PARAMS = 2 * 32000 * 4096 + 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 4096) + 4096;

/** The memory rule by hand: weights + batch · (nIn + nOut − 1) · bytes per token ≤ 80 GB. */
const fitsByHand = (weights: number, kvPerToken: number, batch: number, i: number, o: number) => weights + batch * (i + o - 1) * kvPerToken <= H100_BYTES;
/** The longest sequence that fits, by hand. */
const positionsByHand = (weights: number, kvPerToken: number, batch: number) => Math.floor((H100_BYTES - weights) / (batch * kvPerToken));

const cost = (energy: SurfaceEnergy, i: number, o: number) => energy.energyJ(i, o) / o;

/** Best, worst and the count of points that do not fit, by scanning every point of the box. */
function bruteForce(energy: SurfaceEnergy, box: TokenBox, fits: (i: number, o: number) => boolean) {
  let best = { nIn: 0, nOut: 0, c: Infinity };
  let worst = { nIn: 0, nOut: 0, c: -Infinity };
  let outOfMemory = 0;
  let outOfContext = 0;
  for (let i = box.nIn[0]; i <= box.nIn[1]; i++) {
    for (let o = box.nOut[0]; o <= box.nOut[1]; o++) {
      if (i + o - 1 > energy.maxPositions) {
        outOfContext++;
        continue;
      }
      if (!fits(i, o)) {
        outOfMemory++;
        continue;
      }
      const c = cost(energy, i, o);
      if (c < best.c) best = { nIn: i, nOut: o, c };
      if (c > worst.c) worst = { nIn: i, nOut: o, c };
    }
  }
  return { best, worst, outOfMemory, outOfContext };
}

describe('the memory limit of a surface', () => {
  const h100 = resolveProfile('h100-sxm-80gb');

  it('is the longest sequence whose weights and KV cache fit, by hand, and one token more does not fit estimate either', () => {
    const llama8 = preset('llama-3.1-8b');
    for (const batch of [1, 8, 64, 117, 118, 128, 256]) {
      const limit = memoryLimit(llama8, { weightBytes: 2, kvBytes: 2 }, { batch, regime: 'kv-cache', gpus: 1, profile: h100 });
      const want = positionsByHand(LLAMA8_WEIGHTS, LLAMA8_KV_PER_TOKEN, batch);
      expect([batch, limit.maxPositions]).toEqual([batch, want]);
      expect(limit.weightBytes).toBe(LLAMA8_WEIGHTS);
      expect(limit.neededBytes(want)).toBe(LLAMA8_WEIGHTS + batch * want * LLAMA8_KV_PER_TOKEN);
      // The estimator's own check agrees at the boundary: a prompt of L tokens and one output
      // token holds L positions.
      const long = { allowOverflow: true };
      expect(estimate(llama8, { nIn: want, nOut: 1, batch }, long).memoryBytes).toBe(limit.neededBytes(want));
      expect(() => estimate(llama8, { nIn: want + 1, nOut: 1, batch }, long)).toThrow(SweetspotMemoryError);
    }
    // Batch 128: 3811 positions; the worst corner 4096 + 64 holds 4159.
    expect(positionsByHand(LLAMA8_WEIGHTS, LLAMA8_KV_PER_TOKEN, 128)).toBe(3811);
    // Two GPUs hold twice the memory.
    const two = memoryLimit(llama8, { weightBytes: 2, kvBytes: 2 }, { batch: 128, regime: 'kv-cache', gpus: 2, profile: h100 });
    expect(() => memoryLimit(llama8, { weightBytes: 2, kvBytes: 2 }, { batch: 128, regime: 'kv-cache', gpus: 1.5, profile: h100 })).toThrow(/^memoryLimit\(run\.gpus\): must be an integer in 1\.\.4096/);
    expect(two.maxPositions).toBe(Math.floor((2 * H100_BYTES - LLAMA8_WEIGHTS) / (128 * LLAMA8_KV_PER_TOKEN)));
    expect(two.availableBytes).toBe(2 * H100_BYTES);
  });

  it('of a model put on two GPUs by onGpus is the two GPUs\' limit, as surfaceEnergy({ gpus: 2 }) gives', () => {
    const llama8 = preset('llama-3.1-8b');
    const onTwo = surfaceEnergyFromModel(onGpus(energyModel(H100_DEFAULT_CALIBRATION, llama8, { batch: 256 }), 2, 'test'));
    const want = Math.floor((2 * H100_BYTES - LLAMA8_WEIGHTS) / (256 * LLAMA8_KV_PER_TOKEN));
    expect([onTwo.memory?.gpus, onTwo.memory?.maxPositions]).toEqual([2, want]);
    expect(surfaceEnergy(H100_DEFAULT_CALIBRATION, llama8, { batch: 256, gpus: 2 }).memory?.maxPositions).toBe(want);
    // The same box, so the same points left out either way.
    const box: TokenBox = { nIn: [2000, 2400], nOut: [1800, 2200] };
    expect(sweetSpot(onTwo, box).outOfMemory).toBe(sweetSpot(surfaceEnergy(H100_DEFAULT_CALIBRATION, llama8, { batch: 256, gpus: 2 }), box).outOfMemory);
  });

  it('has no KV cache in the recompute regime (only the weights count), and none when ignored', () => {
    const recompute = surfaceEnergy({ ...H100_DEFAULT_CALIBRATION, regime: 'recompute' }, preset('llama-3.1-8b'), { batch: 1000 });
    expect(recompute.memory?.maxPositions).toBe(Infinity);
    expect(sweetSpot(recompute, { nIn: [64, 512], nOut: [64, 512] }).outOfMemory).toBe(0);
    expect(surfaceEnergy(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'), { batch: 1000, ignoreMemory: true }).memory).toBeUndefined();
  });

  it('caps a sliding-window cache: Mistral-7B (window 4096 on every layer) fits any length at batch 8', () => {
    const mistral = preset('mistral-7b');
    const windowed = mistral.slidingWindow;
    expect(windowed).toBeTruthy();
    const energy = surfaceEnergy(H100_DEFAULT_CALIBRATION, mistral, { batch: 8 });
    // 8 · 4096 tokens · 131072 bytes = 4.3 GB beside 14.5 GB of weights: every length fits.
    expect(energy.memory?.maxPositions).toBe(Infinity);
    // At batch 200 the window's 4096 tokens no longer fit: the limit is below the window.
    const big = surfaceEnergy(H100_DEFAULT_CALIBRATION, mistral, { batch: 200 });
    const weights = big.memory!.weightBytes;
    expect(big.memory?.maxPositions).toBe(Math.floor((H100_BYTES - weights) / (200 * 131072)));
  });
});

describe('searches over a box leave out the points that do not fit, exactly as a brute-force scan', () => {
  const llama8 = preset('llama-3.1-8b');
  // Batch 1000: 487 positions fit (by hand), so the limit crosses this box diagonally.
  const batch = 1000;
  const box: TokenBox = { nIn: [200, 400], nOut: [40, 400] };
  const fits = (i: number, o: number) => fitsByHand(LLAMA8_WEIGHTS, LLAMA8_KV_PER_TOKEN, batch, i, o);
  const energies: [string, SurfaceEnergy][] = [
    ['hardware form (bisection per row)', surfaceEnergy(H100_DEFAULT_CALIBRATION, llama8, { batch })],
    // A SweetSpot calibration describes the batch it was fitted at (here 1000); with a GPU profile
    // its memory is checked as estimate checks it.
    ['SweetSpot polynomial (closed form per row)', surfaceEnergy({ ...sweetspotCalibration('llama-3.1-8b', [2e-3, 1, 3e-3, 2e-2, 10, 2000]), batch, profile: 'h100-sxm-80gb' }, llama8)],
  ];

  it.each(energies)('%s: sweet spot, worst and counts', (_name, energy) => {
    expect(energy.memory!.batch).toBe(batch);
    const fitsHere = fits;
    const here = box;
    const brute = bruteForce(energy, here, fitsHere);
    const spot = sweetSpot(energy, here);
    expect([spot.best.nIn, spot.best.nOut]).toEqual([brute.best.nIn, brute.best.nOut]);
    expect([spot.worst.nIn, spot.worst.nOut]).toEqual([brute.worst.nIn, brute.worst.nOut]);
    expect(spot.outOfMemory).toBe(brute.outOfMemory);
    expect(spot.outOfContext).toBe(brute.outOfContext);
    expect(brute.outOfMemory).toBeGreaterThan(10000);
    // The region: every point within 10% of the best, and only points that fit.
    const region = sweetRegion(energy, here, { withinPercent: 10 });
    let count = 0;
    for (let i = here.nIn[0]; i <= here.nIn[1]; i++) {
      for (let o = here.nOut[0]; o <= here.nOut[1]; o++) if (fitsHere(i, o) && cost(energy, i, o) <= brute.best.c * 1.1) count++;
    }
    expect(region.count).toBe(count);
    for (let k = 0; k < region.runs.length; k += 3) expect(fitsHere(region.runs[k], region.runs[k + 2])).toBe(true);
    const points = (here.nIn[1] - here.nIn[0] + 1) * (here.nOut[1] - here.nOut[0] + 1);
    expect(region.share).toBeCloseTo(count / (points - brute.outOfMemory), 15);
  });

  it('bestOutputFor stops at the memory limit of its row', () => {
    const energy = energies[0][1];
    // Prompt 400: 487 − 400 + 1 = 88 outputs fit.
    const p = bestOutputFor(energy, 400, [1, 4000]);
    let bestO = 0;
    let bestC = Infinity;
    for (let o = 1; o <= 88; o++) if (cost(energy, 400, o) < bestC) [bestO, bestC] = [o, cost(energy, 400, o)];
    expect(p.nOut).toBe(bestO);
    expect(() => bestOutputFor(energy, 490, [1, 10])).toThrow(/within llama-3\.1-8b's context of 131072 tokens and 80 GB of GPU memory at batch 1000/);
  });

  it('a box in which nothing fits is an error that names the memory', () => {
    expect(() => sweetSpot(energies[0][1], { nIn: [488, 600], nOut: [1, 10] })).toThrow(/no point of nIn 488\.\.600 × nOut 1\.\.10 fits .*80 GB of GPU memory at batch 1000.*ignoreMemory/);
  });
});

describe('surfaces mask the points that do not fit, apart from those beyond the context', () => {
  it('mask 2 exactly where the rule by hand fails within the context, 1 beyond the context', () => {
    // Llama-2-7B at batch 32: 3965 positions fit (by hand), below its context of 4096.
    const arch = preset('llama-2-7b');
    const weights = 2 * LLAMA2_PARAMS;
    expect(positionsByHand(weights, LLAMA2_KV_PER_TOKEN, 32)).toBe(3965);
    const energy = surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch: 32 });
    expect(energy.memory?.maxPositions).toBe(3965);
    const grid = { nIn: axisRange(3800, 4100, 20), nOut: axisRange(1, 301, 20) };
    const s = computeSurface(energy, grid, 'j-per-output-token');
    let memory = 0;
    let context = 0;
    for (let r = 0; r < grid.nIn.length; r++) {
      for (let c = 0; c < grid.nOut.length; c++) {
        const i = grid.nIn[r];
        const o = grid.nOut[c];
        const k = r * grid.nOut.length + c;
        const want = i + o - 1 > 4096 ? MASK_CONTEXT : fitsByHand(weights, LLAMA2_KV_PER_TOKEN, 32, i, o) ? 0 : MASK_MEMORY;
        expect([i, o, s.mask[k]]).toEqual([i, o, want]);
        if (want === 0) expect(s.values[k]).toBeCloseTo(cost(energy, i, o), 12);
        else expect(s.values[k]).toBeNaN();
        if (want === MASK_MEMORY) memory++;
        if (want === MASK_CONTEXT) context++;
      }
    }
    expect(memory).toBeGreaterThan(0);
    expect(context).toBeGreaterThan(0);
    expect(s.outOfMemoryCount).toBe(memory);
    expect(s.maskedCount).toBe(memory + context);
    // Reused arrays give the same mask (a reused mask is rewritten, not assumed clear).
    const again = computeSurface(energy, grid, 'j-per-output-token', { mask: new Uint8Array(s.mask.length).fill(7) });
    expect(Array.from(again.mask)).toEqual(Array.from(s.mask));
    // Extremes and regions read only what fits.
    const ext = surfaceExtremes(s)!;
    expect(ext.evaluated).toBe(s.values.length - memory - context);
    expect(fitsByHand(weights, LLAMA2_KV_PER_TOKEN, 32, ext.worst.nIn, ext.worst.nOut)).toBe(true);
    const region = surfaceRegion(s, 10);
    for (let k = 0; k < region.inside.length; k++) if (region.inside[k]) expect(s.mask[k]).toBe(0);
    // The heatmap hatches both and says which is which.
    const svg = heatmapSvg(s);
    expect(svg).toContain('url(#ss-beyond-memory)');
    expect(svg).toContain('exceeds GPU memory');
    expect(svg).toContain('beyond context');
  });

  it('ignoreMemory gives the surface and the sweet spot of before: every point of the context priced', () => {
    const arch = preset('llama-3.1-8b');
    const ignored = surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch: 128, ignoreMemory: true });
    const spot = sweetSpot(ignored, DEFAULT_BOX);
    expect(spot.outOfMemory).toBe(0);
    // docs/batching.md before the memory limit: 64 + 329 and 4096 + 64, 32.8×.
    expect([spot.best.nIn, spot.best.nOut, spot.worst.nIn, spot.worst.nOut]).toEqual([64, 329, 4096, 64]);
    expect(spot.worstOverBest.toFixed(1)).toBe('32.8');
    // The priced points are the same energies as estimate's, memory ignored.
    const e = estimate(arch, { nIn: 4096, nOut: 64, batch: 128 }, { ignoreMemory: true });
    expect(spot.worst.energyJ / e.energyPerRequestJ - 1).toBeLessThan(1e-12);
    // With the limit: the worst point that fits is the longest prompt with 64 outputs that fits (3811 − 64 + 1).
    const checked = sweetSpot(surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch: 128 }), DEFAULT_BOX);
    expect([checked.worst.nIn, checked.worst.nOut]).toEqual([3748, 64]);
    expect(checked.best).toEqual(spot.best);
    let outOfMemory = 0;
    for (let i = 64; i <= 4096; i++) outOfMemory += Math.max(0, 4096 - Math.max(63, 3811 - i + 1));
    expect(checked.outOfMemory).toBe(outOfMemory);
  });
});

describe('advice never points at a request that does not fit', () => {
  const arch = preset('llama-3.1-8b');
  const batch = 128;
  const L = positionsByHand(LLAMA8_WEIGHTS, LLAMA8_KV_PER_TOKEN, batch);
  const advisor = createAdvisor(surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch }));

  it('every option of random requests fits, by hand', () => {
    const r = rng(11);
    let asked = 0;
    for (let n = 0; n < 400; n++) {
      const nIn = int(r, 1, 4096);
      const nOut = int(r, 1, 4096);
      if (nIn + nOut - 1 > L) continue;
      asked++;
      const a = advisor.advise(nIn, nOut, { truncateInTo: int(r, 1, nIn), capOutTo: int(r, 1, nOut) });
      for (const o of [a.request, a.truncated!, a.capped!, a.nearestSweet]) {
        expect(fitsByHand(LLAMA8_WEIGHTS, LLAMA8_KV_PER_TOKEN, batch, o.nIn, o.nOut)).toBe(true);
      }
    }
    expect(asked).toBeGreaterThan(100);
  });

  it('a request that does not fit is refused with the bytes by hand', () => {
    expect(advisor.advise(L, 1).request.nIn).toBe(L);
    let err: unknown;
    try {
      advisor.advise(L, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SweetspotMemoryError);
    expect((err as SweetspotMemoryError).neededBytes).toBe(LLAMA8_WEIGHTS + batch * (L + 1) * LLAMA8_KV_PER_TOKEN);
    expect((err as SweetspotMemoryError).availableBytes).toBe(H100_BYTES);
    expect((err as Error).message).toMatch(/ignoreMemory: true/);
    // Ignoring memory, the same request is advised.
    expect(createAdvisor(surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch, ignoreMemory: true })).advise(L, 2).request.nOut).toBe(2);
  });
});
