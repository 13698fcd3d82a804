import { z } from 'zod';
import type { Architecture } from '../architecture/schema.js';
import { windowGroups } from '../architecture/windows.js';
import { SweetspotInputError, parseWith } from '../errors.js';
import { emptyFeatures, fillFeatures } from './features.js';
import { blockMatmulParams, kvBytesPerTokenPerLayer, lmHeadParams, weightBytesPerStep } from './weights.js';

/** How the engine generates: with a KV cache (production engines) or recomputing the whole prefix. */
export type Regime = 'kv-cache' | 'recompute';

export const RequestSchema = z
  .object({
    /** Prompt tokens, i ≥ 1. */
    nIn: z.number().int().min(1),
    /** Output tokens, o ≥ 1. */
    nOut: z.number().int().min(1),
    /** Identical requests run together, B ≥ 1. */
    batch: z.number().int().min(1).default(1),
    /** Bytes per weight (2 for 16-bit; 1 for 8-bit; 0.5 for 4-bit). */
    weightBytes: z.number().positive().finite().default(2),
    /** Bytes per KV-cache element. */
    kvBytes: z.number().positive().finite().default(2),
    regime: z.enum(['kv-cache', 'recompute']).default('kv-cache'),
    /** Allow `nIn + nOut − 1` beyond the architecture's `maxPositions`. */
    allowOverflow: z.boolean().default(false),
  })
  .strict();

export type RequestInput = z.input<typeof RequestSchema>;
export type Request = z.output<typeof RequestSchema>;

/** FLOPs and bytes of one phase; `attentionFlops` and `kvBytes` are the parts of them due to attention. */
export interface PhaseTerms {
  readonly flops: number;
  readonly bytes: number;
  /** FLOPs of attention scores and weighted values (the part that grows with context). */
  readonly attentionFlops: number;
  /** Bytes of KV cache written (prefill) or read (decode); 0 in the recompute regime. */
  readonly kvBytes: number;
}

/** The complexity terms of one request (DESIGN.md §3). FLOPs count a multiply-add as 2. */
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
 */
export interface TermsKernel {
  readonly arch: Architecture;
  /** 2·P_blk: FLOPs per token of the block matmuls. */
  readonly linearFlopsPerToken: number;
  /** 2·d·V: FLOPs of the LM head for one position. */
  readonly headFlops: number;
  /** Attention coefficient per window group: 4·H·dh·(layers in the group). */
  readonly groups: ReadonlyArray<{ window: number; attnCoef: number; kvPerToken: number }>;
}

/** Precomputes the per-architecture constants (see {@link TermsKernel}). */
export function termsKernel(arch: Architecture, kvBytes = 2): TermsKernel {
  const attnPerLayer = 4 * arch.numHeads * arch.headDim;
  const kvPerLayer = kvBytesPerTokenPerLayer(arch, kvBytes);
  return {
    arch,
    linearFlopsPerToken: 2 * blockMatmulParams(arch),
    headFlops: 2 * lmHeadParams(arch),
    groups: windowGroups(arch).map((g) => ({
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
 * @throws {SweetspotInputError} on a bad request, or one longer than the context unless `allowOverflow`.
 * @example
 * const t = requestTerms(preset('llama-3.1-8b'), { nIn: 1024, nOut: 256 });
 * t.decode.steps // 255
 */
export function requestTerms(arch: Architecture, input: RequestInput): RequestTerms {
  const req = parseWith(RequestSchema, input, 'request');
  const length = req.nIn + req.nOut - 1;
  if (!req.allowOverflow && length > arch.maxPositions) {
    throw new SweetspotInputError(
      `request: nIn + nOut - 1 = ${length} exceeds ${arch.id}'s context of ${arch.maxPositions} tokens (allowOverflow to compute it anyway)`,
    );
  }
  return termsWithKernel(termsKernel(arch, req.kvBytes), req);
}

/** {@link requestTerms} for a validated request and a precomputed kernel (no checks). */
export function termsWithKernel(kernel: TermsKernel, req: Request): RequestTerms {
  const wb = weightBytesPerStep(kernel.arch, req.weightBytes);
  const f = fillFeatures(kernel, req.nIn, req.nOut, req.batch, req.regime, wb, emptyFeatures());
  return {
    request: req,
    prefill: { flops: f.prefillFlops, bytes: f.prefillBytes, attentionFlops: f.prefillAttentionFlops, kvBytes: f.kvCacheBytesAfterPrefill },
    decode: {
      flops: f.decodeFlops,
      bytes: f.decodeBytes,
      attentionFlops: f.decodeAttentionFlops,
      kvBytes: f.decodeKvBytes,
      steps: f.decodeSteps,
    },
    kvCacheBytes: { afterPrefill: f.kvCacheBytesAfterPrefill, final: f.kvCacheBytes },
    total: { flops: f.totalFlops, bytes: f.totalBytes },
    weightBytesPerStep: wb,
  };
}
