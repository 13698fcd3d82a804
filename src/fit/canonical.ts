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
  return canonicalLines(rows).join('\n');
}

/**
 * The sorted lines of {@link canonicalRows}. Each line is what `JSON.stringify` gives for the
 * row's field array, written out directly (numbers print as JSON prints them; each distinct text
 * is escaped once). A million rows take about 3 s here, half of it the sort (7 s before).
 */
function canonicalLines(rows: readonly Measurement[]): string[] {
  const quoted = new Map<string, string>();
  const q = (v: string | undefined): string => {
    if (v === undefined) return 'null';
    let hit = quoted.get(v);
    if (hit === undefined) {
      hit = JSON.stringify(v);
      if (quoted.size < 4096) quoted.set(v, hit);
    }
    return hit;
  };
  const num = (v: number | undefined): string => (v === undefined ? 'null' : JSON.stringify(v));
  const lines = new Array<string>(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    // Joined from an array, the line is one flat string: built from a template it would be a
    // tree of pieces that the sort and the hash flatten again (twice the time at 10⁶ rows).
    lines[k] = [
      '[',
      q(r.model),
      ',',
      JSON.stringify(r.nIn),
      ',',
      JSON.stringify(r.nOut),
      ',',
      JSON.stringify(r.energyJ),
      ',',
      JSON.stringify(r.batchSize),
      ',',
      q(r.gpu),
      ',',
      q(r.engine),
      ',',
      r.kvCache ? 'true' : 'false',
      ',',
      num(r.latencyS),
      ',',
      num(r.repeats),
      ',',
      q(r.notes),
      ']',
    ].join('');
  }
  return lines.sort();
}

/**
 * SHA-256 (lowercase hex) of {@link canonicalRows}: the `fittedOn.sha256` of a calibration.
 *
 * @example
 * rowsSha256(rows) // '3f7c…' (64 hex digits)
 */
export function rowsSha256(rows: readonly Measurement[]): string {
  // node:crypto loads on first use, not at import, where it would add a few ms to every start
  // (docs/conventions.md#built-in-data).
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
  const lines = canonicalLines(rows);
  // The joined text, fed a few thousand lines at a time: one string of every row is never built,
  // and the hash is not called once per row (each call crosses into native code).
  const CHUNK = 4096;
  for (let k = 0; k < lines.length; k += CHUNK) {
    const part = lines.slice(k, k + CHUNK).join('\n');
    hash.update(k === 0 ? part : `\n${part}`);
  }
  return hash.digest('hex');
}
