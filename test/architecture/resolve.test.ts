import { describe, expect, it } from 'vitest';
import { nearestNames } from '../../src/architecture/nearest.js';
import { editDistance } from '../../src/edit-distance.js';
import { PRESETS } from '../../src/architecture/registry.js';
import { findPreset, resolveArchitecture } from '../../src/architecture/resolve.js';
import { SweetspotInputError } from '../../src/errors.js';
import { estimate } from '../../src/index.js';

describe('resolveArchitecture', () => {
  const cases: Array<[string, string]> = [
    ['meta-llama/Llama-2-7b-chat-hf', 'llama-2-7b'],
    ['meta-llama/Llama-2-7b-hf', 'llama-2-7b'],
    ['Llama-2-13b-chat', 'llama-2-13b'],
    ['mistralai/Mistral-7B-v0.1', 'mistral-7b'],
    ['mistralai/Mistral-7B-Instruct-v0.1', 'mistral-7b'],
    ['meta-llama/Meta-Llama-3-8B', 'llama-3-8b'],
    ['meta-llama/Meta-Llama-3-8B-Instruct', 'llama-3-8b'],
    ['meta-llama/Meta-Llama-3.1-8B-Instruct', 'llama-3.1-8b'],
    ['meta-llama/Llama-3.2-1B-Instruct', 'llama-3.2-1b'],
    ['ibm-granite/granite-3.0-8b-instruct', 'granite-3.0-8b'],
    ['ibm-granite/granite-3.1-2b-base', 'granite-3.1-2b'],
    ['tiiuae/falcon-7b-instruct', 'falcon-7b'],
    ['Qwen/Qwen2-7B-Instruct', 'qwen2-7b'],
    ['qwen2-1.5b', 'qwen2-1.5b'],
    ['google/gemma-2-9b-it', 'gemma-2-9b'],
    ['google/gemma-7b-it', 'gemma-7b'],
    ['GEMMA-2B', 'gemma-2b'],
    ['facebook/opt-6.7b', 'opt-6.7b'],
    ['  opt-1.3b ', 'opt-1.3b'],
    ['meta-llama/Llama-2-7b-chat-hf/', 'llama-2-7b'],
    ['google/gemma-2-2b-it//', 'gemma-2-2b'],
    ['Qwen/Qwen2.5-7B-Instruct', 'qwen2.5-7b'],
    ['Qwen2.5-7B', 'qwen2.5-7b'],
    ['Qwen/Qwen2.5-0.5B-Instruct', 'qwen2.5-0.5b'],
    ['qwen2.5-1.5b-instruct', 'qwen2.5-1.5b'],
    ['Qwen/Qwen2.5-3B', 'qwen2.5-3b'],
    ['Qwen/Qwen2.5-14B-Instruct', 'qwen2.5-14b'],
    ['mistralai/Mistral-7B-Instruct-v0.2', 'mistral-7b-v0.2'],
    ['Mistral-7B-v0.2', 'mistral-7b-v0.2'],
    ['mistralai/Mistral-7B-Instruct-v0.3', 'mistral-7b-v0.3'],
    ['Mistral-7B-v0.3', 'mistral-7b-v0.3'],
    ['mistral-7b-v0.3', 'mistral-7b-v0.3'],
    ['Mistral-7B-Instruct', 'mistral-7b'],
    ['llama2-7b', 'llama-2-7b'],
    ['llama2-13b-chat', 'llama-2-13b'],
    ['llama3-8b', 'llama-3-8b'],
    ['Meta-Llama3-8B-Instruct', 'llama-3-8b'],
    ['llama3.1-8b-instruct', 'llama-3.1-8b'],
    ['llama3.2-3b', 'llama-3.2-3b'],
    ['gemma2-9b-it', 'gemma-2-9b'],
    // The 70B class, as people write it.
    ['meta-llama/Llama-2-70b-hf', 'llama-2-70b'],
    ['meta-llama/Llama-2-70b-chat-hf', 'llama-2-70b'],
    ['llama2-70b', 'llama-2-70b'],
    ['meta-llama/Meta-Llama-3-70B-Instruct', 'llama-3-70b'],
    ['llama3-70b', 'llama-3-70b'],
    ['meta-llama/Llama-3.1-70B-Instruct', 'llama-3.1-70b'],
    ['meta-llama/Meta-Llama-3.1-70B-Instruct', 'llama-3.1-70b'],
    ['llama-3.1-70b', 'llama-3.1-70b'],
    ['llama3.1-70b-instruct', 'llama-3.1-70b'],
    ['meta-llama/Llama-3.3-70B-Instruct', 'llama-3.3-70b'],
    ['llama3.3-70b', 'llama-3.3-70b'],
    ['Llama-3.3-70B', 'llama-3.3-70b'],
    ['Qwen/Qwen2.5-72B-Instruct', 'qwen2.5-72b'],
    ['Qwen2.5-72B', 'qwen2.5-72b'],
    ['Qwen/Qwen2.5-32B-Instruct', 'qwen2.5-32b'],
    ['qwen2.5-32b', 'qwen2.5-32b'],
  ];
  for (const [name, id] of cases) {
    it(`${name} → ${id}`, () => expect(resolveArchitecture(name).id).toBe(id));
  }

  it('every preset resolves from its own id and from its Hugging Face id', () => {
    for (const p of PRESETS) {
      expect(resolveArchitecture(p.id)).toBe(p);
      expect(resolveArchitecture(p.hfId!)).toBe(p);
      expect(resolveArchitecture(p.hfId!.split('/')[1].toUpperCase())).toBe(p);
    }
  });

  it('a version with no preset of its own is not silently taken for another version', () => {
    expect(findPreset('mistralai/Mistral-7B-Instruct-v0.4')).toBeUndefined();
    expect(() => resolveArchitecture('mistralai/Mistral-7B-Instruct-v0.4')).toThrow(/nearest presets: mistral-7b-v0\.2, mistral-7b-v0\.3, /);
    // Variants whose shapes or context differ are not the base model either.
    expect(findPreset('Qwen/Qwen2.5-7B-Instruct-1M')).toBeUndefined();
    expect(findPreset('Qwen/Qwen2.5-14B-Instruct-1M')).toBeUndefined();
    expect(findPreset('Qwen2.5-110B')).toBeUndefined();
    expect(findPreset('meta-llama/Llama-3.1-405B')).toBeUndefined();
  });

  it('a family run into its version needs the hyphen before the size to be read', () => {
    // Gemma 1 is `gemma-2b`; `gemma2b` is not taken for it nor for Gemma 2.
    expect(findPreset('gemma2b')).toBeUndefined();
    expect(findPreset('llama27b')).toBeUndefined();
  });

  it('an empty name says so instead of suggesting unrelated presets', () => {
    expect(() => resolveArchitecture('  ')).toThrow(/^model name is empty; expected a preset id \(opt-1\.3b, /);
    expect(findPreset('')).toBeUndefined();
  });

  it('an unknown name throws an input error that suggests the nearest ids', () => {
    expect(findPreset('gpt2')).toBeUndefined();
    expect(() => resolveArchitecture('lama-3.1-8b')).toThrow(SweetspotInputError);
    expect(() => resolveArchitecture('lama-3.1-8b')).toThrow(/unknown model 'lama-3.1-8b'; nearest presets: llama-3.1-8b, /);
    expect(() => resolveArchitecture('google/gemma-3-9b-it')).toThrow(/nearest presets: gemma-2-9b/);
  });

  it('an unknown name says what the library takes instead: an Architecture, not a path it would not read', () => {
    const accepts = /\(see presetIds\(\), or build an Architecture with loadArchitecture\(path\) or fromHfConfig\(json\)\)$/;
    expect(() => resolveArchitecture('/path/to/config.json')).toThrow(accepts);
    expect(() => resolveArchitecture('/path/to/config.json')).not.toThrow(/pass a path/);
    // estimate takes a preset id, a Hugging Face id or an Architecture, and says so.
    expect(() => estimate('/path/to/config.json', { nIn: 5, nOut: 5 })).toThrow(SweetspotInputError);
    expect(() => estimate('/path/to/config.json', { nIn: 5, nOut: 5 })).toThrow(accepts);
    expect(() => estimate('gpt-5', { nIn: 5, nOut: 5 })).toThrow(/^unknown model 'gpt-5'; nearest presets: .* \(see presetIds\(\), or build an Architecture/);
  });
});

describe('editDistance / nearestNames', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('orders by distance, ties by the candidates order', () => {
    expect(nearestNames('ab', ['abcd', 'abc', 'xy', 'ab'], 3)).toEqual(['ab', 'abc', 'abcd']);
    expect(nearestNames('q', ['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
  });
});
