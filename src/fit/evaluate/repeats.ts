import { gpuLabel, type Measurement } from '../data/measurement.js';
import { gpusAt, isMeasurementTable, tableFromRows, tableRow, type MeasurementTable, type TextColumn } from '../data/table.js';
import { checkObject, shownValue } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { groupByCode } from './group-codes.js';
import { MAX_GPUS } from '../../energy/limits.js';

/** Above every GPU count a row may give (1…MAX_GPUS): room for the count inside one run number. */
const GPU_SLOTS = 2 * MAX_GPUS;
import { checkMeasurementRows, checkRowsOrTable, checkTableArgument } from '../data/check.js';

/** Rows that share one configuration, and their mean energy. */
export interface RepeatGroup {
  readonly key: string;
  /** Indices into the rows passed to {@link groupRepeats}. */
  readonly indices: number[];
  readonly meanEnergyJ: number;
}

/**
 * The configuration a row measures: model, gpu (with its count), engine, KV-cache regime, batch, n_in, n_out. Rows
 * with the same key are repeats of one another. `model` replaces the row's model name (e.g. by
 * its preset id, so that two spellings of one model are one configuration).
 *
 * @example
 * configKey({ model: 'm', nIn: 8, nOut: 4, batchSize: 1, kvCache: true, energyJ: 1, extra: {} }) // 'm|||on|1|8|4'
 */
export function configKey(r: Measurement, model?: string): string {
  checkObject('configKey(row)', r);
  if (model !== undefined && typeof model !== 'string') throw new SweetspotInputError(`configKey(model): expected a model name, got ${shownValue(model)}`);
  // Joined from an array: one flat string, which a Map hashes without flattening it first.
  // A count is part of the GPU, as `measure` writes it (`2x NAME`): calls on 1 and 2 GPUs are not repeats.
  const gpu = gpuLabel(r.gpu, r.gpus ?? 1) ?? '';
  return [model ?? r.model, gpu, r.engine ?? '', r.kvCache ? 'on' : 'off', r.batchSize, r.nIn, r.nOut].join('|');
}

/**
 * Groups rows by configuration ({@link configKey}), in order of first appearance: the groups of
 * {@link tableRepeats}, with each one's key and mean energy.
 *
 * @example
 * groupRepeats(rows).filter((g) => g.indices.length > 1).length // configurations measured more than once
 */
export function groupRepeats(rows: readonly Measurement[]): RepeatGroup[] {
  checkMeasurementRows('groupRepeats(rows)', rows);
  const { count, start, rows: order } = repeatsOf(tableFromRows(rows));
  return Array.from({ length: count }, (_, g) => {
    const indices = Array.from(order.subarray(start[g], start[g + 1]));
    return { key: configKey(rows[indices[0]]), indices, meanEnergyJ: indices.reduce((s, i) => s + rows[i].energyJ, 0) / indices.length };
  });
}

/**
 * The configurations ({@link configKey}) of a table's rows, by first appearance (each group's rows
 * in row order), without a key string or an index array
 * per configuration: group g holds the rows `rows[start[g]]` to `rows[start[g + 1] - 1]`.
 *
 * @example
 * const { count, start, rows } = tableRepeats(table);
 * rows.subarray(start[0], start[1]) // the rows of the first configuration
 */
export function tableRepeats(t: MeasurementTable): { count: number; start: Int32Array; rows: Int32Array } {
  return repeatsOf(checkTableArgument('tableRepeats(table)', t));
}

/**
 * {@link tableRepeats} of a table the library built or checked, without the check (the folds hand
 * in their keys as the model column).
 *
 * @example
 * repeatsOf(tableFromRows(rows)).count // configurations
 */
export function repeatsOf(t: MeasurementTable): { count: number; start: Int32Array; rows: Int32Array } {
  const { groupOf, groups } = configGroups(t);
  // configGroups numbers groups by key, not by first appearance: renumbered here.
  const rank = new Int32Array(groups).fill(-1);
  let next = 0;
  for (let i = 0; i < t.length; i++) {
    const g = groupOf[i];
    if (rank[g] < 0) rank[g] = next++;
    groupOf[i] = rank[g];
  }
  const { start, order } = groupByCode(groupOf, groups);
  return { count: groups, start, rows: order };
}

/**
 * The noise floor of a data set: the MAPE of each repeated row against the mean of its
 * configuration. No model that predicts one energy per configuration can be expected to do much
 * better, so it is reported beside every error. Only configurations measured at least twice count;
 * `mapePct` is null when there are none.
 */
export interface NoiseFloor {
  readonly mapePct: number | null;
  /** Rows in configurations measured at least twice. */
  readonly rows: number;
  /** Configurations measured at least twice. */
  readonly groups: number;
  /** Configurations in all (including those measured once). */
  readonly configurations: number;
}

/**
 * Computes the {@link NoiseFloor} of `rows`.
 *
 * @example
 * noiseFloor(rows).mapePct // e.g. 3.1 (%): repeats differ from their mean by 3.1 % on average
 */
