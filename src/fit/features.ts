import type { Architecture } from '../architecture/schema.js';
import { paramCount } from '../architecture/params.js';
import { emptyFeatures, fillFeatures, FEATURE_NAMES, type RequestFeatures } from '../complexity/features.js';
import { termsKernel, type AttentionImpl } from '../complexity/terms.js';
import { attentionFor } from '../energy/attention.js';
import type { AttentionSetting } from '../energy/calibration/document.js';
import { weightBytesPerStep } from '../complexity/weights.js';
import type { EnergyForm } from '../energy/form.js';
import { isLengthOnlyForm } from '../energy/one-batch.js';
import { SweetspotInputError, SweetspotMemoryError } from '../errors.js';
import { type WaveBudget, wavesOrRefuse } from '../energy/hardware/waves.js';
import type { Measurement } from './data/measurement.js';
import type { FeatureList } from './data/row-list.js';
import { gpusAt, type MeasurementTable } from './data/table.js';
import { optionsObject } from '../options.js';
import { checkEnergyForm } from '../energy/check-form.js';
import { checkMeasurementRows, checkTableArgument } from './data/check.js';
import { shownValue } from '../arguments.js';

/** How measurement rows become the features forms read. */
export interface FeatureOptions {
  /** Model id (preset or Hugging Face repo id) → architecture. Needed by forms that use the complexity terms (docs/complexity.md). */
  readonly resolve?: (model: string) => Architecture;
  /** Bytes per weight (default 2). */
  readonly weightBytes?: number;
  /** Bytes per KV element (default 2). */
  readonly kvBytes?: number;
  /** How the engine computes attention (default `fused`), resolved per architecture by `attentionFor`. */
  readonly attention?: AttentionSetting;
  /**
   * Whether the complexity terms are computed (default true). Without them a row's record holds the
   * lengths, batch and parameter count, and reads NaN for every term: enough for the forms that
   * read nothing else (`sweetspot`, `linear`, `per-param`), at a fifth
   * of the memory and time per row.
   */
  readonly terms?: boolean;
  /**
   * Memory of one GPU of the rows' profile, bytes: when given, a row whose weights and KV cache
   * exceed its GPUs' memory carries the waves its engine ran it in (`features.waves`;
   * docs/energy-models.md#batches-that-exceed-memory). Absent: no row is in waves.
   */
  readonly waveMemoryBytes?: number;
}


/** The forms that read only `nIn`, `nOut`, `batch` and `params` of a features record. */
const SIZE_ONLY_FORMS: ReadonlySet<string> = new Set(['sweetspot', 'linear', 'per-param']);

/**
 * Whether a form reads only the lengths, batch and parameter count of a row's features, so that
 * the complexity terms need not be computed for it.
 *
 * @example
 * readsSizesOnly(sweetspotForm) // true
 * readsSizesOnly(hardwareForm()) // false
 */
export function readsSizesOnly(form: EnergyForm): boolean {
  return SIZE_ONLY_FORMS.has(form.id);
}

/**
 * What a record without terms reads for them: NaN, so that a form reading a term fails loudly.
 * Its prototype, so that each row holds only its four own numbers.
 */
const NO_TERMS: RequestFeatures = (() => {
  const f = {} as RequestFeatures;
  for (const name of FEATURE_NAMES) f[name] = NaN;
  return f;
})();

function sizeFeatures(nIn: number, nOut: number, batch: number, params: number, gpus = 1): RequestFeatures {
  const out = Object.create(NO_TERMS) as RequestFeatures;
  out.nIn = nIn;
  out.nOut = nOut;
  out.batch = batch;
  out.params = params;
  if (gpus !== 1) out.gpus = gpus;
  return out;
}

/**
 * Whether a form reads more than the lengths (the complexity terms or the parameter count), so that every
 * row's model must resolve to an architecture. Only `sweetspot` and `linear` see lengths alone.
 *
 * @example
 * formNeedsArchitecture(sweetspotForm) // false
 */
export function formNeedsArchitecture(form: EnergyForm): boolean {
  checkEnergyForm('formNeedsArchitecture(form)', form);
  return !isLengthOnlyForm(form.id);
}

/**
 * The features of each measurement row: lengths and batch, and, when the model resolves, the complexity
 * terms in the row's regime (`kvCache` off → recompute) and the parameter count. Terms of a model
 * that does not resolve are NaN (never 0), so that a form that reads them fails loudly; with
 * `required` such a model is an error naming it.
 *
 * @throws {SweetspotInputError} when `required` and a model does not resolve.
 * @example
 * const x = measurementFeatures(rows, { resolve: resolveArchitecture }, true);
 * x[0].prefillFlops // FLOPs of the first row's prefill
 */
export function measurementFeatures(rows: readonly Measurement[], options: FeatureOptions = {}, required = false): RequestFeatures[] {
  checkMeasurementRows('measurementFeatures(rows)', rows);
  // No key check: calibrate and evaluate hand their own options on whole.
  options = optionsObject('measurementFeatures(rows, options)', options);
  if (typeof required !== 'boolean') throw new SweetspotInputError(`measurementFeatures(rows, options, required): expected true or false, got ${shownValue(required)}`);
  const { archOf, featuresOf } = featureMaker(options);
  return rows.map((r) => {
    if (required) {
      const { arch, error } = archOf(r.model);
      if (!arch) throw new SweetspotInputError(`line ${r.line ?? '?'}: model: '${r.model}' has no known architecture (${error})`);
    }
    return featuresOf(r.model, r.nIn, r.nOut, r.batchSize, r.kvCache, r.gpus ?? 1);
  });
}

