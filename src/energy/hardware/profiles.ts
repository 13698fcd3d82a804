import { SweetspotInputError, quoteInput } from '../../errors.js';
import { deepFreeze } from '../../freeze.js';
import type { HardwareProfile } from './profile.js';
import { gpuKey, gpuWords, keyMatches } from './gpu-names.js';

const T = 1e12;
const GB = 1e9;

const A100_DATASHEET =
  'NVIDIA A100 Tensor Core GPU datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf): FP32 19.5 TFLOPS, TF32 156, BF16/FP16 312, INT8 624 TOPS (dense; sparsity doubles them)';
const A100_WHITEPAPER = 'NVIDIA A100 Tensor Core GPU Architecture whitepaper (2020), Table 1';
const H100_DATASHEET =
  'NVIDIA H100 Tensor Core GPU datasheet (h100-datasheet, 2023): SXM FP32 67 TFLOPS, TF32 989 / BF16 1979 / FP8 3958 with sparsity; PCIe FP32 51, TF32 756 / BF16 1513 / FP8 3026 with sparsity (dense = half)';
const H100_WHITEPAPER = 'NVIDIA H100 Tensor Core GPU Architecture whitepaper (2022), Table 3: H100 SXM5 dense TF32 494.7, FP16/BF16 989.4, FP8/INT8 1978.9 TFLOPS';
const H200_DATASHEET =
  'NVIDIA H200 Tensor Core GPU datasheet (2024): 141 GB HBM3e at 4.8 TB/s, TDP up to 700 W, compute as H100 SXM (FP8 3958 TFLOPS with sparsity)';
const IDLE_NOTE =
  'idlePowerW is not a datasheet figure: it is a typical nvidia-smi reading of an idle board in P0 with a CUDA context (order of magnitude, ±30%)';

/**
 * Built-in hardware profiles: datasheet figures, `fitted: false`. Peak FLOP/s are dense (no 2:4
 * sparsity) tensor-core rates, `fp32` the non-tensor FP32 rate. Memory sizes and bandwidths in
 * decimal units (1 GB = 1e9 bytes), as datasheets give them. Frozen: every caller shares them. Trusted data: the tests check each against
 * `HardwareProfileSchema` (docs/conventions.md#built-in-data).
 *
 * @example
 * HARDWARE_PROFILES.map((p) => p.id) // ['a100-sxm4-40gb', 'a100-pcie-40gb', …]
 * @category Models and GPUs
 */
