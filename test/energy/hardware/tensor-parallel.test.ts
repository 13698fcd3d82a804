import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { checkTensorParallel, gpusToFit, isTensorParallelDegree, kvCacheCopies, nextTensorParallelDegree, tensorParallelDegrees } from '../../../src/energy/hardware/tensor-parallel.js';
import { estimate } from '../../../src/energy/predict/estimate.js';
import { createEstimator } from '../../../src/energy/predict/estimator.js';
import { energyModel, energyModelOnGpus, predictEnergy } from '../../../src/energy/predict/predict.js';
import { evaluate } from '../../../src/fit/evaluate/evaluate.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../../src/errors.js';
import { onGpus, surfaceEnergy, surfaceEnergyFromModel, surfaceMemoryLimit } from '../../../src/surface/energy/from-model.js';
import { createAdvisor } from '../../../src/surface/search/advice.js';

const seventy = preset('llama-3.1-70b');

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('tensor-parallel GPU counts (docs/energy-models.md#memory)', () => {
  it('are the counts that divide the query heads and divide, or are a multiple of, the KV heads', () => {
    // By hand, from the head counts of each preset (query heads / KV heads):
    expect(tensorParallelDegrees(seventy)).toEqual([1, 2, 4, 8, 16, 32, 64]); // 64 / 8
    expect(tensorParallelDegrees(preset('llama-2-7b'))).toEqual([1, 2, 4, 8, 16, 32]); // 32 / 32
    expect(tensorParallelDegrees(preset('qwen2-7b'))).toEqual([1, 2, 4, 28]); // 28 / 4: 7 and 14 divide 28 but neither divides nor is a multiple of 4
    expect(tensorParallelDegrees(preset('qwen2.5-14b'))).toEqual([1, 2, 4, 8, 40]); // 40 / 8: 5, 10 and 20 are out
    expect(tensorParallelDegrees(preset('falcon-7b'))).toEqual([1, 71]); // 71 / 1
    expect(tensorParallelDegrees(preset('gemma-2b'))).toEqual([1, 2, 4, 8]); // 8 / 1: one KV head copied to each GPU
    expect([3, 4, 6, 12].map((g) => isTensorParallelDegree(seventy, g))).toEqual([false, true, false, false]);
    expect(nextTensorParallelDegree(seventy, 3)).toBe(4);
    expect(nextTensorParallelDegree(seventy, 65)).toBeUndefined();
    expect(nextTensorParallelDegree(preset('qwen2-7b'), 5)).toBe(28);
  });

  it('refuse another count naming the argument, the head counts and the counts allowed', () => {
    expect(messageOf(() => checkTensorParallel('estimate({ gpus })', seventy, 3))).toBe(
      'estimate({ gpus }): llama-3.1-70b does not split over 3 GPUs tensor parallel: its 64 attention heads and 8 KV heads allow 1, 2, 4, 8, … (each GPU takes whole heads)',
    );
    // Beyond 8: up to the first count above the one given.
    expect(messageOf(() => checkTensorParallel('x', seventy, 12))).toContain('allow 1, 2, 4, 8, 16, … (each');
    expect(messageOf(() => checkTensorParallel('x', preset('falcon-7b'), 2))).toContain('its 71 attention heads and 1 KV head allow 1, 71 (each');
    expect(messageOf(() => checkTensorParallel('x', preset('llama-2-7b'), 3))).toContain('its 32 attention heads (as many KV heads) allow 1, 2, 4, 8, … (each');
    expect(checkTensorParallel('x', seventy, 8)).toBe(8);
    expect(() => tensorParallelDegrees({ numHeads: 0, numKvHeads: 1 })).toThrow(SweetspotInputError);
    expect(() => checkTensorParallel('x', seventy, 2.5)).toThrow(/^x: expected an integer GPU count ≥ 1/);
  });

  it('are checked wherever gpus enters a prediction, and not for measured rows (they ran)', () => {
    const q = { nIn: 1024, nOut: 256 };
    expect(() => estimate('llama-3.1-70b', q, { gpus: 3 })).toThrow(/^estimate\(\{ gpus \}\): llama-3.1-70b does not split over 3 GPUs/);
    expect(() => createEstimator('llama-3.1-70b', { gpus: 3 })).toThrow(/^createEstimator\(\{ gpus \}\): llama-3.1-70b does not split over 3 GPUs/);
    expect(() => predictEnergy(H100_DEFAULT_CALIBRATION, seventy, { ...q, gpus: 6 })).toThrow(/^predictEnergy\(\{ gpus \}\): llama-3.1-70b does not split over 6 GPUs/);
    const model = energyModel(H100_DEFAULT_CALIBRATION, seventy);
    expect(() => energyModelOnGpus(model, 3)).toThrow(/^energyModelOnGpus\(gpus\): llama-3.1-70b does not split over 3 GPUs/);
    expect(() => onGpus(model, 3, 'surfaceEnergy')).toThrow(/^surfaceEnergy\(\{ gpus \}\): llama-3.1-70b does not split over 3 GPUs/);
    expect(() => surfaceEnergy(H100_DEFAULT_CALIBRATION, seventy, { gpus: 3 })).toThrow(/^surfaceEnergy\(\{ gpus \}\): llama-3.1-70b does not split over 3 GPUs/);
    expect(() => surfaceMemoryLimit(model, { gpus: 3 })).toThrow(/^surfaceMemoryLimit\(\{ gpus \}\): llama-3.1-70b does not split over 3 GPUs/);
    expect(() => surfaceEnergyFromModel(model, {}, { gpus: 3 })).toThrow(/\(\{ gpus \}\): llama-3.1-70b does not split over 3 GPUs/);
    expect(estimate('llama-3.1-70b', q, { gpus: 4 }).energyJ).toBeGreaterThan(0);
    // A measured row on 3 GPUs is priced as any row on 3 GPUs: E(3) = E(1) + 2·eStep·(decodeSteps + 1)
    // (docs/energy-models.md#memory), whatever split its engine used.
    const ev = evaluate(H100_DEFAULT_CALIBRATION, [{ model: 'llama-3.1-70b', gpu: '3x NVIDIA H100 SXM5 80GB', nIn: 1024, nOut: 256, batchSize: 1, energyJ: 9000 }], { baselines: [] });
    const eStep = H100_DEFAULT_CALIBRATION.params.eStep.value;
    const one = estimate('llama-3.1-70b', q, { ignoreMemory: true }).energyJ;
    expect(ev.predictedJ[0]).toBeCloseTo(one + 2 * eStep * 256, 6);
  });

  it('are the only counts a memory refusal suggests', () => {
    // Llama-3.1-70B at 1024 + 256, batch 64: 141.1 GB of weights + 64 · 1279 · 327,680 bytes of KV
    // cache = 167.9 GB: 3 H100s would hold it, but 64 heads do not split over 3: 4 is suggested.
    const refused = messageOf(() => estimate('llama-3.1-70b', { nIn: 1024, nOut: 256, batch: 64 }, { gpus: 2 }));
    expect(refused).toContain('needs 167.9 GB');
    expect(refused).toContain('give { gpus: 4 } (tensor parallel)');
    // The advisor: 141.1 + 64 · 4095 · 327,680 bytes = 227.0 GB, 3 H100s again: 4.
    const advisor = createAdvisor(surfaceEnergy(H100_DEFAULT_CALIBRATION, seventy, { batch: 64, gpus: 2 }));
    const advice = messageOf(() => advisor.advise(4000, 96));
    expect(advice).toContain('needs 227.0 GB');
    expect(advice).toContain('give { gpus: 4 }, a smaller batch');
    // No count the model splits over would do: Qwen2.5-0.5B's 14 heads (2 KV heads) allow at most
    // 14 GPUs; 1611.6 GB on 16 GB T4s needs 101.
    let caught: unknown;
    try {
      estimate('qwen2.5-0.5b', { nIn: 30000, nOut: 2000, batch: 4096 }, { onGpu: 'T4' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SweetspotMemoryError);
    expect((caught as Error).message).toContain('101 or more GPUs would be needed, more than qwen2.5-0.5b splits over (its 14 attention heads and 2 KV heads allow at most 14): use a smaller batch or shorter lengths');
    expect((caught as Error).message).not.toMatch(/gpus: \d/);
  });

  it('count each KV head once per GPU that holds it: beyond as many GPUs as KV heads, the cache is copied', () => {
    expect([1, 4, 8, 16, 32, 64].map((g) => kvCacheCopies(seventy, g))).toEqual([1, 1, 1, 2, 4, 8]); // 8 KV heads
    expect([1, 2, 8].map((g) => kvCacheCopies(preset('gemma-2b'), g))).toEqual([1, 2, 8]); // one KV head
    expect(kvCacheCopies(seventy, 3)).toBe(1); // not a split: a measured call run otherwise
    expect(() => kvCacheCopies(seventy, 0)).toThrow(/^kvCacheCopies\(gpus\): expected an integer GPU count ≥ 1, got /);
    expect(() => kvCacheCopies(undefined as never, 2)).toThrow(SweetspotInputError);
    expect(() => gpusToFit(seventy, NaN, 0, 80e9)).toThrow(/^gpusToFit\(weightBytes\): expected a finite number ≥ 0/);
    expect(gpusToFit(seventy, 141.1e9, 0.4e9, 80e9)).toBe(2);
    // Llama-3.1-70B, batch 576 at 2048 + 1024 (3071 positions): by hand, weights 70,553,706,496 · 2
    // bytes, KV cache 576 · 3071 · 327,680 bytes (80 layers · 8 KV heads · 128 · 2 · 2 bytes per token)
    // = 579.6 GB. On 16 H100s each of the 8 KV heads is on 2 GPUs: 141.1 + 2 · 579.6 = 1300.4 GB
    // > 1280 GB (per GPU 8.8 + 72.5 = 81.3 GB > 80). On 32 GPUs: 141.1 + 4 · 579.6 = 2459.6 ≤ 2560.
    const W = 70_553_706_496 * 2;
    const kv = 576 * 3071 * 327_680;
    const q = { nIn: 2048, nOut: 1024, batch: 576 };
    const on16 = messageOf(() => estimate('llama-3.1-70b', q, { gpus: 16 }));
    expect(on16).toContain(`needs ${((W + 2 * kv) / 1e9).toFixed(1)} GB`);
    expect(on16).toContain('each of its 8 KV heads held on 2 GPUs');
    expect(on16).toContain('give { gpus: 32 } (tensor parallel)');
    // From 8 GPUs, 16 would not hold it either: 32 is the count suggested.
    expect(messageOf(() => estimate('llama-3.1-70b', q, { gpus: 8 }))).toContain('give { gpus: 32 } (tensor parallel)');
    expect(estimate('llama-3.1-70b', q, { gpus: 32 }).memoryBytes).toBe(W + 4 * kv);
    expect(estimate('llama-3.1-70b', q, { gpus: 16, waves: true }).waves).toBe(2);
    // Surfaces: the longest sequence that fits on 16 GPUs counts both copies.
    const model = energyModel(H100_DEFAULT_CALIBRATION, seventy, { batch: 576 });
    expect(surfaceMemoryLimit(model, { gpus: 16 })?.maxPositions).toBe(Math.floor((16 * 80e9 - W) / (2 * 576 * 327_680)));
    const advice = messageOf(() => createAdvisor(surfaceEnergy(H100_DEFAULT_CALIBRATION, seventy, { batch: 576, gpus: 16 })).advise(2048, 1024));
    expect(advice).toContain('give { gpus: 32 }, a smaller batch');
    // Each GPU holds a whole KV head's cache however many there are: no count holds 1024 sequences.
    const none = messageOf(() => estimate('llama-3.1-70b', { ...q, batch: 1024 }, { gpus: 16 }));
    expect(none).toContain(`no GPU count llama-3.1-70b splits over holds it (beyond its 8 KV heads each GPU holds a whole head's cache, ${((1024 * 3071 * 327_680) / 8 / 1e9).toFixed(1)} GB)`);
  });
});
