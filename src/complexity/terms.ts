import type { z } from 'zod';
import { checkArchitecture, type Architecture } from '../architecture/schema.js';
import { windowGroupsOf } from '../architecture/windows.js';
import { SweetspotInputError, parseWith } from '../errors.js';
import { lazySchema } from '../zod.js';
import { MAX_BATCH } from './limits.js';
// Types only: the value is built on first use below; schemas.ts holds the layer entry's copy.
import type { RequestSchema } from './schemas.js';
import { emptyFeatures, fillFeatures } from './features.js';
import { blockMatmulParamsOf, checkBytes } from './weights.js';

/**
 * How the engine generates: with a KV cache (production engines) or recomputing the whole prefix.
 *
 * @example
 * const regime: Regime = 'recompute'; // Hugging Face generate(use_cache=False)
 */
export type Regime = 'kv-cache' | 'recompute';

/**
 * How the engine computes attention (docs/complexity.md#attention-implementations): `fused`
 * (FlashAttention, fused SDPA kernels: scores stay in on-chip memory, causal blocks skipped),
 * `masked` (a fused kernel given an explicit additive mask: it computes the full q × kv matrix and
 * reads one mask value per score element and head) or `eager` (QKᵀ, mask, softmax and PV as
 * separate kernels: every pass writes and reads its full q × kv score matrix per query head and layer).
 *
 * @example
 * const attention: AttentionImpl = 'eager'; // Hugging Face's "eager" attn_implementation
 */
export type AttentionImpl = 'fused' | 'masked' | 'eager';

/**
 * Bytes moved through HBM per score element by a fused kernel given an explicit 16-bit additive
 * mask: it reads the mask value (2), and torch first copies a mask slice whose rows are not
 * aligned to the kernel's tiles (2). docs/complexity.md derives it.
 *
 * @example
 * MASKED_SCORE_BYTES // 4
 */
export const MASKED_SCORE_BYTES = 4;

/**
 * Bytes moved through HBM per score element by an eager attention with 16-bit activations: QKᵀ
 * writes the score (2), the scale-and-mask pass reads it and the mask and writes it (6), softmax
 * reads and writes (4), PV reads the probabilities (2). docs/complexity.md derives it.
 *
 * @example
 * EAGER_SCORE_BYTES // 14
 */
export const EAGER_SCORE_BYTES = 14;

/**
 * The zod schema of a request, built on first use (zod loads only when input is checked);
 * `sweetspot/complexity` exports it as `RequestSchema`.
 *
 * @example
 * requestSchema().parse({ nIn: 1024, nOut: 256 }).weightBytes // 2
 */
export const requestSchema = lazySchema((z) =>
  z
    .object({
      /** Prompt tokens, i ≥ 1. */
      nIn: z.number().int().min(1),
      /** Output tokens, o ≥ 1. */
      nOut: z.number().int().min(1),
      /** Identical requests run together, 1 ≤ B ≤ {@link MAX_BATCH}. */
      batch: z.number().int().min(1).max(MAX_BATCH, `must be at most ${MAX_BATCH}`).default(1),
      /** Bytes per weight (2 for 16-bit; 1 for 8-bit; 0.5 for 4-bit). */
      weightBytes: z.number().positive().finite().default(2),
      /** Bytes per KV-cache element. */
      kvBytes: z.number().positive().finite().default(2),
      regime: z.enum(['kv-cache', 'recompute']).default('kv-cache'),
      /** Attention implementation: `fused` (default), `masked` (full matrices, mask read per element) or `eager` (score matrices materialised). */
      attention: z.enum(['fused', 'masked', 'eager']).default('fused'),
      /** Allow `nIn + nOut − 1` beyond the architecture's `maxPositions`. */
      allowOverflow: z.boolean().default(false),
    })
    .strict(),
);

/**
 * A request as written by the caller (defaults not yet applied).
 *
 * @example
 * const r: RequestInput = { nIn: 2048, nOut: 128, batch: 8, weightBytes: 0.5 };
 */
export type RequestInput = z.input<typeof RequestSchema>;
/**
 * A validated request, every default applied.
 *
 * @example
 * const r: Request = RequestSchema.parse({ nIn: 2048, nOut: 128 });
 */
export type Request = z.output<typeof RequestSchema>;

/**
 * FLOPs and bytes of one phase; `attentionFlops` and `kvBytes` are the parts of them due to attention.
 *
 * @example
 * const p: PhaseTerms = requestTerms(preset('llama-2-7b'), { nIn: 512, nOut: 64 }).prefill;
 */
export interface PhaseTerms {
  readonly flops: number;
  readonly bytes: number;
  /** FLOPs of attention scores and weighted values (the part that grows with context). */
  readonly attentionFlops: number;
  /** Bytes of KV cache written (prefill) or read (decode); 0 in the recompute regime. */
  readonly kvBytes: number;
  /** Bytes of materialised attention scores written and read (eager attention); 0 when fused. */
  readonly scoreBytes: number;
}

/**
 * The complexity terms of one request (docs/complexity.md). FLOPs count a multiply-add as 2.
 *
 * @example
 * const t: RequestTerms = requestTerms(preset('gemma-2-9b'), { nIn: 8000, nOut: 100 });
 * t.kvCacheBytes.final // the 4096-token window caps the cache of the even layers
 * @category Models and GPUs
 */
export interface RequestTerms {
  readonly request: Request;
  readonly prefill: PhaseTerms;
  readonly decode: PhaseTerms & { readonly steps: number };
  readonly kvCacheBytes: { readonly afterPrefill: number; readonly final: number };
  readonly total: { readonly flops: number; readonly bytes: number };
  /** Wb: weight bytes read by one forward step. */
  readonly weightBytesPerStep: number;
}

