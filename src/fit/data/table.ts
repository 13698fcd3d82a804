import { kindOf, shownValue } from '../../arguments.js';
import { SweetspotInputError, checkString } from '../../errors.js';
import { MAX_GPUS } from '../../energy/limits.js';
import { ENERGY_RANGE_J, MEASUREMENT_RULES, type Measurement } from './measurement.js';
import { checkMeasurementRows } from './check.js';
import { ownText, rowMakers } from './row-objects.js';

/**
 * A text column: each distinct text once, and each row's index into them (-1 where the row has
 * no value). A file of 10⁶ rows naming one model holds one model string.
 *
 * @example
 * const c: TextColumn = { texts: ['llama-2-7b'], codes: Int32Array.of(0, 0, -1) };
 */
export interface TextColumn {
  /** The distinct texts, in order of first appearance. */
  readonly texts: readonly string[];
  readonly codes: Int32Array;
}

/**
 * Validated measurements as columns (docs/fitting.md#measurement-tables): what
 * `loadMeasurementTable` reads a CSV file into and what `calibrate` fits, without an object per
 * row. Numbers are typed arrays, texts are {@link TextColumn}s; an absent optional number
 * (`latencyS`, `repeats`, `line`) is NaN, which no valid value is. Row `i` is the measurement
 * `tableRow` gives.
 *
 * @example
 * const { table } = await loadMeasurementTable('sweep.csv', process.cwd());
 * table.energyJ[0] // the first row's energy, J
 * @category Fitting
 */
export interface MeasurementTable {
  readonly kind: 'measurement-table';
  readonly length: number;
  readonly model: TextColumn;
  readonly gpu: TextColumn;
  readonly engine: TextColumn;
  readonly notes: TextColumn;
  readonly nIn: Float64Array;
  readonly nOut: Float64Array;
  readonly batchSize: Float64Array;
  readonly energyJ: Float64Array;
  /** 1 for the KV-cache regime, 0 for recompute. */
  readonly kvCache: Uint8Array;
  readonly latencyS: Float64Array;
  readonly repeats: Float64Array;
  /**
   * GPUs each call ran on (NaN: none given, which is 1; docs/conventions.md#measurements). A table
   * without this column ran every call on one GPU.
   */
  readonly gpus?: Float64Array;
  /** 1-based line of the source file. */
  readonly line: Float64Array;
  /** Columns beyond the schema, by name (`extra` of a row). */
  readonly extra: ReadonlyMap<string, TextColumn>;
}

/**
 * GPUs row `i` of a table ran on (1 where the table or the row gives none).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): per row, on a checked table.
 * @example
 * gpusAt(tableFromRows([{ ...row, gpu: 'NVIDIA L40S', gpus: 2 }]), 0) // 2
 */
export function gpusAt(t: MeasurementTable, i: number): number {
  const g = t.gpus === undefined ? NaN : t.gpus[i];
  return Number.isNaN(g) ? 1 : g;
}

/**
 * Whether a value is a {@link MeasurementTable} (and not an array of rows).
 *
 * @example
 * isMeasurementTable(tableFromRows(rows)) // true
 */
export function isMeasurementTable(value: unknown): value is MeasurementTable {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'measurement-table';
}

/**
 * Checks the columns of a table handed in from outside, not their values: the table is an object
 * of kind `measurement-table`, and every column is of its type and as long as the table. O(columns),
 * for functions that take a table; {@link checkTable} checks the values too.
 *
 * @returns the table's text columns with their names, for the value checks.
 * @throws {SweetspotInputError} naming `where` and each bad column.
 * @example
 * checkTableShape(tableFromRows(rows), 'tableRows(table)') // fine
 */
