import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArchitectureSchema } from '../../src/architecture/schema.js';
import { requestTerms, type Regime } from '../../src/complexity/terms.js';
import { SweetspotInputError } from '../../src/errors.js';
import { architectureArb } from './arbitraries.js';
import { exactTerms, relErr, type ExactRequest } from './reference.js';

const TOL = 1e-12;

function checkAgainstExact(arch: Parameters<typeof requestTerms>[0], r: ExactRequest): void {
  const t = requestTerms(arch, { ...r, allowOverflow: true });
  const e = exactTerms(arch, r);
  const pairs: Array<[string, number, bigint]> = [
    ['prefill.flops', t.prefill.flops, e.prefillFlops],
    ['prefill.bytes', t.prefill.bytes, e.prefillBytes],
    ['decode.flops', t.decode.flops, e.decodeFlops],
    ['decode.bytes', t.decode.bytes, e.decodeBytes],
    ['decode.steps', t.decode.steps, e.decodeSteps],
    ['kvCacheBytes.afterPrefill', t.kvCacheBytes.afterPrefill, e.kvAfterPrefill],
    ['kvCacheBytes.final', t.kvCacheBytes.final, e.kvFinal],
    ['total.flops', t.total.flops, e.prefillFlops + e.decodeFlops],
    ['total.bytes', t.total.bytes, e.prefillBytes + e.decodeBytes],
  ];
  for (const [name, got, want] of pairs) {
    const err = relErr(got, want);
    if (!(err <= TOL)) throw new Error(`${name}: got ${got}, exact ${want} (rel. error ${err})`);
  }
}

const requestArb = (maxLen: number) =>
  fc.record({
    nIn: fc.integer({ min: 1, max: maxLen }),
    nOut: fc.integer({ min: 1, max: maxLen }),
    batch: fc.integer({ min: 1, max: 64 }),
    weightBytes: fc.constantFrom(1, 2, 4),
    kvBytes: fc.constantFrom(1, 2),
    regime: fc.constantFrom<Regime>('kv-cache', 'recompute'),
  });

describe('requestTerms against exact step-by-step sums', () => {
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
        }),
        (arch, r) => checkAgainstExact(arch, r),
      ),
      { numRuns: 6 },
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
