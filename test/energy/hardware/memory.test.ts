import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { hardwareFormBase } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { checkGpus, checkMemory, checkWeightsFit, tensorParallelTheta, weightMemoryBytes } from '../../../src/energy/hardware/memory.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { SweetspotMemoryError } from '../../../src/errors.js';
import { MAX_GPUS } from '../../../src/energy/limits.js';

const h100 = resolveProfile('h100-sxm-80gb');
const a100 = resolveProfile('a100-sxm4-40gb');

describe('memory', () => {
  it('counts every unique parameter at the given bytes (Llama-2-7B: 6,738,415,616 parameters)', () => {
    expect(weightMemoryBytes(preset('llama-2-7b'), 2)).toBe(2 * 6_738_415_616);
    expect(weightMemoryBytes(preset('llama-2-7b'), 0.5)).toBe(0.5 * 6_738_415_616);
  });

  it('refuses what exceeds the GPUs, with both figures, and accepts what fits', () => {
    const r = { nIn: 10, nOut: 10, batch: 2, weightBytesPerParam: 2, kvBytesPerElement: 2 };
    expect(() => checkMemory('f', preset('llama-2-7b'), 39e9, 1e9, 1, a100, r)).not.toThrow();
    let e: SweetspotMemoryError | undefined;
    try {
      checkMemory('f', preset('llama-2-7b'), 39e9, 2e9, 1, a100, r);
    } catch (error) {
      e = error as SweetspotMemoryError;
    }
    expect([e?.neededBytes, e?.availableBytes, e?.gpus]).toEqual([41e9, 40e9, 1]);
    expect(e?.message).toMatch(/^f: llama-2-7b at nIn=10, nOut=10, batch=2 needs 41\.0 GB .* more than the 40\.0 GB of one NVIDIA A100 SXM4 40GB; give \{ gpus: 2 \}.*ignoreMemory/);
    expect(() => checkMemory('f', preset('llama-2-7b'), 39e9, 2e9, 2, a100, r)).not.toThrow();
  });

  it('checks only the weights for surfaces, and only with a profile', () => {
    const big = { ...preset('llama-2-13b') };
    expect(() => checkWeightsFit('s', big, 2, 1, h100)).not.toThrow();
    expect(() => checkWeightsFit('s', big, 4, 1, a100)).toThrow(/^s: llama-2-13b needs \d+\.\d GB for its weights alone \(at 4 bytes\/parameter\)/);
    expect(() => checkWeightsFit('s', big, 4, 1, undefined)).not.toThrow();
  });

  it('multiplies the hardware form\'s per-step energy by the GPU count, and leaves other forms alone', () => {
    const theta = Float64Array.of(1, 2, 3, 4, 5, 0.1);
    expect(Array.from(tensorParallelTheta(hardwareFormBase, theta, 4))).toEqual([1, 2, 3, 4, 5, 0.4]);
    expect(tensorParallelTheta(hardwareFormBase, theta, 1)).toBe(theta);
    expect(tensorParallelTheta(sweetspotForm, theta, 4)).toBe(theta);
    expect(Array.from(theta)).toEqual([1, 2, 3, 4, 5, 0.1]);
  });

  it('wants a whole number of GPUs', () => {
    expect(checkGpus(3, 'x')).toBe(3);
    for (const bad of [0, -1, 1.5, NaN, Infinity, MAX_GPUS + 1, 1e6]) expect(() => checkGpus(bad, 'x({ gpus })')).toThrow(/^x\(\{ gpus \}\): must be an integer in 1\.\.4096/);
    expect(checkGpus(MAX_GPUS, 'x')).toBe(MAX_GPUS);
  });
});
