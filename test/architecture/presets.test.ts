import { describe, expect, it } from 'vitest';
import { layerWindows } from '../../src/architecture/windows.js';
import { PRESETS, preset, presetIds } from '../../src/architecture/registry.js';
import { ArchitectureSchema } from '../../src/architecture/schemas.js';
import { kvBytesPerToken } from '../../src/complexity/weights.js';
import { SweetspotInputError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { paramCount } from '../../src/architecture/params.js';
import { inRepo } from '../data-files.js';
import { REFERENCE, referenceFor } from './reference.js';

// The list the project promises (issue 2), written out independently of the data file.
const REQUIRED_IDS = [
  'opt-1.3b', 'opt-2.7b', 'opt-6.7b', 'llama-2-7b', 'llama-2-13b', 'llama-3-8b', 'llama-3.1-8b',
  'llama-3.2-1b', 'llama-3.2-3b', 'gemma-2b', 'gemma-7b', 'gemma-2-2b', 'gemma-2-9b', 'falcon-7b',
  'qwen2-1.5b', 'qwen2-7b', 'granite-3.0-2b', 'granite-3.0-8b', 'granite-3.1-2b', 'granite-3.1-8b', 'mistral-7b',
  'qwen2.5-0.5b', 'qwen2.5-1.5b', 'qwen2.5-3b', 'qwen2.5-7b', 'qwen2.5-14b', 'mistral-7b-v0.2', 'mistral-7b-v0.3',
  // The 70B class users serve.
  'llama-2-70b', 'llama-3-70b', 'llama-3.1-70b', 'llama-3.3-70b', 'qwen2.5-32b', 'qwen2.5-72b',
];

describe('presets', () => {
  it('are exactly the promised ids, each once', () => {
    expect([...presetIds()].sort()).toEqual([...REQUIRED_IDS].sort());
  });

  it('each has a Hugging Face id, sources, and passes the schema as stored', () => {
    for (const p of PRESETS) {
      expect(p.hfId, p.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(p.sources.length, p.id).toBeGreaterThan(0);
      expect(ArchitectureSchema.safeParse(p).success, p.id).toBe(true);
    }
  });

  it('every reference model is a preset, with the same shapes', () => {
    for (const r of REFERENCE) {
      const p = PRESETS.find((x) => x.hfId === r.id);
      expect(p, r.id).toBeDefined();
      expect(
        {
          d: p!.hiddenSize, L: p!.numLayers, H: p!.numHeads, kv: p!.numKvHeads, dh: p!.headDim,
          explicit: p!.headDimExplicit, F: p!.intermediateSize, V: p!.vocabSize, pos: p!.maxPositions,
          tied: p!.tiedEmbeddings, gated: p!.gatedMlp,
        },
        r.id,
      ).toEqual({
        d: r.hidden_size, L: r.num_hidden_layers, H: r.num_attention_heads, kv: r.num_key_value_heads,
        dh: r.head_dim, explicit: r.head_dim_explicit, F: r.intermediate_size, V: r.vocab_size,
        pos: r.max_position_embeddings, tied: r.tie_word_embeddings, gated: r.gated_mlp,
      });
    }
  });

  it('llama-3-8b has llama-3.1-8b shapes with 8192 positions', () => {
    const { id: _a, hfId, sources: _s, maxPositions, ...shapes } = preset('llama-3-8b');
    const { id: _b, hfId: _h, sources: _t, maxPositions: _m, ...shapes31 } = preset('llama-3.1-8b');
    expect(hfId).toBe('meta-llama/Meta-Llama-3-8B');
    expect(maxPositions).toBe(8192);
    expect(shapes).toEqual(shapes31);
    expect(referenceFor('meta-llama/Llama-3.1-8B')!.max_position_embeddings).toBe(131072);
  });

  it('attention windows follow the reference: Gemma-2 on even layers, Mistral on all', () => {
    for (const r of REFERENCE) {
      const windows = layerWindows(PRESETS.find((x) => x.hfId === r.id)!);
      const expected = Array.from({ length: r.num_hidden_layers }, (_, l) => {
        if (r.sliding_window === null) return Infinity;
        if (r.sliding_window_layers === 'all') return r.sliding_window;
        return l % 2 === 0 ? r.sliding_window : Infinity;
      });
      expect(windows, r.id).toEqual(expected);
    }
  });

  it('model specifics: Falcon parallel MQA with one LayerNorm per block, OPT learned positions and biases', () => {
    const falcon = preset('falcon-7b');
    expect([falcon.parallelAttention, falcon.numKvHeads, falcon.norm, falcon.biases]).toEqual([
      true, 1, { kind: 'layernorm', perLayer: 1, final: true }, 'none',
    ]);
    for (const id of ['opt-1.3b', 'opt-2.7b', 'opt-6.7b']) {
      expect(preset(id).positionalEmbedding).toEqual({ kind: 'learned', rows: 2050 });
      expect(preset(id).biases).toBe('all');
    }
    expect(preset('qwen2-7b').biases).toBe('qkv');
    expect(preset('gemma-2-9b').norm.perLayer).toBe(4);
  });

  it('Qwen2.5: q/k/v biases and no window at any size; only 0.5B, 1.5B and 3B tie the LM head', () => {
    const ids = ['qwen2.5-0.5b', 'qwen2.5-1.5b', 'qwen2.5-3b', 'qwen2.5-7b', 'qwen2.5-14b', 'qwen2.5-32b', 'qwen2.5-72b'];
    expect(ids.map((id) => preset(id).tiedEmbeddings)).toEqual([true, true, true, false, false, false, false]);
    expect(ids.map((id) => preset(id).maxPositions)).toEqual([32768, 131072, 32768, 131072, 131072, 131072, 131072]);
    for (const id of ids) {
      expect([preset(id).biases, preset(id).slidingWindow, preset(id).modelType], id).toEqual(['qkv', null, 'qwen2']);
    }
    // Qwen2.5-1.5B and -7B keep Qwen2's tensors.
    const { id: _a, hfId: _b, sources: _c, ...q25 } = preset('qwen2.5-7b');
    const { id: _d, hfId: _e, sources: _f, ...q2 } = preset('qwen2-7b');
    expect(q25).toEqual(q2);
  });

  it('the 70B LLaMAs share one set of tensor shapes; vocabulary and context set the versions apart', () => {
    const ids = ['llama-2-70b', 'llama-3-70b', 'llama-3.1-70b', 'llama-3.3-70b'];
    for (const id of ids) {
      const p = preset(id);
      // GQA: 64 query heads share 8 K/V heads of width 8192 / 64.
      expect([p.hiddenSize, p.numLayers, p.numHeads, p.numKvHeads, p.headDim, p.intermediateSize], id).toEqual([8192, 80, 64, 8, 128, 28672]);
      expect([p.tiedEmbeddings, p.biases, p.slidingWindow, p.gatedMlp], id).toEqual([false, 'none', null, true]);
    }
    expect(ids.map((id) => preset(id).vocabSize)).toEqual([32000, 128256, 128256, 128256]);
    expect(ids.map((id) => preset(id).maxPositions)).toEqual([4096, 8192, 131072, 131072]);
    // 3.3 is 3.1's architecture; only its file states head_dim.
    const { id: _a, hfId: _b, sources: _c, headDimExplicit, ...l33 } = preset('llama-3.3-70b');
    const { id: _d, hfId: _e, sources: _f, headDimExplicit: _g, ...l31 } = preset('llama-3.1-70b');
    expect(l33).toEqual(l31);
    expect(headDimExplicit).toBe(true);
  });

  it('every preset cites at least two sources', () => {
    const single = PRESETS.filter((p) => p.sources.length < 2).map((p) => p.id);
    // The two oldest entries read the official file directly.
    expect(single).toEqual(['llama-2-13b', 'mistral-7b']);
  });

  it('KV bytes per token (bf16), by hand: 2 (K and V) · KV heads · head dim · 2 bytes · layers', () => {
    const byHand: Record<string, number> = {
      'qwen2.5-0.5b': 2 * 2 * 64 * 2 * 24, // 12,288
      'qwen2.5-1.5b': 2 * 2 * 128 * 2 * 28, // 28,672
      'qwen2.5-3b': 2 * 2 * 128 * 2 * 36, // 36,864
      'qwen2.5-7b': 2 * 4 * 128 * 2 * 28, // 57,344
      'qwen2.5-14b': 2 * 8 * 128 * 2 * 48, // 196,608
      'qwen2.5-32b': 2 * 8 * 128 * 2 * 64, // 262,144
      'qwen2.5-72b': 2 * 8 * 128 * 2 * 80, // 327,680
      'llama-2-70b': 2 * 8 * 128 * 2 * 80,
      'llama-3.1-70b': 2 * 8 * 128 * 2 * 80,
      'mistral-7b-v0.2': 2 * 8 * 128 * 2 * 32, // 131,072
      'mistral-7b-v0.3': 2 * 8 * 128 * 2 * 32,
    };
    for (const [id, bytes] of Object.entries(byHand)) expect(kvBytesPerToken(preset(id)), id).toBe(bytes);
    expect(byHand['qwen2.5-14b']).toBe(196_608);
    // 320 KiB a token: a 128k-token context holds 40 GiB of cache, half an 80 GB GPU.
    expect(kvBytesPerToken(preset('llama-3.1-70b')) * 131072).toBe(40 * 2 ** 30);
  });

  it("docs/architectures.md's table lists every preset, in catalogue order, with its count, cache and context", () => {
    const doc = readFileSync(inRepo('docs/architectures.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## The presets'), doc.indexOf('## Presets are data'));
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (\S+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \|$/gm)];
    const number = (text: string) => Number(text.replaceAll(',', ''));
    expect(rows.map((r) => r[1])).toEqual(presetIds());
    for (const [, id, hfId, params, kv, context] of rows) {
      const p = preset(id);
      expect([hfId, number(params), number(kv), number(context)], id).toEqual([p.hfId, paramCount(p), kvBytesPerToken(p), p.maxPositions]);
    }
    expect(section).toContain(`${PRESETS.length} built-in architectures`);
  });

  it('preset() is case-insensitive and names the nearest ids for an unknown one', () => {
    expect(preset('LLAMA-2-7B').id).toBe('llama-2-7b');
    expect(() => preset('llama-2-7')).toThrow(SweetspotInputError);
    expect(() => preset('llama-2-7')).toThrow(/did you mean llama-2-7b/);
  });

  it('presets are frozen so that callers cannot change shared data', () => {
    expect(Object.isFrozen(PRESETS)).toBe(true);
    expect(Object.isFrozen(preset('gemma-2b'))).toBe(true);
    // Nested records too: a caller must not be able to shrink Gemma-2's window for everyone.
    const gemma2 = preset('gemma-2-9b');
    for (const inner of [gemma2.slidingWindow, gemma2.norm, gemma2.positionalEmbedding, gemma2.sources]) {
      expect(Object.isFrozen(inner)).toBe(true);
    }
    expect(() => {
      (gemma2.slidingWindow as { size: number }).size = 1;
    }).toThrow(TypeError);
    expect(preset('gemma-2-9b').slidingWindow).toEqual({ size: 4096, layers: 'even' });
  });
});
