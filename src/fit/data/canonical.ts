import { gpuLabel, type Measurement } from './measurement.js';
import { gpusAt, isMeasurementTable, tableFromRows, type MeasurementTable, type TextColumn } from './table.js';
import { checkRowsOrTable } from './check.js';

/**
 * The rows a calibration was fitted on, canonicalised: each row as JSON with the schema fields in
 * a fixed order (the source line and extra columns left out, since they do not change the fit),
 * sorted, one per line; a row on N > 1 GPUs has `Nx NAME` as its GPU. Two files with the same rows in another order or column layout give the
 * same text.
 *
 * @example
 * canonicalRows(rows).split('\n').length // rows.length
 */
export function canonicalRows(rows: readonly Measurement[] | MeasurementTable): string {
  const parts: string[] = [];
  eachCanonicalChunk(asTable(checkRowsOrTable('canonicalRows(rows)', rows)), (part) => parts.push(part));
  return parts.join('\n');
}

/**
 * SHA-256 (lowercase hex) of {@link canonicalRows}: the `fittedOn.sha256` of a calibration.
 *
 * @example
 * rowsSha256(rows) // '3f7c…' (64 hex digits)
 */
export function rowsSha256(rows: readonly Measurement[] | MeasurementTable): string {
  // The joined text, fed a few thousand lines at a time: one string of every row is never built,
  // and the hash is not called once per row (each call crosses into native code).
  // node:crypto loads on first use, not at import, where it would add a few ms to every start
  // (docs/conventions.md#built-in-data).
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
  let first = true;
  eachCanonicalChunk(asTable(checkRowsOrTable('rowsSha256(rows)', rows)), (part) => {
    hash.update(first ? part : `\n${part}`);
    first = false;
  });
  return hash.digest('hex');
}

/** The fields of a canonical line, in order, and the character that follows each in the line. */
const FIELDS = ['model', 'nIn', 'nOut', 'energyJ', 'batchSize', 'gpu', 'engine', 'kvCache', 'latencyS', 'repeats', 'notes'] as const;
type Field = (typeof FIELDS)[number];
/** Each field's value in row i, as the row object holds it (undefined where absent). */
const GET: readonly ((t: MeasurementTable, i: number) => unknown)[] = [
  (t, i) => textAt(t.model, i),
  (t, i) => t.nIn[i],
  (t, i) => t.nOut[i],
  (t, i) => t.energyJ[i],
  (t, i) => t.batchSize[i],
  (t, i) => gpuText(t, i),
  (t, i) => textAt(t.engine, i),
  (t, i) => t.kvCache[i] === 1,
  (t, i) => optional(t.latencyS[i]),
  (t, i) => optional(t.repeats[i]),
  (t, i) => textAt(t.notes, i),
];

/**
 * The GPU as `measure` writes it: the name alone for one GPU, `Nx NAME` for N > 1. A row's count
 * thus enters the hash without a field of its own, and rows on one GPU (and files written with
 * `Nx NAME`) hash as they did before the count was read.
 */
function gpuText(t: MeasurementTable, i: number): string | undefined {
  return gpuLabel(textAt(t.gpu, i), gpusAt(t, i));
}

function textAt(c: TextColumn, i: number): string | undefined {
  const k = c.codes[i];
  return k < 0 ? undefined : c.texts[k];
}

function optional(v: number): number | undefined {
  return Number.isNaN(v) ? undefined : v;
}

function asTable(rows: readonly Measurement[] | MeasurementTable): MeasurementTable {
  return isMeasurementTable(rows) ? rows : tableFromRows(rows);
}
const SEPARATOR: readonly string[] = FIELDS.map((_, i) => (i === FIELDS.length - 1 ? ']' : ','));
const QUOTED = new Set<Field>(['model', 'gpu', 'engine', 'notes']);
const NULLABLE = new Set<Field>(['latencyS', 'repeats']);

/**
 * A field's text in the line, exactly as `JSON.stringify` of the row's field array writes it
 * (an absent string or optional number is `null`; the flag is `true` or `false`).
 */
