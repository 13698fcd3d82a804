import { SweetspotInputError, quoteInput } from '../../errors.js';
import { deepFreeze } from '../../freeze.js';
import type { HardwareProfile } from './profile.js';
import { type GpuKey, gpuKey, gpuWords, keyMatches } from './gpu-names.js';
import { shownValue } from '../../arguments.js';

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
const A100_80_PCIE = 'A100 80GB PCIe: 1,935 GB/s HBM2e, 300 W max TDP (A100 datasheet r4)';
const H100_NVL_DATASHEET =
  'NVIDIA H100 NVL datasheet (2023), per GPU: FP32 60 TFLOPS, TF32 835 / BF16 and FP16 1,671 / FP8 and INT8 3,341 with sparsity (dense = half); 94 GB HBM3 at 3.9 TB/s; max TDP 350–400 W (configurable)';
const GH200_DATASHEET =
  'NVIDIA GH200 Grace Hopper Superchip datasheet (2024): GPU FP32 67 TFLOPS, TF32 494 / BF16 and FP16 990 / FP8 and INT8 1,979 dense (twice that with sparsity); 96 GB HBM3 at 4 TB/s or 144 GB HBM3e at 4.9 TB/s; module power 450–1,000 W configurable (Grace CPU, LPDDR5X and GPU together)';
const GH200_POWER =
  'tdpW is the GPU power limit NVML reports (nvidia-smi Pwr Cap 700 W on GH200 480GB nodes, some set to 900 W), not the 1,000 W module figure: NVML power and energy readings, which the measurements use, are the GPU alone';
const B200_DATASHEET =
  'NVIDIA HGX B200 / Blackwell datasheet (2024), per GPU at 1,000 W: FP32 80 TFLOPS, TF32 1,100 / BF16 and FP16 2,250 / FP8 and INT8 4,500 dense (twice that with sparsity); DGX B200: 1,440 GB HBM3e and 64 TB/s for 8 GPUs (180 GB, 8 TB/s each)';
const ADA_WHITEPAPER =
  'NVIDIA Ada GPU Architecture whitepaper (2023), Appendix A: dense tensor rates with FP32 accumulate (GeForce halves them against FP16 accumulate; the data-center and RTX professional cards do not)';
const GA102_WHITEPAPER =
  'NVIDIA Ampere GA102 GPU Architecture whitepaper (2020), Appendix A: dense tensor rates with FP32 accumulate (GeForce RTX 3090: FP16 71 with FP32 accumulate, 142 with FP16 accumulate)';
const GEFORCE_NOTE =
  'GeForce cards run FP16/BF16 tensor math with FP32 accumulate at half the FP16-accumulate rate; BF16/FP16 inference engines (vLLM, TensorRT-LLM, PyTorch) accumulate in FP32, so bf16/fp16 here is the FP32-accumulate rate';
const V100_DATASHEET =
  'NVIDIA Tesla V100 datasheet (2018): SXM2 FP32 15.7 / tensor 125 TFLOPS, 300 W; PCIe FP32 14 / tensor 112 TFLOPS, 250 W; 16 or 32 GB HBM2 at 900 GB/s. Tensor rate = FP16 with FP32 accumulate; no BF16, TF32, INT8 tensor cores or FP8';
const T4_DATASHEET =
  'NVIDIA T4 datasheet (2019): FP32 8.1 TFLOPS, mixed FP16/FP32 65 TFLOPS, INT8 130 TOPS; 16 GB GDDR6 at 320 GB/s; 70 W. No BF16, TF32 or FP8';

