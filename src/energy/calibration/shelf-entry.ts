import type { z } from 'zod';
import { SweetspotInputError, parseWith } from '../../errors.js';
import { calibrationSchemas } from './document.js';
import { lazySchema } from '../../zod.js';
// Types only: the values are built on first use below; schemas.ts holds the layer entry's copies.
import type { CrossValidationSchema, ShelfEntrySchema } from '../schemas.js';

/**
 * The zod schemas of a shelf entry, built on first use (zod loads only when input is checked);
 * `sweetspot/energy` exports each under its name.
 *
 * @example
 * shelfEntrySchemas().ShelfEntrySchema.parse(JSON.parse(text)).name
 */
export const shelfEntrySchemas = lazySchema((z) => {
  const nonneg = z.number().finite().nonnegative();

  /**
   * One held-out group of a cross-validation: the group's name, its rows and their MAPE.
   *
   * @example
   * CvFoldSummarySchema.parse({ heldOut: 'vLLM', rows: 8, mape: 9.1, maxApe: 20.3 })
   */
  const CvFoldSummarySchema = z
    .object({
      heldOut: z.string().min(1),
      rows: z.number().int().positive(),
      mape: nonneg,
      maxApe: nonneg,
    })
    .strict();

  /**
   * A cross-validated error of a shelf calibration: the scheme (what each fold holds out), the
   * pooled MAPE and max APE over every held-out row, and the folds.
   *
   * @example
   * CrossValidationSchema.parse({ scheme: 'leave-one-model-out', rows: 16, mape: 8, maxApe: 20, folds: [] })
   */
  const CrossValidationSchema = z
    .object({
      scheme: z.string().min(1),
      rows: z.number().int().positive(),
      mape: nonneg,
      maxApe: nonneg,
      folds: z.array(CvFoldSummarySchema),
    })
    .strict();


  /**
   * A named, versioned calibration of the shelf (docs/calibrations.md): the calibration document
   * with what it is for, how it was made from which public data, and its cross-validated errors.
   *
   * @example
   * ShelfEntrySchema.parse(JSON.parse(readFileSync('src/energy/calibration/shelf/h100-vllm.json', 'utf8')))
   */
  const ShelfEntrySchema = z
    .object({
      /** Lower-case name used by `calibrationByName` and `--calibration`, e.g. `h100-vllm`. */
      name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
      /** Raised whenever the parameters change (new data, new method). */
      release: z.number().int().positive(),
      /** One line: GPU, engine, regime. */
      title: z.string().min(1),
      /** How the parameters were obtained: which were fitted, which pinned and to what. */
      method: z.string().min(1),
      /** The repository files the rows came from, and their licences. */
      data: z.array(z.object({ file: z.string().min(1), licence: z.string().min(1) }).strict()),
      /** What the data cannot tell, and what the calibration should not be used for. */
      caveats: z.string(),
      /** Cross-validated errors (empty for a calibration derived without data). */
      crossValidation: z.array(CrossValidationSchema),
      calibration: calibrationSchemas().CalibrationSchema,
    })
    .strict();
  return { CvFoldSummarySchema, CrossValidationSchema, ShelfEntrySchema };
});

/**
 * A cross-validated error of a shelf calibration.
 *
 * @example
 * const cv: CrossValidation = shelfEntry('h100').crossValidation[0];
 */
export type CrossValidation = z.output<typeof CrossValidationSchema>;

/**
 * A validated shelf entry.
 *
 * @example
 * const entry: ShelfEntry = shelfEntry('h100-vllm');
 */
export type ShelfEntry = z.output<typeof ShelfEntrySchema>;

/**
 * Validates a shelf entry given as JSON text or a parsed object.
 *
 * @throws {SweetspotInputError} naming every bad field.
 * @example
 * parseShelfEntry(readFileSync('src/energy/calibration/shelf/h100.json', 'utf8')).name // 'h100'
 */
export function parseShelfEntry(input: unknown): ShelfEntry {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new SweetspotInputError(`calibration shelf entry: not valid JSON (${(error as Error).message})`);
    }
  }
  return parseWith(shelfEntrySchemas().ShelfEntrySchema, value, 'calibration shelf entry');
}
