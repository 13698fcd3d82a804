import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/architecture/registry.js';
import { ArchitectureSchema } from '../../src/architecture/schemas.js';
import { MAX_BATCH } from '../../src/complexity/limits.js';
import { requestTerms, type Regime } from '../../src/complexity/terms.js';
import { SweetspotInputError } from '../../src/errors.js';
import { architectureArb } from './arbitraries.js';
import { exactTerms, relErr, type ExactRequest } from './reference.js';

const TOL = 1e-12;

function checkAgainstExact(arch: Parameters<typeof requestTerms>[0], r: ExactRequest): void {
  const t = requestTerms(arch, { ...r, allowOverflow: true });
  const e = exactTerms(arch, r);
  const s = e.byteScale;
  const pairs: Array<[string, number, bigint, number]> = [
    ['prefill.flops', t.prefill.flops, e.prefillFlops, 1],
    ['prefill.bytes', t.prefill.bytes, e.prefillBytes, s],
    ['decode.flops', t.decode.flops, e.decodeFlops, 1],
    ['decode.bytes', t.decode.bytes, e.decodeBytes, s],
    ['decode.steps', t.decode.steps, e.decodeSteps, 1],
    ['kvCacheBytes.afterPrefill', t.kvCacheBytes.afterPrefill, e.kvAfterPrefill, s],
    ['kvCacheBytes.final', t.kvCacheBytes.final, e.kvFinal, s],
    ['total.flops', t.total.flops, e.prefillFlops + e.decodeFlops, 1],
    ['total.bytes', t.total.bytes, e.prefillBytes + e.decodeBytes, s],
    ['prefill.scoreBytes', t.prefill.scoreBytes, e.prefillScoreBytes, 1],
    ['decode.scoreBytes', t.decode.scoreBytes, e.decodeScoreBytes, 1],
  ];
  for (const [name, got, want, scale] of pairs) {
    const err = relErr(got, want, scale);
    if (!(err <= TOL)) throw new Error(`${name}: got ${got}, exact ${want} (rel. error ${err})`);
  }
}

const requestArb = (maxLen: number) =>
  fc.record({
    nIn: fc.integer({ min: 1, max: maxLen }),
    nOut: fc.integer({ min: 1, max: maxLen }),
    batch: fc.integer({ min: 1, max: 64 }),
    // 4-bit, 8-bit, 16-bit and 32-bit weights; 4-bit to 16-bit KV elements.
    weightBytes: fc.constantFrom(0.5, 1, 2, 4),
    kvBytes: fc.constantFrom(0.5, 1, 2),
    regime: fc.constantFrom<Regime>('kv-cache', 'recompute'),
    attention: fc.constantFrom<'fused' | 'masked' | 'eager'>('fused', 'masked', 'eager'),
  });