export function checkTableShape(t: MeasurementTable, where: string): [string, TextColumn][] {
  if (!isMeasurementTable(t)) throw new SweetspotInputError(`${where}: expected a MeasurementTable (from tableFromRows or loadMeasurementTable), got ${kindOf(t)}`);
  const n = t.length;
  if (!Number.isSafeInteger(n) || n < 0) throw new SweetspotInputError(`${where}: length must be a whole number ≥ 0, got ${shownValue(n)}`);
  const shape: string[] = [];
  const numbers = ['nIn', 'nOut', 'batchSize', 'energyJ', 'latencyS', 'repeats', 'line'] as const;
  for (const f of numbers) if (!(t[f] instanceof Float64Array) || t[f].length !== n) shape.push(`${f}: a Float64Array of length ${n} is required`);
  if (t.gpus !== undefined && (!(t.gpus instanceof Float64Array) || t.gpus.length !== n)) shape.push(`gpus: a Float64Array of length ${n} (or no column: one GPU) is required`);
  if (!(t.kvCache instanceof Uint8Array) || t.kvCache.length !== n) shape.push(`kvCache: a Uint8Array of length ${n} is required`);
  const textColumns: [string, TextColumn][] = [['model', t.model], ['gpu', t.gpu], ['engine', t.engine], ['notes', t.notes], ...[...(t.extra ?? new Map<string, TextColumn>())].map(([name, c]): [string, TextColumn] => [`extra.${name}`, c])];
  for (const [name, c] of textColumns) {
    if (!c || !Array.isArray(c.texts) || !(c.codes instanceof Int32Array) || c.codes.length !== n) shape.push(`${name}: a text column ({ texts, codes: Int32Array of length ${n} }) is required`);
  }
  if (!(t.extra instanceof Map)) shape.push('extra: a Map of text columns is required');
  if (shape.length > 0) throw new SweetspotInputError(`${where}: ${shape.join('; ')}`, shape.map((m) => `${where}: ${m}`));
  return textColumns;
}

/** At most this many bad cells are listed in one error (the count of the rest is given). */
const MAX_TABLE_ISSUES = 20;

/**
 * Checks a table handed in from outside (its arrays may have been built or changed by hand)
 * against the measurement schema's rules (`MEASUREMENT_RULES`), column by column without an object
 * per row: every column as long as the table and of its type, lengths, batch, repeats and line
 * counts, energies in range, durations finite, the regime 0 or 1, every text code naming a text
 * (a non-empty model on every row). Bad cells are named by line (or `rows[i]` without one) and field.
 *
 * @throws {SweetspotInputError} listing the bad cells (the first 20, and how many more).
 * @example
 * checkTable(tableFromRows(rows), 'calibrate(table)') // returns nothing: the rows were valid
 */
export function checkTable(t: MeasurementTable, where: string): void {
  checkString('checkTable(table, where)', where);
  const textColumns = checkTableShape(t, where);
  const n = t.length;
  const issues: string[] = [];
  let more = 0;
  const label = (i: number) => (Number.isNaN(t.line[i]) ? `rows[${i}]` : `line ${t.line[i]}`);
  const bad = (i: number, field: string, value: unknown, what: string) => {
    if (issues.length < MAX_TABLE_ISSUES) issues.push(`${label(i)}: ${field}: ${what}, got ${shownValue(value)}`);
    else more++;
  };
  const { count, energyJ, durationS } = MEASUREMENT_RULES;
  for (let i = 0; i < n; i++) {
    if (!count(t.nIn[i])) bad(i, 'nIn', t.nIn[i], 'an integer ≥ 1 is required');
    if (!count(t.nOut[i])) bad(i, 'nOut', t.nOut[i], 'an integer ≥ 1 is required');
    if (!count(t.batchSize[i])) bad(i, 'batchSize', t.batchSize[i], 'an integer ≥ 1 is required');
    if (!energyJ(t.energyJ[i])) bad(i, 'energyJ', t.energyJ[i], `energies from ${ENERGY_RANGE_J[0]} J to ${ENERGY_RANGE_J[1]} J per call are accepted`);
    if (!Number.isNaN(t.latencyS[i]) && !durationS(t.latencyS[i])) bad(i, 'latencyS', t.latencyS[i], 'a finite duration ≥ 0 (or NaN: none) is required');
    if (!Number.isNaN(t.repeats[i]) && !count(t.repeats[i])) bad(i, 'repeats', t.repeats[i], 'an integer ≥ 1 (or NaN: none) is required');
    if (t.gpus !== undefined && !Number.isNaN(t.gpus[i]) && !MEASUREMENT_RULES.gpus(t.gpus[i])) bad(i, 'gpus', t.gpus[i], `an integer from 1 to ${MAX_GPUS} (or NaN: one) is required`);
    if (!Number.isNaN(t.line[i]) && !count(t.line[i])) bad(i, 'line', t.line[i], 'an integer ≥ 1 (or NaN: none) is required');
    if (t.kvCache[i] > 1) bad(i, 'kvCache', t.kvCache[i], '1 (KV cache) or 0 (recompute) is required');
    for (const [name, c] of textColumns) {
      const code = c.codes[i];
      const required = name === 'model';
      // Every row names a model, by a non-empty text; other columns may be absent (-1) or empty.
      if (code < (required ? 0 : -1) || code >= c.texts.length || (required && !MEASUREMENT_RULES.model(c.texts[code]))) {
        bad(i, name, code, required ? `a code of one of its ${c.texts.length} non-empty texts is required` : `a code of one of its ${c.texts.length} texts (or -1: none) is required`);
      }
    }
  }
  if (issues.length > 0) {
    const all = more > 0 ? [...issues, `… and ${more} more`] : issues;
    throw new SweetspotInputError(`${where}: ${issues.length + more} bad value(s): ${all.join('; ')}`, all.map((m) => `${where}: ${m}`));
  }
}