/**
 * Built-in hardware profiles: datasheet figures, `fitted: false`. Peak FLOP/s are dense (no 2:4
 * sparsity) tensor-core rates with FP32 accumulate (what BF16/FP16 engines get; half the
 * FP16-accumulate rate on GeForce cards), `fp32` the non-tensor FP32 rate; a precision the card
 * lacks is absent (docs/energy-models.md#hardware-profiles). Memory sizes and bandwidths in
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
    memoryType: 'HBM2',
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
    memoryType: 'HBM2',
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
    memoryType: 'HBM2e',
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
    memoryType: 'HBM3',
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
    memoryType: 'HBM2e',
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
    memoryType: 'HBM3e',
    tdpW: 700,
    idlePowerW: 75,
    fitted: false,
    sources: [H200_DATASHEET, H100_WHITEPAPER],
    notes: IDLE_NOTE,
  },
  {
    id: 'a100-pcie-80gb',
    name: 'NVIDIA A100 PCIe 80GB',
    aliases: ['NVIDIA A100 80GB PCIe', 'A100 80GB PCIe', 'NVIDIA A100-PCIE-80GB', 'A100-PCIE-80GB'],
    peakFlops: { fp32: 19.5 * T, tf32: 156 * T, bf16: 312 * T, fp16: 312 * T, int8: 624 * T },
    memoryBandwidthBytesPerS: 1935 * GB,
    memoryBytes: 80 * GB,
    memoryType: 'HBM2e',
    tdpW: 300,
    idlePowerW: 45,
    fitted: false,
    sources: [A100_DATASHEET, A100_80_PCIE],
    notes: `${IDLE_NOTE}. Readings: 40–54 W in P0, memory empty, 0% utilisation (nvidia-smi tables in public repositories).`,
  },
  {
    id: 'h100-nvl-94gb',
    name: 'NVIDIA H100 NVL 94GB',
    aliases: ['NVIDIA H100 NVL', 'H100 NVL', 'NVIDIA H100 NVL 94GB'],
    peakFlops: { fp32: 60 * T, tf32: 417.5 * T, bf16: 835.5 * T, fp16: 835.5 * T, fp8: 1670.5 * T, int8: 1670.5 * T },
    memoryBandwidthBytesPerS: 3900 * GB,
    memoryBytes: 94 * GB,
    memoryType: 'HBM3',
    tdpW: 400,
    idlePowerW: 65,
    fitted: false,
    sources: [H100_NVL_DATASHEET],
    notes: `${IDLE_NOTE}. Readings: 61–65 W in P0 with empty memory, 83–97 W with a model loaded, 0% utilisation. tdpW is the 400 W top of the configurable range (some boards are set to 310–350 W).`,
  },
  {
    id: 'gh200-96gb',
    name: 'NVIDIA GH200 96GB HBM3',
    aliases: [
      // nvidia-smi names the HBM3 GH200 by its Grace memory (480 or 120 GB LPDDR5X): both carry 96 GB HBM3 (PCI device 2342).
      'NVIDIA GH200 480GB',
      'GH200 480GB',
      'NVIDIA GH200 120GB',
      'GH200 120GB',
      'NVIDIA GH200 96GB',
    ],
    peakFlops: { fp32: 66.9 * T, tf32: 494.7 * T, bf16: 989.4 * T, fp16: 989.4 * T, fp8: 1978.9 * T, int8: 1978.9 * T },
    memoryBandwidthBytesPerS: 4000 * GB,
    memoryBytes: 96 * GB,
    memoryType: 'HBM3',
    tdpW: 700,
    idlePowerW: 80,
    fitted: false,
    sources: [GH200_DATASHEET, H100_WHITEPAPER, GH200_POWER],
    notes: `${IDLE_NOTE}. Readings: 73–87 W in P0 (GH200 480GB, memory empty). tdpW: the GPU power limit NVML reports, not the module power (see sources).`,
  },
  {
    id: 'gh200-144gb',
    name: 'NVIDIA GH200 144GB HBM3e',
    aliases: ['NVIDIA GH200 144G HBM3e', 'GH200 144G HBM3e', 'NVIDIA GH200 144GB HBM3e'],
    peakFlops: { fp32: 66.9 * T, tf32: 494.7 * T, bf16: 989.4 * T, fp16: 989.4 * T, fp8: 1978.9 * T, int8: 1978.9 * T },
    memoryBandwidthBytesPerS: 4900 * GB,
    memoryBytes: 144 * GB,
    memoryType: 'HBM3e',
    tdpW: 700,
    idlePowerW: 80,
    fitted: false,
    sources: [GH200_DATASHEET, H100_WHITEPAPER, GH200_POWER],
    notes: `${IDLE_NOTE}. No idle reading found for this variant: taken as the HBM3 GH200 (73–87 W). tdpW: the GPU power limit NVML reports, not the module power (see sources).`,
  },
  {
    id: 'b200-180gb',
    name: 'NVIDIA B200 180GB',
    aliases: ['NVIDIA B200', 'B200', 'NVIDIA B200 HBM3e'],
    peakFlops: { fp32: 80 * T, tf32: 1100 * T, bf16: 2250 * T, fp16: 2250 * T, fp8: 4500 * T, int8: 4500 * T },
    memoryBandwidthBytesPerS: 8000 * GB,
    memoryBytes: 180 * GB,
    memoryType: 'HBM3e',
    tdpW: 1000,
    idlePowerW: 150,
    fitted: false,
    sources: [B200_DATASHEET],
    notes: `${IDLE_NOTE}. Readings: 136–195 W in P0 with empty memory (nvidia-smi Pwr Cap 1000 W). memoryBytes is the datasheet 180 GB; NVML reports 183,359 MiB (192.3 GB). FP4 (9 PFLOP/s dense) is not listed: no precision of this library maps to it.`,
  },
  {
    id: 'l40s-48gb',
    name: 'NVIDIA L40S 48GB',
    aliases: ['NVIDIA L40S', 'L40S'],
    peakFlops: { fp32: 91.6 * T, tf32: 183 * T, bf16: 362.05 * T, fp16: 362.05 * T, fp8: 733 * T, int8: 733 * T },
    memoryBandwidthBytesPerS: 864 * GB,
    memoryBytes: 48 * GB,
    memoryType: 'GDDR6',
    tdpW: 350,
    idlePowerW: 85,
    fitted: false,
    sources: [ADA_WHITEPAPER, 'NVIDIA L40S datasheet (2023): FP32 91.6 TFLOPS; TF32 183 | 366, BF16 and FP16 362.05 | 733, FP8 and INT8 733 | 1,466 (dense | sparse); 48 GB GDDR6 at 864 GB/s; 350 W'],
    notes: `${IDLE_NOTE}. Readings: 83–105 W in P0 at 0% utilisation, 22–34 W in P8 (no context).`,
  },
  {
    id: 'l40-48gb',
    name: 'NVIDIA L40 48GB',
    aliases: ['NVIDIA L40', 'L40'],
    peakFlops: { fp32: 90.5 * T, tf32: 90.5 * T, bf16: 181.05 * T, fp16: 181.05 * T, fp8: 362 * T, int8: 362 * T },
    memoryBandwidthBytesPerS: 864 * GB,
    memoryBytes: 48 * GB,
    memoryType: 'GDDR6',
    tdpW: 300,
    idlePowerW: 80,
    fitted: false,
    sources: [ADA_WHITEPAPER, 'NVIDIA L40 datasheet (2022): FP32 90.5 TFLOPS; TF32 90.5 | 181, BF16 and FP16 (FP32 accumulate) 181.05 | 362.1, FP8 and INT8 362 | 724 (dense | sparse); 48 GB GDDR6 at 864 GB/s; 300 W'],
    notes: `${IDLE_NOTE}. Only P8 readings (35 W) found: the P0 figure is taken from the L40S, the same AD102 board (83–105 W).`,
  },
  {
    id: 'l4-24gb',
    name: 'NVIDIA L4 24GB',
    aliases: ['NVIDIA L4', 'L4'],
    peakFlops: { fp32: 30.3 * T, tf32: 60 * T, bf16: 121 * T, fp16: 121 * T, fp8: 242.5 * T, int8: 242.5 * T },
    memoryBandwidthBytesPerS: 300 * GB,
    memoryBytes: 24 * GB,
    memoryType: 'GDDR6',
    tdpW: 72,
    idlePowerW: 30,
    fitted: false,
    sources: [ADA_WHITEPAPER, 'NVIDIA L4 datasheet (2023): FP32 30.3 TFLOPS; TF32 60 | 120, BF16 and FP16 121 | 242, FP8 and INT8 242.5 | 485 (dense | sparse); 24 GB GDDR6 at 300 GB/s; 72 W'],
    notes: `${IDLE_NOTE}. Readings: 28–37 W in P0 with a model loaded at 0% utilisation, 11–17 W in P8: idle is a large share of this 72 W card.`,
  },
  {
    id: 'a10g-24gb',
    name: 'NVIDIA A10G 24GB',
    aliases: [
      // The AWS G5 instances' GPU: NVIDIA publishes no datasheet for it.
      'NVIDIA A10G',
      'A10G',
    ],
    peakFlops: { fp32: 35 * T, tf32: 35 * T, bf16: 70 * T, fp16: 70 * T, int8: 140 * T },
    memoryBandwidthBytesPerS: 600 * GB,
    memoryBytes: 24 * GB,
    memoryType: 'GDDR6',
    tdpW: 300,
    idlePowerW: 60,
    fitted: false,
    sources: ['NVIDIA publishes no A10G datasheet. Baseten, "NVIDIA A10 vs A10G for ML model inference" (2023): A10G FP32 35 TFLOPS, tensor FP16 70 TFLOPS, 24 GB GDDR6 at 600 GB/s', 'AWS EC2 G5 instances: NVIDIA A10G, 24 GB; nvidia-smi on G5 reports a 300 W power cap', GA102_WHITEPAPER],
    notes: `${IDLE_NOTE}. Readings: 62–71 W in P0 with a model loaded at 0% utilisation, 9–23 W in P8. Compute is third-party: TF32 at half and INT8 at twice the FP16 rate, as on every GA102 card, are inferred, not published.`,
  },
  {
    id: 'a10-24gb',
    name: 'NVIDIA A10 24GB',
    aliases: ['NVIDIA A10', 'A10'],
    peakFlops: { fp32: 31.2 * T, tf32: 62.5 * T, bf16: 125 * T, fp16: 125 * T, int8: 250 * T },
    memoryBandwidthBytesPerS: 600 * GB,
    memoryBytes: 24 * GB,
    memoryType: 'GDDR6',
    tdpW: 150,
    idlePowerW: 25,
    fitted: false,
    sources: ['NVIDIA A10 datasheet (2021): FP32 31.2 TFLOPS; TF32 62.5 | 125, BF16 and FP16 125 | 250, INT8 250 | 500 (dense | sparse); 24 GB GDDR6 at 600 GB/s; 150 W'],
    notes: `${IDLE_NOTE}. Readings: 16–27 W in P0, 9–23 W in P8.`,
  },
  {
    id: 'a40-48gb',
    name: 'NVIDIA A40 48GB',
    aliases: ['NVIDIA A40', 'A40'],
    peakFlops: { fp32: 37.4 * T, tf32: 74.8 * T, bf16: 149.7 * T, fp16: 149.7 * T, int8: 299.3 * T },
    memoryBandwidthBytesPerS: 696 * GB,
    memoryBytes: 48 * GB,
    memoryType: 'GDDR6',
    tdpW: 300,
    idlePowerW: 75,
    fitted: false,
    sources: ['NVIDIA A40 datasheet (2021): FP32 37.4 TFLOPS; TF32 74.8 | 149.6, BF16 (FP32 accumulate) and FP16 149.7 | 299.4, INT8 299.3 | 598.6 (dense | sparse); 48 GB GDDR6 at 696 GB/s; 300 W'],
    notes: `${IDLE_NOTE}. Readings: 74–80 W in P0 with memory in use at 0% utilisation, 22–34 W in P8.`,
  },
  {
    id: 'rtx-a6000-48gb',
    name: 'NVIDIA RTX A6000 48GB',
    aliases: ['NVIDIA RTX A6000', 'RTX A6000'],
    peakFlops: { fp32: 38.7 * T, tf32: 77.4 * T, bf16: 154.8 * T, fp16: 154.8 * T, int8: 309.7 * T },
    memoryBandwidthBytesPerS: 768 * GB,
    memoryBytes: 48 * GB,
    memoryType: 'GDDR6',
    tdpW: 300,
    idlePowerW: 75,
    fitted: false,
    sources: [GA102_WHITEPAPER, 'NVIDIA RTX A6000 datasheet (2020): FP32 38.7 TFLOPS, tensor 309.7 TFLOPS with sparsity (154.8 dense, FP16 or BF16 with FP32 accumulate at full rate on this professional card); 48 GB GDDR6 at 768 GB/s; 300 W'],
    notes: `${IDLE_NOTE}. Readings: 107 W in P0 at 67 °C with empty memory (one reading), 17–31 W in P8: taken as 75 W.`,
  },
  {
    id: 'rtx-6000-ada-48gb',
    name: 'NVIDIA RTX 6000 Ada Generation 48GB',
    aliases: [
      // nvidia-smi's table cuts the name at 28 characters.
      'NVIDIA RTX 6000 Ada Generation',
      'RTX 6000 Ada',
      'NVIDIA RTX 6000 Ada Gene...',
    ],
    peakFlops: { fp32: 91.1 * T, tf32: 182.1 * T, bf16: 364.2 * T, fp16: 364.2 * T, fp8: 728.5 * T, int8: 728.5 * T },
    memoryBandwidthBytesPerS: 960 * GB,
    memoryBytes: 48 * GB,
    memoryType: 'GDDR6',
    tdpW: 300,
    idlePowerW: 70,
    fitted: false,
    sources: [ADA_WHITEPAPER, 'NVIDIA RTX 6000 Ada Generation datasheet (2022): FP32 91.1 TFLOPS, tensor 1,457 TFLOPS FP8 with sparsity (728.5 dense; FP16/BF16 364.2 dense with FP32 accumulate); 48 GB GDDR6 at 960 GB/s; 300 W'],
    notes: `${IDLE_NOTE}. Readings: 71 W in P0 with a model loaded at 0% utilisation, 23–34 W in P8.`,
  },
  {
    id: 'rtx-4090-24gb',
    name: 'NVIDIA GeForce RTX 4090 24GB',
    aliases: ['NVIDIA GeForce RTX 4090', 'GeForce RTX 4090', 'RTX 4090'],
    peakFlops: { fp32: 82.6 * T, tf32: 82.6 * T, bf16: 165.2 * T, fp16: 165.2 * T, fp8: 330.3 * T, int8: 660.6 * T },
    memoryBandwidthBytesPerS: 1008 * GB,
    memoryBytes: 24 * GB,
    memoryType: 'GDDR6X',
    tdpW: 450,
    idlePowerW: 70,
    fitted: false,
    sources: [ADA_WHITEPAPER, 'Ada whitepaper, GeForce RTX 4090: FP16 tensor 330.3 with FP16 accumulate, 165.2 with FP32 accumulate; BF16 165.2; TF32 82.6; FP8 660.6 with FP16 accumulate, 330.3 with FP32 accumulate; INT8 660.6 TOPS (dense); 24 GB GDDR6X at 1,008 GB/s; 450 W'],
    notes: `${IDLE_NOTE}. ${GEFORCE_NOTE} (FP8 likewise: FP32-accumulate 330.3). Readings: 75 W in P2 with a model loaded at 5% utilisation, 5–34 W in P8: taken as 70 W.`,
  },
  {
    id: 'rtx-3090-24gb',
    name: 'NVIDIA GeForce RTX 3090 24GB',
    aliases: ['NVIDIA GeForce RTX 3090', 'GeForce RTX 3090', 'RTX 3090'],
    peakFlops: { fp32: 35.6 * T, tf32: 35.6 * T, bf16: 71 * T, fp16: 71 * T, int8: 284 * T },
    memoryBandwidthBytesPerS: 936 * GB,
    memoryBytes: 24 * GB,
    memoryType: 'GDDR6X',
    tdpW: 350,
    idlePowerW: 100,
    fitted: false,
    sources: [GA102_WHITEPAPER, 'GA102 whitepaper, GeForce RTX 3090: FP16 tensor 142 with FP16 accumulate, 71 with FP32 accumulate; BF16 71; TF32 35.6; INT8 284 TOPS (dense); 24 GB GDDR6X at 936 GB/s; 350 W'],
    notes: `${IDLE_NOTE}. ${GEFORCE_NOTE}. Readings: 111 W in P2 with a model loaded at 0% utilisation, 53 W in P5, 19–38 W in P8: taken as 100 W.`,
  },
  {
    id: 'v100-sxm2-16gb',
    name: 'NVIDIA Tesla V100 SXM2 16GB',
    aliases: ['Tesla V100-SXM2-16GB', 'V100-SXM2-16GB', 'NVIDIA V100-SXM2-16GB'],
    peakFlops: { fp32: 15.7 * T, fp16: 125 * T },
    memoryBandwidthBytesPerS: 900 * GB,
    memoryBytes: 16 * GB,
    memoryType: 'HBM2',
    tdpW: 300,
    idlePowerW: 40,
    fitted: false,
    sources: [V100_DATASHEET],
    notes: `${IDLE_NOTE}. Readings: 39–44 W in P0 with empty memory (V100-SXM2-32GB). No bf16, tf32, fp8 or int8 entry: the card has none, and a calibration or prior asking for one is refused by name.`,
  },
  {
    id: 'v100-sxm2-32gb',
    name: 'NVIDIA Tesla V100 SXM2 32GB',
    aliases: ['Tesla V100-SXM2-32GB', 'V100-SXM2-32GB', 'NVIDIA V100-SXM2-32GB'],
    peakFlops: { fp32: 15.7 * T, fp16: 125 * T },
    memoryBandwidthBytesPerS: 900 * GB,
    memoryBytes: 32 * GB,
    memoryType: 'HBM2',
    tdpW: 300,
    idlePowerW: 40,
    fitted: false,
    sources: [V100_DATASHEET],
    notes: `${IDLE_NOTE}. Readings: 39–44 W in P0 with empty memory (V100-SXM2-32GB). No bf16, tf32, fp8 or int8 entry: the card has none, and a calibration or prior asking for one is refused by name.`,
  },
  {
    id: 'v100-pcie-16gb',
    name: 'NVIDIA Tesla V100 PCIe 16GB',
    aliases: ['Tesla V100-PCIE-16GB', 'V100-PCIE-16GB', 'NVIDIA V100-PCIE-16GB'],
    peakFlops: { fp32: 14 * T, fp16: 112 * T },
    memoryBandwidthBytesPerS: 900 * GB,
    memoryBytes: 16 * GB,
    memoryType: 'HBM2',
    tdpW: 250,
    idlePowerW: 35,
    fitted: false,
    sources: [V100_DATASHEET],
    notes: `${IDLE_NOTE}. No reading found: the SXM2 card's 39–44 W scaled to the 250 W board. No bf16, tf32, fp8 or int8 entry: the card has none.`,
  },
  {
    id: 'v100-pcie-32gb',
    name: 'NVIDIA Tesla V100 PCIe 32GB',
    aliases: ['Tesla V100-PCIE-32GB', 'V100-PCIE-32GB', 'NVIDIA V100-PCIE-32GB'],
    peakFlops: { fp32: 14 * T, fp16: 112 * T },
    memoryBandwidthBytesPerS: 900 * GB,
    memoryBytes: 32 * GB,
    memoryType: 'HBM2',
    tdpW: 250,
    idlePowerW: 35,
    fitted: false,
    sources: [V100_DATASHEET],
    notes: `${IDLE_NOTE}. No reading found: the SXM2 card's 39–44 W scaled to the 250 W board. No bf16, tf32, fp8 or int8 entry: the card has none.`,
  },
  {
    id: 't4-16gb',
    name: 'NVIDIA Tesla T4 16GB',
    aliases: ['Tesla T4', 'NVIDIA T4', 'T4'],
    peakFlops: { fp32: 8.1 * T, fp16: 65 * T, int8: 130 * T },
    memoryBandwidthBytesPerS: 320 * GB,
    memoryBytes: 16 * GB,
    memoryType: 'GDDR6',
    tdpW: 70,
    idlePowerW: 30,
    fitted: false,
    sources: [T4_DATASHEET],
    notes: `${IDLE_NOTE}. Readings: 31 W in P0 with a model loaded at 0% utilisation, 9–16 W in P8. No bf16, tf32 or fp8 entry: the card has none; 8-bit weights run as INT8.`,
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
  if (typeof gpuName !== 'string') throw new SweetspotInputError(`resolveProfile(gpuName): expected a GPU name, got ${shownValue(gpuName)}`);
  const matches = profileMatches(gpuName);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new SweetspotInputError(
      `GPU ${quoteInput(gpuName)} matches ${matches.length} profiles (${matches.map((p) => `${p.id}: ${p.name}`).join('; ')}); name the form factor and memory, e.g. '${matches[0].name}'`,
    );
  }
  // Ids only: with every profile's name the list outgrew a readable message.
  const known = HARDWARE_PROFILES.map((q) => q.id).join(', ');
  const near = nearProfiles(gpuWords(gpuName));
  const hint = near.length > 0 && near.length <= 4 ? `; did you mean ${near.map((q) => `'${q.name}'`).join(' or ')}?` : '';
  throw new SweetspotInputError(
    `unknown GPU ${quoteInput(gpuName)}${hint} (known profiles: ${known}; or family, form factor, memory: 'A100 SXM 40GB', 'Tesla T4')`,
  );
}

/**
 * The profiles an unknown name may have meant: those whose model number it names, a GeForce or
 * RTX name read without its `rtx` (`RTX 4090 D` → `4090`, `RTX 6000 Ada` → `6000`), narrowed to
 * those that share most of the form factor and memory it gives (`A100-SXM4-40GB MIG 3g.20gb`: the
 * one A100 SXM4 40GB, not all four A100s).
 */