export function noiseFloor(rows: readonly Measurement[] | MeasurementTable): NoiseFloor {
  checkRowsOrTable('noiseFloor(rows)', rows);
  const t = isMeasurementTable(rows) ? rows : tableFromRows(rows);
  const energyJ = t.energyJ;
  const { groupOf, groups } = configGroups(t);
  const sums = new Float64Array(groups);
  const counts = new Int32Array(groups);
  for (let i = 0; i < t.length; i++) {
    sums[groupOf[i]] += energyJ[i];
    counts[groupOf[i]]++;
  }
  const deviation = new Float64Array(groups);
  for (let i = 0; i < t.length; i++) {
    const g = groupOf[i];
    if (counts[g] < 2) continue;
    deviation[g] += Math.abs(energyJ[i] - sums[g] / counts[g]) / energyJ[i];
  }
  let sum = 0;
  let count = 0;
  let repeated = 0;
  for (let g = 0; g < groups; g++) {
    if (counts[g] < 2) continue;
    repeated++;
    sum += deviation[g];
    count += counts[g];
  }
  return { mapePct: count ? (100 * sum) / count : null, rows: count, groups: repeated, configurations: groups };
}

/**
 * The configuration ({@link configKey}) of each row as a group number, without a key string per
 * row: the rest of the key (model, GPU, engine, regime, batch) is numbered through small maps,
 * and with the two lengths it forms an exact number, so that the groups come from one numeric
 * sort and a binary search per row. With lengths or batches of 2²¹ or more, or more than 2¹¹ such
 * combinations, the string keys are used.
 */
function configGroups(t: MeasurementTable): { groupOf: Int32Array; groups: number } {
  const n = t.length;
  const groupOf = new Int32Array(n);
  // Text columns compared by code: a column's codes name its texts one to one, except that an
  // absent value and '' are one configuration (as in configKey), so both take the id of ''.
  const idsOf = (c: TextColumn) => {
    const empty = c.texts.indexOf('');
    return { codes: c.codes, absent: empty < 0 ? c.texts.length : empty, count: c.texts.length + 1 };
  };
  const model = idsOf(t.model);
  const gpu = idsOf(t.gpu);
  const engine = idsOf(t.engine);
  const idOf = (c: { codes: Int32Array; absent: number }, i: number) => (c.codes[i] < 0 ? c.absent : c.codes[i]);
  const { nIn, nOut, batchSize, kvCache } = t;
  // (model, GPU, engine) → (batch, regime, GPU count) → id. Consecutive rows mostly share the texts.
  const texts = new Map<number, Map<number, number>>();
  let nextId = 0;
  const keys = new Float64Array(n);
  let numeric = model.count * gpu.count * engine.count < Number.MAX_SAFE_INTEGER;
  let previous = NaN;
  let byRun: Map<number, number> | undefined;
  for (let i = 0; i < n && numeric; i++) {
    const tuple = (idOf(model, i) * gpu.count + idOf(gpu, i)) * engine.count + idOf(engine, i);
    if (tuple !== previous || !byRun) {
      byRun = texts.get(tuple);
      if (!byRun) texts.set(tuple, (byRun = new Map()));
      previous = tuple;
    }
    const run = (batchSize[i] * 2 + kvCache[i]) * GPU_SLOTS + gpusAt(t, i);
    let id = byRun.get(run);
    if (id === undefined) byRun.set(run, (id = nextId++));
    if (id >= TEXT_LIMIT || !(nIn[i] < LENGTH_LIMIT && nOut[i] < LENGTH_LIMIT && batchSize[i] < LENGTH_LIMIT)) numeric = false;
    keys[i] = (id * LENGTH_LIMIT + nIn[i]) * LENGTH_LIMIT + nOut[i];
  }
  if (numeric) {
    const sorted = Float64Array.from(keys).sort();
    let groups = 0;
    for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[groups++] = sorted[k];
    rankInto(keys, sorted, groups, groupOf);
    return { groupOf, groups };
  }
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = configKey(tableRow(t, i));
    let g = index.get(key);
    if (g === undefined) index.set(key, (g = index.size));
    groupOf[i] = g;
  }
  return { groupOf, groups: index.size };
}

/**
 * Each key's rank among the distinct sorted keys, through an open-addressing table of the ranks:
 * one or two probes a row where a binary search took twenty scattered reads.
 */
function rankInto(keys: Float64Array, sorted: Float64Array, groups: number, out: Int32Array): void {
  let size = 1;
  while (size < 2 * groups) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  // Keys are integers below 2^53: their low and high 32-bit halves mixed (murmur3's finaliser).
  const hash = (k: number) => {
    let h = Math.imul((k % 4294967296) ^ Math.imul(Math.floor(k / 4294967296), 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & mask;
  };
  for (let g = 0; g < groups; g++) {
    let h = hash(sorted[g]);
    while (slots[h] !== -1) h = (h + 1) & mask;
    slots[h] = g;
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let h = hash(k);
    while (sorted[slots[h]] !== k) h = (h + 1) & mask;
    out[i] = slots[h];
  }
}

// With a text id below 2^11 and lengths below 2^21, (id·2^21 + nIn)·2^21 + nOut stays below 2^53:
// an exact double, one per configuration.
const LENGTH_LIMIT = 2 ** 21;
const TEXT_LIMIT = 2 ** 11;
