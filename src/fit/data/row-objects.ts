import type { Measurement } from './measurement.js';

/** Makes one measurement row from its fields (undefined for a field the row leaves out). */
export type RowMaker = (
  model: string,
  nIn: number,
  nOut: number,
  energyJ: number,
  batchSize: number,
  gpu: string | undefined,
  engine: string | undefined,
  kvCache: boolean,
  latencyS: number | undefined,
  repeats: number | undefined,
  notes: string | undefined,
  line: number | undefined,
  extra: Record<string, string>,
  /** Last, as the one field most rows leave out (docs/conventions.md#measurements); kept after `gpu` in the row. */
  gpus?: number,
) => Measurement;

/**
 * Makers of many measurement rows and their `extra` objects, as compact as V8 can hold them
 * (docs/fitting.md#limits-on-untrusted-input): plain objects (their prototype is
 * `Object.prototype`, as a literal's is) with the schema's keys in its order and absent fields
 * left out, but built by constructors, because V8 keeps every property of a constructed object
 * inside it, sized by the first objects built, where an object grown from `{}` gets four inside
 * and a second array for the rest (about 90 bytes more a row). Each call gives fresh
 * constructors, so that one file's columns size its own rows.
 *
 * @example
 * const make = rowMakers();
 * make.row('m', 1, 2, 3.5, 1, undefined, undefined, true, undefined, undefined, undefined, 2, make.extra()) // { model: 'm', nIn: 1, nOut: 2, energyJ: 3.5, batchSize: 1, kvCache: true, line: 2, extra: {} }
 */
export function rowMakers(): { readonly row: RowMaker; readonly extra: () => Record<string, string> } {
  function Row(
    this: Record<string, unknown>,
    model: string,
    nIn: number,
    nOut: number,
    energyJ: number,
    batchSize: number,
    gpu: string | undefined,
    engine: string | undefined,
    kvCache: boolean,
    latencyS: number | undefined,
    repeats: number | undefined,
    notes: string | undefined,
    line: number | undefined,
    extra: Record<string, string>,
    gpus: number | undefined,
  ): void {
    // Counts come from Float64Arrays: stored as small integers they need no box of their own.
    this.model = model;
    this.nIn = small(nIn);
    this.nOut = small(nOut);
    this.energyJ = energyJ;
    this.batchSize = small(batchSize);
    if (gpu !== undefined) this.gpu = gpu;
    if (gpus !== undefined) this.gpus = small(gpus);
    if (engine !== undefined) this.engine = engine;
    this.kvCache = kvCache;
    if (latencyS !== undefined) this.latencyS = latencyS;
    if (repeats !== undefined) this.repeats = small(repeats);
    if (notes !== undefined) this.notes = notes;
    if (line !== undefined) this.line = small(line);
    this.extra = extra;
  }
  function Extra(): void {}
  Row.prototype = Object.prototype;
  Extra.prototype = Object.prototype;
  const NewRow = Row as unknown as new (...args: Parameters<RowMaker>) => Measurement;
  const NewExtra = Extra as unknown as new () => Record<string, string>;
  return {
    row: (model, nIn, nOut, energyJ, batchSize, gpu, engine, kvCache, latencyS, repeats, notes, line, extra, gpus) =>
      new NewRow(model, nIn, nOut, energyJ, batchSize, gpu, engine, kvCache, latencyS, repeats, notes, line, extra, gpus),
    extra: () => new NewExtra(),
  };
}

/** A number as a 32-bit integer where it is one (the same value; 0 and -0 as they are). */
const small = (v: number): number => ((v | 0) === v && v !== 0 ? v | 0 : v);

/**
 * A text of its own: V8 makes a substring of 13 or more characters a view that keeps the whole
 * string it was cut from alive (a 1 MiB chunk of a file, or a whole file's text), so a text that
 * is kept (in a row or a column) is copied once. JSON gives a fresh flat string of the same
 * characters; shorter substrings are copies already.
 *
 * @example
 * ownText(chunk.slice(10, 40)) // the same 30 characters, without keeping `chunk`
 */
export function ownText(v: string): string {
  return v.length < 13 ? v : (JSON.parse(JSON.stringify(v)) as string);
}
