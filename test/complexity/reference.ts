// Exact step-by-step evaluation of docs/complexity.md in BigInt: the independent expectation that the
// closed forms are checked against. It walks every position once, keeping running sums, so it
// costs O(nIn + nOut) and states each sum of the contract literally. It shares no code with
// src/ beyond the Architecture type: the window of each layer is read here from the data, so a
// misreading of the window pattern in src/architecture/windows.ts cannot hide in both.
import type { Architecture } from '../../src/architecture/schema.js';

/** Byte fields are exact in units of 1/byteScale byte (fractional bytes per element, e.g. 0.5 for 4-bit). */
export interface ExactTerms {
  byteScale: number;
  prefillFlops: bigint;
  prefillBytes: bigint;
  decodeFlops: bigint;
  decodeBytes: bigint;
  decodeSteps: bigint;
  kvAfterPrefill: bigint;
  kvFinal: bigint;
  /** Bytes of materialised scores (eager attention), in whole bytes. */
  prefillScoreBytes: bigint;
  decodeScoreBytes: bigint;
}

export interface ExactRequest {
  nIn: number;
  nOut: number;
  batch: number;
  weightBytes: number; // a multiple of 1/1024 (0.5 for 4-bit, 2 for 16-bit)
  kvBytes: number; // a multiple of 1/1024
  regime: 'kv-cache' | 'recompute';
  /** Eager or masked attention: each pass of q queries over kv keys computes H·q·kv scores per layer. */
  attention?: 'fused' | 'masked' | 'eager';
}

/** Bytes per score element, stated independently of src/: eager 2 + 6 + 4 + 2; masked 2 + 2. */
const SCORE_BYTES = { eager: 2n + 6n + 4n + 2n, masked: 2n + 2n, fused: 0n };

const big = BigInt;

/** W_l of docs/complexity.md: the window of layer l (0-based), Infinity for global attention. */
function windowOfLayer(arch: Architecture, l: number): number {
  const sw = arch.slidingWindow;
  if (sw === null) return Infinity;
  const windowed =
    sw.layers === 'all' ? true : sw.layers === 'even' ? l % 2 === 0 : sw.layers === 'odd' ? l % 2 === 1 : sw.layers.includes(l);
  return windowed ? sw.size : Infinity;
}

/** The smallest power of two s ≤ 1024 with x·s an integer. */
function scaleOf(x: number): number {
  for (let s = 1; s <= 1024; s *= 2) if (Number.isInteger(x * s)) return s;
  throw new Error(`reference: ${x} bytes is not a multiple of 1/1024`);
}

export function exactTerms(arch: Architecture, r: ExactRequest): ExactTerms {
  const d = big(arch.hiddenSize);
  const L = big(arch.numLayers);
  const H = big(arch.numHeads);
  const Hkv = big(arch.numKvHeads);
  const dh = big(arch.headDim);
  const F = big(arch.intermediateSize);
  const V = big(arch.vocabSize);
  const g = arch.gatedMlp ? 3n : 2n;
  const B = big(r.batch);
  const pBlk = L * (d * H * dh + 2n * d * Hkv * dh + H * dh * d + g * d * F);
  // Bytes are counted in units of 1/byteScale byte, so that 0.5-byte weights stay exact.
  const byteScale = Math.max(scaleOf(r.weightBytes), scaleOf(r.kvBytes));
  const wb = big(r.weightBytes * byteScale) * (pBlk + d * V);
  const kvl = 2n * Hkv * dh * big(r.kvBytes * byteScale);
  const attn = 4n * H * dh;

  // Layers with the same window behave alike; each layer is still counted (count per window).
  const counts = new Map<number, bigint>();
  for (let l = 0; l < arch.numLayers; l++) {
    const w = windowOfLayer(arch, l);
    counts.set(w, (counts.get(w) ?? 0n) + 1n);
  }
  const groups = [...counts].map(([w, n]) => ({ w, n }));
  const minW = (c: number, w: number): bigint => big(Math.min(c, w));

  const i = r.nIn;
  const o = r.nOut;
  // Running causal sums S_l(n) = Σ_{q=1..n} min(q, W_l), extended one position at a time.
  const S = groups.map(() => 0n);
  const extendTo = (() => {
    let n = 0;
    return (target: number) => {
      while (n < target) {
        n++;
        groups.forEach((gr, k) => (S[k] += minW(n, gr.w)));
      }
    };
  })();

  const eager = r.attention === 'eager' || r.attention === 'masked';
  const perScore = SCORE_BYTES[r.attention ?? 'fused'];
  // One pass of q queries over kv keys, eager: every head of every layer holds a full q × kv matrix.
  const scores = (q: number, kv: number): bigint => L * H * big(q) * big(kv);
  let prefillScores = 0n;
  let decodeScores = 0n;
  extendTo(i);
  let prefillAttn = 0n;
  groups.forEach((gr, k) => (prefillAttn += gr.n * attn * S[k]));
  if (eager) {
    prefillScores = scores(i, i);
    prefillAttn = 4n * dh * prefillScores;
  }
  const prefillFlops = B * (2n * pBlk * big(i) + 2n * d * V + prefillAttn);
  let kvAfterPrefill = 0n;
  for (const gr of groups) kvAfterPrefill += gr.n * kvl * minW(i, gr.w);
  kvAfterPrefill *= B;

  let decodeFlops = 0n;
  let decodeBytes = 0n;
  for (let k = 1; k <= o - 1; k++) {
    const c = i + k;
    if (r.regime === 'kv-cache') {
      let attnK = 0n;
      let kvRead = 0n;
      for (const gr of groups) {
        attnK += gr.n * attn * minW(c, gr.w);
        kvRead += gr.n * kvl * minW(c, gr.w);
      }
      if (eager) {
        decodeScores += scores(1, c);
        attnK = 4n * dh * scores(1, c);
      }
      decodeFlops += B * (2n * pBlk + 2n * d * V + attnK);
      decodeBytes += wb + B * kvRead;
    } else {
      extendTo(c);
      let attnK = 0n;
      groups.forEach((gr, idx) => (attnK += gr.n * attn * S[idx]));
      if (eager) {
        decodeScores += scores(c, c);
        attnK = 4n * dh * scores(c, c);
      }
      decodeFlops += B * (2n * pBlk * big(c) + 2n * d * V + attnK);
      decodeBytes += wb;
    }
  }
  let kvFinal = 0n;
  for (const gr of groups) kvFinal += gr.n * kvl * minW(i + o - 1, gr.w);
  kvFinal *= B;

  const kv = r.regime === 'kv-cache';
  return {
    byteScale,
    prefillFlops,
    prefillBytes: wb + (kv ? kvAfterPrefill : 0n),
    decodeFlops,
    decodeBytes,
    decodeSteps: big(o - 1),
    kvAfterPrefill: kv ? kvAfterPrefill : 0n,
    kvFinal: kv ? kvFinal : 0n,
    prefillScoreBytes: B * perScore * prefillScores,
    decodeScoreBytes: B * perScore * decodeScores,
  };
}

/**
 * |approx − exact| / exact, with exact 0 requiring approx 0. `scale` (a power of two, so the
 * product is exact) puts `approx` in the units of `exact`, e.g. {@link ExactTerms.byteScale}.
 */
export function relErr(approx: number, exact: bigint, scale = 1): number {
  const a = approx * scale;
  if (exact === 0n) return a === 0 ? 0 : Infinity;
  const e = Number(exact);
  return Math.abs(a - e) / e;
}
