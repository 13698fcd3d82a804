// config.json files as the models' repositories ship them (every key, used or not, with the values
// of the official files), written from the facts in test/fixtures/reference and the models' cards.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromHfConfig } from '../../src/architecture/hf-config.js';
import { loadArchitecture } from '../../src/architecture/load.js';
import { paramCount } from '../../src/architecture/params.js';
import { preset } from '../../src/architecture/registry.js';
import { resolveArchitecture } from '../../src/architecture/resolve.js';
import type { Architecture } from '../../src/architecture/schema.js';
import { requestTerms } from '../../src/complexity/terms.js';
import { run } from '../../src/cli/run.js';

const DIR = fileURLToPath(new URL('./fixtures/hf/', import.meta.url));

function shape(a: Architecture) {
  const { id: _id, hfId: _hf, sources: _s, ...rest } = a;
  return rest;
}

/** Fixture directory → the preset it must reproduce, what the file legitimately changes, and the id it gets. */
const CASES: Array<{ dir: string; preset: string; changes: Partial<Architecture>; id: string; hfId?: string }> = [
  // Instruct files cap the context at 32768; the unused sliding_window (131072) is not a window.
  { dir: 'Qwen2-7B-Instruct', preset: 'qwen2-7b', changes: { maxPositions: 32768 }, id: 'Qwen2-7B-Instruct' },
  // No tie_word_embeddings key (Gemma ties by default); sliding_window and sliding_window_size agree.
  { dir: 'gemma-2-9b-it', preset: 'gemma-2-9b', changes: {}, id: 'gemma-2-9b-it' },
  // v0.2: sliding_window null means every layer is global.
  { dir: 'Mistral-7B-Instruct-v0.2', preset: 'mistral-7b-v0.2', changes: {}, id: 'Mistral-7B-Instruct-v0.2' },
  // v0.3: the v0.2 file with a 32768-token vocabulary.
  { dir: 'Mistral-7B-Instruct-v0.3', preset: 'mistral-7b-v0.3', changes: {}, id: 'Mistral-7B-Instruct-v0.3' },
  // Qwen2.5 base files: an unused sliding_window equal to the context, use_sliding_window false.
  { dir: 'Qwen2.5-0.5B', preset: 'qwen2.5-0.5b', changes: {}, id: 'Qwen2.5-0.5B' },
  { dir: 'Qwen2.5-1.5B', preset: 'qwen2.5-1.5b', changes: {}, id: 'Qwen2.5-1.5B' },
  { dir: 'Qwen2.5-3B', preset: 'qwen2.5-3b', changes: {}, id: 'Qwen2.5-3B' },
  { dir: 'Qwen2.5-7B', preset: 'qwen2.5-7b', changes: {}, id: 'Qwen2.5-7B' },
  { dir: 'Qwen2.5-14B', preset: 'qwen2.5-14b', changes: {}, id: 'Qwen2.5-14B' },
  // As Qwen2: the instruct file caps the context at 32768.
  { dir: 'Qwen2.5-7B-Instruct', preset: 'qwen2.5-7b', changes: { maxPositions: 32768 }, id: 'Qwen2.5-7B-Instruct' },
  // No max_position_embeddings and no num_kv_heads: 2048 and multi_query's single K/V head.
  { dir: 'falcon-7b', preset: 'falcon-7b', changes: {}, id: 'falcon-7b' },
  // μP multipliers and rope settings change no shape.
  { dir: 'granite-3.1-8b-instruct', preset: 'granite-3.1-8b', changes: {}, id: 'granite-3.1-8b-instruct' },
  // rope_scaling object, eos id list, explicit head_dim.
  { dir: 'Llama-3.2-1B-Instruct', preset: 'llama-3.2-1b', changes: {}, id: 'Llama-3.2-1B-Instruct' },
  { dir: 'opt-1.3b', preset: 'opt-1.3b', changes: {}, id: 'facebook/opt-1.3b', hfId: 'facebook/opt-1.3b' },
  { dir: 'Llama-2-7b-chat-hf', preset: 'llama-2-7b', changes: {}, id: 'meta-llama/Llama-2-7b-chat-hf', hfId: 'meta-llama/Llama-2-7b-chat-hf' },
  // The 70B class. Llama 2: no rope_theta key (the default); keys as the copies naming the repository ship them.
  { dir: 'Llama-2-70b-hf', preset: 'llama-2-70b', changes: {}, id: 'meta-llama/Llama-2-70b-hf', hfId: 'meta-llama/Llama-2-70b-hf' },
  // Llama 3.3: llama3 rope scaling to 131072 and head_dim stated.
  { dir: 'Llama-3.3-70B-Instruct', preset: 'llama-3.3-70b', changes: {}, id: 'meta-llama/Llama-3.3-70B-Instruct', hfId: 'meta-llama/Llama-3.3-70B-Instruct' },
  { dir: 'Qwen2.5-32B', preset: 'qwen2.5-32b', changes: {}, id: 'Qwen2.5-32B' },
];

