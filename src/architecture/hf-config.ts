import { SweetspotInputError, parseWith } from '../errors.js';
import { optionKeys, optionsObject } from '../options.js';
import { shownValue } from '../arguments.js';
import { HfConfigReader } from './hf-reader.js';
import { architectureSchemas, type Architecture, type ArchitectureInput, type SlidingWindow } from './schema.js';

/**
 * The Hugging Face `model_type` values {@link fromHfConfig} understands. Falcon's older
 * `RefinedWebModel` and `RefinedWeb` types are read as `falcon`.
 *
 * @example
 * HF_MODEL_TYPES.includes('gemma2') // true
 */
export const HF_MODEL_TYPES = ['llama', 'mistral', 'qwen2', 'gemma', 'gemma2', 'granite', 'opt', 'falcon'] as const;

/**
 * One of {@link HF_MODEL_TYPES}.
 *
 * @example
 * const type: HfModelType = 'qwen2';
 */
export type HfModelType = (typeof HF_MODEL_TYPES)[number];

/**
 * Options of {@link fromHfConfig}.
 *
 * @example
 * fromHfConfig(json, { id: 'my-model', source: 'models/my-model/config.json' });
 */
export interface FromHfConfigOptions {
  /** The architecture's id, whatever the config says. */
  readonly id?: string;
  /** The id when `id` is not given and the config's `_name_or_path` is not a repo id; default: its `model_type`. */
  readonly fallbackId?: string;
  /** Where the config came from (a path or URL): named in errors and kept in `sources`. */
  readonly source?: string;
}

type Shape = Omit<ArchitectureInput, 'id' | 'hfId' | 'sources'>;

const FAMILY: Record<HfModelType, string> = {
  llama: 'LLaMA',
  mistral: 'Mistral',
  qwen2: 'Qwen2',
  gemma: 'Gemma',
  gemma2: 'Gemma',
  granite: 'Granite',
  opt: 'OPT',
  falcon: 'Falcon',
};

const FALCON_ALIASES = ['falcon', 'refinedwebmodel', 'refinedweb'];
// `org/name`, as the Hub spells repo ids; a local path such as `./ckpt` or `/data/x` is not one.
const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** d/H unless `head_dim` is given; an error when neither works. */
function headDim(r: HfConfigReader, d: number, heads: number, fallback?: number): { headDim: number; headDimExplicit: boolean } {
  const explicit = r.optionalInt('head_dim');
  if (explicit !== undefined) return { headDim: explicit, headDimExplicit: true };
  // Gemma's config class sets head_dim = 256 when the file leaves it out.
  if (fallback !== undefined) return { headDim: fallback, headDimExplicit: false };
  if (d % heads !== 0) {
    r.fail(`hidden_size (${d}) is not divisible by num_attention_heads (${heads}) and head_dim is not given`);
  }
  return { headDim: d / heads, headDimExplicit: false };
}

function kvHeads(r: HfConfigReader, heads: number, keys: readonly string[]): number {
  const kv = r.int(keys, heads);
  if (heads % kv !== 0) r.fail(`${keys[0]} (${kv}) must divide num_attention_heads (${heads})`);
  return kv;
}

/** Windowed layers from a `layer_types` list (`sliding_attention` / `full_attention`), if the config has one. */
function windowFromLayerTypes(r: HfConfigReader, layers: number, size: number | undefined): SlidingWindow | null | undefined {
  const types = r.optionalStrings('layer_types');
  if (types === undefined) return undefined;
  if (types.length !== layers) r.fail(`layer_types has ${types.length} entries, num_hidden_layers is ${layers}`);
  // An unknown value is refused, not read as full attention: a typo would silently change the KV cache.
  const unknown = types.findIndex((t) => t !== 'sliding_attention' && t !== 'full_attention');
  if (unknown >= 0) r.fail(`layer_types[${unknown}] is '${types[unknown].slice(0, 40)}', expected 'sliding_attention' or 'full_attention'`);
  const sliding = types.flatMap((t, l) => (t === 'sliding_attention' ? [l] : []));
  if (sliding.length === 0) return null;
  if (size === undefined) r.fail('sliding_window is missing although layer_types has sliding_attention layers');
  return sliding.length === layers ? { size, layers: 'all' } : { size, layers: sliding };
}

function attentionBiases(r: HfConfigReader): Shape['biases'] {
  const attention = r.bool('attention_bias', false);
  const mlp = r.bool('mlp_bias', false);
  if (mlp && !attention) r.fail('mlp_bias = true without attention_bias is not modelled (biases: none, qkv, attention or all)');
  return mlp ? 'all' : attention ? 'attention' : 'none';
}

