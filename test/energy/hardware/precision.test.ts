import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION, defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { peakFlopsOf } from '../../../src/energy/forms/hardware.js';
import { precisionFor } from '../../../src/energy/hardware/precision.js';
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
