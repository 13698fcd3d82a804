import { requestSchema } from './terms.js';

// The layer entry's zod schema, built when `sweetspot/complexity` loads; the main entry never
// imports this file, so it loads without zod (docs/conventions.md#built-in-data).

/**
 * One request as `requestTerms` takes it: lengths, batch, precision, regime. Defaults: batch
 * 1, 2-byte weights and KV elements, the KV-cache regime, no overflow.
 *
 * @example
 * RequestSchema.parse({ nIn: 1024, nOut: 256 }).weightBytes // 2
 */
export const RequestSchema = requestSchema();