export const HARDWARE_PROFILES: readonly HardwareProfile[] = deepFreeze<HardwareProfile[]>([
  {
    id: 'a100-sxm4-40gb',
    name: 'NVIDIA A100 SXM4 40GB',
    aliases: [
      'NVIDIA A100-SXM4-40GB',
      'A100-SXM4-40GB',
      'A100 SXM4 40GB',
      // The Wilkins data's gpu string (data/): power up to ~420 W rules out the 250 W PCIe card.
      'A100 40GB (ANL Swing; NVML mem 40960 MB; observed power up to ~420 W -> SXM4 400 W class)',
    ],
    peakFlops: { fp32: 19.5 * T, tf32: 156 * T, bf16: 312 * T, fp16: 312 * T, int8: 624 * T },
    memoryBandwidthBytesPerS: 1555 * GB,
    memoryBytes: 40 * GB,
    tdpW: 400,
    idlePowerW: 55,
    fitted: false,
    sources: [A100_DATASHEET, A100_WHITEPAPER, 'A100 40GB SXM: 1,555 GB/s HBM2, 400 W max TDP (datasheet)'],
    notes: IDLE_NOTE,
  },
  {
    id: 'a100-pcie-40gb',
    name: 'NVIDIA A100 PCIe 40GB',
    aliases: [
      'NVIDIA A100-PCIE-40GB',
      'A100-PCIE-40GB',
      'A100 PCIe 40GB',
      // The Wilkins data's gpu string: observed power ≤ ~258 W matches the 250 W PCIe card.
      'A100 40GB (Clemson Palmetto; NVML mem 40960 MB; observed power <= ~258 W -> likely PCIe 250 W variant)',
    ],
    peakFlops: { fp32: 19.5 * T, tf32: 156 * T, bf16: 312 * T, fp16: 312 * T, int8: 624 * T },
    memoryBandwidthBytesPerS: 1555 * GB,
    memoryBytes: 40 * GB,
    tdpW: 250,
    idlePowerW: 35,
    fitted: false,
    sources: [A100_DATASHEET, 'A100 40GB PCIe: 1,555 GB/s HBM2, 250 W max TDP (datasheet)'],
    notes: `${IDLE_NOTE}. At 250 W the card is power-capped under sustained tensor-core load, so peak FLOP/s are reached only briefly.`,
  },
  {
    id: 'a100-sxm4-80gb',
    name: 'NVIDIA A100 SXM4 80GB',
    aliases: ['NVIDIA A100-SXM4-80GB', 'A100-SXM4-80GB', 'A100 SXM4 80GB', 'NVIDIA A100 80GB HBM2e'],
    peakFlops: { fp32: 19.5 * T, tf32: 156 * T, bf16: 312 * T, fp16: 312 * T, int8: 624 * T },
    memoryBandwidthBytesPerS: 2039 * GB,
    memoryBytes: 80 * GB,
    tdpW: 400,
    idlePowerW: 60,
    fitted: false,
    sources: [A100_DATASHEET, 'A100 80GB SXM: 2,039 GB/s HBM2e, 400 W max TDP (datasheet)'],
    notes: IDLE_NOTE,
  },
  {
    id: 'h100-sxm-80gb',
    name: 'NVIDIA H100 SXM5 80GB',
    aliases: [
      'NVIDIA H100 80GB HBM3',
      'H100 80GB HBM3',
      'NVIDIA H100-SXM5-80GB',
      'H100-SXM5-80GB',
      'H100 SXM5 80GB',
      'H100 SXM',
      // The Argonne data's gpu string. Its TRT-LLM Llama-3-8B 1024/1024 batch-1 row took 7.73 s, but
      // just reading its 15.6 TB (weights once per step, KV cache) takes 7.79 s at the PCIe card's
      // 2.0 TB/s: not a PCIe card. (Its power, up to 455 W, points the same way, but may be summed over GPUs.)
      'NVIDIA H100',
    ],
    peakFlops: { fp32: 66.9 * T, tf32: 494.7 * T, bf16: 989.4 * T, fp16: 989.4 * T, fp8: 1978.9 * T, int8: 1978.9 * T },
    memoryBandwidthBytesPerS: 3350 * GB,
    memoryBytes: 80 * GB,
    tdpW: 700,
    idlePowerW: 70,
    fitted: false,
    sources: [H100_DATASHEET, H100_WHITEPAPER, 'H100 SXM: 80 GB HBM3 at 3.35 TB/s, up to 700 W (configurable) (datasheet)'],
    notes: `${IDLE_NOTE}. 'NVIDIA H100' (no variant) is taken as SXM: the Argonne H100 TRT-LLM Llama-3-8B 1024/1024 batch-1 row ran faster (7.73 s) than its bytes can be read at the PCIe card's 2.0 TB/s (7.79 s).`,
  },
  {
    id: 'h100-pcie-80gb',
    name: 'NVIDIA H100 PCIe 80GB',
    aliases: ['NVIDIA H100 PCIe', 'H100 PCIe', 'NVIDIA H100-PCIE-80GB', 'H100-PCIE-80GB'],
    peakFlops: { fp32: 51.2 * T, tf32: 378 * T, bf16: 756 * T, fp16: 756 * T, fp8: 1513 * T, int8: 1513 * T },
    memoryBandwidthBytesPerS: 2000 * GB,
    memoryBytes: 80 * GB,
    tdpW: 350,
    idlePowerW: 50,
    fitted: false,
    sources: [H100_DATASHEET, 'H100 PCIe: 80 GB HBM2e at 2 TB/s, 300–350 W (configurable) (datasheet; product brief PB-11133-001: TDP 350 W)'],
    notes: IDLE_NOTE,
  },
  {
    id: 'h200-sxm-141gb',
    name: 'NVIDIA H200 SXM 141GB',
    aliases: ['NVIDIA H200', 'H200', 'NVIDIA H200 SXM', 'H200 SXM', 'NVIDIA H200 141GB HBM3e'],
    peakFlops: { fp32: 66.9 * T, tf32: 494.7 * T, bf16: 989.4 * T, fp16: 989.4 * T, fp8: 1978.9 * T, int8: 1978.9 * T },
    memoryBandwidthBytesPerS: 4800 * GB,
    memoryBytes: 141 * GB,
    tdpW: 700,
    idlePowerW: 75,
    fitted: false,
    sources: [H200_DATASHEET, H100_WHITEPAPER],
    notes: IDLE_NOTE,
  },
]);

