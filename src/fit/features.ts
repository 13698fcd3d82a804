import type { Architecture } from '../architecture/schema.js';
import { paramCount } from '../architecture/params.js';
import { emptyFeatures, fillFeatures, FEATURE_NAMES, type RequestFeatures } from '../complexity/features.js';
import { termsKernel, type AttentionImpl } from '../complexity/terms.js';
import { attentionFor } from '../energy/attention.js';
import type { AttentionSetting } from '../energy/calibration.js';
import { weightBytesPerStep } from '../complexity/weights.js';
import type { EnergyForm } from '../energy/form.js';
import { isLengthOnlyForm } from '../energy/one-batch.js';
import { SweetspotInputError } from '../errors.js';
import type { Measurement } from './measurement.js';

/** How measurement rows become the features forms read. */
export interface FeatureOptions {
  /** Model id (preset or Hugging Face repo id) → architecture. Needed by forms that use the §3 terms. */
  readonly resolve?: (model: string) => Architecture;
  /** Bytes per weight (default 2). */
  readonly weightBytes?: number;
  /** Bytes per KV element (default 2). */
  readonly kvBytes?: number;
  /** How the engine computes attention (default `fused`), resolved per architecture by `attentionFor`. */
  readonly attention?: AttentionSetting;
}

/**
 * Whether a form reads more than the lengths (the §3 terms or the parameter count), so that every
 * row's model must resolve to an architecture. Only `sweetspot` and `linear` see lengths alone.
 *
 * @example
 * formNeedsArchitecture(sweetspotForm) // false
 */
export function formNeedsArchitecture(form: EnergyForm): boolean {
  return !isLengthOnlyForm(form.id);
}

/**
 * The features of each measurement row: lengths and batch, and, when the model resolves, the §3
 * terms in the row's regime (`kvCache` off → recompute) and the parameter count. Terms of a model
 * that does not resolve are NaN (never 0), so that a form that reads them fails loudly; with
 * `required` such a model is an error naming it.
 *
 * @throws {SweetspotInputError} when `required` and a model does not resolve.
 * @example
 * const x = measurementFeatures(rows, { resolve: resolveArchitecture }, true);
 * x[0].prefillFlops // FLOPs of the first row's prefill
 */
export function measurementFeatures(rows: readonly Measurement[], options: FeatureOptions = {}, required = false): RequestFeatures[] {
  const { resolve, weightBytes = 2, kvBytes = 2 } = options;
  const archs = new Map<string, { arch: Architecture | null; error?: string }>();
  const archOf = (model: string) => {
    let hit = archs.get(model);
    if (!hit) {
      try {
        hit = resolve ? { arch: resolve(model) } : { arch: null, error: 'no architecture resolver given' };
      } catch (error) {
        hit = { arch: null, error: (error as Error).message };
      }
      archs.set(model, hit);
    }
    return hit;
  };
  const kernels = new Map<Architecture, { kernel: ReturnType<typeof termsKernel>; wb: number; params: number; attention: AttentionImpl }>();
  return rows.map((r) => {
    const { arch, error } = archOf(r.model);
    const out = emptyFeatures();
    if (!arch) {
      if (required) throw new SweetspotInputError(`line ${r.line ?? '?'}: model: '${r.model}' has no known architecture (${error})`);
      for (const name of FEATURE_NAMES) out[name] = NaN;
      out.nIn = r.nIn;
      out.nOut = r.nOut;
      out.batch = r.batchSize;
      return out;
    }
    let k = kernels.get(arch);
    if (!k) {
      k = { kernel: termsKernel(arch, kvBytes), wb: weightBytesPerStep(arch, weightBytes), params: paramCount(arch), attention: attentionFor(options.attention ?? 'fused', arch) };
      kernels.set(arch, k);
    }
    fillFeatures(k.kernel, r.nIn, r.nOut, r.batchSize, r.kvCache ? 'kv-cache' : 'recompute', k.wb, out, k.attention);
    out.params = k.params;
    return out;
  });
}
