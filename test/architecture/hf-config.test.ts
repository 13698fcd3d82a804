import { describe, expect, it } from 'vitest';
import { HF_MODEL_TYPES, fromHfConfig } from '../../src/architecture/hf-config.js';
import { paramCount } from '../../src/architecture/params.js';
import { PRESETS, preset } from '../../src/architecture/registry.js';
import type { Architecture } from '../../src/architecture/schema.js';
import { SweetspotInputError } from '../../src/errors.js';
import { REFERENCE, type ReferenceEntry } from './reference.js';

/** Everything but the naming fields: what a config.json decides. */
function shape(a: Architecture) {
  const { id: _id, hfId: _hf, sources: _s, ...rest } = a;
  return rest;
}

/**
 * A config.json as the model's repository writes it, from the reference facts: the keys and
 * conventions of each model type (OPT's ffn_dim, Falcon's RefinedWebModel keys, head_dim only
 * where the file sets it, Qwen2's unused sliding_window, Gemma 1 without tie_word_embeddings).
 */
function configFor(r: ReferenceEntry): Record<string, unknown> {
  const common = {
    _name_or_path: r.id,
    hidden_size: r.hidden_size,
    num_hidden_layers: r.num_hidden_layers,
    num_attention_heads: r.num_attention_heads,
    vocab_size: r.vocab_size,
    max_position_embeddings: r.max_position_embeddings,
    ...(r.head_dim_explicit ? { head_dim: r.head_dim } : {}),
  };
  switch (r.model_type) {
    case 'opt':
      return { ...common, model_type: 'opt', ffn_dim: r.intermediate_size, do_layer_norm_before: true, word_embed_proj_dim: r.hidden_size, enable_bias: true };
    case 'falcon (originally RefinedWebModel)':
      return {
        _name_or_path: r.id, model_type: 'RefinedWebModel', hidden_size: r.hidden_size, n_head: r.num_attention_heads,
        n_layer: r.num_hidden_layers, multi_query: true, parallel_attn: true, bias: false, alibi: false, vocab_size: r.vocab_size,
      };
    case 'gemma':
      return { ...common, model_type: 'gemma', num_key_value_heads: r.num_key_value_heads, intermediate_size: r.intermediate_size, hidden_act: 'gelu' };
    case 'gemma2':
      return {
        ...common, model_type: 'gemma2', num_key_value_heads: r.num_key_value_heads, intermediate_size: r.intermediate_size,
        sliding_window: r.sliding_window, tie_word_embeddings: r.tie_word_embeddings,
      };
    case 'qwen2':
      return {
        ...common, model_type: 'qwen2', num_key_value_heads: r.num_key_value_heads, intermediate_size: r.intermediate_size,
        tie_word_embeddings: r.tie_word_embeddings, use_sliding_window: false, sliding_window: r.max_position_embeddings, max_window_layers: 28,
      };
    case 'mistral':
      return {
        ...common, model_type: 'mistral', num_key_value_heads: r.num_key_value_heads, intermediate_size: r.intermediate_size,
        tie_word_embeddings: r.tie_word_embeddings, sliding_window: r.sliding_window,
      };
    default:
      return {
        ...common, model_type: r.model_type, num_key_value_heads: r.num_key_value_heads, intermediate_size: r.intermediate_size,
        tie_word_embeddings: r.tie_word_embeddings, attention_bias: false, mlp_bias: false,
      };
  }
}