/** A text column: texts an array, codes an Int32Array. O(1): for the exported column helpers. */
function checkTextColumn(where: string, c: TextColumn): void {
  if (typeof c !== 'object' || c === null || !Array.isArray(c.texts) || !(c.codes instanceof Int32Array)) {
    throw new SweetspotInputError(`${where}: expected a text column ({ texts: string[], codes: Int32Array }), got ${kindOf(c)}`);
  }
}

/**
 * The codes of a text column that rows use (-1 for rows without a value), each once, in order of
 * first use: a table selected from another keeps the other's texts, some of which no row uses.
 *
 * @example
 * usedCodes({ texts: ['a', 'b'], codes: Int32Array.of(1, 1, -1) }) // [1, -1]
 */
export function usedCodes(c: TextColumn): number[] {
  checkTextColumn('usedCodes(column)', c);
  const seen = new Set<number>();
  let previous = NaN;
  for (let i = 0; i < c.codes.length; i++) {
    const k = c.codes[i];
    if (k !== previous) {
      seen.add(k);
      previous = k;
    }
  }
  return [...seen];
}

/**
 * The texts rows use (undefined for rows without a value), each once, in order of first use.
 *
 * @example
 * usedTexts({ texts: ['a', 'b'], codes: Int32Array.of(1, 1, -1) }) // ['b', undefined]
 */
export function usedTexts(c: TextColumn): (string | undefined)[] {
  checkTextColumn('usedTexts(column)', c);
  return usedCodes(c).map((k) => (k < 0 ? undefined : c.texts[k]));
}

const text = (c: TextColumn, i: number): string | undefined => {
  const k = c.codes[i];
  return k < 0 ? undefined : c.texts[k];
};
const optional = (v: number): number | undefined => (Number.isNaN(v) ? undefined : v);

/**
 * Row `i` of a table as a measurement object (absent optional fields left out, as the schema
 * leaves them).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per row by the filters and the folds, on a table they checked. It checks
 * nothing; junk fails inside it.
 * @example
 * tableRow(tableFromRows(rows), 0) // deep-equals rows[0]
 */
export function tableRow(t: MeasurementTable, i: number): Measurement {
  return rowOf(t, i, (single ??= rowMakers()), t.extra);
}

// tableRow's rows (one at a time, mostly short-lived, as filters read them) share one pair of constructors.
let single: ReturnType<typeof rowMakers> | undefined;

/**
 * Every row of a table as measurement objects (what `readMeasurements` returns for the same file),
 * each as compact as V8 holds an object (`rowMakers`, as `loadMeasurements` makes its rows).
 *
 * @example
 * tableRows(table).length === table.length // true
 */
export function tableRows(t: MeasurementTable): Measurement[] {
  checkTableShape(t, 'tableRows(table)');
  const make = rowMakers();
  const extra = [...t.extra];
  const out = new Array<Measurement>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = rowOf(t, i, make, extra);
  return out;
}