describe('real config.json files', () => {
  for (const c of CASES) {
    it(`${c.dir} → ${c.preset}${Object.keys(c.changes).length ? ' with ' + JSON.stringify(c.changes) : ''}`, async () => {
      const file = `${DIR}${c.dir}/config.json`;
      const fromFile = await loadArchitecture(`${DIR}${c.dir}`, '/');
      const fromJson = fromHfConfig(JSON.parse(readFileSync(file, 'utf8')));
      const expected = { ...shape(preset(c.preset)), ...c.changes };
      expect(shape(fromFile)).toEqual(expected);
      expect(shape(fromJson)).toEqual(expected);
      expect(fromFile.id).toBe(c.id);
      expect(fromFile.hfId).toBe(c.hfId);
      expect(fromFile.sources).toEqual([file]);
      expect(paramCount(fromFile)).toBe(paramCount(preset(c.preset)));
    });
  }

  it('the terms of a file equal the terms of its preset (same shapes, same context)', async () => {
    const arch = await loadArchitecture(`${DIR}gemma-2-9b-it`, '/');
    const request = { nIn: 6000, nOut: 500, batch: 4 };
    const { request: _a, ...fromFile } = requestTerms(arch, request);
    const { request: _b, ...fromPreset } = requestTerms(preset('gemma-2-9b'), request);
    expect(fromFile).toEqual(fromPreset);
  });

  it('the preset of each file is also the one its repository name resolves to', () => {
    for (const c of CASES.filter((x) => x.hfId === undefined)) expect(resolveArchitecture(c.dir).id, c.dir).toBe(c.preset);
  });

  it('Mistral v0.1, v0.2 and v0.3 differ only in the window and the vocabulary', () => {
    const v01 = shape(preset('mistral-7b'));
    const v02 = shape(preset('mistral-7b-v0.2'));
    const v03 = shape(preset('mistral-7b-v0.3'));
    expect([v01.slidingWindow, v02.slidingWindow]).toEqual([{ size: 4096, layers: 'all' }, null]);
    expect({ ...v01, slidingWindow: null }).toEqual(v02);
    expect([v02.vocabSize, v03.vocabSize]).toEqual([32000, 32768]);
    expect({ ...v03, vocabSize: 32000 }).toEqual(v02);
  });

  it('sweetspot terms reads a model directory; Mistral v0.2 has no window, so its cache keeps growing', async () => {
    let out = '';
    const io = { stdout: (t: string) => (out += t), stderr: () => {}, cwd: DIR };
    await run(['terms', '--model', './Mistral-7B-Instruct-v0.2', '--in', '8000', '--out', '1', '--json'], io);
    const v02 = JSON.parse(out);
    out = '';
    await run(['terms', '--model', 'mistralai/Mistral-7B-v0.1', '--in', '8000', '--out', '1', '--json'], io);
    const v01 = JSON.parse(out);
    // 32 layers · 2 · 8 KV heads · 128 · 2 bytes per token: v0.2 holds 8000 tokens, v0.1 its 4096-token window.
    expect(v02.kvCacheBytes.final).toBe(131072 * 8000);
    expect(v01.kvCacheBytes.final).toBe(131072 * 4096);
    expect(v02.model).toEqual({ id: 'Mistral-7B-Instruct-v0.2', hfId: null });
  });
});
