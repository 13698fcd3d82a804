import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION, defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { peakFlopsOf } from '../../../src/energy/forms/hardware.js';
import { peakFlopsAt, precisionFor } from '../../../src/energy/hardware/precision.js';
import { hardwarePhysics } from '../../../src/energy/hardware/physics.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { hardwarePrior, sweetspotPrior } from '../../../src/fit/solve/physics-prior.js';
import { energyModel } from '../../../src/energy/predict/predict.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';

describe('precisionFor', () => {
  const h100 = resolveProfile('h100-sxm-80gb');
  const a100 = resolveProfile('a100-sxm4-40gb');

  it('maps bytes per weight to the peakFlops key the matmuls run in', () => {
    expect(precisionFor(2, h100)).toBe('bf16');
    expect(precisionFor(4, h100)).toBe('fp32');
    expect(precisionFor(1, h100)).toBe('fp8');
    // Ampere has no FP8 tensor cores: 8-bit weights run as INT8.
    expect(precisionFor(1, a100)).toBe('int8');
    // 4-bit weight-only formats dequantise to 16-bit before the matmul.
    expect(precisionFor(0.5, h100)).toBe('bf16');
    expect(precisionFor(1)).toBe('fp8');
  });

  it('is what a hardware calibration computes with: 8-bit weights double the H100 peak, and the A100 uses INT8', () => {
    const fp8 = energyModel({ ...defaultCalibration(), weightBytes: 1 }, preset('llama-3-8b'));
    expect(fp8.context.precision).toBe('fp8');
    expect(peakFlopsOf(fp8.context)).toBe(1978.9e12);
    expect(peakFlopsOf(energyModel(H100_DEFAULT_CALIBRATION, preset('llama-3-8b')).context)).toBe(989.4e12);
    const onA100 = energyModel({ ...defaultCalibration(), weightBytes: 1, profile: 'a100-sxm4-40gb' }, preset('llama-3-8b'));
    expect([onA100.context.precision, peakFlopsOf(onA100.context)]).toEqual(['int8', 624e12]);
  });
});

describe('precisions a GPU lacks', () => {
  const t4 = resolveProfile('Tesla T4');
  const v100 = resolveProfile('Tesla V100-SXM2-32GB');
  const l4 = resolveProfile('NVIDIA L4');

  it('are absent from its profile: no BF16 or TF32 before Ampere, no FP8 before Ada and Hopper', () => {
    for (const gpu of [t4, v100, resolveProfile('Tesla V100-PCIE-16GB')]) {
      expect([gpu.id, 'bf16' in gpu.peakFlops, 'tf32' in gpu.peakFlops, 'fp8' in gpu.peakFlops]).toEqual([gpu.id, false, false, false]);
    }
    for (const id of ['a100-pcie-80gb', 'a10-24gb', 'a10g-24gb', 'a40-48gb', 'rtx-a6000-48gb', 'rtx-3090-24gb']) {
      expect([id, 'fp8' in resolveProfile(id).peakFlops, 'bf16' in resolveProfile(id).peakFlops]).toEqual([id, false, true]);
    }
    for (const id of ['l4-24gb', 'l40s-48gb', 'l40-48gb', 'rtx-4090-24gb', 'rtx-6000-ada-48gb', 'h100-nvl-94gb', 'gh200-96gb', 'b200-180gb']) {
      expect([id, 'fp8' in resolveProfile(id).peakFlops]).toEqual([id, true]);
    }
  });

  it('are not picked: 16-bit models run in FP16 without BF16, 8-bit ones in INT8 without FP8', () => {
    expect(precisionFor(2, t4)).toBe('fp16');
    expect(precisionFor(2, v100)).toBe('fp16');
    expect(precisionFor(0.5, v100)).toBe('fp16');
    expect(precisionFor(1, t4)).toBe('int8');
    expect(precisionFor(1, l4)).toBe('fp8');
    expect(precisionFor(2, l4)).toBe('bf16');
    // The V100 has neither: the key is still 'int8', which peakFlopsAt refuses by name.
    expect(precisionFor(1, v100)).toBe('int8');
  });

  it('are refused by name, with what the GPU has, never computed with another peak or NaN', () => {
    expect(peakFlopsAt(t4, 'fp16')).toBe(65e12);
    expect(() => peakFlopsAt(t4, 'bf16')).toThrow(SweetspotInputError);
    expect(() => peakFlopsAt(t4, 'bf16')).toThrow(/GPU NVIDIA Tesla T4 16GB \(profile 't4-16gb'\) has no peak FLOP\/s for precision 'bf16' \(it has fp32, fp16, int8\); it has no BF16 tensor cores: 16-bit models run in 'fp16' there/);
    expect(() => peakFlopsAt(v100, 'int8')).toThrow(/'v100-sxm2-32gb'.*precision 'int8' \(it has fp32, fp16\); it has neither FP8 nor INT8 tensor cores/);
    expect(() => peakFlopsAt(resolveProfile('a100-sxm4-40gb'), 'fp8')).toThrow(/precision 'fp8'.*no FP8 tensor cores: 8-bit weights run in 'int8' there/);
    expect(() => peakFlopsAt(t4, 'toString')).toThrow(/precision 'toString'/);
    expect(() => peakFlopsOf({ profile: t4, precision: 'bf16' })).toThrow(/'t4-16gb'.*'bf16'/);
    expect(peakFlopsOf({ profile: t4 })).toBe(65e12);
  });

  it('stop a hardware calibration for that GPU when it is loaded, not at the first request', () => {
    const onT4 = energyModel({ ...defaultCalibration(), profile: 't4-16gb', gpu: 'Tesla T4' }, preset('llama-3-8b'));
    expect([onT4.context.precision, peakFlopsOf(onT4.context)]).toEqual(['fp16', 65e12]);
    expect(() => energyModel({ ...defaultCalibration(), weightBytes: 1, profile: 'v100-sxm2-32gb', gpu: 'Tesla V100-SXM2-32GB' }, preset('llama-3-8b'))).toThrow(
      /GPU NVIDIA Tesla V100 SXM2 32GB \(profile 'v100-sxm2-32gb'\) has no peak FLOP\/s for precision 'int8'/,
    );
  });

  it('stop the physics prior by name (its eFlop would otherwise come from another precision)', () => {
    expect(hardwarePhysics(v100).eFlop).toBeCloseTo((300 * (1 - 200 / 700)) / (0.6 * 125e12), 25);
    expect(() => hardwarePhysics(v100, 'bf16')).toThrow(SweetspotInputError);
    expect(() => hardwarePrior(t4, 'fp8')).toThrow(/'t4-16gb'.*'fp8'/);
    expect(() => sweetspotPrior(preset('llama-2-7b'), v100, { weightBytes: 1 })).toThrow(/'v100-sxm2-32gb'.*'int8'/);
  });
});
