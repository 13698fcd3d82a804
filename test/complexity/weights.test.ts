import { describe, expect, it } from 'vitest';
import { PRESETS, preset } from '../../src/architecture/registry.js';
import { layerWindows, windowGroups } from '../../src/architecture/windows.js';
import { termsKernel } from '../../src/complexity/terms.js';
import {
  blockMatmulParams,
  kvBytesPerToken,
  kvBytesPerTokenPerLayer,
  lmHeadParams,
  weightBytesPerStep,
} from '../../src/complexity/weights.js';
import { SweetspotInputError } from '../../src/errors.js';

const llama2 = preset('llama-2-7b');

describe('per-architecture weights and KV sizes', () => {
  it('Llama-2-7B by hand, at 16, 8 and 4 bits', () => {
    // 32·(4·4096² + 3·4096·11008) and 4096·32000
    expect(blockMatmulParams(llama2)).toBe(6_476_005_376);
    expect(lmHeadParams(llama2)).toBe(131_072_000);
    expect(weightBytesPerStep(llama2, 2)).toBe(13_214_154_752);
    expect(weightBytesPerStep(llama2, 1)).toBe(6_607_077_376);
    expect(weightBytesPerStep(llama2, 0.5)).toBe(3_303_538_688);
    expect(kvBytesPerTokenPerLayer(llama2, 2)).toBe(2 * 32 * 128 * 2);
    expect(kvBytesPerToken(llama2, 0.5)).toBe(2 * 32 * 128 * 0.5 * 32);
  });

  it('every preset: Wb at 2 bytes is twice the block and head weights', () => {
    for (const p of PRESETS) expect(weightBytesPerStep(p, 2), p.id).toBe(2 * (blockMatmulParams(p) + lmHeadParams(p)));
  });
});

describe('public entries reject a bad architecture or byte size instead of returning NaN', () => {
  const bad = [
    ['hiddenSize', { ...llama2, hiddenSize: Number.NaN }],
    ['numLayers', { ...llama2, numLayers: 0.5 }],
    ['numKvHeads', { ...llama2, numKvHeads: 0 }],
    ['maxPositions', { ...llama2, maxPositions: undefined }],
  ] as const;
  for (const [field, arch] of bad) {
    it(`${field}`, () => {
      const a = arch as unknown as typeof llama2;
      for (const f of [blockMatmulParams, lmHeadParams, (x: typeof a) => weightBytesPerStep(x, 2), (x: typeof a) => kvBytesPerToken(x, 2), layerWindows, windowGroups, (x: typeof a) => termsKernel(x)]) {
        expect(() => f(a)).toThrow(SweetspotInputError);
        expect(() => f(a)).toThrow(new RegExp(`architecture: ${field}`));
      }
    });
  }

  it('byte sizes must be positive and finite, and are named', () => {
    for (const v of [Number.NaN, 0, -1, Infinity]) {
      expect(() => weightBytesPerStep(llama2, v)).toThrow(/weightBytes must be a positive finite number/);
      expect(() => kvBytesPerToken(llama2, v)).toThrow(/kvBytes must be a positive finite number/);
      expect(() => kvBytesPerTokenPerLayer(llama2, v)).toThrow(/kvBytes/);
      expect(() => termsKernel(llama2, v)).toThrow(/kvBytes/);
    }
  });

  it('a validated architecture is returned as the same object (kernels can be keyed by it)', () => {
    expect(termsKernel(llama2).arch).toBe(llama2);
  });
});
