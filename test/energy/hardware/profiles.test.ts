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
      expect(p.idlePowerW).toBeGreaterThan(0);
      // Idle is a large share only of the smallest cards (L4, T4: ~30 W of 70 W).
      expect(p.idlePowerW).toBeLessThan(0.5 * p.tdpW);
      expect(p.notes).toMatch(/not a datasheet figure/);
    }
    expect(new Set(HARDWARE_PROFILES.map((p) => p.id)).size).toBe(HARDWARE_PROFILES.length);
  });

  it('name their memory technology as their sources do', () => {
    for (const p of HARDWARE_PROFILES) {
      expect(p.memoryType, p.id).toBeDefined();
      expect(p.sources.join(' '), p.id).toMatch(new RegExp(`\\b${p.memoryType}\\b`, 'i'));
    }
    // The GDDR cards of the profile table, by hand.
    const gddr = HARDWARE_PROFILES.filter((p) => p.memoryType!.startsWith('GDDR')).map((p) => p.id);
    expect(gddr).toEqual(['l40s-48gb', 'l40-48gb', 'l4-24gb', 'a10g-24gb', 'a10-24gb', 'a40-48gb', 'rtx-a6000-48gb', 'rtx-6000-ada-48gb', 'rtx-4090-24gb', 'rtx-3090-24gb', 't4-16gb']);
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

  // Transcribed from the NVIDIA datasheets and whitepapers (A100: nvidia-a100-datasheet r4; H100,
  // H100 NVL, H200, GH200, B200, L40S, L40, L4, A10, A40, RTX A6000, RTX 6000 Ada, V100, T4: their
  // datasheets; GeForce: the GA102 and Ada whitepapers; A10G: third-party, NVIDIA publishes none).
  // Figures printed WITH sparsity are halved here. Within 1%, the datasheets' own rounding (67 vs
  // 66.9 TFLOPS); a sparse figure or a typo is off by far more. A precision missing from a row is
  // missing from the card, and must be missing from its profile too.
  const SPARSE = 0.5;
  const A100_COMPUTE = { fp32: 19.5, tf32: 156, bf16: 312, fp16: 312, int8: 624 };
  const H100_SXM_COMPUTE = { fp32: 67, tf32: 989 * SPARSE, bf16: 1979 * SPARSE, fp16: 1979 * SPARSE, fp8: 3958 * SPARSE, int8: 3958 * SPARSE };
  const V100_SXM2 = { fp32: 15.7, fp16: 125 };
  const V100_PCIE = { fp32: 14, fp16: 112 };
  const DATASHEETS = [
    ['a100-sxm4-40gb', A100_COMPUTE, 1555, 40, 400],
    ['a100-pcie-40gb', A100_COMPUTE, 1555, 40, 250],
    ['a100-sxm4-80gb', A100_COMPUTE, 2039, 80, 400],
    ['a100-pcie-80gb', A100_COMPUTE, 1935, 80, 300],
    ['h100-sxm-80gb', H100_SXM_COMPUTE, 3350, 80, 700],
    ['h100-pcie-80gb', { fp32: 51, tf32: 756 * SPARSE, bf16: 1513 * SPARSE, fp16: 1513 * SPARSE, fp8: 3026 * SPARSE, int8: 3026 * SPARSE }, 2000, 80, 350],
    ['h100-nvl-94gb', { fp32: 60, tf32: 835 * SPARSE, bf16: 1671 * SPARSE, fp16: 1671 * SPARSE, fp8: 3341 * SPARSE, int8: 3341 * SPARSE }, 3900, 94, 400],
    ['h200-sxm-141gb', H100_SXM_COMPUTE, 4800, 141, 700],
    // GH200: the GPU's power limit as NVML reports it (700 W), not the 1,000 W module.
    ['gh200-96gb', { fp32: 67, tf32: 494, bf16: 990, fp16: 990, fp8: 1979, int8: 1979 }, 4000, 96, 700],
    ['gh200-144gb', { fp32: 67, tf32: 494, bf16: 990, fp16: 990, fp8: 1979, int8: 1979 }, 4900, 144, 700],
    ['b200-180gb', { fp32: 80, tf32: 2200 * SPARSE, bf16: 4500 * SPARSE, fp16: 4500 * SPARSE, fp8: 9000 * SPARSE, int8: 9000 * SPARSE }, 8000, 180, 1000],
    // The L40S datasheet prints BF16/FP16 dense as 362.05 beside 733 with sparsity (1.2% apart): the dense figure is used.
    ['l40s-48gb', { fp32: 91.6, tf32: 366 * SPARSE, bf16: 362.05, fp16: 362.05, fp8: 1466 * SPARSE, int8: 1466 * SPARSE }, 864, 48, 350],
    ['l40-48gb', { fp32: 90.5, tf32: 181 * SPARSE, bf16: 362.1 * SPARSE, fp16: 362.1 * SPARSE, fp8: 724 * SPARSE, int8: 724 * SPARSE }, 864, 48, 300],
    ['l4-24gb', { fp32: 30.3, tf32: 120 * SPARSE, bf16: 242 * SPARSE, fp16: 242 * SPARSE, fp8: 485 * SPARSE, int8: 485 * SPARSE }, 300, 24, 72],
    ['a10g-24gb', { fp32: 35, tf32: 35, bf16: 70, fp16: 70, int8: 140 }, 600, 24, 300],
    ['a10-24gb', { fp32: 31.2, tf32: 125 * SPARSE, bf16: 250 * SPARSE, fp16: 250 * SPARSE, int8: 500 * SPARSE }, 600, 24, 150],
    ['a40-48gb', { fp32: 37.4, tf32: 149.6 * SPARSE, bf16: 299.4 * SPARSE, fp16: 299.4 * SPARSE, int8: 598.6 * SPARSE }, 696, 48, 300],
    ['rtx-a6000-48gb', { fp32: 38.7, tf32: 154.8 * SPARSE, bf16: 309.7 * SPARSE, fp16: 309.7 * SPARSE, int8: 619.4 * SPARSE }, 768, 48, 300],
    ['rtx-6000-ada-48gb', { fp32: 91.1, tf32: 364.2 * SPARSE, bf16: 728.5 * SPARSE, fp16: 728.5 * SPARSE, fp8: 1457 * SPARSE, int8: 1457 * SPARSE }, 960, 48, 300],
    // GeForce: FP16/BF16 and FP8 with FP32 accumulate, half the FP16-accumulate rate (330.3, 660.6).
    ['rtx-4090-24gb', { fp32: 82.6, tf32: 82.6, bf16: 330.3 / 2, fp16: 330.3 / 2, fp8: 660.6 / 2, int8: 660.6 }, 1008, 24, 450],
    ['rtx-3090-24gb', { fp32: 35.6, tf32: 35.6, bf16: 142 / 2, fp16: 142 / 2, int8: 284 }, 936, 24, 350],
    ['v100-sxm2-16gb', V100_SXM2, 900, 16, 300],
    ['v100-sxm2-32gb', V100_SXM2, 900, 32, 300],
    ['v100-pcie-16gb', V100_PCIE, 900, 16, 250],
    ['v100-pcie-32gb', V100_PCIE, 900, 32, 250],
    ['t4-16gb', { fp32: 8.1, fp16: 65, int8: 130 }, 320, 16, 70],
  ] as const;
  it.each(DATASHEETS)('%s carries its datasheet figures (dense TFLOPS, GB/s, GB, W)', (id, teraflops, gbPerS, gb, tdpW) => {
    const p = resolveProfile(id);
    expect(Object.keys(p.peakFlops).sort()).toEqual(Object.keys(teraflops).sort());
    for (const [precision, tf] of Object.entries(teraflops)) {
      expect([precision, Math.abs(p.peakFlops[precision] / (tf * 1e12) - 1) < 0.01]).toEqual([precision, true]);
    }
    expect(p.memoryBandwidthBytesPerS).toBe(gbPerS * 1e9);
    expect(p.memoryBytes).toBe(gb * 1e9);
    expect(p.tdpW).toBe(tdpW);
    expect(p.idlePowerW).toBeGreaterThan(0);
    expect(p.idlePowerW).toBeLessThan(0.5 * tdpW);
  });

  it('has a datasheet row above for every profile', () => {
    expect(DATASHEETS.map((row) => row[0]).sort()).toEqual(HARDWARE_PROFILES.map((p) => p.id).sort());
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
    expect(HARDWARE_PROFILES).toHaveLength(26);
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
    // As nvidia-smi --query-gpu=name and NVML's nvmlDeviceGetName print them.
    ['NVIDIA A100 80GB PCIe', 'a100-pcie-80gb'],
    ['NVIDIA H100 NVL', 'h100-nvl-94gb'],
    ['NVIDIA GH200 480GB', 'gh200-96gb'],
    ['NVIDIA GH200 120GB', 'gh200-96gb'],
    ['NVIDIA GH200 144G HBM3e', 'gh200-144gb'],
    ['NVIDIA B200', 'b200-180gb'],
    ['NVIDIA L40S', 'l40s-48gb'],
    ['NVIDIA L40', 'l40-48gb'],
    ['NVIDIA L4', 'l4-24gb'],
    ['NVIDIA A10G', 'a10g-24gb'],
    ['NVIDIA A10', 'a10-24gb'],
    ['NVIDIA A40', 'a40-48gb'],
    ['NVIDIA RTX A6000', 'rtx-a6000-48gb'],
    ['NVIDIA RTX 6000 Ada Generation', 'rtx-6000-ada-48gb'],
    ['NVIDIA RTX 6000 Ada Gene...', 'rtx-6000-ada-48gb'],
    ['NVIDIA GeForce RTX 4090', 'rtx-4090-24gb'],
    ['NVIDIA GeForce RTX 3090', 'rtx-3090-24gb'],
    ['Tesla V100-SXM2-16GB', 'v100-sxm2-16gb'],
    ['Tesla V100-SXM2-32GB', 'v100-sxm2-32gb'],
    ['Tesla V100-PCIE-16GB', 'v100-pcie-16gb'],
    ['Tesla V100-PCIE-32GB', 'v100-pcie-32gb'],
    ['Tesla T4', 't4-16gb'],
    // As people write them.
    ['RTX 4090', 'rtx-4090-24gb'],
    ['rtx4090', 'rtx-4090-24gb'],
    ['L40S 48GB', 'l40s-48gb'],
    ['GH200 96GB', 'gh200-96gb'],
    ['GH200 144GB', 'gh200-144gb'],
    ['V100 SXM2 32GB', 'v100-sxm2-32gb'],
    ['V100 32GB PCIe', 'v100-pcie-32gb'],
    ['T4', 't4-16gb'],
  ])('resolves %s', (name, id) => {
    expect(resolveProfile(name).id).toBe(id);
  });

  it('refuses an unknown or ambiguous GPU, listing the known ones', () => {
    expect(() => resolveProfile('Tesla P100-PCIE-16GB')).toThrow(SweetspotInputError);
    expect(() => resolveProfile('Tesla P100-PCIE-16GB')).toThrow(/unknown GPU 'Tesla P100-PCIE-16GB'.*a100-sxm4-40gb.*h100-sxm-80gb.*h200-sxm-141gb.*l40s-48gb.*t4-16gb/);
    // 'NVIDIA A100' does not say 40/80 GB or SXM/PCIe: not guessed, the candidates are listed.
    expect(() => resolveProfile('NVIDIA A100')).toThrow(
      /GPU 'NVIDIA A100' matches 4 profiles \(a100-sxm4-40gb: .*; a100-pcie-40gb: .*; a100-sxm4-80gb: .*; a100-pcie-80gb: .*\); name the form factor and memory/,
    );
    expect(() => resolveProfile('A100 SXM')).toThrow(/matches 2 profiles \(a100-sxm4-40gb: .*; a100-sxm4-80gb/);
    // With the PCIe 80GB card listed, '80GB' alone no longer picks the SXM card.
    expect(() => resolveProfile('A100 80GB')).toThrow(/matches 2 profiles \(a100-sxm4-80gb: .*; a100-pcie-80gb/);
    expect(() => resolveProfile('H100 80GB')).toThrow(/matches 2 profiles \(h100-sxm-80gb: .*; h100-pcie-80gb: [^;]*\)/);
    // 'NVIDIA H100' is a listed name (the Argonne data's): it keeps its answer beside the NVL card.
    expect(resolveProfile('H100').id).toBe('h100-sxm-80gb');
    expect(() => resolveProfile('H100 96GB')).toThrow(/unknown GPU 'H100 96GB'/);
    expect(() => resolveProfile('H100 SXM turbo')).toThrow(/unknown GPU/);
    // V100s come in two form factors and two memories; GH200s in two memories.
    expect(() => resolveProfile('Tesla V100')).toThrow(/GPU 'Tesla V100' matches 4 profiles \(v100-sxm2-16gb: .*; v100-sxm2-32gb: .*; v100-pcie-16gb: .*; v100-pcie-32gb/);
    expect(() => resolveProfile('V100 SXM2')).toThrow(/matches 2 profiles \(v100-sxm2-16gb: .*; v100-sxm2-32gb/);
    expect(() => resolveProfile('V100 32GB')).toThrow(/matches 2 profiles \(v100-sxm2-32gb: .*; v100-pcie-32gb/);
    expect(() => resolveProfile('NVIDIA GH200')).toThrow(/matches 2 profiles \(gh200-96gb: .*; gh200-144gb/);
    // Other cards of the same families are not taken for the listed ones.
    for (const other of ['Tesla V100S-PCIE-32GB', 'Quadro RTX 6000', 'NVIDIA RTX 6000', 'NVIDIA GeForce RTX 4090 D', 'NVIDIA GeForce RTX 4080', 'NVIDIA RTX A5000', 'NVIDIA L40G', 'NVIDIA GB200']) {
      expect(() => resolveProfile(other)).toThrow(/unknown GPU/);
    }
  });

  // One rule for every profile: each is named the ways tools and people write GPUs, built here from
  // its datasheet parts (family, form factor, memory), not from its alias list.
  type Form = 'SXM' | 'PCIe' | 'NVL' | '';
  const PARTS: Record<string, { family: string; form: Form; generation: string; gb: number }> = {
    'a100-sxm4-40gb': { family: 'A100', form: 'SXM', generation: '4', gb: 40 },
    'a100-pcie-40gb': { family: 'A100', form: 'PCIe', generation: '', gb: 40 },
    'a100-sxm4-80gb': { family: 'A100', form: 'SXM', generation: '4', gb: 80 },
    'a100-pcie-80gb': { family: 'A100', form: 'PCIe', generation: '', gb: 80 },
    'h100-sxm-80gb': { family: 'H100', form: 'SXM', generation: '5', gb: 80 },
    'h100-pcie-80gb': { family: 'H100', form: 'PCIe', generation: '', gb: 80 },
    'h100-nvl-94gb': { family: 'H100', form: 'NVL', generation: '', gb: 94 },
    'h200-sxm-141gb': { family: 'H200', form: 'SXM', generation: '', gb: 141 },
    'gh200-96gb': { family: 'GH200', form: '', generation: '', gb: 96 },
    'gh200-144gb': { family: 'GH200', form: '', generation: '', gb: 144 },
    'b200-180gb': { family: 'B200', form: '', generation: '', gb: 180 },
    'l40s-48gb': { family: 'L40S', form: '', generation: '', gb: 48 },
    'l40-48gb': { family: 'L40', form: '', generation: '', gb: 48 },
    'l4-24gb': { family: 'L4', form: '', generation: '', gb: 24 },
    'a10g-24gb': { family: 'A10G', form: '', generation: '', gb: 24 },
    'a10-24gb': { family: 'A10', form: '', generation: '', gb: 24 },
    'a40-48gb': { family: 'A40', form: '', generation: '', gb: 48 },
    'rtx-a6000-48gb': { family: 'RTX A6000', form: '', generation: '', gb: 48 },
    'rtx-6000-ada-48gb': { family: 'RTX 6000 Ada', form: '', generation: '', gb: 48 },
    'rtx-4090-24gb': { family: 'GeForce RTX 4090', form: '', generation: '', gb: 24 },
    'rtx-3090-24gb': { family: 'GeForce RTX 3090', form: '', generation: '', gb: 24 },
    'v100-sxm2-16gb': { family: 'V100', form: 'SXM', generation: '2', gb: 16 },
    'v100-sxm2-32gb': { family: 'V100', form: 'SXM', generation: '2', gb: 32 },
    'v100-pcie-16gb': { family: 'V100', form: 'PCIe', generation: '', gb: 16 },
    'v100-pcie-32gb': { family: 'V100', form: 'PCIe', generation: '', gb: 32 },
    't4-16gb': { family: 'T4', form: '', generation: '', gb: 16 },
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

describe('the profile table of docs/energy-models.md', () => {
  it('shows each profile with the figures it carries', async () => {
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/energy-models.md', import.meta.url)), 'utf8');
    const section = doc.slice(doc.indexOf('## Hardware profiles'), doc.indexOf('\n## ', doc.indexOf('## Hardware profiles') + 1));
    const rows = new Map(
      section
        .split('\n')
        .filter((l) => /^\| `[a-z0-9-]+` \| /.test(l))
        .map((l) => l.split('|').map((c) => c.trim()).slice(1, -1))
        .map((cells) => [cells[0].replaceAll('`', ''), cells] as const),
    );
    const t = (v?: number) => (v === undefined ? '—' : String(+(v / 1e12).toFixed(2)));
    for (const p of HARDWARE_PROFILES) {
      const { bf16, fp16, fp8, int8 } = p.peakFlops;
      expect(rows.get(p.id)).toEqual([
        `\`${p.id}\``,
        rows.get(p.id)?.[1],
        t(bf16),
        t(fp16),
        t(fp8),
        t(int8),
        `${+(p.memoryBandwidthBytesPerS / 1e12).toFixed(3)} TB/s`,
        `${p.memoryBytes / 1e9} GB ${p.memoryType}`,
        `${p.tdpW} W`,
        `${p.idlePowerW} W`,
      ]);
      // The nvidia-smi name shown resolves to the profile.
      expect(resolveProfile(rows.get(p.id)![1]).id).toBe(p.id);
    }
    expect(rows.size).toBe(HARDWARE_PROFILES.length);
  });
});

describe('an unknown GPU name', () => {
  it('suggests the profiles whose model number it names', async () => {
    const { resolveProfile: resolve, profileMatches } = await import('../../../src/energy/hardware/profiles.js');
    expect(() => resolve('4090')).toThrow(/unknown GPU '4090'; did you mean 'NVIDIA GeForce RTX 4090 24GB'\?/);
    expect(() => resolve('A6000')).toThrow(/did you mean 'NVIDIA RTX A6000 48GB'\?/);
    expect(() => resolve('Voodoo 5')).toThrow(/^unknown GPU 'Voodoo 5' \(known profiles: a100-sxm4-40gb/);
    // GeForce names as nvidia-smi prints them: the model number follows RTX.
    expect(() => resolve('NVIDIA GeForce RTX 4090 D')).toThrow(/did you mean 'NVIDIA GeForce RTX 4090 24GB'\?/);
    expect(() => resolve('GeForce RTX 3090 Ti')).toThrow(/did you mean 'NVIDIA GeForce RTX 3090 24GB'\?/);
    expect(() => resolve('RTX 3090 Ti')).toThrow(/did you mean 'NVIDIA GeForce RTX 3090 24GB'\?/);
    expect(() => resolve('RTX 6000 Ada 48GB Max-Q')).toThrow(/did you mean 'NVIDIA RTX 6000 Ada Generation 48GB'\?/);
    // Form factor and memory narrow the list: one A100 of four, one H100 of three.
    expect(() => resolve('NVIDIA A100-SXM4-40GB MIG 3g.20gb')).toThrow(/did you mean 'NVIDIA A100 SXM4 40GB'\? \(/);
    expect(() => resolve('NVIDIA A100 80GB PCIe MIG 7g')).toThrow(/did you mean 'NVIDIA A100 PCIe 80GB'\? \(/);
    expect(() => resolve('NVIDIA H100 PCIe MIG')).toThrow(/did you mean 'NVIDIA H100 PCIe 80GB'\? \(/);
    // Neither given: every A100 is offered.
    expect(() => resolve('A100 MIG 1g.5gb')).toThrow(/did you mean 'NVIDIA A100 SXM4 40GB' or 'NVIDIA A100 PCIe 40GB' or 'NVIDIA A100 SXM4 80GB' or 'NVIDIA A100 PCIe 80GB'\?/);
    expect(profileMatches('A100').map((p) => p.id).sort()).toEqual(['a100-pcie-40gb', 'a100-pcie-80gb', 'a100-sxm4-40gb', 'a100-sxm4-80gb']);
    expect(profileMatches('Voodoo 5')).toEqual([]);
    expect(profileMatches('NVIDIA L40S').map((p) => p.id)).toEqual(['l40s-48gb']);
    // On the energy layer's entry, as its doc comment says.
    const entry = await import('../../../src/energy/index.js');
    expect(entry.profileMatches).toBe(profileMatches);
  });
});