function rowOf(t: MeasurementTable, i: number, make: ReturnType<typeof rowMakers>, extraColumns: Iterable<readonly [string, TextColumn]>): Measurement {
  const extra = make.extra();
  for (const [name, c] of extraColumns) {
    const v = text(c, i);
    if (v !== undefined) extra[name] = v;
  }
  return make.row(
    text(t.model, i)!,
    t.nIn[i],
    t.nOut[i],
    t.energyJ[i],
    t.batchSize[i],
    text(t.gpu, i),
    text(t.engine, i),
    t.kvCache[i] === 1,
    optional(t.latencyS[i]),
    optional(t.repeats[i]),
    text(t.notes, i),
    optional(t.line[i]),
    extra,
    t.gpus === undefined ? undefined : optional(t.gpus[i]),
  );
}

/**
 * A {@link MeasurementTable} of measurement rows (each already valid: see `measurementRows`).
 *
 * @example
 * tableFromRows(readMeasurements(text).rows).length
 */
export function tableFromRows(rows: readonly Measurement[]): MeasurementTable {
  checkMeasurementRows('tableFromRows(rows)', rows);
  const b = new TableBuilder(rows.length);
  for (const r of rows) b.push(r);
  return b.finish();
}

/**
 * The rows of a table at the given indices, in that order.
 *
 * @example
 * selectRows(table, [0, 2]).length // 2
 */
export function selectRows(t: MeasurementTable, indices: ArrayLike<number>): MeasurementTable {
  checkTableShape(t, 'selectRows(table)');
  if (!Array.isArray(indices) && !ArrayBuffer.isView(indices)) throw new SweetspotInputError(`selectRows(table, indices): expected an array of row indices, got ${kindOf(indices)}`);
  const n = indices.length;
  // An index outside the table would read undefined: NaN numbers and code 0, a made-up row.
  for (let k = 0; k < n; k++) {
    const j = indices[k];
    if (!Number.isInteger(j) || j < 0 || j >= t.length) throw new SweetspotInputError(`selectRows(table, indices): indices[${k}] = ${String(j)} is not a row of the table (0 … ${t.length - 1})`);
  }
  const pick = <A extends Float64Array | Uint8Array | Int32Array>(a: A, out: A): A => {
    for (let k = 0; k < n; k++) out[k] = a[indices[k]];
    return out;
  };
  const texts = (c: TextColumn): TextColumn => ({ texts: c.texts, codes: pick(c.codes, new Int32Array(n)) });
  return {
    kind: 'measurement-table',
    length: n,
    model: texts(t.model),
    gpu: texts(t.gpu),
    engine: texts(t.engine),
    notes: texts(t.notes),
    nIn: pick(t.nIn, new Float64Array(n)),
    nOut: pick(t.nOut, new Float64Array(n)),
    batchSize: pick(t.batchSize, new Float64Array(n)),
    energyJ: pick(t.energyJ, new Float64Array(n)),
    kvCache: pick(t.kvCache, new Uint8Array(n)),
    latencyS: pick(t.latencyS, new Float64Array(n)),
    repeats: pick(t.repeats, new Float64Array(n)),
    ...(t.gpus === undefined ? {} : { gpus: pick(t.gpus, new Float64Array(n)) }),
    line: pick(t.line, new Float64Array(n)),
    extra: new Map([...t.extra].map(([name, c]) => [name, texts(c)])),
  };
}

/** A text column being filled: texts numbered as they first appear. */
class TextColumnBuilder {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  private last: string | undefined;
  private lastId = -1;
  codes: Int32Array;

  constructor(capacity: number, filled: number) {
    this.codes = new Int32Array(capacity).fill(-1, 0, filled);
  }

  set(i: number, v: string | undefined): void {
    if (v === undefined) {
      this.codes[i] = -1;
      return;
    }
    // Rows in a run often repeat a text (readers share one string between them): compared first.
    if (v === this.last) {
      this.codes[i] = this.lastId;
      return;
    }
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(v, id);
      this.texts.push(ownText(v));
    }
    this.codes[i] = id;
    this.last = v;
    this.lastId = id;
  }

  grow(capacity: number): void {
    const codes = new Int32Array(capacity);
    codes.set(this.codes);
    this.codes = codes;
  }

  finish(n: number): TextColumn {
    return { texts: this.texts, codes: this.codes.subarray(0, n) };
  }
}

/**
 * Builds a {@link MeasurementTable} row by row, into columns that grow when full (a capacity
 * estimated from the file's size avoids most growth). Rows pushed must be valid measurements.
 *
 * @example
 * const b = new TableBuilder(2);
 * b.push(row);
 * b.finish().length // 1
 */
