import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { checkTensorParallel, isTensorParallelDegree, nextTensorParallelDegree, tensorParallelDegrees } from '../../../src/energy/hardware/tensor-parallel.js';
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
});