describe('the BigInt reference itself, against a hand count', () => {
  // d 4, 3 layers, 2 heads, 1 KV head, dh 2, plain MLP 8, vocabulary 10; only layer 1 has a window of 2.
  const tiny = ArchitectureSchema.parse({
    id: 'tiny', modelType: 'llama', hiddenSize: 4, numLayers: 3, numHeads: 2, numKvHeads: 1, headDim: 2, headDimExplicit: false,
    intermediateSize: 8, gatedMlp: false, vocabSize: 10, tiedEmbeddings: false, maxPositions: 64, slidingWindow: { size: 2, layers: [1] },
    parallelAttention: false, biases: 'none', norm: { kind: 'rmsnorm', perLayer: 2, final: true }, positionalEmbedding: { kind: 'rope' },
  });
  // P_blk = 3·(4·2·2 + 2·4·1·2 + 2·2·4 + 2·4·8) = 336; d·V = 40; Wb = 376 at 1 byte; kv_l = 2·1·2·1 = 4;
  // attention per layer per key 4·2·2 = 16. Windows: layers 0 and 2 global, layer 1 min(·, 2).
  it('KV-cache regime, 3 in, 3 out', () => {
    const e = exactTerms(tiny, { nIn: 3, nOut: 3, batch: 1, weightBytes: 1, kvBytes: 1, regime: 'kv-cache' });
    // prefill: 2·336·3 + 2·40 + 16·(6 + 6 + 5)
    expect(e.prefillFlops).toBe(2368n);
    // weights + 4·(3 + 3 + 2)
    expect(e.prefillBytes).toBe(408n);
    // steps with 4 and 5 keys: (672 + 80 + 16·(4+4+2)) + (672 + 80 + 16·(5+5+2))
    expect(e.decodeFlops).toBe(912n + 944n);
    expect(e.decodeBytes).toBe(376n + 40n + (376n + 48n));
    expect([e.kvAfterPrefill, e.kvFinal, e.decodeSteps]).toEqual([32n, 48n, 2n]);
  });
  it('recompute regime, and half-byte weights counted exactly', () => {
    const e = exactTerms(tiny, { nIn: 3, nOut: 3, batch: 2, weightBytes: 0.5, kvBytes: 1, regime: 'recompute' });
    // forward passes over 4 and 5 tokens: 2·336·n + 80 + 16·(S(n) + S(n) + S_2(n))
    expect(e.decodeFlops).toBe(2n * (3200n + 4064n));
    // two steps of 188 bytes each, in units of half a byte
    expect(e.byteScale).toBe(2);
    expect(e.decodeBytes).toBe(2n * 2n * 188n);
    expect([e.kvAfterPrefill, e.kvFinal]).toEqual([0n, 0n]);
  });
  // Eager attention: L·H = 6 score matrices per pass, each q × kv, 14 bytes and 4·dh = 8 FLOPs per element.
  it('eager attention, KV-cache regime, 3 in, 3 out', () => {
    const e = exactTerms(tiny, { nIn: 3, nOut: 3, batch: 1, weightBytes: 1, kvBytes: 1, regime: 'kv-cache', attention: 'eager' });
    // prefill: 6·3·3 = 54 scores; FLOPs 2·336·3 + 80 + 8·54 (windows save nothing: the full matrix is computed)
    expect(e.prefillScoreBytes).toBe(54n * 14n);
    expect(e.prefillFlops).toBe(2016n + 80n + 432n);
    // decode steps over 4 and 5 keys: 6·4 + 6·5 = 54 scores
    expect(e.decodeScoreBytes).toBe(54n * 14n);
    expect(e.decodeFlops).toBe(672n + 80n + 8n * 24n + (672n + 80n + 8n * 30n));
  });
  it('eager attention, recompute regime: every pass materialises n × n scores', () => {
    const e = exactTerms(tiny, { nIn: 3, nOut: 3, batch: 2, weightBytes: 1, kvBytes: 1, regime: 'recompute', attention: 'eager' });
    // passes over 4 and 5 tokens: 6·16 + 6·25 = 246 scores per sequence
    expect(e.decodeScoreBytes).toBe(2n * 246n * 14n);
    expect(e.decodeFlops).toBe(2n * (2688n + 80n + 8n * 96n + (3360n + 80n + 8n * 150n)));
    const fused = exactTerms(tiny, { nIn: 3, nOut: 3, batch: 2, weightBytes: 1, kvBytes: 1, regime: 'recompute' });
    expect([fused.prefillScoreBytes, fused.decodeScoreBytes]).toEqual([0n, 0n]);
    // A masked kernel computes the same full matrices (same FLOPs) but moves 4 bytes per score, not 14.
    const masked = exactTerms(tiny, { nIn: 3, nOut: 3, batch: 2, weightBytes: 1, kvBytes: 1, regime: 'recompute', attention: 'masked' });
    expect(masked.decodeFlops).toBe(e.decodeFlops);
    expect(masked.decodeScoreBytes).toBe(2n * 246n * 4n);
  });
});

