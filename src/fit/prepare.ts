import type { Architecture } from '../architecture/schema.js';
import { firstFew } from '../first-few.js';
import { findPreset } from '../architecture/resolve.js';
import type { RequestFeatures } from '../complexity/features.js';
import type { AttentionSetting } from '../energy/calibration/document.js';
import type { EnergyForm } from '../energy/form.js';
import { SweetspotInputError, quoteInput } from '../errors.js';
import { formNeedsArchitecture, measurementFeatures, tableFeatures } from './features.js';
import type { Measurement } from './data/measurement.js';
import { rowsAt, type FeatureList, type RowList } from './data/row-list.js';
import { gpusAt, usedCodes, type MeasurementTable } from './data/table.js';
import { checkShape } from '../arguments.js';
import { optionsObject } from '../options.js';
import { checkEnergyForm } from '../energy/check-form.js';
import { checkMeasurementRows, checkTableArgument } from './data/check.js';
import { checkRowList } from './data/row-list.js';

/**
 * Rows made ready for fitting, as fits read them: features, model keys, labels for messages,
 * energies, each by row (arrays, or views computed per row for a table).
 */
export interface PreparedData {
  readonly features: FeatureList;
  /** Preset id where the model resolves, else the model as written. */
  readonly keys: RowList<string>;
  /** `line N` (or `rows[i]` for rows not read from a file) of each row, for error messages. */
  readonly labels: RowList<string>;
  readonly measuredJ: readonly number[];
  /** Models (as written) that no architecture was found for. */
  readonly unresolved: string[];
  /**
   * GPUs each row ran on (docs/fitting.md#gpu-counts); null when every row ran on one, absent in
   * data prepared by hand (the fits then read the counts from the features).
   */
  readonly gpus?: RowList<number> | null;
}

/** Rows made ready for fitting: {@link PreparedData} as arrays, beside the rows themselves. */
export interface PreparedRows extends PreparedData {
  readonly rows: readonly Measurement[];
  readonly features: RequestFeatures[];
  readonly keys: string[];
  readonly labels: string[];
  readonly measuredJ: number[];
}

/** How rows are prepared: architecture resolution and precision. */
export interface PrepareOptions {
  /** Model id → architecture (default: the built-in presets via `resolveArchitecture`). */
  readonly resolve?: (model: string) => Architecture;
  readonly weightBytes?: number;
  readonly kvBytes?: number;
  /** How the engine computes attention (default `fused`; docs/complexity.md#attention-implementations). */
  readonly attention?: AttentionSetting;
  /** Whether the complexity terms are computed (default true; see `FeatureOptions.terms`). */
  readonly terms?: boolean;
  /** Memory of one GPU, bytes: rows that exceed their GPUs' memory are in waves (see `FeatureOptions.waveMemoryBytes`). */
  readonly waveMemoryBytes?: number;
}


/**
 * `p` when it has the shape of {@link PreparedData} (what {@link prepareRows} and
 * {@link prepareTable} return), else an error naming the argument and each bad field. O(1).
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkPrepared('predictRows(calibration, prepared)', prepareRows(rows)) // the prepared data
 */
export function checkPrepared<T extends PreparedData>(where: string, p: T): T {
  checkShape(where, p, 'prepared data (from prepareRows or prepareTable)', { measuredJ: 'array-like', unresolved: 'array' });
  for (const list of ['features', 'keys', 'labels'] as const) checkRowList<unknown>(`${where}.${list}`, p[list]);
  return p;
}

/**
 * Computes features, model keys and labels of measurement rows once, for fits, evaluation and
 * cross-validation. A model without a known architecture keeps its name as key and NaN terms.
 *
 * @example
 * const p = prepareRows(rows);
 * p.keys[0] // 'llama-2-7b' for 'meta-llama/Llama-2-7b-chat-hf'
 */
export function prepareRows(rows: readonly Measurement[], options: PrepareOptions = {}): PreparedRows {
  checkMeasurementRows('prepareRows(rows)', rows);
  // No key check: calibrate and evaluate hand their own options on whole.
  options = optionsObject('prepareRows(rows, options)', options);
  if (rows.length === 0) throw new SweetspotInputError('measurements: no rows left to use (check the filters)');
  const resolve = options.resolve ?? presetOf;
  const keyOf = new Map<string, string>();
  const archOf = new Map<string, Architecture>();
  const unresolved: string[] = [];
  for (const m of new Set(rows.map((r) => r.model))) {
    try {
      const arch = resolve(m);
      archOf.set(m, arch);
      keyOf.set(m, arch.id);
    } catch {
      keyOf.set(m, m);
      unresolved.push(m);
    }
  }
  return {
    rows,
    // Each model resolved once: the features reuse the architectures found above (an unresolved
    // model is asked again, for its error message).
    features: measurementFeatures(rows, featureOptions(options, archOf, resolve)),
    keys: rows.map((r) => keyOf.get(r.model)!),
    labels: rows.map((r, i) => (r.line !== undefined ? `line ${r.line}` : `rows[${i}]`)),
    measuredJ: rows.map((r) => r.energyJ),
    unresolved,
    gpus: rows.some((r) => r.gpus !== undefined && r.gpus !== 1) ? { length: rows.length, at: (i) => (i >= 0 && i < rows.length ? (rows[i].gpus ?? 1) : undefined) } : null,
  };
}

/**
 * The built-in preset a model names, as `resolveArchitecture` finds it, but refused without its
 * nearest-preset suggestions: a preparation only lists the models that do not resolve, and the
 * suggestions cost about 0.5 ms a name (a file of 4000 distinct unknown models spent 2.2 s on
 * them, 10⁶ would spend minutes). The fits' own errors still suggest the nearest presets.
 */
