import { SweetspotInputError, checkString } from '../errors.js';
import { READ_LIMITS, jsonErrorText, readTextFile } from '../text-input.js';
import { fromHfConfig } from './hf-config.js';
import { findPreset, unknownModelError } from './resolve.js';
import type { Architecture } from './schema.js';

/** Written as a path rather than a model name: relative, absolute, home-relative, or a `.json` file. */
function looksLikePath(spec: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|~[\\/]|[A-Za-z]:[\\/])/.test(spec) || spec.toLowerCase().endsWith('.json');
}

/** The text of a config file, or of `config.json` inside a model directory; `undefined` if nothing is there. */
async function readConfig(path: string): Promise<{ text: string; file: string } | undefined> {
  // Loaded on demand so that importing the library never touches the filesystem module.
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  let stats;
  try {
    stats = await fs.stat(path);
  } catch {
    return undefined;
  }
  const file = stats.isDirectory() ? join(path, 'config.json') : path;
  // Bounded, regular files only, never quoted back (docs/architectures.md#limits-on-untrusted-input).
  return { text: await readTextFile(file, { maxBytes: READ_LIMITS.configBytes, what: file }), file };
}

/** Names a local model after its directory (`models/my-llama/config.json` → `my-llama`) or its file. */
function localId(file: string, basename: (p: string) => string, dirname: (p: string) => string): string {
  const name = basename(file).replace(/\.json$/i, '');
  return name.toLowerCase() === 'config' ? basename(dirname(file)) || name : name;
}

async function parseConfig(text: string, file: string): Promise<Architecture> {
  const { basename, dirname } = await import('node:path');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SweetspotInputError(`${file}: not valid JSON (${jsonErrorText(text, error as Error)})`);
  }
  return fromHfConfig(json, { source: file, fallbackId: localId(file, basename, dirname) });
}

/**
 * An architecture from a preset id, a Hugging Face repo id, or a path to a `config.json` file (or
 * a model directory holding one). Relative paths are taken from `cwd`. A name that matches a
 * preset wins over a directory of the same name; a path written as one (`./…`, `/…`, `….json`) is
 * always read as a file.
 *
 * @throws {SweetspotInputError} for an unknown name (suggesting presets), or a file that is
 * missing, unreadable, not JSON or not a supported config, naming the path.
 * @example
 * await loadArchitecture('Qwen/Qwen2-7B-Instruct', process.cwd()) // the qwen2-7b preset
 * await loadArchitecture('./models/my-llama/config.json', process.cwd())
 * @category Models and GPUs
 */
export async function loadArchitecture(spec: string, cwd: string): Promise<Architecture> {
  const { resolve, join } = await import('node:path');
  const { homedir } = await import('node:os');
  checkString('loadArchitecture(spec, cwd): spec', spec);
  checkString('loadArchitecture(spec, cwd): cwd', cwd);
  const trimmed = spec.trim();
  if (trimmed.length === 0) throw new SweetspotInputError('model: expected a preset id, a Hugging Face id or a path, got an empty string');
  const expanded = /^~[\\/]/.test(trimmed) ? join(homedir(), trimmed.slice(2)) : trimmed;
  const path = resolve(cwd, expanded);
  if (looksLikePath(trimmed)) {
    const config = await readConfig(path);
    if (!config) throw new SweetspotInputError(`cannot read ${path}: no such file or directory`);
    return parseConfig(config.text, config.file);
  }
  const preset = findPreset(trimmed);
  if (preset) return preset;
  const config = await readConfig(path);
  if (config) return parseConfig(config.text, config.file);
  // Unlike resolveArchitecture, this function reads files, so a path is what it suggests.
  throw unknownModelError(trimmed, LOAD_ALTERNATIVES);
}

/** What {@link loadArchitecture} suggests beyond the presets for a name it cannot find. */
const LOAD_ALTERNATIVES = 'see presetIds(), or pass a path to a config.json';
