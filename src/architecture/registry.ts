import { SweetspotInputError, checkString, quoteInput } from '../errors.js';
import { deepFreeze } from '../freeze.js';
import { nearestNames } from './nearest.js';
import { PRESET_INPUTS } from './presets.js';
import { trustBuiltInArchitecture, type Architecture } from './schema.js';

/**
 * The built-in architectures, frozen all the way down so that no caller can change the shared data
 * (a window size, a norm count) for everyone else. They are trusted data: the tests check each
 * against the schema (docs/conventions.md#built-in-data), so loading them costs no validation.
 *
 * @example
 * PRESETS.length // 34
 */
export const PRESETS: readonly Architecture[] = Object.freeze(
  PRESET_INPUTS.map((input) => trustBuiltInArchitecture(deepFreeze(structuredClone(input) as Architecture))),
);

/**
 * The ids of the built-in architectures, in catalogue order.
 *
 * @example
 * presetIds().includes('gemma-2-9b') // true
 * @category Models and GPUs
 */
export function presetIds(): string[] {
  return PRESETS.map((p) => p.id);
}

/**
 * The built-in architecture with exactly this id (case-insensitive). For Hugging Face repo ids and
 * chat/instruct variants use {@link resolveArchitecture}.
 *
 * @throws {SweetspotInputError} for an unknown id, naming the nearest ids.
 * @example
 * preset('llama-3.1-8b').numKvHeads // 8
 * @category Models and GPUs
 */
export function preset(id: string): Architecture {
  const wanted = checkString('preset(id)', id).trim().toLowerCase();
  const found = PRESETS.find((p) => p.id === wanted);
  if (found) return found;
  const ids = presetIds();
  throw new SweetspotInputError(
    `unknown preset ${quoteInput(id)}; did you mean ${nearestNames(wanted, ids).join(', ')}? (all presets: ${ids.join(', ')})`,
  );
}
