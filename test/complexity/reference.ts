// Exact step-by-step evaluation of DESIGN.md §3 in BigInt: the independent expectation that the
// closed forms are checked against. It walks every position once, keeping running sums, so it
// costs O(nIn + nOut) and states each sum of the contract literally.
import type { Architecture } from '../../src/architecture/schema.js';
import { layerWindows } from '../../src/architecture/windows.js';

export interface ExactTerms {
  prefillFlops: bigint;
  prefillBytes: bigint;
  decodeFlops: bigint;
  decodeBytes: bigint;
  decodeSteps: bigint;
  kvAfterPrefill: bigint;
  kvFinal: bigint;
}

export interface ExactRequest {
  nIn: number;
  nOut: number;
  batch: number;
  weightBytes: number; // integer in these tests
  kvBytes: number; // integer in these tests
  regime: 'kv-cache' | 'recompute';
}

const big = BigInt;

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
  const wb = big(r.weightBytes) * (pBlk + d * V);
  const kvl = 2n * Hkv * dh * big(r.kvBytes);
  const attn = 4n * H * dh;

  // Layers with the same window behave alike; each layer is still counted (count per window).
  const counts = new Map<number, bigint>();
  for (const w of layerWindows(arch)) counts.set(w, (counts.get(w) ?? 0n) + 1n);
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

  extendTo(i);
  let prefillAttn = 0n;
  groups.forEach((gr, k) => (prefillAttn += gr.n * attn * S[k]));
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
      decodeFlops += B * (2n * pBlk + 2n * d * V + attnK);
      decodeBytes += wb + B * kvRead;
    } else {
      extendTo(c);
      let attnK = 0n;
      groups.forEach((gr, idx) => (attnK += gr.n * attn * S[idx]));
      decodeFlops += B * (2n * pBlk * big(c) + 2n * d * V + attnK);
      decodeBytes += wb;
    }
  }
  let kvFinal = 0n;
  for (const gr of groups) kvFinal += gr.n * kvl * minW(i + o - 1, gr.w);
  kvFinal *= B;

  const kv = r.regime === 'kv-cache';
  return {
    prefillFlops,
    prefillBytes: wb + (kv ? kvAfterPrefill : 0n),
    decodeFlops,
    decodeBytes,
    decodeSteps: big(o - 1),
    kvAfterPrefill: kv ? kvAfterPrefill : 0n,
    kvFinal: kv ? kvFinal : 0n,
  };
}

/** |approx − exact| / exact, with exact 0 requiring approx 0. */
export function relErr(approx: number, exact: bigint): number {
  if (exact === 0n) return approx === 0 ? 0 : Infinity;
  const e = Number(exact);
  return Math.abs(approx - e) / e;
}
