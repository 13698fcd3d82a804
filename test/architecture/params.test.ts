import { describe, expect, it } from 'vitest';
import { paramBreakdown, paramCount } from '../../src/architecture/params.js';
import { PRESETS, preset } from '../../src/architecture/registry.js';
import type { Architecture } from '../../src/architecture/schema.js';
import { blockMatmulParams } from '../../src/complexity/weights.js';
import { SweetspotInputError } from '../../src/errors.js';
import { REFERENCE } from './reference.js';

/**
 * Published parameter counts, as published (in billions, with the precision they were given at).
 * Sources: test/fixtures/reference/architectures.md ("reported" column and its notes).
 */
const PUBLISHED: Record<string, string> = {
  'opt-1.3b': '1.3', // OPT paper (model name)
  'opt-2.7b': '2.7', // OPT paper (model name; no finer official figure)
  'opt-6.7b': '6.7',
  'llama-2-7b': '6.74',
  'llama-2-13b': '13.0',
  'llama-3-8b': '8.03',
  'llama-3.1-8b': '8.03',
  'llama-3.2-1b': '1.23', // Meta model card
  'llama-3.2-3b': '3.21',
  'gemma-2b': '2.51',
  'gemma-7b': '8.54', // total with the tied embedding; the name "7B" counts non-embedding weights
  'gemma-2-2b': '2.61',
  'gemma-2-9b': '9.24',
  'falcon-7b': '6.92', // unique count; the 7.22B badge counts the tied head stored twice
  'qwen2-1.5b': '1.54',
  'qwen2-7b': '7.62',
  'granite-3.0-2b': '2.5', // Granite 3.0 report, Table 1
  'granite-3.0-8b': '8.1',
  'granite-3.1-2b': '2.5',
  'granite-3.1-8b': '8.1',
  'mistral-7b': '7.24',
  // Qwen2.5 model cards ("Number of Parameters").
  'qwen2.5-0.5b': '0.49',
  'qwen2.5-1.5b': '1.54',
  'qwen2.5-3b': '3.09',
  'qwen2.5-7b': '7.61', // 7.6156B: the card rounds down, the repository shows 7.62B
  'qwen2.5-14b': '14.7',
  'mistral-7b-v0.2': '7.24', // Hugging Face safetensors
  'mistral-7b-v0.3': '7.25',
  // 70B class: Hugging Face safetensors for Llama (the names say "70B"), model cards for Qwen2.5.
  'llama-2-70b': '69',
  'llama-3-70b': '70.6',
  'llama-3.1-70b': '70.6',
  'llama-3.3-70b': '70.6',
  'qwen2.5-32b': '32.5',
  'qwen2.5-72b': '72.7',
};

/**
 * Agreement with a published figure: within 1.5%, or equal to it at the precision it was published
 * with (a count published as "2.7B" only says 2.65B ≤ n < 2.75B).
 */
function agrees(count: number, published: string): boolean {
  const value = Number(published) * 1e9;
  const decimals = published.split('.')[1]?.length ?? 0;
  return Math.abs(count / value - 1) <= 0.015 || (count / 1e9).toFixed(decimals) === published;
}