describe('requestTerms against exact step-by-step sums', () => {
  it('every preset, random requests (lengths ≤ 5000, context ignored)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRESETS), requestArb(5000), (arch, r) => checkAgainstExact(arch, r)),
      { numRuns: 60 },
    );
  });

  it('random architectures, windows, batches and both regimes (lengths ≤ 3000)', () => {
    fc.assert(
      fc.property(architectureArb, requestArb(3000), (arch, r) => checkAgainstExact(arch, r)),
      { numRuns: 150 },
    );
  });

  it('lengths up to 10⁶ tokens each, both regimes, windowed and global layers', () => {
    fc.assert(
      fc.property(
        architectureArb,
        fc.record({
          nIn: fc.integer({ min: 1, max: 1_000_000 }),
          nOut: fc.integer({ min: 1, max: 1_000_000 }),
          batch: fc.integer({ min: 1, max: 256 }),
          weightBytes: fc.constant(2),
          kvBytes: fc.constant(2),
          regime: fc.constantFrom<Regime>('kv-cache', 'recompute'),
          attention: fc.constantFrom<'fused' | 'masked' | 'eager'>('fused', 'masked', 'eager'),
        }),
        (arch, r) => checkAgainstExact(arch, r),
      ),
      { numRuns: 8 },
    );
  });

  it('extreme corners: 10⁶ prompt with one or two output tokens, and one-token prompts', () => {
    fc.assert(
      fc.property(
        architectureArb,
        fc.constantFrom<[number, number]>([1_000_000, 1], [1_000_000, 2], [1, 1_000_000], [1, 1], [999_999, 3]),
        fc.constantFrom<Regime>('kv-cache', 'recompute'),
        (arch, [nIn, nOut], regime) =>
          checkAgainstExact(arch, { nIn, nOut, batch: 3, weightBytes: 2, kvBytes: 2, regime }),
      ),
      { numRuns: 12 },
    );
  });
});

const llama2 = ArchitectureSchema.parse({
  id: 'llama-2-7b-shape',
  modelType: 'llama',
  hiddenSize: 4096,
  numLayers: 32,
  numHeads: 32,
  numKvHeads: 32,
  headDim: 128,
  headDimExplicit: false,
  intermediateSize: 11008,
  gatedMlp: true,
  vocabSize: 32000,
  tiedEmbeddings: false,
  maxPositions: 4096,
  slidingWindow: null,
  parallelAttention: false,
  biases: 'none',
  norm: { kind: 'rmsnorm', perLayer: 2, final: true },
  positionalEmbedding: { kind: 'rope' },
});

describe('requestTerms by hand', () => {
  it('Llama-2-7B shapes, 1 prompt token and 1 output token', () => {
    // P_blk = 32·(4096·4096·4 + 3·4096·11008) = 6,476,005,376; d·V = 131,072,000.
    const t = requestTerms(llama2, { nIn: 1, nOut: 1 });
    expect(t.prefill.flops).toBe(2 * 6_476_005_376 + 2 * 131_072_000 + 32 * 4 * 32 * 128 * 1);
    expect(t.weightBytesPerStep).toBe(2 * (6_476_005_376 + 131_072_000));
    // One token cached in every layer: 2·32·128·2 bytes × 32 layers.
    expect(t.kvCacheBytes.afterPrefill).toBe(524_288);
    expect(t.prefill.bytes).toBe(t.weightBytesPerStep + 524_288);
    expect(t.decode).toMatchObject({ flops: 0, bytes: 0, steps: 0 });
  });

  it('KV-cache decode reads the weights once per step for the whole batch', () => {
    const one = requestTerms(llama2, { nIn: 100, nOut: 11, batch: 1 });
    const four = requestTerms(llama2, { nIn: 100, nOut: 11, batch: 4 });
    expect(four.decode.bytes - 4 * one.decode.kvBytes).toBeCloseTo(10 * one.weightBytesPerStep, 0);
    expect(four.decode.flops).toBeCloseTo(4 * one.decode.flops, 0);
  });
});