function presetOf(model: string): Architecture {
  const arch = findPreset(model);
  if (arch === undefined) throw new SweetspotInputError(`unknown model ${quoteInput(model)}`);
  return arch;
}

/** The feature options of a preparation: each model resolved once (an unresolved one is asked again, for its error). */
function featureOptions(options: PrepareOptions, archOf: ReadonlyMap<string, Architecture>, resolve: (model: string) => Architecture) {
  return {
    resolve: (m: string) => archOf.get(m) ?? resolve(m),
    weightBytes: options.weightBytes,
    kvBytes: options.kvBytes,
    attention: options.attention,
    terms: options.terms,
    waveMemoryBytes: options.waveMemoryBytes,
  };
}

/**
 * {@link prepareRows} for a table: the same features, keys, labels and energies, without an object
 * per row where the form reads sizes only (`terms: false`); keys and labels are views on the
 * table's columns, made when read.
 *
 * @example
 * const p = prepareTable(table, { terms: false });
 * p.labels.at(0) // 'line 2'
 */
export function prepareTable(table: MeasurementTable, options: PrepareOptions = {}): PreparedData {
  checkTableArgument('prepareTable(table)', table);
  // No key check: calibrate and evaluate hand their own options on whole.
  options = optionsObject('prepareTable(table, options)', options);
  if (table.length === 0) throw new SweetspotInputError('measurements: no rows left to use (check the filters)');
  const resolve = options.resolve ?? presetOf;
  const { texts, codes } = table.model;
  const keyOfCode = texts.slice();
  const archOf = new Map<string, Architecture>();
  const unresolved: string[] = [];
  for (const code of usedCodes(table.model)) {
    const m = texts[code];
    try {
      const arch = resolve(m);
      archOf.set(m, arch);
      keyOfCode[code] = arch.id;
    } catch {
      unresolved.push(m);
    }
  }
  const n = table.length;
  const line = table.line;
  return {
    features: tableFeatures(table, featureOptions(options, archOf, resolve)),
    keys: { length: n, at: (i) => (i >= 0 && i < n ? keyOfCode[codes[i]] : undefined) },
    labels: { length: n, at: (i) => (i < 0 || i >= n ? undefined : Number.isNaN(line[i]) ? `rows[${i}]` : `line ${line[i]}`) },
    measuredJ: Array.from(table.energyJ),
    unresolved,
    gpus: onOneGpu(table) ? null : { length: n, at: (i) => (i >= 0 && i < n ? gpusAt(table, i) : undefined) },
  };
}

/** Whether every row of a table ran on one GPU (no count, or 1). */
function onOneGpu(table: MeasurementTable): boolean {
  const g = table.gpus;
  if (g === undefined) return true;
  for (let i = 0; i < g.length; i++) if (g[i] !== 1 && !Number.isNaN(g[i])) return false;
  return true;
}

/**
 * Checks that a form can be evaluated on prepared rows: a form reading the complexity terms or the
 * parameter count needs every model's architecture.
 *
 * @throws {SweetspotInputError} naming the models without an architecture.
 * @example
 * requireArchitectures(hardwareForm(), prepared)
 */
export function requireArchitectures(form: EnergyForm, prepared: PreparedData): void {
  checkEnergyForm('requireArchitectures(form)', form);
  checkPrepared('requireArchitectures(form, prepared)', prepared);
  if (formNeedsArchitecture(form) && prepared.unresolved.length > 0) {
    throw new SweetspotInputError(
      `form ${form.id} needs each model's architecture; unknown model(s): ${firstFew(prepared.unresolved, ', ')} (use a preset id or a known Hugging Face id)`,
    );
  }
}

/**
 * The prepared rows at the given indices (features, keys and labels kept in step).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): rows `prepareRows` made and
 * indices into them. It checks nothing; junk fails inside it.
 * @example
 * subset(prepareRows(rows), [0, 2]).rows.length // 2
 */
export function subset(p: PreparedRows, idx: readonly number[]): PreparedRows {
  return {
    rows: idx.map((i) => p.rows[i]),
    features: idx.map((i) => p.features[i]),
    keys: idx.map((i) => p.keys[i]),
    labels: idx.map((i) => p.labels[i]),
    measuredJ: idx.map((i) => p.measuredJ[i]),
    unresolved: p.unresolved,
    gpus: p.gpus ? rowsAt(p.gpus, idx) : p.gpus,
  };
}

/**
 * The prepared data of the rows at the given indices, in that order: features, keys and labels as
 * views on `p` (nothing per row is copied), the energies gathered into an array of their own.
 * What cross-validation fits and predicts each fold with.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): per fold of a cross-validation, on data `prepareTable` made. It checks
 * nothing; junk fails inside it.
 * @example
 * const train = preparedAt(prepareTable(table), Int32Array.of(0, 2));
 * train.measuredJ.length // 2
 */
export function preparedAt(p: PreparedData, idx: ArrayLike<number>): PreparedData {
  const measuredJ = new Array<number>(idx.length);
  for (let k = 0; k < idx.length; k++) measuredJ[k] = p.measuredJ[idx[k]];
  return { features: rowsAt(p.features, idx), keys: rowsAt(p.keys, idx), labels: rowsAt(p.labels, idx), measuredJ, unresolved: p.unresolved, gpus: p.gpus ? rowsAt(p.gpus, idx) : p.gpus };
}