/** Llama and its close relatives: llama, mistral, qwen2, gemma, gemma2, granite. */
function llamaLike(r: HfConfigReader, type: Exclude<HfModelType, 'opt' | 'falcon'>): Shape {
  const d = r.int('hidden_size');
  const numLayers = r.int('num_hidden_layers');
  const heads = r.int('num_attention_heads');
  const gemma = type === 'gemma' || type === 'gemma2';
  let slidingWindow: SlidingWindow | null = null;
  if (type === 'mistral') {
    // MistralConfig defaults sliding_window to 4096; an explicit null means global attention.
    const size = r.config.sliding_window === null ? undefined : r.int('sliding_window', 4096);
    slidingWindow = windowFromLayerTypes(r, numLayers, size) ?? (size === undefined ? null : { size, layers: 'all' });
  } else if (type === 'gemma2') {
    const size = r.int(['sliding_window', 'sliding_window_size'], 4096);
    slidingWindow = windowFromLayerTypes(r, numLayers, size) ?? { size, layers: 'even' };
  } else if (type === 'qwen2') {
    const size = r.optionalInt('sliding_window');
    const fromTypes = windowFromLayerTypes(r, numLayers, size);
    if (fromTypes !== undefined) slidingWindow = fromTypes;
    else if (r.bool('use_sliding_window', false)) {
      // Qwen2 windows the layers from max_window_layers on; the ones below stay global.
      if (size === undefined) r.fail('sliding_window is missing although use_sliding_window is true');
      const from = Math.min(r.int('max_window_layers', 28), numLayers);
      const layers = Array.from({ length: numLayers - from }, (_, k) => from + k);
      slidingWindow = layers.length === 0 ? null : from === 0 ? { size, layers: 'all' } : { size, layers };
    }
  }
  return {
    modelType: type,
    family: FAMILY[type],
    hiddenSize: d,
    numLayers,
    numHeads: heads,
    numKvHeads: kvHeads(r, heads, ['num_key_value_heads']),
    ...headDim(r, d, heads, gemma ? 256 : undefined),
    intermediateSize: r.int('intermediate_size'),
    gatedMlp: true,
    vocabSize: r.int('vocab_size'),
    // Gemma's config classes tie by default, the others untie by default.
    tiedEmbeddings: r.bool('tie_word_embeddings', gemma),
    maxPositions: r.int('max_position_embeddings'),
    slidingWindow,
    parallelAttention: false,
    biases: type === 'qwen2' ? 'qkv' : type === 'mistral' ? 'none' : attentionBiases(r),
    norm: { kind: 'rmsnorm', perLayer: type === 'gemma2' ? 4 : 2, final: true },
    positionalEmbedding: { kind: 'rope' },
  };
}

function opt(r: HfConfigReader): Shape {
  const d = r.int('hidden_size');
  const heads = r.int('num_attention_heads');
  const projected = r.int('word_embed_proj_dim', d);
  if (projected !== d) {
    r.fail(`word_embed_proj_dim (${projected}) differs from hidden_size (${d}); the extra projections are not modelled`);
  }
  if (!r.bool('layer_norm_elementwise_affine', true)) {
    r.fail('layer_norm_elementwise_affine = false is not modelled (LayerNorms without weights)');
  }
  const maxPositions = r.int('max_position_embeddings');
  const finalNorm = r.bool('do_layer_norm_before', true) && !r.bool('_remove_final_layer_norm', false);
  return {
    modelType: 'opt',
    family: FAMILY.opt,
    hiddenSize: d,
    numLayers: r.int('num_hidden_layers'),
    numHeads: heads,
    numKvHeads: heads,
    ...headDim(r, d, heads),
    intermediateSize: r.int('ffn_dim'),
    gatedMlp: false,
    vocabSize: r.int('vocab_size'),
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    maxPositions,
    slidingWindow: null,
    parallelAttention: false,
    biases: r.bool('enable_bias', true) ? 'all' : 'none',
    norm: { kind: 'layernorm', perLayer: 2, final: finalNorm },
    // OPT's learned table has two extra rows: positions are offset by 2.
    positionalEmbedding: { kind: 'learned', rows: maxPositions + 2 },
  };
}

