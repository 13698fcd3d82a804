import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArchitecture } from '../../src/architecture/load.js';
import { preset } from '../../src/architecture/registry.js';
import { SweetspotInputError } from '../../src/errors.js';

const LLAMA_32_1B = {
  _name_or_path: 'meta-llama/Llama-3.2-1B', model_type: 'llama', hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32,
  num_key_value_heads: 8, head_dim: 64, intermediate_size: 8192, vocab_size: 128256, max_position_embeddings: 131072, tie_word_embeddings: true,
};

describe('loadArchitecture', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sweetspot-load-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(LLAMA_32_1B));
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'config.json'), JSON.stringify({ ...LLAMA_32_1B, _name_or_path: '/local/ckpt' }));
    writeFileSync(join(dir, 'broken.json'), '{ "model_type": ');
    mkdirSync(join(dir, 'empty'));
  });

  it('loads a config.json by relative or absolute path, keeping the path as the source', async () => {
    const byRelative = await loadArchitecture('./config.json', dir);
    const byAbsolute = await loadArchitecture(join(dir, 'config.json'), '/');
    const { id: _a, hfId: _b, sources, ...shape } = byRelative;
    const { id: _c, hfId: _d, sources: _e, ...expected } = preset('llama-3.2-1b');
    expect(shape).toEqual(expected);
    expect(sources).toEqual([join(dir, 'config.json')]);
    expect(byAbsolute.id).toBe('meta-llama/Llama-3.2-1B');
  });

  it('loads a model directory through its config.json; a local _name_or_path is not an id', async () => {
    const arch = await loadArchitecture('model', dir);
    expect(arch.numKvHeads).toBe(8);
    expect(arch.hfId).toBeUndefined();
    expect(arch.id).toBe('model');
  });

  it('resolves preset and Hugging Face ids without touching the disk', async () => {
    expect((await loadArchitecture('google/gemma-2-9b-it', '/nonexistent')).id).toBe('gemma-2-9b');
  });

  it('errors name the path, or suggest presets for an unknown name', async () => {
    await expect(loadArchitecture('./missing.json', dir)).rejects.toThrow(`cannot read ${join(dir, 'missing.json')}: no such file`);
    await expect(loadArchitecture('broken.json', dir)).rejects.toThrow(`${join(dir, 'broken.json')}: not valid JSON`);
    await expect(loadArchitecture('./empty', dir)).rejects.toThrow(`${join(dir, 'empty', 'config.json')}: cannot read the file (ENOENT)`);
    await expect(loadArchitecture('llama-2-7x', dir)).rejects.toThrow(/nearest presets: llama-2-7b/);
    // loadArchitecture reads files, so it suggests a path where resolveArchitecture suggests an Architecture.
    await expect(loadArchitecture('llama-2-7x', dir)).rejects.toThrow(/\(see presetIds\(\), or pass a path to a config\.json\)$/);
    await expect(loadArchitecture('', dir)).rejects.toBeInstanceOf(SweetspotInputError);
  });
});

describe('loadArchitecture ids of local files', () => {
  it('a config without a repo id is named after its directory, or its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweetspot-ids-'));
    mkdirSync(join(dir, 'my-llama'));
    const local = { ...LLAMA_32_1B, _name_or_path: './checkpoints/run-7' };
    writeFileSync(join(dir, 'my-llama', 'config.json'), JSON.stringify(local));
    writeFileSync(join(dir, 'tuned.json'), JSON.stringify(local));
    expect((await loadArchitecture('./my-llama/config.json', dir)).id).toBe('my-llama');
    expect((await loadArchitecture('tuned.json', dir)).id).toBe('tuned');
    expect((await loadArchitecture('tuned.json', dir)).hfId).toBeUndefined();
  });
});
