import { describe, expect, it } from 'vitest';
import type { HardwareProfile } from '../../../src/energy/hardware/profile.js';
import { HardwareProfileSchema } from '../../../src/energy/schemas.js';
import { HARDWARE_PROFILES, resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { SweetspotInputError } from '../../../src/errors.js';

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

  // Transcribed from the NVIDIA datasheets (A100: nvidia-a100-datasheet r4; H100: h100 datasheet; H200:
  // h200 datasheet). The Hopper datasheets print tensor rates WITH sparsity: halved here. Within 1%,
  // the datasheets' own rounding (67 vs 66.9 TFLOPS); a sparse figure or a typo is off by far more.
  const SPARSE = 0.5;
  const A100_COMPUTE = { fp32: 19.5, tf32: 156, bf16: 312, fp16: 312, int8: 624 };
  const H100_SXM_COMPUTE = { fp32: 67, tf32: 989 * SPARSE, bf16: 1979 * SPARSE, fp16: 1979 * SPARSE, fp8: 3958 * SPARSE, int8: 3958 * SPARSE };
  it.each([
    ['a100-sxm4-40gb', A100_COMPUTE, 1555, 40, 400],
    ['a100-pcie-40gb', A100_COMPUTE, 1555, 40, 250],
    ['a100-sxm4-80gb', A100_COMPUTE, 2039, 80, 400],
    ['h100-sxm-80gb', H100_SXM_COMPUTE, 3350, 80, 700],
    ['h100-pcie-80gb', { fp32: 51, tf32: 756 * SPARSE, bf16: 1513 * SPARSE, fp16: 1513 * SPARSE, fp8: 3026 * SPARSE, int8: 3026 * SPARSE }, 2000, 80, 350],
    ['h200-sxm-141gb', H100_SXM_COMPUTE, 4800, 141, 700],
  ] as const)('%s carries its datasheet figures (dense TFLOPS, GB/s, GB, W)', (id, teraflops, gbPerS, gb, tdpW) => {
    const p = resolveProfile(id);
    expect(Object.keys(p.peakFlops).sort()).toEqual(Object.keys(teraflops).sort());
    for (const [precision, tf] of Object.entries(teraflops)) {
      expect([precision, Math.abs(p.peakFlops[precision] / (tf * 1e12) - 1) < 0.01]).toEqual([precision, true]);
    }
    expect(p.memoryBandwidthBytesPerS).toBe(gbPerS * 1e9);
    expect(p.memoryBytes).toBe(gb * 1e9);
    expect(p.tdpW).toBe(tdpW);
    expect(p.idlePowerW).toBeGreaterThan(0);
    expect(p.idlePowerW).toBeLessThan(0.25 * tdpW);
  });

  it('are frozen through and through: no caller can change a datasheet figure for the others', () => {
    const h100 = resolveProfile('h100-sxm-80gb');
    expect(() => {
      (h100.peakFlops as Record<string, number>).bf16 = 1;
    }).toThrow(TypeError);
    expect(() => {
      (h100 as { tdpW: number }).tdpW = 1;
    }).toThrow(TypeError);
    expect(() => (h100.aliases as string[]).push('my GPU')).toThrow(TypeError);
    expect(() => (HARDWARE_PROFILES as HardwareProfile[]).pop()).toThrow(TypeError);
    expect(HARDWARE_PROFILES).toHaveLength(6);
    expect(resolveProfile('h100-sxm-80gb').peakFlops.bf16).toBe(989.4e12);
    expect(() => resolveProfile('my GPU')).toThrow(/unknown GPU/);
  });

  it('maps every name to one profile only (no alias shadows another profile)', () => {
    const owner = new Map<string, string>();
    const norm = (name: string) => name.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
    for (const p of HARDWARE_PROFILES) {
      for (const name of [p.id, p.name, ...p.aliases]) {
        const before = owner.get(norm(name));
        expect([name, before ?? p.id]).toEqual([name, p.id]);
        owner.set(norm(name), p.id);
        expect(resolveProfile(name).id).toBe(p.id);
      }
    }
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
    // 'NVIDIA A100' does not say 40/80 GB or SXM/PCIe: not guessed, the candidates are listed.
    expect(() => resolveProfile('NVIDIA A100')).toThrow(/GPU 'NVIDIA A100' matches 3 profiles \(a100-sxm4-40gb: .*; a100-pcie-40gb: .*; a100-sxm4-80gb: .*\); name the form factor and memory/);
    expect(() => resolveProfile('A100 SXM')).toThrow(/matches 2 profiles \(a100-sxm4-40gb: .*; a100-sxm4-80gb/);
    expect(() => resolveProfile('H100 96GB')).toThrow(/unknown GPU 'H100 96GB'/);
    expect(() => resolveProfile('H100 SXM turbo')).toThrow(/unknown GPU/);
  });

  // One rule for every profile: each is named the ways tools and people write GPUs, built here from
  // its datasheet parts (family, form factor, memory), not from its alias list.
  const PARTS: Record<string, { family: string; form: 'SXM' | 'PCIe'; generation: string; gb: number }> = {
    'a100-sxm4-40gb': { family: 'A100', form: 'SXM', generation: '4', gb: 40 },
    'a100-pcie-40gb': { family: 'A100', form: 'PCIe', generation: '', gb: 40 },
    'a100-sxm4-80gb': { family: 'A100', form: 'SXM', generation: '4', gb: 80 },
    'h100-sxm-80gb': { family: 'H100', form: 'SXM', generation: '5', gb: 80 },
    'h100-pcie-80gb': { family: 'H100', form: 'PCIe', generation: '', gb: 80 },
    'h200-sxm-141gb': { family: 'H200', form: 'SXM', generation: '', gb: 141 },
  };
  it('has the parts of every profile listed here', () => {
    expect(Object.keys(PARTS).sort()).toEqual(HARDWARE_PROFILES.map((p) => p.id).sort());
  });
  it.each(HARDWARE_PROFILES.map((p) => [p.id]))('resolves %s by every way of writing it', (id) => {
    const p = resolveProfile(id);
    const { family, form, generation, gb } = PARTS[id];
    const siblings = HARDWARE_PROFILES.filter((q) => PARTS[q.id].family === family);
    const names = [
      p.id,
      p.name,
      ...p.aliases,
      `${family} ${form} ${gb}GB`,
      `NVIDIA ${family} ${form} ${gb}GB`,
      `${family}-${form.toUpperCase()}${generation}-${gb}GB`,
      `NVIDIA ${family}-${form.toUpperCase()}${generation}-${gb}GB`,
      `nvidia_${family.toLowerCase()}_${form.toLowerCase()}_${gb}gb`,
      `Tesla ${family} ${form}${generation} ${gb} GB`.replace(' GB', 'GB'),
      `${family} ${gb}GB ${form}`,
    ];
    // Shorter names resolve when they leave no doubt among the profiles of the family.
    if (siblings.filter((q) => PARTS[q.id].form === form).length === 1) names.push(`${family} ${form}`, `NVIDIA ${family} ${form}`);
    if (siblings.filter((q) => PARTS[q.id].gb === gb).length === 1) names.push(`${family} ${gb}GB`);
    if (siblings.length === 1) names.push(family, `NVIDIA ${family}`);
    for (const name of names) expect([name, resolveProfile(name).id]).toEqual([name, id]);
  });
});