describe('requestTerms input checks', () => {
  it('refuses a request over the context unless allowed', () => {
    expect(() => requestTerms(llama2, { nIn: 4000, nOut: 200 })).toThrow(/exceeds llama-2-7b-shape's context of 4096/);
    expect(requestTerms(llama2, { nIn: 4000, nOut: 97 }).decode.steps).toBe(96); // exactly 4096 positions
    expect(requestTerms(llama2, { nIn: 4000, nOut: 200, allowOverflow: true }).decode.steps).toBe(199);
  });
  it('names the bad field', () => {
    expect(() => requestTerms(llama2, { nIn: 0, nOut: 5 })).toThrow(SweetspotInputError);
    expect(() => requestTerms(llama2, { nIn: 0, nOut: 5 })).toThrow(/nIn/);
    expect(() => requestTerms(llama2, { nIn: 5, nOut: 2.5 })).toThrow(/nOut/);
    expect(() => requestTerms(llama2, { nIn: 5, nOut: 5, batch: 0 })).toThrow(/batch/);
    expect(() => requestTerms(llama2, { nIn: 5, nOut: 5, weightBytes: Number.NaN })).toThrow(/weightBytes/);
    expect(() => requestTerms(llama2, { nIn: 5, nOut: 5, regime: 'paged' as never })).toThrow(/regime/);
  });
});

describe('requestTerms never returns NaN or Infinity silently', () => {
  it('validates the architecture: a bad field is named, a missing context is not skipped', () => {
    expect(() => requestTerms({ ...llama2, hiddenSize: Number.NaN }, { nIn: 5, nOut: 5 })).toThrow(SweetspotInputError);
    expect(() => requestTerms({ ...llama2, hiddenSize: Number.NaN }, { nIn: 5, nOut: 5 })).toThrow(/architecture: hiddenSize/);
    const noContext = { ...llama2, maxPositions: undefined } as unknown as typeof llama2;
    expect(() => requestTerms(noContext, { nIn: 50_000, nOut: 5 })).toThrow(/architecture: maxPositions/);
  });

  it('fractional bytes (4-bit weights, 8-bit or 4-bit KV) give finite, proportional terms', () => {
    const full = requestTerms(llama2, { nIn: 1000, nOut: 100 });
    const quarter = requestTerms(llama2, { nIn: 1000, nOut: 100, weightBytes: 0.5, kvBytes: 0.5 });
    expect(quarter.total.bytes).toBe(full.total.bytes / 4);
    expect(quarter.total.flops).toBe(full.total.flops);
    expect(quarter.weightBytesPerStep).toBe(full.weightBytesPerStep / 4);
  });

  it('terms that overflow a double are an input error naming the culprits, not Infinity', () => {
    expect(() => requestTerms(llama2, { nIn: 5, nOut: 5, weightBytes: 1e308 })).toThrow(/exceed double precision.*weightBytes \(1e\+308\)/);
    expect(() => requestTerms(llama2, { nIn: 5, nOut: 5, kvBytes: 1e308 })).toThrow(SweetspotInputError);
  });

  it('the largest lengths the schema accepts stay finite', () => {
    const n = Number.MAX_SAFE_INTEGER;
    for (const regime of ['kv-cache', 'recompute'] as const) {
      const t = requestTerms(llama2, { nIn: n, nOut: n, batch: MAX_BATCH, regime, allowOverflow: true });
      for (const v of [t.prefill.flops, t.prefill.bytes, t.decode.flops, t.decode.bytes, t.kvCacheBytes.final, t.total.flops, t.total.bytes]) {
        expect(Number.isFinite(v) && v >= 0).toBe(true);
      }
    }
    expect(() => requestTerms(llama2, { nIn: n + 1, nOut: 1, allowOverflow: true })).toThrow(/request: nIn/);
    expect(() => requestTerms(llama2, { nIn: 1, nOut: 1, batch: MAX_BATCH + 1 })).toThrow(`request: batch: must be at most ${MAX_BATCH}`);
  });
});
