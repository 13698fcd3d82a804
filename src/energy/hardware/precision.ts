import type { HardwareProfile } from './profile.js';

/**
 * The `peakFlops` key a model computes in, from its bytes per weight: 4 → `fp32`, 1 → `fp8` (or
 * `int8` on GPUs without FP8, such as the A100), anything else → `bf16`. 4-bit and other
 * weight-only formats dequantise to 16-bit before the matmul, hence `bf16` for them.
 *
 * @example
 * precisionFor(2, resolveProfile('H100 80GB HBM3')) // 'bf16'
 */
export function precisionFor(weightBytes: number, profile?: HardwareProfile): string {
  if (weightBytes === 4) return 'fp32';
  if (weightBytes === 1) return profile && !('fp8' in profile.peakFlops) ? 'int8' : 'fp8';
  return 'bf16';
}
