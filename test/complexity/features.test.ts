import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paramCount } from '../../src/architecture/params.js';
import { PRESETS, preset } from '../../src/architecture/registry.js';
import { FEATURE_NAMES, emptyFeatures, featuresFromTerms, fillFeatures } from '../../src/complexity/features.js';
import { requestTerms, termsKernel, type Regime } from '../../src/complexity/terms.js';
import { weightBytesPerStep } from '../../src/complexity/weights.js';
import { architectureArb } from './arbitraries.js';

describe('request features', () => {
  it('FEATURE_NAMES lists every field of the record once', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    expect(Object.keys(emptyFeatures()).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(Object.values(emptyFeatures()).every((v) => v === 0)).toBe(true);
  });

  it('fillFeatures (the hot path) equals featuresFromTerms(requestTerms(…)), reusing one record', () => {
    const out = emptyFeatures();
    fc.assert(
      fc.property(
        fc.oneof(architectureArb, fc.constantFrom(...PRESETS)),
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom<Regime>('kv-cache', 'recompute'),
        fc.constantFrom(0.5, 1, 2),
        fc.constantFrom(0.5, 1, 2),
        (arch, nIn, nOut, batch, regime, weightBytes, kvBytes) => {
          const terms = requestTerms(arch, { nIn, nOut, batch, regime, weightBytes, kvBytes, allowOverflow: true });
          out.params = 123; // left alone by fillFeatures
          fillFeatures(termsKernel(arch, kvBytes), nIn, nOut, batch, regime, weightBytesPerStep(arch, weightBytes), out);
          expect({ ...out }).toEqual(featuresFromTerms(terms, 123));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('featuresFromTerms carries the parameter count it is given', () => {
    const arch = preset('qwen2-7b');
    const f = featuresFromTerms(requestTerms(arch, { nIn: 100, nOut: 10 }), paramCount(arch));
    expect([f.params, f.decodeSteps, f.nIn, f.nOut, f.batch]).toEqual([7_615_616_512, 9, 100, 10, 1]);
    expect(f.totalFlops).toBe(f.prefillFlops + f.decodeFlops);
  });
});
