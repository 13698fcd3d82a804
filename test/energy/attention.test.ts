import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import { featuresFromTerms } from '../../src/complexity/features.js';
import { requestTerms } from '../../src/complexity/terms.js';
import { attentionFor, inferAttention } from '../../src/energy/attention.js';
import { defaultCalibration } from '../../src/energy/calibration/defaults.js';
import { hardwareForm } from '../../src/energy/forms/hardware.js';
import { energyModel } from '../../src/energy/predict/predict.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { kvCacheFromEngine } from '../../src/fit/engine.js';

const WILKINS_ENGINE = 'HF transformers pipeline, bf16, use_cache=False (KV cache OFF), do_sample=True T=0.7 top_k=50 top_p=0.95, min_new_tokens=0.9*max_new_tokens';

describe('attention implementations', () => {
  it('reads the engine strings of data/ and of serving engines', () => {
    expect(inferAttention(WILKINS_ENGINE)).toBe('transformers-sdpa');
    expect(inferAttention('vLLM 0.5.4, fp16')).toBe('fused');
    expect(inferAttention('TensorRT-LLM 0.10')).toBe('fused');
    expect(inferAttention('transformers, attn_implementation="eager"')).toBe('eager');
    expect(inferAttention('transformers + flash_attention_2')).toBe('fused');
    expect(inferAttention('my own server')).toBeUndefined();
    expect(kvCacheFromEngine(WILKINS_ENGINE)).toBe(false);
    expect(kvCacheFromEngine('generate(use_cache=True)')).toBe(true);
    expect(kvCacheFromEngine('vLLM')).toBeUndefined();
  });

  it('under transformers-sdpa, Llama runs masked, Falcon materialises its scores and Mistral runs fused', () => {
    expect(attentionFor('transformers-sdpa', preset('llama-2-7b'))).toBe('masked');
    expect(attentionFor('transformers-sdpa', preset('llama-2-13b'))).toBe('masked');
    expect(attentionFor('transformers-sdpa', preset('falcon-7b'))).toBe('eager');
    expect(attentionFor('transformers-sdpa', preset('mistral-7b'))).toBe('fused');
    expect(attentionFor('fused', preset('falcon-7b'))).toBe('fused');
  });

  it("Falcon's 71 query heads make its eager scores 71/32 of Llama-2-7B's per layer", () => {
    const t = (id: string) => requestTerms(preset(id), { nIn: 1000, nOut: 1, attention: 'eager' });
    const falcon = t('falcon-7b').prefill.scoreBytes;
    const llama = t('llama-2-7b').prefill.scoreBytes;
    // Both have 32 layers: the ratio is the query heads'.
    expect(falcon / llama).toBeCloseTo(71 / 32, 12);
    expect(falcon).toBe(32 * 71 * 1000 * 1000 * 14);
  });

  it('the hardware form charges score bytes their energy and their time at the memory rate (hand computation)', () => {
    const profile = resolveProfile('a100-sxm4-40gb');
    const theta = [2e-12, 6e-11, 100, 0.5, 0.8, 1];
    const arch = preset('llama-2-7b');
    const x = featuresFromTerms(requestTerms(arch, { nIn: 512, nOut: 64, regime: 'recompute', attention: 'eager' }));
    const fused = featuresFromTerms(requestTerms(arch, { nIn: 512, nOut: 64, regime: 'recompute' }));
    const ctx = { profile };
    const s = x.prefillScoreBytes + x.decodeScoreBytes;
    expect(s).toBeGreaterThan(0);
    // Eager also computes the masked half of every score matrix: its attention FLOPs are the full square.
    const extraFlops = x.totalFlops - fused.totalFlops;
    expect(extraFlops).toBeGreaterThan(0);
    const rm = 0.8 * profile.memoryBandwidthBytesPerS;
    const rc = 0.5 * (profile.peakFlops.bf16 as number);
    const phase = (f: number, b: number, sc: number) => 2e-12 * f + 6e-11 * (b + sc) + 100 * (Math.max(f / rc, b / rm) + sc / rm);
    const expected = phase(x.prefillFlops, x.prefillBytes, x.prefillScoreBytes) + phase(x.decodeFlops, x.decodeBytes, x.decodeScoreBytes) + 1 * 64;
    expect(hardwareForm().predictJ(theta, x, ctx)).toBeCloseTo(expected, 6);
    // Analytic gradient against central differences, with the score term in play.
    const g = new Float64Array(6);
    hardwareForm().gradient!(theta, x, ctx, g);
    theta.forEach((v, k) => {
      const h = v * 1e-6;
      const up = [...theta];
      const dn = [...theta];
      up[k] += h;
      dn[k] -= h;
      const fd = (hardwareForm().predictJ(up, x, ctx) - hardwareForm().predictJ(dn, x, ctx)) / (2 * h);
      expect(g[k] / fd).toBeCloseTo(1, 5);
    });
  });

  it('a calibration that says eager predicts more for the same request, and fused is what version 1 meant', () => {
    const arch = preset('llama-3-8b');
    const fused = energyModel(defaultCalibration(), arch).energyJ(4096, 512);
    const eager = energyModel({ ...defaultCalibration(), attention: 'eager' }, arch).energyJ(4096, 512);
    expect(eager).toBeGreaterThan(fused);
    expect(energyModel({ ...defaultCalibration(), version: 1, attention: undefined }, arch).energyJ(4096, 512)).toBe(fused);
  });
});

describe('surfaces under eager attention', () => {
  it('take the general path and agree with energyModel point by point', async () => {
    const { surfaceEnergy } = await import('../../src/surface/energy/from-model.js');
    const c = { ...defaultCalibration(), attention: 'eager' as const };
    const arch = preset('llama-2-7b');
    const model = energyModel(c, arch);
    const s = surfaceEnergy(c, arch);
    for (const [i, o] of [[64, 64], [1024, 256], [3000, 1000]]) expect(s.energyJ(i, o)).toBe(model.energyJ(i, o));
  });
});
