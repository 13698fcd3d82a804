import { SweetspotInputError, checkString, quoteInput } from '../errors.js';
import { nearestNames } from './nearest.js';
import { PRESETS, presetIds } from './registry.js';
import type { Architecture } from './schema.js';

/** Suffixes of fine-tuned or repackaged variants that keep the base architecture. */
const VARIANT_SUFFIXES = ['-chat-hf', '-hf', '-chat', '-instruct', '-it', '-base'];
const VERSION_SUFFIX = /-v\d+(\.\d+)*$/;

/** A model name reduced to its base: lower case, no organisation, no `meta-` prefix, no variant suffixes. */
interface BaseName {
  readonly base: string;
  /** A trailing version such as `-v0.1`, if the name had one. */
  readonly version?: string;
}

/**
 * A family name run into its version (`llama2-7b`, `llama3.1-8b`, `gemma2-9b`), as the repositories'
 * `llama-2-7b` and `gemma-2-9b`. The hyphen before the size is required: `gemma2b` could be Gemma 1
 * at 2B, so it is not read (docs/architectures.md#names).
 */
const FAMILY_VERSION = /^(llama|gemma)(\d+(?:\.\d+)?)-/;

function baseName(name: string): BaseName {
  // A trailing slash (`org/name/`, as copied from a URL or a directory listing) is not part of the name.
  let s = name.trim().toLowerCase().replace(/\/+$/, '');
  s = s.slice(s.lastIndexOf('/') + 1);
  if (s.startsWith('meta-')) s = s.slice('meta-'.length);
  s = s.replace(FAMILY_VERSION, '$1-$2-');
  let version: string | undefined;
  for (let changed = true; changed; ) {
    changed = false;
    const v = VERSION_SUFFIX.exec(s);
    if (v && version === undefined) {
      version = v[0];
      s = s.slice(0, v.index);
      changed = true;
    }
    const suffix = VARIANT_SUFFIXES.find((x) => s.endsWith(x) && s.length > x.length);
    if (suffix) {
      s = s.slice(0, -suffix.length);
      changed = true;
    }
  }
  return { base: s, version };
}

/**
 * Each preset's base names: its id and its Hugging Face id reduced by {@link baseName}. A version
 * in the Hugging Face id (Mistral-7B-v0.1) is the only version that resolves to the preset, since
 * later versions of a model may change its shapes (docs/architectures.md#names). A name without a
 * version takes the first preset of its base in catalogue order (`Mistral-7B-Instruct` → v0.1).
 */
const KEYS = PRESETS.map((p) => {
  const hf = p.hfId === undefined ? undefined : baseName(p.hfId);
  const own = baseName(p.id);
  return { preset: p, bases: new Set([p.id, own.base, ...(hf ? [hf.base] : [])]), version: hf?.version ?? own.version };
});

/**
 * The built-in architecture a name refers to, or `undefined`: a preset id or a Hugging Face repo
 * id, case-insensitive, with or without the organisation, with chat/instruct variants (`-chat-hf`,
 * `-hf`, `-chat`, `-Instruct`, `-it`, `-base`), a `Meta-` prefix, a family run into its version
 * (`llama3-8b`), and the preset's own version suffix (`-v0.1`, `-v0.3`).
 *
 * @example
 * findPreset('meta-llama/Llama-2-7b-chat-hf')?.id // 'llama-2-7b'
 * findPreset('Qwen/Qwen2.5-7B-Instruct')?.id // 'qwen2.5-7b'
 * findPreset('mistralai/Mistral-7B-Instruct-v0.3')?.id // 'mistral-7b-v0.3'
 * findPreset('Mistral-7B-v0.4') // undefined (a version with no preset)
 */
export function findPreset(name: string): Architecture | undefined {
  const { base, version } = baseName(checkString('findPreset(name)', name));
  const match = KEYS.find((k) => k.bases.has(base) && (version === undefined || version === k.version));
  return match?.preset;
}

/**
 * Like {@link findPreset}, but an unknown name is an error that suggests the nearest preset ids.
 *
 * @throws {SweetspotInputError} for a name that matches no preset.
 * @example
 * resolveArchitecture('mistralai/Mistral-7B-v0.1').id // 'mistral-7b'
 * resolveArchitecture('meta-llama/Meta-Llama-3-8B').maxPositions // 8192
 * @category Models and GPUs
 */
export function resolveArchitecture(name: string): Architecture {
  const found = findPreset(checkString('resolveArchitecture(name)', name));
  if (found) return found;
  if (name.trim() === '') {
    throw new SweetspotInputError(`model name is empty; expected a preset id (${presetIds().join(', ')}) or a Hugging Face repo id`);
  }
  throw unknownModelError(name, RESOLVE_ALTERNATIVES);
}

/**
 * What {@link resolveArchitecture} suggests beyond the presets: it reads no files, so a model of
 * one's own is an `Architecture` built from its `config.json` (the command line rewrites this as
 * `pass a path to a config.json`, which its `--model` accepts).
 */
const RESOLVE_ALTERNATIVES = 'see presetIds(), or build an Architecture with loadArchitecture(path) or fromHfConfig(json)';

/**
 * The error for a name that matches no preset: the nearest preset ids by edit distance, then
 * `alternatives`, what the function that was called accepts instead.
 *
 * @example
 * unknownModelError('lama-3.1-8b', 'see presetIds()').message // "unknown model 'lama-3.1-8b'; nearest presets: llama-3.1-8b, … (see presetIds())"
 */
export function unknownModelError(name: string, alternatives: string): SweetspotInputError {
  const { base, version } = baseName(name);
  const nearest = nearestNames(version === undefined ? base : base + version, presetIds());
  return new SweetspotInputError(`unknown model ${quoteInput(name)}; nearest presets: ${nearest.join(', ')} (${alternatives})`);
}
