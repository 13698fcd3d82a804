import { checkArchitecture, type Architecture } from './schema.js';

/**
 * Unique parameters of an architecture, by part. `total` is their sum.
 *
 * @example
 * const b = paramBreakdown(preset('gemma-2-9b'));
 * b.total - b.embedding // 8_324_201_984 non-embedding parameters
 */
export interface ParamBreakdown {
  /** V·d token embedding. */
  readonly embedding: number;
  /** d·V when the LM head is its own matrix, 0 when it is tied to the embedding. */
  readonly lmHead: number;
  /** Rows·d of a learned positional table (0 for rotary or ALiBi). */
  readonly positions: number;
  /** Attention matmuls of all blocks: q, k, v and output projections. */
  readonly attention: number;
  /** MLP matmuls of all blocks (gate, up, down or fc1, fc2). */
  readonly mlp: number;
  /** Bias vectors of the linear layers, per the `biases` field. */
  readonly biases: number;
  /** Norm weights (and LayerNorm biases) of all blocks and the final norm. */
  readonly norms: number;
  readonly total: number;
}

/** Bias elements of one block: q/k/v outputs, the attention output, the MLP hidden and output. */
function biasesPerLayer(a: Architecture): number {
  const qkv = a.numHeads * a.headDim + 2 * a.numKvHeads * a.headDim;
  const attentionOut = a.hiddenSize;
  const mlp = (a.gatedMlp ? 2 : 1) * a.intermediateSize + a.hiddenSize;
  switch (a.biases) {
    case 'none':
      return 0;
    case 'qkv':
      return qkv;
    case 'attention':
      return qkv + attentionOut;
    case 'all':
      return qkv + attentionOut + mlp;
  }
}

/**
 * Unique parameters by part: each tensor counted once, so a tied LM head adds nothing.
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture.
 * @example
 * paramBreakdown(preset('falcon-7b')).lmHead // 0 (tied to the embedding)
 */
export function paramBreakdown(arch: Architecture): ParamBreakdown {
  const a = checkArchitecture(arch);
  const { hiddenSize: d, numLayers: layers, numHeads: h, numKvHeads: hkv, headDim: dh } = a;
  const embedding = a.vocabSize * d;
  const lmHead = a.tiedEmbeddings ? 0 : a.vocabSize * d;
  const positions = a.positionalEmbedding.kind === 'learned' ? a.positionalEmbedding.rows * d : 0;
  const attention = layers * (d * h * dh + 2 * d * hkv * dh + h * dh * d);
  const mlp = layers * (a.gatedMlp ? 3 : 2) * d * a.intermediateSize;
  const biases = layers * biasesPerLayer(a);
  // A LayerNorm has a gain and a bias per channel; an RMSNorm only the gain.
  const perNorm = a.norm.kind === 'layernorm' ? 2 * d : d;
  const norms = perNorm * (layers * a.norm.perLayer + (a.norm.final ? 1 : 0));
  const total = embedding + lmHead + positions + attention + mlp + biases + norms;
  return { embedding, lmHead, positions, attention, mlp, biases, norms, total };
}

/**
 * Unique parameter count: embedding, LM head unless tied, learned positions, block matmuls, biases
 * and norms. Exact in double precision for any model below 9·10¹⁵ parameters.
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture.
 * @example
 * paramCount(preset('llama-2-7b')) // 6_738_415_616
 * @category Models and GPUs
 */
export function paramCount(arch: Architecture): number {
  return paramBreakdown(arch).total;
}