function fieldText(field: Field, v: unknown): string {
  if (typeof v === 'number' && field !== 'kvCache') return JSON.stringify(v);
  if (field === 'kvCache') return v ? 'true' : 'false';
  if (v === undefined && (QUOTED.has(field) || NULLABLE.has(field))) return 'null';
  return JSON.stringify(v) ?? '';
}

const CHUNK = 4096;
/** Past this many distinct values a field is not ranked but compared by its text, row by row. */
const MAX_DISTINCT = 1 << 16;

/**
 * The sorted canonical lines, handed on `CHUNK` at a time, joined by newlines.
 *
 * Sorting 10⁶ line strings took half of the hash's 3 s. Here row indices are sorted by numbers
 * instead: each field's distinct texts are ranked once, the leading fields' ranks packed into one
 * float key per row, and only rows whose packed keys tie are ordered field by field. A line is a
 * run of fields each followed by ',' (']' after the last); no field's text followed by its
 * separator is a prefix of another's (JSON values end where they end, and neither ',' nor ']'
 * occurs in a number), so comparing lines as strings is comparing their fields in turn, each by
 * its text and separator (test/fit/data/canonical.test.ts holds the rows to the string sort). Where the
 * first varying field has too many distinct values to rank, the lines are sorted as strings.
 */
function eachCanonicalChunk(rows: MeasurementTable, emit: (part: string) => void): void {
  const order = sortedOrder(rows);
  if (order !== null) {
    for (let k = 0; k < order.length; k += CHUNK) emit(order.lines(k, Math.min(k + CHUNK, order.length)));
    return;
  }
  const lines = Array.from({ length: rows.length }, (_, i) => lineOf(rows, i)).sort();
  for (let k = 0; k < lines.length || k === 0; k += CHUNK) emit(lines.slice(k, k + CHUNK).join('\n'));
}

/** One row's canonical line, text by text: the definition the sorted path must reproduce. */
function lineOf(t: MeasurementTable, i: number): string {
  const parts: string[] = ['['];
  for (let f = 0; f < FIELDS.length; f++) parts.push(fieldText(FIELDS[f], GET[f](t, i)), SEPARATOR[f]);
  return parts.join('');
}

interface RankedField {
  field: number;
  /** Rank of each row's text among the field's distinct texts (text and separator compared). */
  rank: Uint32Array | null;
  /** Distinct texts by rank. */
  texts: string[];
}

/**
 * The rows' order by canonical line and each sorted line, or null where the numeric keys cannot
 * order the rows quickly (the first varying field has too many distinct values).
 */
