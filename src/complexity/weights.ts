import { checkArchitecture, type Architecture } from '../architecture/schema.js';
import { SweetspotInputError } from '../errors.js';
import { shownValue } from '../arguments.js';

/**
 * A bytes-per-element argument: a positive finite number (0.5 for 4-bit is fine), else an error naming it.
 *
 * @example
 * checkBytes(0.5, 'weightBytes') // 0.5
 * checkBytes(0, 'kvBytes') // throws 'kvBytes must be a positive finite number of bytes, got 0'
 */
export function checkBytes(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SweetspotInputError(`${name} must be a positive finite number of bytes, got ${shownValue(value)}`);
  }
  return value;
}

/**
 * P_blk of an architecture already validated (no checks; internal hot path).
 *
 * @example
 * blockMatmulParamsOf(preset('llama-2-7b')) // 6_476_005_376
 */
export function blockMatmulParamsOf(arch: Architecture): number {
  const { hiddenSize: d, numHeads: h, numKvHeads: hkv, headDim: dh, intermediateSize: f } = arch;
  const g = arch.gatedMlp ? 3 : 2;
  return arch.numLayers * (d * h * dh + 2 * d * hkv * dh + h * dh * d + g * d * f);
}

/**
 * P_blk: matmul weights of all blocks, `L·(d·H·dh + 2·d·Hkv·dh + H·dh·d + g·d·F)`.
 * Biases and norms are left out (they count in the parameter count, not in FLOPs or bytes).
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture.
 * @example
 * blockMatmulParams(preset('llama-2-7b')) // 6_476_005_376
 */
export function blockMatmulParams(arch: Architecture): number {
  return blockMatmulParamsOf(checkArchitecture(arch));
}

/**
 * d·V: the LM head's weights (read and multiplied every forward step, tied or not).
 *
 * @throws {SweetspotInputError} when `arch` is not a valid architecture.
 * @example
 * lmHeadParams(preset('llama-2-7b')) // 131_072_000 (4096 · 32000)
 */
export function lmHeadParams(arch: Architecture): number {
  const a = checkArchitecture(arch);
  return a.hiddenSize * a.vocabSize;
}

/**
 * Wb = bw·(P_blk + d·V): weight bytes one forward step reads.
 *
 * @throws {SweetspotInputError} when `arch` is not valid or `weightBytes` is not a positive finite number.
 * @example
 * weightBytesPerStep(preset('llama-2-7b'), 2) // 13_214_154_752
 * weightBytesPerStep(preset('llama-2-7b'), 0.5) // 4-bit weights: 3_303_538_688
 */
export function weightBytesPerStep(arch: Architecture, weightBytes: number): number {
  const a = checkArchitecture(arch);
  return checkBytes(weightBytes, 'weightBytes') * (blockMatmulParamsOf(a) + a.hiddenSize * a.vocabSize);
}

/**
 * kv_l = 2·Hkv·dh·bkv: bytes one cached token takes in one layer.
 *
 * @throws {SweetspotInputError} when `arch` is not valid or `kvBytes` is not a positive finite number.
 * @example
 * kvBytesPerTokenPerLayer(preset('llama-3.1-8b'), 2) // 4096 (2 · 8 KV heads · 128 · 2 bytes)
 */
export function kvBytesPerTokenPerLayer(arch: Architecture, kvBytes: number): number {
  const a = checkArchitecture(arch);
  return 2 * a.numKvHeads * a.headDim * checkBytes(kvBytes, 'kvBytes');
}

/**
 * KV-cache bytes per token over all layers while the context is shorter than every window.
 *
 * @throws {SweetspotInputError} when `arch` is not valid or `kvBytes` is not a positive finite number.
 * @example
 * kvBytesPerToken(preset('llama-3.1-8b')) // 131072 (2·8·128·2 bytes × 32 layers)
 */
export function kvBytesPerToken(arch: Architecture, kvBytes = 2): number {
  return kvBytesPerTokenPerLayer(arch, kvBytes) * arch.numLayers;
}
