import { type RequestFeatures, emptyFeatures, fillFeatures } from '../../complexity/features.js';
import type { AttentionImpl, Regime, TermsKernel } from '../../complexity/terms.js';

/**
 * Longest length a feature table is grown to (its arrays cost 72 bytes per length): requests
 * longer than this are computed point by point with closed forms.
 *
 * @example
 * if (nIn + nOut - 1 > TABLE_CAP) energy = direct(nIn, nOut);
 */
export const TABLE_CAP = 1 << 20;

/**
 * How the requests of a surface run: batch, precision and regime (as in a request of docs/complexity.md).
 *
 * @example
 * const settings: FeatureSettings = { batch: 1, regime: 'kv-cache', weightBytesPerStep: weightBytesPerStep(arch, 2), params: 0 };
 */
export interface FeatureSettings {
  readonly batch: number;
  readonly regime: Regime;
  /** Wb, the weight bytes of one forward step at the chosen weight precision. */
  readonly weightBytesPerStep: number;
  /** Unique parameter count copied into every record (read by per-parameter forms). */
  readonly params: number;
  /** Attention implementation (default `fused`); the tables hold no materialised scores, so `eager` is computed per point. */
  readonly attention?: AttentionImpl;
}

/**
 * The features of every (nIn, nOut) from two per-length tables, so that a surface fills a
 * features record with a dozen array reads instead of closed forms per point.
 *
 * Why it works: every prefill term depends on `i` only, and every decode term is a sum over the
 * decode steps' contexts `c = i+1 … i+o−1`, hence a difference `D(i+o−1) − D(i)` of one cumulative
 * table (`D(n)` = the decode terms of the request (1, n)). Both tables are built with
 * {@link fillFeatures} itself, so they cannot drift from it. Precision: below 2⁵² the values are
 * integers (or half-integers) and every difference is exact — the KV-cache regime at batch 1 up to
 * tens of thousands of tokens. Beyond that (the recompute regime's cubic attention sums) a
 * difference carries a relative error of about 4·10⁻¹⁶·(1 + nIn/(nOut − 1)), i.e. ≤ 2·10⁻¹² on a
 * 4096 × 4096 grid.
 *
 * @example
 * const table = new FeatureTable(kernel, { batch: 1, regime: 'kv-cache', weightBytesPerStep: wb, params: 0 });
 * table.ensure(8191);
 * table.fill(1024, 512, emptyFeatures()).decodeSteps // 511
 */
export class FeatureTable {
  private size = 0;
  // Per-length tables, index = length (0 unused). Public for specialised row evaluators; they are
  // replaced (not resized) by ensure(), so read them after it.
  /** Prefill FLOPs of a prompt of n tokens. */
  prefillFlops = new Float64Array(0);
  /** Prefill bytes of a prompt of n tokens. */
  prefillBytes = new Float64Array(0);
  private prefillAttn = new Float64Array(0);
  private heldAfterPrefill = new Float64Array(0);
  /** Cumulative decode FLOPs: decode FLOPs of (i, o) = decodeFlops[i+o−1] − decodeFlops[i]. */
  decodeFlops = new Float64Array(0);
  /** Cumulative decode bytes, as {@link decodeFlops}. */
  decodeBytes = new Float64Array(0);
  private decodeAttn = new Float64Array(0);
  private decodeKv = new Float64Array(0);
  private held = new Float64Array(0);
  constructor(
    readonly kernel: TermsKernel,
    readonly settings: FeatureSettings,
  ) {}

  /** Largest length `n` the tables cover (`nIn + nOut − 1 ≤ covered`). */
  get covered(): number {
    return this.size - 1;
  }

  /** Grows the tables to cover lengths up to `maxLength` (amortised: capacity at least doubles). */
  ensure(maxLength: number): void {
    if (maxLength < this.size) return;
    const size = Math.max(maxLength + 1, this.size * 2, 64);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.prefillFlops = grow(this.prefillFlops);
    this.prefillBytes = grow(this.prefillBytes);
    this.prefillAttn = grow(this.prefillAttn);
    this.heldAfterPrefill = grow(this.heldAfterPrefill);
    this.decodeFlops = grow(this.decodeFlops);
    this.decodeBytes = grow(this.decodeBytes);
    this.decodeAttn = grow(this.decodeAttn);
    this.decodeKv = grow(this.decodeKv);
    this.held = grow(this.held);
    const { batch, regime, weightBytesPerStep } = this.settings;
    const f = emptyFeatures();
    for (let n = Math.max(1, this.size); n < size; n++) {
      fillFeatures(this.kernel, n, 1, batch, regime, weightBytesPerStep, f);
      this.prefillFlops[n] = f.prefillFlops;
      this.prefillBytes[n] = f.prefillBytes;
      this.prefillAttn[n] = f.prefillAttentionFlops;
      this.heldAfterPrefill[n] = f.kvCacheBytesAfterPrefill;
      fillFeatures(this.kernel, 1, n, batch, regime, weightBytesPerStep, f);
      this.decodeFlops[n] = f.decodeFlops;
      this.decodeBytes[n] = f.decodeBytes;
      this.decodeAttn[n] = f.decodeAttentionFlops;
      this.decodeKv[n] = f.decodeKvBytes;
      this.held[n] = f.kvCacheBytes;
    }
    this.size = size;
  }

  /** Writes the features of (nIn, nOut) into `out`; `nIn + nOut − 1` must be ≤ {@link FeatureTable.covered}. */
  fill(nIn: number, nOut: number, out: RequestFeatures): RequestFeatures {
    const last = nIn + nOut - 1;
    out.nIn = nIn;
    out.nOut = nOut;
    out.batch = this.settings.batch;
    out.prefillFlops = this.prefillFlops[nIn];
    out.prefillBytes = this.prefillBytes[nIn];
    out.prefillAttentionFlops = this.prefillAttn[nIn];
    out.kvCacheBytesAfterPrefill = this.heldAfterPrefill[nIn];
    out.decodeFlops = this.decodeFlops[last] - this.decodeFlops[nIn];
    out.decodeBytes = this.decodeBytes[last] - this.decodeBytes[nIn];
    out.decodeAttentionFlops = this.decodeAttn[last] - this.decodeAttn[nIn];
    out.decodeKvBytes = this.decodeKv[last] - this.decodeKv[nIn];
    out.decodeSteps = nOut - 1;
    out.kvCacheBytes = this.held[last];
    out.totalFlops = out.prefillFlops + out.decodeFlops;
    out.totalBytes = out.prefillBytes + out.decodeBytes;
    out.weightBytesPerStep = this.settings.weightBytesPerStep;
    out.params = this.settings.params;
    return out;
  }
}