function sortedOrder(rows: MeasurementTable): { length: number; lines(from: number, to: number): string } | null {
  const n = rows.length;
  if (n === 0) return null;
  const ranked: (RankedField | null)[] = FIELDS.map((_, f) => rankField(rows, f));
  // Pack the leading ranked fields (constant ones add nothing) into one exact integer per row.
  let cardinality = 1;
  let packed = 0;
  for (; packed < FIELDS.length; packed++) {
    const r = ranked[packed];
    if (r === null) break;
    if (r.texts.length === 1) continue;
    if (cardinality * r.texts.length * n > Number.MAX_SAFE_INTEGER) break;
    cardinality *= r.texts.length;
  }
  if (cardinality === 1 && packed < FIELDS.length) return null;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let f = 0; f < packed; f++) {
      const r = ranked[f] as RankedField;
      if (r.rank !== null) c = c * r.texts.length + r.rank[i];
    }
    key[i] = c * n + i;
  }
  key.sort();
  const index = new Uint32Array(n);
  for (let k = 0; k < n; k++) index[k] = key[k] % n;
  // Rows whose packed fields agree: ordered by the fields after them.
  if (packed < FIELDS.length) {
    const text = (f: number, i: number): string => {
      const r = ranked[f];
      if (r !== null) return r.texts[r.rank === null ? 0 : r.rank[i]];
      return fieldText(FIELDS[f], GET[f](rows, i)) + SEPARATOR[f];
    };
    const compare = (a: number, b: number): number => {
      for (let f = packed; f < FIELDS.length; f++) {
        const r = ranked[f];
        if (r !== null) {
          if (r.rank === null) continue;
          const d = r.rank[a] - r.rank[b];
          if (d !== 0) return d;
        } else {
          const ta = text(f, a);
          const tb = text(f, b);
          if (ta !== tb) return ta < tb ? -1 : 1;
        }
      }
      return 0;
    };
    // key − index is the packed fields' integer times n, exactly: equal for rows that tie.
    let start = 0;
    for (let k = 1; k <= n; k++) {
      if (k < n && key[k] - index[k] === key[start] - index[start]) continue;
      if (k - start > 1) index.subarray(start, k).sort(compare);
      start = k;
    }
  }
  // A line as pieces: runs of fields that never vary are one constant text. A many-valued field
  // whose values are all numbers is read from a column gathered in row order: the lines visit
  // rows in sorted order, and a read from one compact array is cheaper than from scattered rows.
  type Piece = string | RankedField | number | Float64Array;
  const pieces: Piece[] = ['['];
  for (let f = 0; f < FIELDS.length; f++) {
    const r = ranked[f];
    const last = pieces.length - 1;
    const piece: Piece = r === null ? (numberColumn(rows, f) ?? f) : r.rank === null ? r.texts[0] : r;
    if (typeof piece === 'string' && typeof pieces[last] === 'string') pieces[last] += piece;
    else pieces.push(piece);
  }
  // The lines from..to (exclusive) joined by newlines, built by appending: V8 flattens the result
  // once, when it is hashed.
  const lines = (from: number, to: number): string => {
    let text = '';
    for (let k = from; k < to; k++) {
      const i = index[k];
      if (k > from) text += '\n';
      for (const p of pieces) {
        if (typeof p === 'string') text += p;
        else if (p instanceof Float64Array) text += `${JSON.stringify(p[i])},`;
        else if (typeof p === 'number') text += fieldText(FIELDS[p], GET[p](rows, i)) + SEPARATOR[p];
        else text += p.texts[(p.rank as Uint32Array)[i]];
      }
    }
    return text;
  };
  return { length: n, lines };
}

/** A field's values in row order, when every one is a number and the field is not the last. */
function numberColumn(rows: MeasurementTable, f: number): Float64Array | null {
  if (FIELDS[f] === 'kvCache' || SEPARATOR[f] !== ',') return null;
  const get = GET[f];
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = get(rows, i);
    if (typeof v !== 'number') return null;
    out[i] = v;
  }
  return out;
}

/**
 * One field's distinct texts (each with its separator) in string order and each row's rank among
 * them; null past `MAX_DISTINCT` distinct values.
 */
function rankField(rows: MeasurementTable, f: number): RankedField | null {
  const field = FIELDS[f];
  const get = GET[f];
  const ids = new Map<unknown, number>();
  const values: unknown[] = [];
  const id = new Uint32Array(rows.length);
  let previous: unknown = Symbol('none');
  let previousId = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = get(rows, i);
    if (v !== previous) {
      let hit = ids.get(v);
      if (hit === undefined) {
        if (values.length === MAX_DISTINCT) return null;
        hit = values.length;
        ids.set(v, hit);
        values.push(v);
      }
      previous = v;
      previousId = hit;
    }
    id[i] = previousId;
  }
  // Distinct values may share a text (0 and -0, two NaNs): ranks go by text.
  const textOfId = values.map((v) => fieldText(field, v) + SEPARATOR[f]);
  const texts = [...new Set(textOfId)].sort();
  if (texts.length === 1) return { field: f, rank: null, texts };
  const rankOfText = new Map(texts.map((t, r) => [t, r]));
  const rankOfId = new Uint32Array(textOfId.map((t) => rankOfText.get(t) as number));
  for (let i = 0; i < id.length; i++) id[i] = rankOfId[id[i]];
  return { field: f, rank: id, texts };
}
