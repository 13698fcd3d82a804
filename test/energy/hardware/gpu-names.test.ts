import { describe, expect, it } from 'vitest';
import { gpuKey, gpuWords, keyMatches } from '../../../src/energy/hardware/gpu-names.js';

describe('the GPU name rule', () => {
  it('splits a name into words without vendor words, reading SXM generations as sxm', () => {
    expect(gpuWords('NVIDIA A100-SXM4-40GB')).toEqual(['a100', 'sxm', '40gb']);
    expect(gpuWords('  Tesla  H100_sxm5 80GB ')).toEqual(['h100', 'sxm', '80gb']);
    expect(gpuWords('NVIDIA H100 Tensor Core GPU')).toEqual(['h100']);
  });

  it('reads an RTX model as one word, with Ada joined and GeForce and Generation dropped', () => {
    expect(gpuWords('NVIDIA GeForce RTX 4090')).toEqual(['rtx4090']);
    expect(gpuWords('NVIDIA RTX A6000')).toEqual(['rtxa6000']);
    expect(gpuWords('NVIDIA RTX 6000 Ada Generation')).toEqual(['rtx6000ada']);
    expect(gpuWords('rtx-4090_24GB')).toEqual(['rtx4090', '24gb']);
    // A trailing RTX or a leading Ada stays as it is: no word to join.
    expect(gpuWords('Ada RTX')).toEqual(['ada', 'rtx']);
  });

  it('reads family, form factor and memory, and nothing else', () => {
    expect(gpuKey(gpuWords('H100 80GB HBM3'))).toEqual({ family: 'h100', memoryGb: 80 });
    expect(gpuKey(gpuWords('A100 PCIe 40GB'))).toEqual({ family: 'a100', form: 'pcie', memoryGb: 40 });
    expect(gpuKey(gpuWords('H200'))).toEqual({ family: 'h200' });
    expect(gpuKey(gpuWords('H100 SXM turbo'))).toBeUndefined();
    expect(gpuKey(gpuWords('H100 80GB 40GB'))).toBeUndefined();
    expect(gpuKey([])).toBeUndefined();
    // One-digit families, NVL, memories printed without the B, RTX models.
    expect(gpuKey(gpuWords('Tesla T4'))).toEqual({ family: 't4' });
    expect(gpuKey(gpuWords('NVIDIA H100 NVL'))).toEqual({ family: 'h100', form: 'nvl' });
    expect(gpuKey(gpuWords('NVIDIA GH200 144G HBM3e'))).toEqual({ family: 'gh200', memoryGb: 144 });
    expect(gpuKey(gpuWords('Tesla V100-SXM2-32GB'))).toEqual({ family: 'v100', form: 'sxm', memoryGb: 32 });
    expect(gpuKey(gpuWords('RTX 6000 Ada 48GB'))).toEqual({ family: 'rtx6000ada', memoryGb: 48 });
    expect(gpuKey(gpuWords('Quadro RTX 6000'))).toBeUndefined();
    expect(gpuKey(gpuWords('RTX 4090 D'))).toBeUndefined();
  });

  it('matches a profile on every part the name gives', () => {
    const a100 = { family: 'a100', form: 'sxm', memoryGb: 40 } as const;
    expect(keyMatches(a100, { family: 'a100' })).toBe(true);
    expect(keyMatches(a100, { family: 'a100', form: 'pcie' })).toBe(false);
    expect(keyMatches(a100, { family: 'a100', memoryGb: 80 })).toBe(false);
    expect(keyMatches(a100, { family: 'h100' })).toBe(false);
  });
});