/**
 * The features of each row of a table, as {@link measurementFeatures} computes them for the same
 * rows. Without the complexity terms (`terms: false`) nothing is stored per row: each row's record
 * is made when read, from the table's columns.
 *
 * @example
 * const x = tableFeatures(table, { resolve: resolveArchitecture, terms: false });
 * x.at(0)!.nIn // the first row's prompt length
 */
export function tableFeatures(table: MeasurementTable, options: FeatureOptions = {}): FeatureList {
  checkTableArgument('tableFeatures(table)', table);
  // No key check: calibrate and evaluate hand their own options on whole.
  options = optionsObject('tableFeatures(table, options)', options);
  const { featuresOf } = featureMaker(options);
  const { nIn, nOut, batchSize, kvCache } = table;
  const codes = table.model.codes;
  if (options.terms === false) {
    const params = Float64Array.from(table.model.texts, (m) => featuresOf(m, 1, 1, 1, true).params);
    const n = table.length;
    return { length: n, at: (i) => (i >= 0 && i < n ? sizeFeatures(nIn[i], nOut[i], batchSize[i], params[codes[i]], gpusAt(table, i)) : undefined) };
  }
  const out = new Array<RequestFeatures>(table.length);
  for (let i = 0; i < table.length; i++) {
    try {
      out[i] = featuresOf(table.model.texts[codes[i]], nIn[i], nOut[i], batchSize[i], kvCache[i] === 1, gpusAt(table, i));
    } catch (error) {
      // A row that waves cannot price is named by its line.
      if (!(error instanceof SweetspotMemoryError)) throw error;
      const where = Number.isNaN(table.line[i]) ? `rows[${i}]` : `line ${table.line[i]}`;
      throw new SweetspotMemoryError(`${where}: ${error.message}`, error.neededBytes, error.availableBytes, error.gpus);
    }
  }
  return out;
}

/**
 * One row's features from its model and sizes, each model resolved once: a record whose terms
 * and parameter count are NaN when the model does not resolve.
 */
function featureMaker(options: FeatureOptions): {
  archOf(model: string): { arch: Architecture | null; error?: string };
  featuresOf(model: string, nIn: number, nOut: number, batch: number, kvCache: boolean, gpus?: number): RequestFeatures;
} {
  const { resolve, weightBytes = 2, kvBytes = 2, terms = true, waveMemoryBytes } = options;
  if (waveMemoryBytes !== undefined && !(waveMemoryBytes > 0 && waveMemoryBytes < Infinity)) {
    throw new SweetspotInputError(`features({ waveMemoryBytes }): expected the bytes of one GPU's memory, a finite number > 0, got ${shownValue(waveMemoryBytes)}`);
  }
  const archs = new Map<string, { arch: Architecture | null; error?: string }>();
  const archOf = (model: string) => {
    let hit = archs.get(model);
    if (!hit) {
      try {
        hit = resolve ? { arch: resolve(model) } : { arch: null, error: 'no architecture resolver given' };
      } catch (error) {
        hit = { arch: null, error: (error as Error).message };
      }
      archs.set(model, hit);
    }
    return hit;
  };
  const counts = new Map<Architecture, number>();
  const paramCountOf = (arch: Architecture): number => {
    let n = counts.get(arch);
    if (n === undefined) counts.set(arch, (n = paramCount(arch)));
    return n;
  };
  const kernels = new Map<Architecture, { kernel: ReturnType<typeof termsKernel>; wb: number; params: number; attention: AttentionImpl; waves?: WaveBudget }>();
  // Only the memory of the rows' GPU is known here: it names the GPU in a refusal.
  const waveGpu = waveMemoryBytes === undefined ? undefined : { name: `${(waveMemoryBytes / 1e9).toFixed(1)} GB GPU`, memoryBytes: waveMemoryBytes };
  const featuresOf = (model: string, nIn: number, nOut: number, batch: number, kvCache: boolean, gpus = 1): RequestFeatures => {
    const { arch } = archOf(model);
    if (!terms) return sizeFeatures(nIn, nOut, batch, arch ? paramCountOf(arch) : NaN, gpus);
    const out = emptyFeatures();
    // The count only where it is not 1: one-GPU rows keep the records they always had.
    if (gpus !== 1) out.gpus = gpus;
    if (!arch) {
      for (const name of FEATURE_NAMES) out[name] = NaN;
      out.nIn = nIn;
      out.nOut = nOut;
      out.batch = batch;
      return out;
    }
    let k = kernels.get(arch);
    if (!k) {
      const params = paramCount(arch);
      k = { kernel: termsKernel(arch, kvBytes), wb: weightBytesPerStep(arch, weightBytes), params, attention: attentionFor(options.attention ?? 'fused', arch) };
      if (waveGpu) k.waves = { arch, weightBytes: params * weightBytes, gpu: waveGpu, weightBytesPerParam: weightBytes, kvBytesPerElement: kvBytes };
      kernels.set(arch, k);
    }
    fillFeatures(k.kernel, nIn, nOut, batch, kvCache ? 'kv-cache' : 'recompute', k.wb, out, k.attention);
    out.params = k.params;
    if (k.waves) {
      // A measured row ran somewhere: the request's remedies (more GPUs, a smaller batch) do not apply.
      const w = wavesOrRefuse(model, k.waves, gpus, nIn, nOut, batch, out.kvCacheBytes, "check the row's gpu and gpus columns, or fit without waves");
      // The count only where it is not 1: rows that fit keep the records they always had.
      if (w !== 1) out.waves = w;
    }
    return out;
  };
  return { archOf, featuresOf };
}