function falcon(r: HfConfigReader, rawType: string): Shape {
  const d = r.int(['hidden_size', 'n_embed']);
  const heads = r.int(['num_attention_heads', 'n_head']);
  // The older RefinedWeb type (Falcon-40B) is what later configs call the new decoder architecture.
  const newArchitecture = r.bool('new_decoder_architecture', rawType === 'refinedweb');
  const multiQuery = r.bool('multi_query', true);
  // Without the new architecture, multi_query means one K/V head and any num_kv_heads is unused.
  const numKvHeads = newArchitecture
    ? kvHeads(r, heads, ['num_kv_heads', 'n_head_kv', 'num_key_value_heads'])
    : multiQuery
      ? 1
      : heads;
  const parallel = r.bool('parallel_attn', true);
  const lnInParallel = r.int('num_ln_in_parallel_attn', newArchitecture ? 2 : 1);
  return {
    modelType: 'falcon',
    family: FAMILY.falcon,
    hiddenSize: d,
    numLayers: r.int(['num_hidden_layers', 'n_layer']),
    numHeads: heads,
    numKvHeads,
    ...headDim(r, d, heads),
    intermediateSize: r.int('ffn_hidden_size', 4 * d),
    gatedMlp: false,
    vocabSize: r.int('vocab_size'),
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    maxPositions: r.int('max_position_embeddings', 2048),
    slidingWindow: null,
    parallelAttention: parallel,
    biases: r.bool('bias', false) ? 'all' : 'none',
    norm: { kind: 'layernorm', perLayer: parallel ? lnInParallel : 2, final: true },
    positionalEmbedding: r.bool('alibi', false) ? { kind: 'alibi' } : { kind: 'rope' },
  };
}

// Keys by which configs of the supported types (and their mixture-of-experts cousins) count experts.
const EXPERT_KEYS = ['num_local_experts', 'num_experts', 'n_routed_experts', 'moe_num_experts', 'num_experts_per_tok'];

/**
 * Refuses a config that declares more than one expert: the terms here read `intermediate_size` as
 * the one MLP every token passes, so a mixture of experts would be priced as a dense model of the
 * wrong size without a word (docs/architectures.md#limits-on-untrusted-input).
 */
function refuseExperts(r: HfConfigReader): void {
  for (const key of EXPERT_KEYS) {
    const v = r.config[key];
    if (v === undefined || v === null || v === 0 || v === 1) continue;
    r.fail(`${key} = ${typeof v === 'number' ? v : shownValue(v)}: mixture-of-experts models are not modelled (every token would be priced through one dense MLP)`);
  }
}

function modelType(r: HfConfigReader): { type: HfModelType; raw: string } {
  const raw = r.config.model_type;
  const supported = `supported: ${HF_MODEL_TYPES.join(', ')}`;
  if (typeof raw !== 'string' || raw.length === 0) r.fail(`model_type is missing (${supported})`);
  const lower = raw.toLowerCase();
  if (FALCON_ALIASES.includes(lower)) return { type: 'falcon', raw: lower };
  const known = HF_MODEL_TYPES.find((t) => t === lower);
  if (!known) r.fail(`model_type '${raw}' is not supported (${supported})`);
  return { type: known, raw: lower };
}

const HF_OPTION_KEYS = optionKeys<FromHfConfigOptions>()('id', 'fallbackId', 'source');

/**
 * An architecture from a Hugging Face `config.json` object (model types in {@link HF_MODEL_TYPES}).
 * Fields the file leaves out take the defaults of the model's config class (e.g. Falcon's 2048
 * positions, Gemma's tied embeddings); `head_dim` is used where given, else `hidden_size /
 * num_attention_heads`.
 *
 * @throws {SweetspotInputError} naming the missing, malformed or contradictory field, or listing
 * the supported model types.
 * @example
 * const arch = fromHfConfig(JSON.parse(text), { id: 'my-llama' });
 * arch.numKvHeads // num_key_value_heads of the file
 * @category Models and GPUs
 */
export function fromHfConfig(json: unknown, fromOptions?: FromHfConfigOptions): Architecture {
  const options = optionsObject('fromHfConfig', fromOptions, HF_OPTION_KEYS);
  const where = options.source ?? 'config.json';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    // The kind only, never the value: the file may not be a config at all (docs/architectures.md#limits-on-untrusted-input).
    const kind = Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`;
    throw new SweetspotInputError(`${where}: expected a JSON object, got ${kind}`);
  }
  const r = new HfConfigReader(json as Record<string, unknown>, where);
  const { type, raw } = modelType(r);
  refuseExperts(r);
  const shape = type === 'opt' ? opt(r) : type === 'falcon' ? falcon(r, raw) : llamaLike(r, type);
  const nameOrPath = r.config._name_or_path;
  const hfId = typeof nameOrPath === 'string' && REPO_ID.test(nameOrPath) ? nameOrPath : undefined;
  const input: ArchitectureInput = {
    id: options.id ?? hfId ?? options.fallbackId ?? type,
    ...(hfId === undefined ? {} : { hfId }),
    ...shape,
    sources: options.source === undefined ? [] : [options.source],
  };
  return parseWith(architectureSchemas().ArchitectureSchema, input, where);
}
