import type { Architecture } from '../architecture/schema.js';
import type { AttentionImpl } from '../complexity/terms.js';
import type { AttentionSetting } from './calibration/document.js';
import { checkString } from '../errors.js';

/**
 * What Hugging Face transformers 4.36–4.39 with torch 2.1–2.2 (`attn_implementation="sdpa"`, the
 * default then) runs per architecture family, without padding (docs/complexity.md#attention-implementations):
 *
 * - `llama` (and the families that share its code: `gemma`, `granite`): since the 4.38 cache
 *   rework the model always builds a 4-D float causal mask and passes it to SDPA, so the
 *   FlashAttention kernel (which takes no mask) is never used; the memory-efficient kernel computes
 *   the full q × kv matrix and reads the mask per element and head: `masked`.
 * - `falcon`: multi-query keys (one KV head for 71 query heads) reach SDPA un-repeated, which the
 *   fused kernels of torch < 2.5 refuse, so SDPA falls back to its math kernel, which materialises
 *   the scores: `eager`.
 * - `mistral`, `qwen2`, `gemma2`, `opt` and the rest: the mask helper returns no mask for an
 *   unpadded batch, SDPA gets `is_causal` and runs FlashAttention: `fused`.
 *
 * The public A100 sweeps (data/) agree: with Llama-2 masked, Falcon eager and Mistral fused, the
 * hardware form transfers best across models and sweeps (docs/fitting.md).
 *
 * @example
 * TRANSFORMERS_SDPA_ATTENTION.falcon // 'eager'
 */
export const TRANSFORMERS_SDPA_ATTENTION: Readonly<Record<string, AttentionImpl>> = {
  llama: 'masked',
  gemma: 'masked',
  granite: 'masked',
  falcon: 'eager',
};

/**
 * The attention implementation a calibration's engine runs for one architecture.
 *
 * @example
 * attentionFor('transformers-sdpa', preset('mistral-7b')) // 'fused'
 */
export function attentionFor(setting: AttentionSetting, arch: Architecture): AttentionImpl {
  if (setting !== 'transformers-sdpa') return setting;
  return TRANSFORMERS_SDPA_ATTENTION[arch.modelType] ?? 'fused';
}

/**
 * The attention setting an engine string implies, or undefined when it says nothing about it:
 * Hugging Face transformers (`transformers`, `HF`, `pipeline`, `generate`) without a named
 * attention implementation → `transformers-sdpa`; `eager` or `flash`/`sdpa` named explicitly →
 * that; serving engines (vLLM, TensorRT-LLM, SGLang, TGI, llama.cpp) → `fused`.
 *
 * @example
 * inferAttention('HF transformers pipeline, bf16, use_cache=False') // 'transformers-sdpa'
 */
export function inferAttention(engine: string): AttentionSetting | undefined {
  const e = checkString('inferAttention(engine)', engine).toLowerCase();
  if (/attn_implementation\s*=\s*["']?eager|\beager attention\b/.test(e)) return 'eager';
  if (/flash[_-]?attention|flash_attention_2|attn_implementation\s*=\s*["']?(sdpa|flash)/.test(e)) return 'fused';
  if (/vllm|tensorrt|trt-llm|sglang|\btgi\b|text-generation-inference|llama\.cpp|exllama|mlc/.test(e)) return 'fused';
  if (/transformers|\bhf\b|hugging ?face|pipeline|generate\(/.test(e)) return 'transformers-sdpa';
  return undefined;
}
