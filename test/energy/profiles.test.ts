import { describe, expect, it } from 'vitest';
import { HardwareProfileSchema } from '../../src/energy/profile.js';
import { HARDWARE_PROFILES, resolveProfile } from '../../src/energy/profiles.js';
import { SweetspotInputError } from '../../src/errors.js';

describe('hardware profiles', () => {
  it('are valid, unfitted, sourced data', () => {
    for (const p of HARDWARE_PROFILES) {
      expect(HardwareProfileSchema.safeParse(p).success).toBe(true);
      expect(p.fitted).toBe(false);
      expect(p.sources.length).toBeGreaterThan(0);
      expect(p.idlePowerW).toBeLessThan(p.tdpW);
    }
    expect(new Set(HARDWARE_PROFILES.map((p) => p.id)).size).toBe(HARDWARE_PROFILES.length);
  });

  it('carry the datasheet figures', () => {
    const h100 = resolveProfile('h100-sxm-80gb');
    expect(h100.peakFlops.bf16).toBe(989.4e12);
    expect(h100.memoryBandwidthBytesPerS).toBe(3.35e12);
    expect(h100.tdpW).toBe(700);
    // Dense tensor-core rates: TF32 half of BF16, FP8 twice BF16 on Hopper (to the whitepaper's rounding).
    expect(Math.abs((h100.peakFlops.tf32 * 2) / h100.peakFlops.bf16 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(h100.peakFlops.fp8 / 2 / h100.peakFlops.bf16 - 1)).toBeLessThan(1e-3);
    const a100 = resolveProfile('a100-sxm4-40gb');
    expect([a100.peakFlops.bf16, a100.memoryBandwidthBytesPerS, a100.tdpW]).toEqual([312e12, 1555e9, 400]);
    expect(a100.peakFlops.fp8).toBeUndefined();
    expect(resolveProfile('a100-pcie-40gb').tdpW).toBe(250);
    expect(resolveProfile('a100-sxm4-80gb').memoryBandwidthBytesPerS).toBe(2039e9);
    expect(resolveProfile('h100-pcie-80gb').memoryBandwidthBytesPerS).toBe(2e12);
    expect(resolveProfile('h200-sxm-141gb').memoryBandwidthBytesPerS).toBe(4.8e12);
  });

  it.each([
    ['NVIDIA A100-SXM4-40GB', 'a100-sxm4-40gb'],
    ['A100-SXM4-40GB', 'a100-sxm4-40gb'],
    ['NVIDIA A100-PCIE-40GB', 'a100-pcie-40gb'],
    ['NVIDIA A100-SXM4-80GB', 'a100-sxm4-80gb'],
    ['NVIDIA H100 80GB HBM3', 'h100-sxm-80gb'],
    ['H100 80GB HBM3', 'h100-sxm-80gb'],
    ['  nvidia h100 80gb hbm3 ', 'h100-sxm-80gb'],
    ['NVIDIA H100 PCIe', 'h100-pcie-80gb'],
    ['NVIDIA H200', 'h200-sxm-141gb'],
    ['NVIDIA H100', 'h100-sxm-80gb'],
    ['A100 40GB (ANL Swing; NVML mem 40960 MB; observed power up to ~420 W -> SXM4 400 W class)', 'a100-sxm4-40gb'],
    ['A100 40GB (Clemson Palmetto; NVML mem 40960 MB; observed power <= ~258 W -> likely PCIe 250 W variant)', 'a100-pcie-40gb'],
  ])('resolves %s', (name, id) => {
    expect(resolveProfile(name).id).toBe(id);
  });

  it('refuses an unknown or ambiguous GPU, listing the known ones', () => {
    expect(() => resolveProfile('Tesla V100-SXM2-16GB')).toThrow(SweetspotInputError);
    expect(() => resolveProfile('Tesla V100-SXM2-16GB')).toThrow(/unknown GPU 'Tesla V100-SXM2-16GB'.*a100-sxm4-40gb.*h100-sxm-80gb.*h200-sxm-141gb/);
    // 'NVIDIA A100' does not say 40/80 GB or SXM/PCIe: not guessed.
    expect(() => resolveProfile('NVIDIA A100')).toThrow(/unknown GPU/);
  });
});
