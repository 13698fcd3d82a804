import type { Architecture } from '../architecture/schema.js';
import { causalPairs, sumCausalPairs, sumMin, sumSquares } from './sums.js';
import { EAGER_SCORE_BYTES, MASKED_SCORE_BYTES, type AttentionImpl, type Regime, type RequestTerms } from './terms.js';
import type { TermsKernel } from './terms.js';

/**
 * One request as a flat record of numbers: its lengths and its complexity terms. This is what
 * energy forms read, and the variables a user formula may name. Flat and numeric so that a
 * surface can refill one record per grid point without allocating.
 *
 * @example
 * const f: RequestFeatures = featuresFromTerms(requestTerms(preset('llama-2-7b'), { nIn: 512, nOut: 64 }));
 * f.decodeSteps // 63
 */
export interface RequestFeatures {
  nIn: number;
  nOut: number;
  batch: number;
  prefillFlops: number;
  prefillBytes: number;
  prefillAttentionFlops: number;
  decodeFlops: number;
  decodeBytes: number;
  decodeAttentionFlops: number;
  /** KV-cache bytes read by all decode steps (0 in the recompute regime). */
  decodeKvBytes: number;
  decodeSteps: number;
  /** KV-cache bytes held after the prefill. */
  kvCacheBytesAfterPrefill: number;
  /** KV-cache bytes held at the end of the request. */
  kvCacheBytes: number;
  totalFlops: number;
  totalBytes: number;
  /** Wb: weight bytes read by one forward step. */
  weightBytesPerStep: number;
  /** Unique parameter count of the architecture (0 when unknown). */
  params: number;
  /** Bytes of attention scores the prefill materialises (eager attention; 0 when fused). */
  prefillScoreBytes: number;
  /** Bytes of attention scores all decode steps materialise (eager attention; 0 when fused). */
  decodeScoreBytes: number;
  /**
   * GPUs a measured call ran on, tensor parallel (absent: 1). Set by the fit layer from a row's
   * `gpus`; predictions on g GPUs scale the bound θ instead (docs/energy-models.md#memory, tensor parallelism).
   */
  gpus?: number;
  /**
   * Waves the engine ran the call in, when its batch exceeds the GPUs' memory (absent: 1). Set by
   * the `waves` option of estimates, surfaces and fits; the hardware form then prices the call as
   * `waves` calls of `batch / waves` sequences (docs/energy-models.md#batches-that-exceed-memory),
   * and the forms fitted to measured calls ignore it.
   */
  waves?: number;
}

/**
 * Names of the {@link RequestFeatures} fields, in a fixed order.
 *
 * @example
 * FEATURE_NAMES.includes('prefillFlops') // true
 */
export const FEATURE_NAMES = [
  'nIn',
  'nOut',
  'batch',
  'prefillFlops',
  'prefillBytes',
  'prefillAttentionFlops',
  'decodeFlops',
  'decodeBytes',
  'decodeAttentionFlops',
  'decodeKvBytes',
  'decodeSteps',
  'kvCacheBytesAfterPrefill',
  'kvCacheBytes',
  'totalFlops',
  'totalBytes',
  'weightBytesPerStep',
  'params',
  'prefillScoreBytes',
  'decodeScoreBytes',
] as const satisfies ReadonlyArray<keyof RequestFeatures>;

/**
 * A zeroed features record, to be refilled by {@link fillFeatures}.
 *
 * @example
 * emptyFeatures().totalFlops // 0
 */
export function emptyFeatures(): RequestFeatures {
  const f = {} as RequestFeatures;
  for (const name of FEATURE_NAMES) f[name] = 0;
  return f;
}

/**
 * Writes the terms of a request into `out` (no checks, no allocation): the hot path of surfaces
 * and fits. `weightBytesPerStep` is Wb for the chosen weight precision; `out.params` is left as
 * it is (set it once per architecture, e.g. to `paramCount(arch)`).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the per-point kernel of the estimator and the surfaces, on a kernel `termsKernel` made. It checks
 * nothing; junk fails inside it.
 * @example
 * const arch = preset('llama-3.1-8b');
 * const f = fillFeatures(termsKernel(arch), 1024, 256, 1, 'kv-cache', weightBytesPerStep(arch, 2), emptyFeatures());
 * f.decodeSteps // 255
 */
