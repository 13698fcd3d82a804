import { describe, expect, it } from 'vitest';
import { gpuKey, gpuWords, keyMatches } from '../../../src/energy/hardware/gpu-names.js';

describe('the GPU name rule', () => {
  it('splits a name into words without vendor words, reading SXM generations as sxm', () => {
    expect(gpuWords('NVIDIA A100-SXM4-40GB')).toEqual(['a100', 'sxm', '40gb']);
    expect(gpuWords('  Tesla  H100_sxm5 80GB ')).toEqual(['h100', 'sxm', '80gb']);
    expect(gpuWords('NVIDIA H100 Tensor Core GPU')).toEqual(['h100']);
  });

  it('reads family, form factor and memory, and nothing else', () => {
    expect(gpuKey(gpuWords('H100 80GB HBM3'))).toEqual({ family: 'h100', memoryGb: 80 });
    expect(gpuKey(gpuWords('A100 PCIe 40GB'))).toEqual({ family: 'a100', form: 'pcie', memoryGb: 40 });
    expect(gpuKey(gpuWords('H200'))).toEqual({ family: 'h200' });
    expect(gpuKey(gpuWords('H100 SXM turbo'))).toBeUndefined();
    expect(gpuKey(gpuWords('H100 80GB 40GB'))).toBeUndefined();
    expect(gpuKey([])).toBeUndefined();
  });

  it('matches a profile on every part the name gives', () => {
    const a100 = { family: 'a100', form: 'sxm', memoryGb: 40 } as const;
    expect(keyMatches(a100, { family: 'a100' })).toBe(true);
    expect(keyMatches(a100, { family: 'a100', form: 'pcie' })).toBe(false);
    expect(keyMatches(a100, { family: 'a100', memoryGb: 80 })).toBe(false);
    expect(keyMatches(a100, { family: 'h100' })).toBe(false);
  });
});