export class TableBuilder {
  private n = 0;
  private capacity: number;
  private readonly text = new Map<'model' | 'gpu' | 'engine' | 'notes', TextColumnBuilder>();
  private readonly extra = new Map<string, TextColumnBuilder>();
  private numbers: Record<'nIn' | 'nOut' | 'batchSize' | 'energyJ' | 'latencyS' | 'repeats' | 'line', Float64Array>;
  /** GPU counts, made when the first row gives one (most files have none: no column then). */
  private gpus: Float64Array | undefined;
  private kvCache: Uint8Array;

  constructor(capacity = 1024) {
    this.capacity = Math.max(1, Math.ceil(capacity));
    const c = this.capacity;
    this.numbers = { nIn: new Float64Array(c), nOut: new Float64Array(c), batchSize: new Float64Array(c), energyJ: new Float64Array(c), latencyS: new Float64Array(c), repeats: new Float64Array(c), line: new Float64Array(c) };
    this.kvCache = new Uint8Array(c);
    for (const f of ['model', 'gpu', 'engine', 'notes'] as const) this.text.set(f, new TextColumnBuilder(c, 0));
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.n;
  }

  /** Appends one valid measurement. */
  push(r: Measurement): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    const num = this.numbers;
    num.nIn[i] = r.nIn;
    num.nOut[i] = r.nOut;
    num.batchSize[i] = r.batchSize;
    num.energyJ[i] = r.energyJ;
    num.latencyS[i] = r.latencyS ?? NaN;
    num.repeats[i] = r.repeats ?? NaN;
    if (r.gpus !== undefined || this.gpus !== undefined) {
      // The rows before the first count gave none: NaN, as for an absent optional number.
      this.gpus ??= new Float64Array(this.capacity).fill(NaN, 0, i);
      this.gpus[i] = r.gpus ?? NaN;
    }
    num.line[i] = r.line ?? NaN;
    this.kvCache[i] = r.kvCache ? 1 : 0;
    const text = this.text;
    text.get('model')!.set(i, r.model);
    text.get('gpu')!.set(i, r.gpu);
    text.get('engine')!.set(i, r.engine);
    text.get('notes')!.set(i, r.notes);
    for (const [name, c] of this.extra) c.set(i, r.extra[name]);
    for (const name in r.extra) {
      if (this.extra.has(name)) continue;
      // A column first seen now: the rows before had no value in it.
      const c = new TextColumnBuilder(this.capacity, i);
      c.set(i, r.extra[name]);
      this.extra.set(name, c);
    }
  }

  private grow(): void {
    const c = Math.ceil(this.capacity * 1.5) + 16;
    for (const key of Object.keys(this.numbers) as (keyof typeof this.numbers)[]) {
      const a = new Float64Array(c);
      a.set(this.numbers[key]);
      this.numbers[key] = a;
    }
    if (this.gpus !== undefined) {
      const g = new Float64Array(c);
      g.set(this.gpus);
      this.gpus = g;
    }
    const kv = new Uint8Array(c);
    kv.set(this.kvCache);
    this.kvCache = kv;
    for (const t of this.text.values()) t.grow(c);
    for (const t of this.extra.values()) t.grow(c);
    this.capacity = c;
  }

  /** The table of the rows pushed. */
  finish(): MeasurementTable {
    const n = this.n;
    const num = this.numbers;
    const text = (f: 'model' | 'gpu' | 'engine' | 'notes') => this.text.get(f)!.finish(n);
    return {
      kind: 'measurement-table',
      length: n,
      model: text('model'),
      gpu: text('gpu'),
      engine: text('engine'),
      notes: text('notes'),
      nIn: num.nIn.subarray(0, n),
      nOut: num.nOut.subarray(0, n),
      batchSize: num.batchSize.subarray(0, n),
      energyJ: num.energyJ.subarray(0, n),
      kvCache: this.kvCache.subarray(0, n),
      latencyS: num.latencyS.subarray(0, n),
      repeats: num.repeats.subarray(0, n),
      ...(this.gpus === undefined ? {} : { gpus: this.gpus.subarray(0, n) }),
      line: num.line.subarray(0, n),
      extra: new Map([...this.extra].map(([name, c]) => [name, c.finish(n)])),
    };
  }
}