/**
 * Per-architecture constants of the closed forms, computed once and reused for many requests.
 *
 * @example
 * const k: TermsKernel = termsKernel(preset('mistral-7b'));
 * k.groups // [{ window: 4096, attnCoef: 524288, kvPerToken: 131072 }]
 */
export interface TermsKernel {
  readonly arch: Architecture;
  /** 2·P_blk: FLOPs per token of the block matmuls. */
  readonly linearFlopsPerToken: number;
  /** 2·d·V: FLOPs of the LM head for one position. */
  readonly headFlops: number;
  /** Attention coefficient per window group: 4·H·dh·(layers in the group). */
  readonly groups: ReadonlyArray<{ window: number; attnCoef: number; kvPerToken: number }>;
  /** Σ_l H: score elements per (query, key) pair over all layers, what eager attention materialises. */
  readonly scoreHeads: number;
  /** dh: an eager score element costs 4·dh FLOPs (its q·k and its share of PV). */
  readonly headDim: number;
}

/**
 * Precomputes the per-architecture constants (see {@link TermsKernel}).
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture or `kvBytes` is not a
 * positive finite number, naming the field.
 * @example
 * const kernel = termsKernel(preset('llama-3.1-8b'), 1); // 8-bit KV cache
 * kernel.headFlops // 2 · 4096 · 128256
 */
export function termsKernel(arch: Architecture, kvBytes = 2): TermsKernel {
  checkArchitecture(arch);
  const attnPerLayer = 4 * arch.numHeads * arch.headDim;
  const kvPerLayer = 2 * arch.numKvHeads * arch.headDim * checkBytes(kvBytes, 'kvBytes');
  return {
    arch,
    linearFlopsPerToken: 2 * blockMatmulParamsOf(arch),
    headFlops: 2 * arch.hiddenSize * arch.vocabSize,
    scoreHeads: arch.numHeads * arch.numLayers,
    headDim: arch.headDim,
    groups: windowGroupsOf(arch).map((g) => ({
      window: g.window,
      attnCoef: attnPerLayer * g.layers,
      kvPerToken: kvPerLayer * g.layers,
    })),
  };
}

/**
 * The complexity terms of a request: prefill and decode FLOPs and bytes, decode steps, KV-cache
 * size, totals. Closed forms only: the cost does not depend on the lengths.
 *
 * @throws {SweetspotInputError} on a bad architecture or request (naming the field), a request
 * longer than the context unless `allowOverflow`, or terms too large for double precision.
 * @example
 * const t = requestTerms(preset('llama-3.1-8b'), { nIn: 1024, nOut: 256 });
 * t.decode.steps // 255
 * @category Models and GPUs
 */
export function requestTerms(arch: Architecture, input: RequestInput): RequestTerms {
  checkArchitecture(arch);
  const req = parseWith(requestSchema(), input, 'request');
  const length = req.nIn + req.nOut - 1;
  if (!req.allowOverflow && length > arch.maxPositions) {
    throw new SweetspotInputError(
      `request: nIn + nOut - 1 = ${length} exceeds ${arch.id}'s context of ${arch.maxPositions} tokens (allowOverflow to compute it anyway)`,
    );
  }
  const terms = termsWithKernel(termsKernel(arch, req.kvBytes), req);
  // Every input is finite, but absurd byte sizes (1e300 bytes per weight) can still overflow a double.
  if (
    !Number.isFinite(terms.total.flops) ||
    !Number.isFinite(terms.total.bytes) ||
    !Number.isFinite(terms.kvCacheBytes.final) ||
    !Number.isFinite(terms.decode.scoreBytes)
  ) {
    throw new SweetspotInputError(
      `request: the terms exceed double precision (total.flops ${terms.total.flops}, total.bytes ${terms.total.bytes}); check weightBytes (${req.weightBytes}), kvBytes (${req.kvBytes}) and batch (${req.batch})`,
    );
  }
  return terms;
}

/**
 * {@link requestTerms} for a validated request and a precomputed kernel (no checks): for callers
 * that evaluate many requests of one architecture.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the per-request path of `requestTerms`, on a kernel `termsKernel` made. It checks
 * nothing; junk fails inside it.
 * @example
 * const kernel = termsKernel(preset('qwen2-7b'));
 * const t = termsWithKernel(kernel, RequestSchema.parse({ nIn: 100, nOut: 10 }));
 */
export function termsWithKernel(kernel: TermsKernel, req: Request): RequestTerms {
  // Wb = bw·(P_blk + d·V), from the kernel's 2·P_blk and 2·d·V.
  const wb = req.weightBytes * ((kernel.linearFlopsPerToken + kernel.headFlops) / 2);
  const f = fillFeatures(kernel, req.nIn, req.nOut, req.batch, req.regime, wb, emptyFeatures(), req.attention);
  return {
    request: req,
    prefill: {
      flops: f.prefillFlops,
      bytes: f.prefillBytes,
      attentionFlops: f.prefillAttentionFlops,
      kvBytes: f.kvCacheBytesAfterPrefill,
      scoreBytes: f.prefillScoreBytes,
    },
    decode: {
      flops: f.decodeFlops,
      bytes: f.decodeBytes,
      attentionFlops: f.decodeAttentionFlops,
      kvBytes: f.decodeKvBytes,
      scoreBytes: f.decodeScoreBytes,
      steps: f.decodeSteps,
    },
    kvCacheBytes: { afterPrefill: f.kvCacheBytesAfterPrefill, final: f.kvCacheBytes },
    total: { flops: f.totalFlops, bytes: f.totalBytes },
    weightBytesPerStep: wb,
  };
}
