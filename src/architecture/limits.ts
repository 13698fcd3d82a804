/**
 * Upper bounds on the sizes of an architecture (docs/architectures.md#limits-on-untrusted-input),
 * each far above any published model (the largest dense models have about 130 layers, a
 * 256 k vocabulary and a 10 M-token context). They are checked before anything is allocated per
 * layer, so that a config.json with `num_hidden_layers: 1e9` is refused by name instead of
 * exhausting memory, and so that every product of sizes the complexity terms form stays an exact,
 * finite double.
 *
 * @example
 * ARCHITECTURE_LIMITS.numLayers // 4096
 */
export const ARCHITECTURE_LIMITS = Object.freeze({
  numLayers: 4096,
  hiddenSize: 1 << 20,
  numHeads: 1 << 16,
  numKvHeads: 1 << 16,
  headDim: 1 << 16,
  intermediateSize: 1 << 22,
  vocabSize: 1 << 24,
  maxPositions: 1 << 27,
  slidingWindow: 1 << 27,
  normsPerLayer: 16,
});

/**
 * The limit of each integer field of a Hugging Face `config.json` that sizes the model, by the
 * config's own key (aliases included), for {@link HfConfigReader}.
 *
 * @example
 * HF_INT_LIMITS.num_hidden_layers // 4096
 */
export const HF_INT_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  num_hidden_layers: ARCHITECTURE_LIMITS.numLayers,
  n_layer: ARCHITECTURE_LIMITS.numLayers,
  max_window_layers: ARCHITECTURE_LIMITS.numLayers,
  hidden_size: ARCHITECTURE_LIMITS.hiddenSize,
  n_embed: ARCHITECTURE_LIMITS.hiddenSize,
  word_embed_proj_dim: ARCHITECTURE_LIMITS.hiddenSize,
  num_attention_heads: ARCHITECTURE_LIMITS.numHeads,
  n_head: ARCHITECTURE_LIMITS.numHeads,
  num_key_value_heads: ARCHITECTURE_LIMITS.numKvHeads,
  num_kv_heads: ARCHITECTURE_LIMITS.numKvHeads,
  n_head_kv: ARCHITECTURE_LIMITS.numKvHeads,
  head_dim: ARCHITECTURE_LIMITS.headDim,
  intermediate_size: ARCHITECTURE_LIMITS.intermediateSize,
  ffn_dim: ARCHITECTURE_LIMITS.intermediateSize,
  ffn_hidden_size: ARCHITECTURE_LIMITS.intermediateSize,
  vocab_size: ARCHITECTURE_LIMITS.vocabSize,
  max_position_embeddings: ARCHITECTURE_LIMITS.maxPositions,
  sliding_window: ARCHITECTURE_LIMITS.slidingWindow,
  sliding_window_size: ARCHITECTURE_LIMITS.slidingWindow,
  num_ln_in_parallel_attn: ARCHITECTURE_LIMITS.normsPerLayer,
});
