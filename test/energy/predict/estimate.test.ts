import { describe, expect, it } from 'vitest';
import { paramCount } from '../../../src/architecture/params.js';
import { preset } from '../../../src/architecture/registry.js';
import type { Architecture } from '../../../src/architecture/schema.js';
import { requestTerms } from '../../../src/complexity/terms.js';
import { H100_DEFAULT_CALIBRATION, defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { estimate } from '../../../src/energy/predict/estimate.js';
import { createEstimator } from '../../../src/energy/predict/estimator.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { calibrationByName } from '../../../src/energy/calibration/shelf.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import type { Calibration } from '../../../src/energy/calibration/document.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../../src/errors.js';

const llama8 = preset('llama-3.1-8b');
// Llama-3.1-70B's published dimensions on the 8B's layout: 70.55 B parameters.
const llama70: Architecture = { ...llama8, id: 'llama-3.1-70b', hfId: 'meta-llama/Llama-3.1-70B', hiddenSize: 8192, numLayers: 80, numHeads: 64, intermediateSize: 28672 };

/** A per-model SweetSpot calibration fitted at batch 4 (values made up, shape real). */
function sweetspotAtBatch4(): Calibration {
  const p = (value: number, unit: string) => ({ value, unit, stdErr: null });
  return {
    ...defaultCalibration(),
    form: 'sweetspot',
    profile: null,
    gpu: 'A100',
    batch: 4,
    params: {},
    models: {
      'llama-3.1-8b': {
        params: { theta1: p(1e-6, 'J/token²'), theta2: p(0.2, 'J/token'), theta3: p(2e-6, 'J/token²'), theta4: p(3e-6, 'J/token²'), theta5: p(0.01, 'J/token'), theta6: p(5, 'J') },
        rows: 10,
        mape: 1,
        uncertainty: null,
      },
    },
    fitted: true,
    fittedOn: { rows: 10, sha256: '0'.repeat(64), models: ['llama-3.1-8b'] },
  };
}

describe('estimate', () => {
  it('gives the energy of the bound model and the per-token metrics by their definitions', () => {
    const e = estimate('meta-llama/Llama-3.1-8B-Instruct', { nIn: 2048, nOut: 256, batch: 4 });
    const want = energyModel(H100_DEFAULT_CALIBRATION, llama8, { batch: 4 }).energyJ(2048, 256);
    expect(e.energyJ).toBe(want);
    expect(e.energyPerRequestJ).toBe(want / 4);
    expect(e.jPerOutputToken).toBe(want / (4 * 256));
    expect(e.jPerToken).toBe(want / (4 * 2304));
    expect(e).toMatchObject({ nIn: 2048, nOut: 256, batch: 4, model: 'llama-3.1-8b', fitted: H100_DEFAULT_CALIBRATION.fitted, gpus: 1, gpuMemoryBytes: 80e9 });
    expect(e.calibration).toMatch(/^hardware form, /);
    expect(e.intervalJ).toBeUndefined();
  });

  it('computes with the calibration\'s attention implementation, as energyModel does', () => {
    const fused = estimate('llama-2-7b', { nIn: 2048, nOut: 256 }).energyJ;
    for (const attention of ['fused', 'masked', 'eager', 'transformers-sdpa'] as const) {
      const calibration = { ...defaultCalibration(), attention };
      const want = energyModel(calibration, preset('llama-2-7b')).energyJ(2048, 256);
      expect([attention, estimate('llama-2-7b', { nIn: 2048, nOut: 256 }, { calibration }).energyJ]).toEqual([attention, want]);
      expect([attention, predictEnergy(calibration, preset('llama-2-7b'), { nIn: 2048, nOut: 256 }).energyJ]).toEqual([attention, want]);
      if (attention === 'eager') expect(want).toBeGreaterThan(fused);
    }
    // Changed in place, the attention is read again.
    const c = defaultCalibration();
    const before = predictEnergy(c, preset('llama-2-7b'), { nIn: 2048, nOut: 256 }).energyJ;
    c.attention = 'eager';
    expect(predictEnergy(c, preset('llama-2-7b'), { nIn: 2048, nOut: 256 }).energyJ).toBeGreaterThan(before);
  });

  it('takes a preset id, a Hugging Face id or an Architecture alike, and a calibration', () => {
    const a = estimate('llama-3.1-8b', { nIn: 512, nOut: 128 }).energyJ;
    expect(estimate(llama8, { nIn: 512, nOut: 128 }).energyJ).toBe(a);
    expect(estimate('meta-llama/Llama-3.1-8B', { nIn: 512, nOut: 128 }, { calibration: defaultCalibration() }).energyJ).toBe(a);
  });

  it('takes a shelf calibration by name, the same as its document', () => {
    const byName = estimate('llama-3-8b', { nIn: 1024, nOut: 256, batch: 8 }, { calibration: 'h100-vllm' });
    const byDocument = estimate('llama-3-8b', { nIn: 1024, nOut: 256, batch: 8 }, { calibration: calibrationByName('h100-vllm') });
    expect(byName).toEqual(byDocument);
    expect(byName.energyJ).toBe(energyModel(calibrationByName('h100-vllm'), preset('llama-3-8b'), { batch: 8 }).energyJ(1024, 256));
    expect(createEstimator('llama-3-8b', { calibration: 'h100-vllm' }).estimate(1024, 256, 8)).toEqual(byName);
    expect(() => estimate('llama-3-8b', { nIn: 8, nOut: 8 }, { calibration: 'no-such' })).toThrow(/unknown calibration 'no-such': the shelf has h100, /);
  });

  it('names the function and the field of bad input', () => {
    expect(() => estimate('llama-3.1-8b', { nIn: 0, nOut: 5 })).toThrow(/^estimate: llama-3.1-8b at nIn=0, nOut=5, batch=1: lengths must be integers ≥ 1/);
    expect(() => estimate('llama-3.1-8b', { nIn: 5, nOut: 5, batch: 1.5 })).toThrow(/batch must be an integer/);
    expect(() => estimate('no-such-model', { nIn: 5, nOut: 5 })).toThrow(/unknown model 'no-such-model'/);
    expect(() => estimate('llama-3.1-8b', { nIn: 5, nOut: 5 }, { gpus: 0 })).toThrow(/^estimate\(\{ gpus \}\): must be an integer in 1\.\.4096/);
    expect(() => estimate('llama-3.1-8b', null as never)).toThrow(SweetspotInputError);
  });

  it('names the function the caller called in a binding error: estimate, or createEstimator', () => {
    const q = { nIn: 5, nOut: 5 };
    expect(() => estimate('llama-3.1-8b', q, { waves: true, ignoreMemory: true })).toThrow(/^estimate\(\{ waves, ignoreMemory \}\): choose one/);
    expect(() => createEstimator('llama-3.1-8b', { waves: true, ignoreMemory: true })).toThrow(/^createEstimator\(\{ waves, ignoreMemory \}\): choose one/);
    expect(() => estimate('llama-3.1-8b', q, { waves: 'yes' as never })).toThrow(/^estimate\(\{ waves \}\): expected true or false/);
    expect(() => estimate('llama-3.1-8b', q, { onGpu: 'no-such-gpu' })).toThrow(/^estimate\(\{ onGpu \}\): /);
    expect(() => estimate('llama-3.1-8b', q, { onGpu: { ...resolveProfile('L40S'), tdpW: 1 } })).toThrow(/^estimate\(\{ onGpu \}\): gpu: the profile 'l40s-48gb' differs/);
    expect(() => createEstimator('llama-3.1-8b', { onGpu: 'no-such-gpu' })).toThrow(/^createEstimator\(\{ onGpu \}\): /);
    expect(() => createEstimator('llama-3.1-8b', { gpus: 0 })).toThrow(/^createEstimator\(\{ gpus \}\): must be an integer/);
  });
});

describe('createEstimator', () => {
  it('gives what estimate gives, call by call and in bulk', () => {
    const est = createEstimator('llama-3.1-8b');
    const nIn = Int32Array.of(64, 512, 4096, 1000);
    const nOut = Float64Array.of(64, 128, 64, 900);
    const bulk = est.estimateMany({ nIn, nOut, batch: Int32Array.of(1, 2, 3, 4) });
    for (let k = 0; k < nIn.length; k++) {
      const one = estimate('llama-3.1-8b', { nIn: nIn[k], nOut: nOut[k], batch: k + 1 });
      expect(est.estimate(nIn[k], nOut[k], k + 1)).toEqual(one);
      expect(bulk[k]).toBe(one.energyJ);
      expect(est.energyJ(nIn[k], nOut[k], k + 1)).toBe(one.energyJ);
    }
    const out = new Float64Array(10).fill(-1);
    expect(est.estimateMany({ nIn, nOut }, out)).toBe(out);
    expect(out[0]).toBe(est.energyJ(64, 64));
    expect(out[4]).toBe(-1);
  });

  it('names the request that fails in bulk, and refuses mismatched arrays', () => {
    const est = createEstimator(llama8);
    expect(() => est.estimateMany({ nIn: [10, 20, 0], nOut: [5, 5, 5] })).toThrow(/^estimate: request 2: llama-3.1-8b at nIn=0/);
    expect(() => est.estimateMany({ nIn: [10, 20], nOut: [5] })).toThrow(/estimateMany\(\{ nIn, nOut \}\): expected two arrays of the same length, got 2 and 1/);
    expect(() => est.estimateMany({ nIn: [10], nOut: [5] }, new Float64Array(0))).toThrow(/out must be a Float64Array of at least 1/);
  });

  it('defaults to, and keeps to, the batch of a calibration fitted at one batch', () => {
    const est = createEstimator(llama8, { calibration: sweetspotAtBatch4() });
    expect(est.defaultBatch).toBe(4);
    const e = est.estimate(100, 10);
    // E = θ1·i² + θ2·i + θ3·i·o + θ4·o² + θ5·o + θ6, the whole call at batch 4.
    const want = 1e-6 * 1e4 + 0.2 * 100 + 2e-6 * 1000 + 3e-6 * 100 + 0.01 * 10 + 5;
    expect(e.energyJ).toBeCloseTo(want, 12);
    expect(e.energyPerRequestJ).toBeCloseTo(want / 4, 12);
    expect(e).toMatchObject({ fitted: true, batch: 4, gpuMemoryBytes: null });
    expect(() => est.estimate(100, 10, 1)).toThrow(/batch=1: batch 1: the 'sweetspot' form sees only lengths and was calibrated at batch 4; it cannot predict another batch/);
  });
});

describe('memory', () => {
  it('refuses a 70B model on one H100, saying how much is needed and how much there is', () => {
    // Hand computation: 70_553_706_496 parameters × 2 bytes; KV cache 1279 positions × 2·8·128·2 bytes × 80 layers.
    expect(paramCount(llama70)).toBe(70_553_706_496);
    const needed = 70_553_706_496 * 2 + 1279 * 2 * 8 * 128 * 2 * 80;
    let error: unknown;
    try {
      estimate(llama70, { nIn: 1024, nOut: 256 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SweetspotMemoryError);
    expect(error).toBeInstanceOf(SweetspotInputError);
    const m = error as SweetspotMemoryError;
    expect(m.name).toBe('SweetspotMemoryError');
    expect([m.neededBytes, m.availableBytes, m.gpus]).toEqual([needed, 80e9, 1]);
    expect(m.message).toMatch(/needs 141\.5 GB \(weights 141\.1 GB at 2 bytes\/parameter \+ KV cache 0\.4 GB at 2 bytes\/element\), more than the 80\.0 GB of one NVIDIA H100 SXM5 80GB; the weights alone do not fit: give \{ gpus: 2 \}/);
    expect(() => predictEnergy(H100_DEFAULT_CALIBRATION, llama70, { nIn: 1024, nOut: 256 })).toThrow(/^predictEnergy: llama-3.1-70b/);
  });

  it('counts the KV cache at the batch and lengths, with sliding windows capped (second method: requestTerms)', () => {
    for (const id of ['gemma-2-9b', 'mistral-7b', 'llama-2-7b']) {
      const arch = preset(id);
      const e = estimate(arch, { nIn: 3000, nOut: 1000, batch: 3 }, { ignoreMemory: true });
      const kv = requestTerms(arch, { nIn: 3000, nOut: 1000, batch: 3 }).kvCacheBytes.final;
      expect(e.memoryBytes).toBe(paramCount(arch) * 2 + kv);
    }
  });

  it('accepts the request on as many GPUs as it needs, and sums the energy over them (hand computation)', () => {
    expect(() => estimate(llama70, { nIn: 1024, nOut: 256 }, { gpus: 2 })).not.toThrow();
    const c = H100_DEFAULT_CALIBRATION.params;
    const h100 = resolveProfile('h100-sxm-80gb');
    const peak = h100.peakFlops.bf16 as number;
    const bw = h100.memoryBandwidthBytesPerS;
    for (const g of [1, 2, 4]) {
      const t = requestTerms(llama70, { nIn: 1024, nOut: 256 });
      // Each of g GPUs does 1/g of each phase's FLOPs and bytes, at its own roofline, and pays eStep per step.
      let perGpu = 0;
      for (const phase of [t.prefill, t.decode]) {
        const f = phase.flops / g;
        const b = phase.bytes / g;
        perGpu += c.eFlop.value * f + c.eByte.value * b + c.staticPowerW.value * Math.max(f / (c.etaCompute.value * peak), b / (c.etaMemory.value * bw));
      }
      perGpu += c.eStep.value * (t.decode.steps + 1);
      const want = g * perGpu;
      const e = estimate(llama70, { nIn: 1024, nOut: 256 }, { gpus: g, ignoreMemory: g === 1 });
      expect(Math.abs(e.energyJ / want - 1)).toBeLessThan(1e-12);
      expect(e.gpuMemoryBytes).toBe(g * 80e9);
    }
    // So the GPUs beyond the first add only their per-step energy: (g − 1)·eStep·(steps + 1).
    const one = estimate(llama8, { nIn: 512, nOut: 128 }).energyJ;
    const four = estimate(llama8, { nIn: 512, nOut: 128 }, { gpus: 4 }).energyJ;
    expect(four - one).toBeCloseTo(3 * c.eStep.value * 128, 9);
  });
});

describe('predictEnergy reuses what it bound', () => {
  it('sees a calibration changed in place, and an architecture too', () => {
    const calib = defaultCalibration();
    const before = predictEnergy(calib, llama8, { nIn: 512, nOut: 128 }).energyJ;
    expect(predictEnergy(calib, llama8, { nIn: 512, nOut: 128 }).energyJ).toBe(before);
    calib.params.staticPowerW.value = 300;
    const after = predictEnergy(calib, llama8, { nIn: 512, nOut: 128 }).energyJ;
    expect(after).toBe(energyModel(calib, llama8).energyJ(512, 128));
    expect(after).toBeGreaterThan(before);
    const arch: Architecture = { ...llama8, sources: [...llama8.sources] };
    const a = predictEnergy(calib, arch, { nIn: 512, nOut: 128 }).energyJ;
    (arch as { numLayers: number }).numLayers = 16;
    expect(predictEnergy(calib, arch, { nIn: 512, nOut: 128 }).energyJ).toBeLessThan(a);
    calib.params.staticPowerW.value = -1;
    expect(() => predictEnergy(calib, arch, { nIn: 512, nOut: 128 })).toThrow(/staticPowerW/);
    calib.params = { ...calib.params, staticPowerW: { value: 100, unit: 'W', stdErr: null } };
    expect(predictEnergy(calib, arch, { nIn: 512, nOut: 128 }).energyJ).toBe(energyModel(calib, arch).energyJ(512, 128));
  });

  it('sees a per-model parameter changed in place, and a changed label field', () => {
    const calib = sweetspotAtBatch4();
    const e = (nOut: number) => predictEnergy(calib, llama8, { nIn: 100, nOut }).energyJ;
    const before = e(10);
    calib.models['llama-3.1-8b'].params.theta6.value = 105;
    expect(e(10)).toBeCloseTo(before + 100, 9);
    calib.engine = 'vLLM';
    expect(predictEnergy(calib, llama8, { nIn: 100, nOut: 10 }).calibration).toContain('vLLM');
    calib.batch = 2;
    expect(predictEnergy(calib, llama8, { nIn: 100, nOut: 10 }).batch).toBe(2);
  });
});