const LISTED = new Map<string, HardwareProfile>();
for (const p of HARDWARE_PROFILES) {
  for (const name of [p.id, p.name, ...p.aliases]) {
    const key = gpuWords(name).join(' ');
    const other = LISTED.get(key);
    // Data, checked when loaded: one listed name, two GPUs, would make the answer depend on order.
    if (other && other !== p) throw new Error(`hardware profiles: '${name}' names both ${other.id} and ${p.id}`);
    LISTED.set(key, p);
  }
}
const KEYS = HARDWARE_PROFILES.map((p) => {
  const key = gpuKey(gpuWords(p.id));
  if (!key) throw new Error(`hardware profiles: id '${p.id}' does not read as family-form-memory`);
  return { profile: p, key };
});

/**
 * The hardware profile of a GPU named as tools print it (`NVIDIA A100-SXM4-40GB`,
 * `H100 80GB HBM3`, `NVIDIA H100 PCIe`), as people write it (`A100 SXM 40GB`, `H100 SXM`), by
 * profile id, or by the data files' gpu strings: one rule for every profile
 * (docs/energy-models.md#hardware-profiles). Case, spaces, `-` and `_` do not matter, nor the
 * words NVIDIA or Tesla, nor the generation of a form factor (`SXM4` = `SXM`).
 *
 * @throws {SweetspotInputError} for an unknown GPU, or one that matches several profiles
 *   (`A100`), listing them.
 * @example
 * resolveProfile('NVIDIA H100 80GB HBM3').id // 'h100-sxm-80gb'
 * resolveProfile('A100 SXM 40GB').id          // 'a100-sxm4-40gb'
 * @category Models and GPUs
 */
export function resolveProfile(gpuName: string): HardwareProfile {
  if (typeof gpuName !== 'string') throw new SweetspotInputError(`resolveProfile(gpuName): expected a GPU name, got ${String(gpuName)}`);
  const words = gpuWords(gpuName);
  const listed = LISTED.get(words.join(' '));
  if (listed) return listed;
  const key = gpuKey(words);
  const matches = key ? KEYS.filter((k) => keyMatches(k.key, key)).map((k) => k.profile) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new SweetspotInputError(
      `GPU ${quoteInput(gpuName)} matches ${matches.length} profiles (${matches.map((p) => `${p.id}: ${p.name}`).join('; ')}); name the form factor and memory, e.g. '${matches[0].name}'`,
    );
  }
  const known = HARDWARE_PROFILES.map((q) => `${q.id} (${q.name})`).join('; ');
  throw new SweetspotInputError(`unknown GPU ${quoteInput(gpuName)}: known profiles are ${known}; names read as family, form factor and memory, e.g. 'A100 SXM 40GB', 'H100 PCIe'`);
}
