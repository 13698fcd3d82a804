import { measurementSchema } from './measurement.js';

// The layer entry's zod schema, built when `sweetspot/fit` loads; the main entry never imports this
// file, so it loads without zod (docs/conventions.md#built-in-data).

/**
 * One measured inference call (docs/conventions.md#measurements). `energyJ` is the energy of the
 * whole call: all `batchSize` sequences together (for batch 1, the energy of the request).
 *
 * @example
 * MeasurementSchema.parse({ model: 'llama-2-7b', nIn: 128, nOut: 64, energyJ: 210.5 }).kvCache // true
 */
export const MeasurementSchema = measurementSchema();