describe('paramCount', () => {
  it('equals unique_params_computed of the reference exactly, for every reference model', () => {
    for (const r of REFERENCE) {
      const p = PRESETS.find((x) => x.hfId === r.id)!;
      expect(paramCount(p), r.id).toBe(r.unique_params_computed);
    }
  });

  it('agrees with every published count (within 1.5%, or to its published precision)', () => {
    for (const p of PRESETS) {
      const published = PUBLISHED[p.id];
      expect(published, p.id).toBeDefined();
      expect(agrees(paramCount(p), published), `${p.id}: ${paramCount(p)} vs ${published}B`).toBe(true);
    }
    // All but OPT-2.7B (a rounded name only) are within 1.5% outright.
    const outside = PRESETS.filter((p) => Math.abs(paramCount(p) / (Number(PUBLISHED[p.id]) * 1e9) - 1) > 0.015);
    expect(outside.map((p) => p.id)).toEqual(['opt-2.7b']);
  });

  it('Falcon-7B: the unique count is the stored count minus the duplicated tied head', () => {
    // 7,217,189,760 values in the checkpoint; the LM head copy is 65024 × 4544.
    expect(paramCount(preset('falcon-7b'))).toBe(7_217_189_760 - 65024 * 4544);
    expect(paramCount(preset('falcon-7b'))).toBe(6_921_720_704);
  });

  it('Gemma 2 non-embedding counts equal the Gemma 2 report exactly', () => {
    const nonEmbedding = (id: string) => paramCount(preset(id)) - paramBreakdown(preset(id)).embedding;
    expect(nonEmbedding('gemma-2-2b')).toBe(2_024_517_888);
    expect(nonEmbedding('gemma-2-9b')).toBe(8_324_201_984);
  });

  it('Qwen2.5 non-embedding counts agree with the model cards', () => {
    // "Number of Parameters (Non-Embedding)": 0.36B, 1.31B, 2.77B, 6.53B, 13.1B, 31.0B, 70.0B.
    const cards: Array<[string, string]> = [
      ['qwen2.5-0.5b', '0.36'], ['qwen2.5-1.5b', '1.31'], ['qwen2.5-3b', '2.77'], ['qwen2.5-7b', '6.53'], ['qwen2.5-14b', '13.1'],
      ['qwen2.5-32b', '31.0'], ['qwen2.5-72b', '70.0'],
    ];
    for (const [id, published] of cards) {
      const b = paramBreakdown(preset(id));
      const nonEmbedding = b.total - b.embedding - b.lmHead;
      expect(agrees(nonEmbedding, published), `${id}: ${nonEmbedding} vs ${published}B`).toBe(true);
    }
    // 14B: 13.21B by the tensors; the card's 13.1B is 0.9% lower.
    const b14 = paramBreakdown(preset('qwen2.5-14b'));
    expect(b14.total - b14.embedding - b14.lmHead).toBe(13_212_898_304);
  });

  it('70B class, by hand: Llama-2-70B and Qwen2.5-72B tensor by tensor; Llama 3 adds only vocabulary rows', () => {
    const d = 8192;
    const layers = 80;
    // q and o: d × d; k and v: d × (8 · 128); gate, up, down: d × F; two RMSNorms a block and a final one.
    const llamaBlock = 2 * d * d + 2 * d * 1024 + 3 * d * 28672 + 2 * d;
    expect(paramCount(preset('llama-2-70b'))).toBe(layers * llamaBlock + d + 2 * 32000 * d);
    expect(paramCount(preset('llama-2-70b'))).toBe(68_976_648_192);
    expect(paramCount(preset('llama-3.1-70b')) - paramCount(preset('llama-2-70b'))).toBe(2 * (128256 - 32000) * d);
    expect(paramCount(preset('llama-3-70b'))).toBe(paramCount(preset('llama-3.1-70b')));
    expect(paramCount(preset('llama-3.3-70b'))).toBe(paramCount(preset('llama-3.1-70b')));
    // Qwen2.5-72B: an MLP of 29568 and q/k/v biases (8192 + 2 · 1024 a block).
    const qwenBlock = 2 * d * d + 2 * d * 1024 + 3 * d * 29568 + 2 * d + (d + 2 * 1024);
    expect(paramCount(preset('qwen2.5-72b'))).toBe(layers * qwenBlock + d + 2 * 152064 * d);
    expect(paramCount(preset('qwen2.5-72b'))).toBe(72_706_203_648);
  });

  it('Mistral v0.3 adds 768 vocabulary rows to v0.2, in the embedding and the untied head', () => {
    expect(paramCount(preset('mistral-7b-v0.3')) - paramCount(preset('mistral-7b-v0.2'))).toBe(2 * 768 * 4096);
    expect(paramCount(preset('mistral-7b-v0.2'))).toBe(paramCount(preset('mistral-7b')));
  });

  it('the untied LM heads are the differences the reference explains (131M, 525M, 545M)', () => {
    expect(paramBreakdown(preset('llama-2-7b')).lmHead).toBe(32000 * 4096);
    expect(paramBreakdown(preset('llama-3.1-8b')).lmHead).toBe(128256 * 4096);
    expect(paramBreakdown(preset('qwen2-7b')).lmHead).toBe(152064 * 3584);
    expect(paramBreakdown(preset('gemma-7b')).lmHead).toBe(0);
  });

  it('block matmuls agree with the complexity layer P_blk (a second formula)', () => {
    for (const p of PRESETS) {
      const b = paramBreakdown(p);
      expect(b.attention + b.mlp, p.id).toBe(blockMatmulParams(p));
      expect(b.embedding + b.lmHead + b.positions + b.attention + b.mlp + b.biases + b.norms).toBe(b.total);
    }
  });

  it('a tiny hand-counted architecture: every bias kind and norm kind', () => {
    const tiny: Architecture = {
      id: 'tiny', modelType: 'opt', hiddenSize: 4, numLayers: 2, numHeads: 2, numKvHeads: 1, headDim: 2,
      headDimExplicit: false, intermediateSize: 8, gatedMlp: false, vocabSize: 10, tiedEmbeddings: false,
      maxPositions: 16, slidingWindow: null, parallelAttention: false, biases: 'all',
      norm: { kind: 'layernorm', perLayer: 2, final: true }, positionalEmbedding: { kind: 'learned', rows: 18 },
      sources: [],
    };
    // embedding 40 + head 40 + positions 72
    // per layer: q 4·4=16, k 4·2=8, v 8, o 16, fc1 32, fc2 32 = 112; biases q4 k2 v2 o4 fc1 8 fc2 4 = 24; LN 2·8 = 16
    // 2 layers = 304; final LN 8
    expect(paramCount(tiny)).toBe(40 + 40 + 72 + 2 * (112 + 24 + 16) + 8);
    expect(paramCount({ ...tiny, biases: 'none' })).toBe(464 - 2 * 24);
    expect(paramCount({ ...tiny, biases: 'qkv' })).toBe(464 - 2 * (24 - 8));
    expect(paramCount({ ...tiny, biases: 'attention' })).toBe(464 - 2 * (24 - 12));
    // RMSNorm: gains only (4 per norm), 5 norms; rotary: no table; tied head.
    const rms = { ...tiny, norm: { kind: 'rmsnorm', perLayer: 2, final: true }, positionalEmbedding: { kind: 'rope' }, tiedEmbeddings: true } as const;
    expect(paramCount(rms)).toBe(464 - 40 - 72 - 5 * 4);
    // Gated MLP: three F·d matrices, and two F-sized biases.
    expect(paramCount({ ...tiny, gatedMlp: true })).toBe(464 + 2 * (32 + 8));
  });

  it('rejects an invalid architecture, naming the field', () => {
    const bad = { ...preset('llama-2-7b'), hiddenSize: -1 };
    expect(() => paramCount(bad)).toThrow(SweetspotInputError);
    expect(() => paramCount(bad)).toThrow(/hiddenSize/);
  });
});
