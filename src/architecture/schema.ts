import type { z } from 'zod';
import { checkWhere } from '../arguments.js';
import { parseWith } from '../errors.js';
import { lazySchema } from '../zod.js';
import { isDeepFrozen } from '../freeze.js';
// Types only: the values are built on first use below; schemas.ts holds the layer entry's copies.
import type { ArchitectureSchema, SlidingWindowSchema } from './schemas.js';
import { ARCHITECTURE_LIMITS as LIMITS } from './limits.js';

/**
 * The zod schemas of an architecture, built on first use (zod loads only when input is checked);
 * `sweetspot/architecture` exports them as `ArchitectureSchema` and `SlidingWindowSchema`.
 *
 * @example
 * architectureSchemas().ArchitectureSchema.parse(input)
 */
export const architectureSchemas = lazySchema((z) => {
  const positiveInt = z.number().int().positive();
  // Sizes are bounded before anything is allocated per layer (docs/architectures.md#limits-on-untrusted-input).
  const size = (max: number) => positiveInt.max(max, `must be at most ${max}`);

  const SlidingWindowSchema = z
    .object({
      size: size(LIMITS.slidingWindow),
      /** `all`, `even` (layers 0, 2, …), `odd`, or explicit 0-based layer indices. */
      layers: z.union([z.enum(['all', 'even', 'odd']), z.array(z.number().int().nonnegative()).max(LIMITS.numLayers)]),
    })
    .strict();

  const ArchitectureSchema = z
    .object({
      /** Short id, e.g. `llama-3.1-8b`. */
      id: z.string().min(1),
      /** Hugging Face repo id, e.g. `meta-llama/Llama-3.1-8B`. */
      hfId: z.string().min(1).optional(),
      family: z.string().min(1).optional(),
      /** Hugging Face `model_type` (llama, mistral, qwen2, gemma, gemma2, granite, opt, falcon, …). */
      modelType: z.string().min(1),
      /** d: width of the residual stream. */
      hiddenSize: size(LIMITS.hiddenSize),
      /** L: number of transformer blocks. */
      numLayers: size(LIMITS.numLayers),
      /** H: query heads. */
      numHeads: size(LIMITS.numHeads),
      /** Hkv: key/value heads (= H for MHA, 1 for MQA). */
      numKvHeads: size(LIMITS.numKvHeads),
      /** dh: head dimension (the config's `head_dim` where given, else d/H). */
      headDim: size(LIMITS.headDim),
      /** True when the config sets `head_dim` explicitly. */
      headDimExplicit: z.boolean(),
      /** F: intermediate (MLP) size. */
      intermediateSize: size(LIMITS.intermediateSize),
      /** Gated MLP (SwiGLU/GeGLU: gate, up, down = 3 matrices) or plain (2 matrices). */
      gatedMlp: z.boolean(),
      /** V: vocabulary size (rows of the embedding and the LM head). */
      vocabSize: size(LIMITS.vocabSize),
      /** LM head shares the embedding matrix (changes the parameter count only). */
      tiedEmbeddings: z.boolean(),
      /** Longest context the model supports (`max_position_embeddings`). */
      maxPositions: size(LIMITS.maxPositions),
      slidingWindow: SlidingWindowSchema.nullable(),
      /** Attention and MLP read the same normalised input in parallel (Falcon, GPT-J). */
      parallelAttention: z.boolean(),
      /**
       * Which linear layers carry a bias: none, only q/k/v (Qwen2), all four attention projections
       * q/k/v/o but no MLP (a Llama-type config with `attention_bias`), or all (OPT).
       */
      biases: z.enum(['none', 'qkv', 'attention', 'all']),
      /** Normalisation layers: kind, count per block, whether a final norm follows the last block. */
      norm: z
        .object({
          kind: z.enum(['layernorm', 'rmsnorm']),
          perLayer: z.number().int().nonnegative().max(LIMITS.normsPerLayer),
          final: z.boolean(),
        })
        .strict(),
      /** Positional embedding: rotary, ALiBi, or a learned table with `rows` rows. */
      positionalEmbedding: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('rope') }).strict(),
        z.object({ kind: z.literal('alibi') }).strict(),
        z.object({ kind: z.literal('learned'), rows: size(LIMITS.maxPositions + 2) }).strict(),
      ]),
      /** Where the values come from (URLs, repos). */
      sources: z.array(z.string()).default([]),
    })
    .strict()
    .superRefine((a, ctx) => {
      if (a.numHeads % a.numKvHeads !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['numKvHeads'],
          message: `numKvHeads (${a.numKvHeads}) must divide numHeads (${a.numHeads})`,
        });
      }
      if (a.slidingWindow && Array.isArray(a.slidingWindow.layers)) {
        for (const l of a.slidingWindow.layers) {
          if (l >= a.numLayers) {
            ctx.addIssue({
              code: 'custom',
              path: ['slidingWindow', 'layers'],
              message: `layer index ${l} is out of range 0..${a.numLayers - 1}`,
            });
          }
        }
      }
    });
  return { SlidingWindowSchema, ArchitectureSchema };
});

/**
 * A validated architecture.
 *
 * @example
 * const arch: Architecture = preset('gemma-2-9b');
 * @category Models and GPUs
 */
export type Architecture = z.output<typeof ArchitectureSchema>;
/**
 * An architecture as written by hand (defaults not yet applied).
 *
 * @example
 * const input: ArchitectureInput = { ...preset('qwen2-7b'), id: 'qwen2-7b-long', maxPositions: 131072 };
 */
export type ArchitectureInput = z.input<typeof ArchitectureSchema>;
/**
 * A validated attention window (see {@link SlidingWindowSchema}).
 *
 * @example
 * const w: SlidingWindow = { size: 4096, layers: 'all' }; // Mistral-7B-v0.1
 */
export type SlidingWindow = z.output<typeof SlidingWindowSchema>;

/**
 * Checks `arch` against {@link ArchitectureSchema} and returns it as it was given (same object),
 * so that functions taking an architecture fail on a bad one instead of returning NaN.
 *
 * @throws {SweetspotInputError} naming every bad field, prefixed with `where`.
 * @example
 * checkArchitecture({ ...preset('llama-2-7b'), hiddenSize: -1 }) // throws 'architecture: hiddenSize: …'
 */
export function checkArchitecture(arch: Architecture, where = 'architecture'): Architecture {
  where = checkWhere('checkArchitecture', where);
  if (typeof arch === 'object' && arch !== null && checkedFrozen.has(arch)) return arch;
  parseWith(architectureSchemas().ArchitectureSchema, arch, where);
  // A record frozen all the way down cannot change after the check: remember it (the presets).
  if (isDeepFrozen(arch)) checkedFrozen.add(arch);
  return arch;
}

/** Architectures already checked that can no longer change. */
const checkedFrozen = new WeakSet<object>();

/**
 * Records a built-in architecture, frozen all the way down, as checked: the tests check every
 * preset against the schema (docs/conventions.md#built-in-data), so it is not checked again at
 * run time.
 *
 * @example
 * trustBuiltInArchitecture(deepFreeze(input))
 */
export function trustBuiltInArchitecture(arch: Architecture): Architecture {
  if (!isDeepFrozen(arch)) throw new Error(`built-in architecture ${arch.id} must be frozen`);
  checkedFrozen.add(arch);
  return arch;
}

