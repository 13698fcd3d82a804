import type { Architecture } from '../architecture/schema.js';

/**
 * P_blk: matmul weights of all blocks, `L·(d·H·dh + 2·d·Hkv·dh + H·dh·d + g·d·F)`.
 * Biases and norms are left out (they count in the parameter count, not in FLOPs or bytes).
 *
 * @example
 * blockMatmulParams(preset('llama-2-7b')) // 6_476_005_376
 */
export function blockMatmulParams(arch: Architecture): number {
  const { hiddenSize: d, numHeads: h, numKvHeads: hkv, headDim: dh, intermediateSize: f } = arch;
  const g = arch.gatedMlp ? 3 : 2;
  return arch.numLayers * (d * h * dh + 2 * d * hkv * dh + h * dh * d + g * d * f);
}

/** d·V: the LM head's weights (read and multiplied every forward step, tied or not). */
export function lmHeadParams(arch: Architecture): number {
  return arch.hiddenSize * arch.vocabSize;
}

/**
 * Wb = bw·(P_blk + d·V): weight bytes one forward step reads.
 *
 * @example
 * weightBytesPerStep(preset('llama-2-7b'), 2) // 13_214_154_752
 */
export function weightBytesPerStep(arch: Architecture, weightBytes: number): number {
  return weightBytes * (blockMatmulParams(arch) + lmHeadParams(arch));
}

/** kv_l = 2·Hkv·dh·bkv: bytes one cached token takes in one layer. */
export function kvBytesPerTokenPerLayer(arch: Architecture, kvBytes: number): number {
  return 2 * arch.numKvHeads * arch.headDim * kvBytes;
}

/**
 * KV-cache bytes per token over all layers while the context is shorter than every window.
 *
 * @example
 * kvBytesPerToken(preset('llama-3.1-8b')) // 131072 (2·8·128·2 bytes × 32 layers)
 */
export function kvBytesPerToken(arch: Architecture, kvBytes = 2): number {
  return kvBytesPerTokenPerLayer(arch, kvBytes) * arch.numLayers;
}
