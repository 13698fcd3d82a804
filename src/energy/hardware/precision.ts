import { kindOf } from '../../arguments.js';
import { checkBytes } from '../../complexity/weights.js';
import { SweetspotInputError } from '../../errors.js';
import type { EnergyForm, FormContext } from '../form.js';
import type { HardwareProfile } from './profile.js';

/**
 * Throws unless `profile` has a `peakFlops` table: a shape check, not the full schema, because
 * the hardware form reads the peak on every prediction.
 */
function checkPeaks(where: string, profile: unknown): asserts profile is HardwareProfile {
  const peaks = typeof profile === 'object' && profile !== null ? (profile as { peakFlops?: unknown }).peakFlops : undefined;
  if (typeof peaks !== 'object' || peaks === null || Array.isArray(peaks)) {
    throw new SweetspotInputError(`${where}: expected a hardware profile (from resolveProfile), got ${kindOf(profile)}`);
  }
}

/**
 * The `peakFlops` key a model computes in, from its bytes per weight: 4 → `fp32`, 1 → `fp8` (or
 * `int8` on GPUs without FP8, such as the A100), anything else → `bf16` (or `fp16` on GPUs
 * without BF16, such as the V100 and T4, where engines run 16-bit models in FP16).
 * 4-bit and other weight-only formats dequantise to 16-bit before the matmul, hence 16-bit for
 * them. The key may still be one the GPU lacks (8-bit weights on a V100): {@link peakFlopsAt}
 * then refuses it by name (docs/energy-models.md#hardware-profiles).
 *
 * @example
 * precisionFor(2, resolveProfile('H100 80GB HBM3')) // 'bf16'
 * precisionFor(2, resolveProfile('Tesla T4'))       // 'fp16'
 */
export function precisionFor(weightBytes: number, profile?: HardwareProfile): string {
  checkBytes(weightBytes, 'precisionFor(weightBytes)');
  if (profile !== undefined) checkPeaks('precisionFor(weightBytes, profile)', profile);
  if (weightBytes === 4) return 'fp32';
  if (weightBytes === 1) return profile && !('fp8' in profile.peakFlops) ? 'int8' : 'fp8';
  return profile && !('bf16' in profile.peakFlops) && 'fp16' in profile.peakFlops ? 'fp16' : 'bf16';
}

/**
 * Peak dense FLOP/s of a GPU at a precision, refusing a precision the GPU has no tensor-core (or,
 * for `fp32`, vector) rate for, rather than computing with a missing number.
 *
 * @throws {SweetspotInputError} naming the GPU, the precision and the precisions it has.
 * @example
 * peakFlopsAt(resolveProfile('h100-sxm-80gb'), 'fp8') // 1978.9e12
 * peakFlopsAt(resolveProfile('Tesla T4'), 'bf16')     // throws: the T4 has no bf16 peak
 */
export function peakFlopsAt(profile: HardwareProfile, precision: string): number {
  checkPeaks('peakFlopsAt(profile)', profile);
  if (typeof precision !== 'string') throw new SweetspotInputError(`peakFlopsAt(profile, precision): expected a precision such as 'bf16', got ${kindOf(precision)}`);
  const peak = Object.hasOwn(profile.peakFlops, precision) ? profile.peakFlops[precision] : undefined;
  if (peak === undefined) {
    const has = (k: string) => Object.hasOwn(profile.peakFlops, k);
    const hint =
      precision === 'bf16' && has('fp16')
        ? "; it has no BF16 tensor cores: 16-bit models run in 'fp16' there"
        : precision === 'fp8' && has('int8')
          ? "; it has no FP8 tensor cores: 8-bit weights run in 'int8' there"
          : (precision === 'fp8' || precision === 'int8') && !has('fp8') && !has('int8')
            ? '; it has neither FP8 nor INT8 tensor cores for 8-bit weights'
            : '';
    throw new SweetspotInputError(
      `GPU ${profile.name} (profile '${profile.id}') has no peak FLOP/s for precision '${precision}' (it has ${Object.keys(profile.peakFlops).join(', ')})${hint}`,
    );
  }
  return peak;
}

/**
 * The context a form computes in on a GPU: its profile and precision (the one given, else the one
 * `weightBytes` run in there; docs/energy-models.md#hardware-profiles). A form that computes with
 * the peak is refused here, by name, when the GPU has none at that precision (8-bit weights on a
 * V100), rather than at its first prediction or inside a solver. No profile: an empty context.
 *
 * @example
 * formContext(hardwareForm, resolveProfile('Tesla T4'), 2).precision // 'fp16'
 */
export function formContext(form: EnergyForm, profile: HardwareProfile | undefined, weightBytes: number, precision?: string): FormContext {
  if (!profile) return {};
  const context = { profile, precision: precision ?? precisionFor(weightBytes, profile) };
  if (form.needsProfile) peakFlopsAt(profile, context.precision);
  return context;
}
