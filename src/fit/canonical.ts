import { createHash } from 'node:crypto';
import type { Measurement } from './measurement.js';

/**
 * The rows a calibration was fitted on, canonicalised: each row as JSON with the schema fields in
 * a fixed order (the source line and extra columns left out, since they do not change the fit),
 * sorted, one per line. Two files with the same rows in another order or column layout give the
 * same text.
 *
 * @example
 * canonicalRows(rows).split('\n').length // rows.length
 */
export function canonicalRows(rows: readonly Measurement[]): string {
  return rows
    .map((r) =>
      JSON.stringify([r.model, r.nIn, r.nOut, r.energyJ, r.batchSize, r.gpu ?? null, r.engine ?? null, r.kvCache, r.latencyS ?? null, r.repeats ?? null, r.notes ?? null]),
    )
    .sort()
    .join('\n');
}

/**
 * SHA-256 (lowercase hex) of {@link canonicalRows}: the `fittedOn.sha256` of a calibration.
 *
 * @example
 * rowsSha256(rows) // '3f7c…' (64 hex digits)
 */
export function rowsSha256(rows: readonly Measurement[]): string {
  return createHash('sha256').update(canonicalRows(rows)).digest('hex');
}