describe('fromHfConfig', () => {
  it('covers every supported model type with the reference models', () => {
    const types = new Set(REFERENCE.map((r) => configFor(r).model_type));
    expect([...types].map((t) => (t === 'RefinedWebModel' ? 'falcon' : t)).sort()).toEqual([...HF_MODEL_TYPES].sort());
  });

  it('reproduces the preset of every reference model from its config.json', () => {
    for (const r of REFERENCE) {
      const arch = fromHfConfig(configFor(r));
      const p = PRESETS.find((x) => x.hfId === r.id)!;
      expect(shape(arch), r.id).toEqual(shape(p));
      expect(arch.id).toBe(r.id);
      expect(arch.hfId).toBe(r.id);
      expect(paramCount(arch), r.id).toBe(r.unique_params_computed);
    }
  });

  it('reads Falcon in its transformers form: num_kv_heads is unused without the new architecture', () => {
    const config = {
      model_type: 'falcon', hidden_size: 4544, num_attention_heads: 71, num_hidden_layers: 32, num_kv_heads: 71,
      multi_query: true, new_decoder_architecture: false, parallel_attn: true, bias: false, alibi: false, vocab_size: 65024,
    };
    expect(shape(fromHfConfig(config))).toEqual(shape(preset('falcon-7b')));
  });

  it('reads the new Falcon decoder (grouped K/V, two LayerNorms per block) and older n_embed keys', () => {
    const arch = fromHfConfig({
      model_type: 'RefinedWeb', n_embed: 8192, n_head: 128, n_head_kv: 8, n_layer: 60, parallel_attn: true, bias: false, vocab_size: 65024,
    });
    expect([arch.hiddenSize, arch.numKvHeads, arch.headDim, arch.intermediateSize, arch.norm.perLayer, arch.maxPositions]).toEqual([
      8192, 8, 64, 4 * 8192, 2, 2048,
    ]);
    const alibi = fromHfConfig({ model_type: 'falcon', hidden_size: 64, num_attention_heads: 4, num_hidden_layers: 2, vocab_size: 10, alibi: true, multi_query: false, bias: true });
    expect([alibi.positionalEmbedding.kind, alibi.numKvHeads, alibi.biases]).toEqual(['alibi', 4, 'all']);
  });

  it('OPT: do_layer_norm_before = false drops the final norm; positions get two offset rows', () => {
    const base = { model_type: 'opt', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, ffn_dim: 256, vocab_size: 100, max_position_embeddings: 512 };
    expect(fromHfConfig(base).norm.final).toBe(true);
    expect(fromHfConfig({ ...base, do_layer_norm_before: false }).norm.final).toBe(false);
    expect(fromHfConfig(base).positionalEmbedding).toEqual({ kind: 'learned', rows: 514 });
  });

  it('Mistral: sliding_window null means global attention; a number windows every layer', () => {
    const base = configFor(REFERENCE.find((r) => r.model_type === 'mistral')!);
    expect(fromHfConfig({ ...base, sliding_window: null }).slidingWindow).toBeNull();
    expect(fromHfConfig({ ...base, sliding_window: 2048 }).slidingWindow).toEqual({ size: 2048, layers: 'all' });
  });

  it('Qwen2 with use_sliding_window windows layers from max_window_layers on; layer_types lists them directly', () => {
    const base = configFor(REFERENCE.find((r) => r.id === 'Qwen/Qwen2-7B')!);
    const windowed = fromHfConfig({ ...base, use_sliding_window: true, sliding_window: 4096, max_window_layers: 26 });
    expect(windowed.slidingWindow).toEqual({ size: 4096, layers: [26, 27] });
    const types = Array.from({ length: 28 }, (_, l) => (l % 3 === 0 ? 'sliding_attention' : 'full_attention'));
    const listed = fromHfConfig({ ...base, sliding_window: 1024, layer_types: types });
    expect(listed.slidingWindow).toEqual({ size: 1024, layers: [0, 3, 6, 9, 12, 15, 18, 21, 24, 27] });
  });

  it('tie_word_embeddings defaults per model type: Gemma and OPT tie, Llama does not', () => {
    const llama = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100, max_position_embeddings: 256 };
    expect(fromHfConfig(llama).tiedEmbeddings).toBe(false);
    expect(fromHfConfig({ ...llama, model_type: 'gemma', head_dim: 16 }).tiedEmbeddings).toBe(true);
    expect(fromHfConfig({ ...llama, attention_bias: true }).biases).toBe('attention');
    expect(fromHfConfig({ ...llama, num_key_value_heads: 2 }).numKvHeads).toBe(2);
    expect(fromHfConfig(llama, { id: 'mine', source: 'x/config.json' })).toMatchObject({ id: 'mine', sources: ['x/config.json'] });
  });

  describe('errors name the field', () => {
    const llama = { model_type: 'llama', hidden_size: 100, num_hidden_layers: 2, num_attention_heads: 3, num_key_value_heads: 3, intermediate_size: 128, vocab_size: 100, max_position_embeddings: 256 };
    const cases: Array<[string, unknown, RegExp]> = [
      ['indivisible hidden size', llama, /hidden_size \(100\) is not divisible by num_attention_heads \(3\) and head_dim is not given/],
      ['kv heads not dividing', { ...llama, hidden_size: 96, num_key_value_heads: 2 }, /num_key_value_heads \(2\) must divide num_attention_heads \(3\)/],
      ['missing field', { ...llama, vocab_size: undefined, head_dim: 32 }, /config\.json: vocab_size is missing/],
      ['wrong type', { ...llama, head_dim: 32, num_hidden_layers: '2' }, /num_hidden_layers must be a positive integer, got "2"/],
      ['zero', { ...llama, head_dim: 32, intermediate_size: 0 }, /intermediate_size must be a positive integer, got 0/],
      ['unknown type', { ...llama, model_type: 'gpt2' }, /model_type 'gpt2' is not supported \(supported: llama, mistral, qwen2, gemma, gemma2, granite, opt, falcon\)/],
      ['no type', { hidden_size: 4 }, /model_type is missing/],
      ['not an object', [1, 2], /expected a JSON object, got an array/],
      ['contradictory aliases', { model_type: 'falcon', hidden_size: 64, n_embed: 128, n_head: 4, n_layer: 2, vocab_size: 10 }, /hidden_size \(64\) and n_embed \(128\) contradict/],
      ['falcon missing layers', { model_type: 'falcon', hidden_size: 64, n_head: 4, vocab_size: 10 }, /num_hidden_layers \(or n_layer\) is missing/],
      ['opt projection', { model_type: 'opt', hidden_size: 1024, num_hidden_layers: 2, num_attention_heads: 16, ffn_dim: 4096, vocab_size: 10, max_position_embeddings: 2048, word_embed_proj_dim: 512 }, /word_embed_proj_dim \(512\) differs from hidden_size \(1024\)/],
      ['bad flag', { ...llama, head_dim: 32, tie_word_embeddings: 'yes' }, /tie_word_embeddings must be true or false/],
    ];
    for (const [name, config, message] of cases) {
      it(name, () => {
        expect(() => fromHfConfig(config)).toThrow(SweetspotInputError);
        expect(() => fromHfConfig(config)).toThrow(message);
      });
    }
    it('names the source file when given', () => {
      expect(() => fromHfConfig({ model_type: 'llama' }, { source: '/m/config.json' })).toThrow(/^\/m\/config\.json: hidden_size is missing/);
    });
  });
});
