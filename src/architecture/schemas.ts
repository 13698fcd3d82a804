import { architectureSchemas } from './schema.js';

// The layer entry's zod schemas, built when `sweetspot/architecture` loads; the main entry never
// imports this file, so it loads without zod (docs/conventions.md#built-in-data).

/**
 * Attention window of a model: `null` when every layer attends globally, otherwise the window
 * size (tokens, the query itself included) and which layers use it.
 *
 * @example
 * SlidingWindowSchema.parse({ size: 4096, layers: 'even' }) // Gemma-2: layers 0, 2, 4, …
 */
export const SlidingWindowSchema = architectureSchemas().SlidingWindowSchema;

/**
 * The hyper-parameters of a decoder-only transformer that decide its FLOPs, bytes and parameter
 * count. Field names follow the meaning, not any one config format; `fromHfConfig` maps a
 * Hugging Face `config.json` onto it.
 *
 * @example
 * const mine = ArchitectureSchema.parse({ ...preset('llama-3.1-8b'), id: 'my-llama', numLayers: 40 });
 */
export const ArchitectureSchema = architectureSchemas().ArchitectureSchema;