function nearProfiles(words: readonly string[]): HardwareProfile[] {
  const named = new Set(words.flatMap((w) => [w, w.replace(/^rtx/, ''), w.replace(/^rtx/, '').replace(/ada$/, '')]));
  const near = KEYS.filter((k) => idWords(k.profile.id).some((w) => named.has(w)));
  const form = words.find((w): w is NonNullable<GpuKey['form']> => w === 'sxm' || w === 'pcie' || w === 'nvl');
  const memoryGb = words.map((w) => /^(\d+)gb?$/.exec(w)).find((m) => m !== null)?.[1];
  const score = ({ key }: { key: GpuKey }): number => (form !== undefined && key.form === form ? 1 : 0) + (memoryGb !== undefined && key.memoryGb === Number(memoryGb) ? 1 : 0);
  const best = Math.max(0, ...near.map(score));
  return near.filter((k) => score(k) === best).map((k) => k.profile);
}

/** The words of a profile id that name its model (`rtx-4090-24gb` → `4090`), not its memory or form. */
function idWords(id: string): string[] {
  return id.split('-').filter((w) => /\d/.test(w) && !/^\d+gb$/.test(w) && !/^(sxm\d*|pcie|nvl)$/.test(w));
}

/**
 * Every profile a GPU name can mean: one for a name {@link resolveProfile} accepts, several for an
 * ambiguous one (`A100`), none for an unknown one. For callers that tell those cases apart
 * without reading an error's text.
 *
 * @example
 * profileMatches('A100').length // 4
 * profileMatches('NVIDIA L40S')[0].id // 'l40s-48gb'
 */
export function profileMatches(gpuName: string): HardwareProfile[] {
  if (typeof gpuName !== 'string') throw new SweetspotInputError(`profileMatches(gpuName): expected a GPU name, got ${shownValue(gpuName)}`);
  const words = gpuWords(gpuName);
  const listed = LISTED.get(words.join(' '));
  if (listed) return [listed];
  const key = gpuKey(words);
  return key ? KEYS.filter((k) => keyMatches(k.key, key)).map((k) => k.profile) : [];
}