export function fillFeatures(
  kernel: TermsKernel,
  nIn: number,
  nOut: number,
  batch: number,
  regime: Regime,
  weightBytesPerStep: number,
  out: RequestFeatures,
  attention: AttentionImpl = 'fused',
): RequestFeatures {
  const i = nIn;
  const steps = nOut - 1;
  const first = i + 1;
  const last = i + nOut - 1;
  let prefillAttn = 0;
  let decodeAttn = 0;
  let decodeKv = 0;
  let heldAfterPrefill = 0;
  let heldFinal = 0;
  const kv = regime === 'kv-cache';
  for (const g of kernel.groups) {
    prefillAttn += g.attnCoef * causalPairs(i, g.window);
    if (kv) {
      const keys = sumMin(first, last, g.window);
      decodeAttn += g.attnCoef * keys;
      decodeKv += g.kvPerToken * keys;
      heldAfterPrefill += g.kvPerToken * Math.min(i, g.window);
      heldFinal += g.kvPerToken * Math.min(last, g.window);
    } else {
      decodeAttn += g.attnCoef * sumCausalPairs(first, last, g.window);
    }
  }
  // Tokens through the block matmuls during decode: one per step, or the whole prefix when recomputing.
  const decodeTokens = kv ? steps : sumMin(first, last, Infinity);
  let prefillScores = 0;
  let decodeScores = 0;
  if (attention !== 'fused') {
    // Eager and masked attention compute every pass's full q × kv score matrix, per query head and
    // layer, and mask it afterwards: windows and causality save neither FLOPs nor bytes.
    prefillScores = kernel.scoreHeads * i * i;
    decodeScores = kernel.scoreHeads * (kv ? sumMin(first, last, Infinity) : sumSquares(first, last));
    prefillAttn = 4 * kernel.headDim * prefillScores;
    decodeAttn = 4 * kernel.headDim * decodeScores;
  }
  out.nIn = nIn;
  out.nOut = nOut;
  out.batch = batch;
  out.prefillAttentionFlops = batch * prefillAttn;
  out.prefillFlops = batch * (kernel.linearFlopsPerToken * i + kernel.headFlops + prefillAttn);
  // The prefill writes the KV cache it leaves behind.
  out.prefillBytes = weightBytesPerStep + batch * heldAfterPrefill;
  out.decodeAttentionFlops = batch * decodeAttn;
  out.decodeFlops = batch * (kernel.linearFlopsPerToken * decodeTokens + kernel.headFlops * steps + decodeAttn);
  out.decodeKvBytes = batch * decodeKv;
  out.decodeBytes = steps * weightBytesPerStep + batch * decodeKv;
  out.decodeSteps = steps;
  out.kvCacheBytesAfterPrefill = batch * heldAfterPrefill;
  out.kvCacheBytes = batch * heldFinal;
  out.totalFlops = out.prefillFlops + out.decodeFlops;
  out.totalBytes = out.prefillBytes + out.decodeBytes;
  out.weightBytesPerStep = weightBytesPerStep;
  const perScore = attention === 'eager' ? EAGER_SCORE_BYTES : MASKED_SCORE_BYTES;
  out.prefillScoreBytes = batch * perScore * prefillScores;
  out.decodeScoreBytes = batch * perScore * decodeScores;
  return out;
}

/**
 * The features of a request whose terms are already computed; `params` is the architecture's
 * parameter count if the caller wants it in the record (0 otherwise).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per request by the estimator and the fitter, on terms `requestTerms` made. It checks
 * nothing; junk fails inside it.
 * @example
 * const arch = preset('qwen2-7b');
 * featuresFromTerms(requestTerms(arch, { nIn: 100, nOut: 10 }), paramCount(arch)).params // 7_615_616_512
 */
export function featuresFromTerms(terms: RequestTerms, params = 0): RequestFeatures {
  const r = terms.request;
  return {
    nIn: r.nIn,
    nOut: r.nOut,
    batch: r.batch,
    prefillFlops: terms.prefill.flops,
    prefillBytes: terms.prefill.bytes,
    prefillAttentionFlops: terms.prefill.attentionFlops,
    decodeFlops: terms.decode.flops,
    decodeBytes: terms.decode.bytes,
    decodeAttentionFlops: terms.decode.attentionFlops,
    decodeKvBytes: terms.decode.kvBytes,
    decodeSteps: terms.decode.steps,
    kvCacheBytesAfterPrefill: terms.kvCacheBytes.afterPrefill,
    kvCacheBytes: terms.kvCacheBytes.final,
    totalFlops: terms.total.flops,
    totalBytes: terms.total.bytes,
    weightBytesPerStep: terms.weightBytesPerStep,
    params,
    prefillScoreBytes: terms.prefill.scoreBytes,
    decodeScoreBytes: terms.decode.scoreBytes,
  };
}

export type { Architecture };
