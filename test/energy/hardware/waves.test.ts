import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { paramCount } from '../../../src/architecture/params.js';
import { emptyFeatures, fillFeatures } from '../../../src/complexity/features.js';
import { termsKernel } from '../../../src/complexity/terms.js';
import { weightBytesPerStep } from '../../../src/complexity/weights.js';
import { defaultCalibration, H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { hardwareFormBase, rooflineTimeS } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { checkWavesOption, maxWaveBatch, waveCount } from '../../../src/energy/hardware/waves.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { estimate } from '../../../src/energy/predict/estimate.js';
import { createEstimator } from '../../../src/energy/predict/estimator.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { predictInterval } from '../../../src/energy/predict/interval.js';
import { surfaceEnergy } from '../../../src/surface/energy/from-model.js';
import { parseCsv } from '../../../src/fit/read/csv.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../../src/errors.js';
import { dataFile } from '../../data-files.js';

const A100 = resolveProfile('a100-sxm4-40gb');
/** The fitted H100 default moved to one A100 40GB: the parameters do not matter here, the memory does. */
const onA100 = { ...defaultCalibration(), gpu: A100.name, profile: A100.id };
const llama2 = preset('llama-2-7b');

// By hand (docs/energy-models.md#batches-that-exceed-memory): Llama-2-7B has 6,738,415,616
// parameters (2 bytes each) and 32 layers × (K + V) × 32 heads × 128 dims × 2 bytes = 524,288 bytes
// of KV cache per token; at 1024 + 1024 a sequence holds 2047 tokens at its last step.
const W = 6_738_415_616 * 2; // 13,476,831,232 bytes
const K = 524_288 * 2047; // 1,073,217,536 bytes per sequence
const A = 40e9;

describe('batches that exceed memory, in waves (docs/energy-models.md#batches-that-exceed-memory)', () => {
  it('Llama-2-7B at 1024 + 1024 on one A100 40GB: b = floor((40e9 − 13.48e9)/1.073e9) = 24; batch 32 → 2 waves of 16, batch 64 → 3 of 21.3', () => {
    expect(paramCount(llama2) * 2).toBe(W);
    const x = fillFeatures(termsKernel(llama2, 2), 1024, 1024, 1, 'kv-cache', weightBytesPerStep(llama2, 2), emptyFeatures());
    expect(x.kvCacheBytes).toBe(K);
    // (40e9 − 13,476,831,232) / 1,073,217,536 = 24.71
    expect(maxWaveBatch(W, K, A)).toBe(24);
    expect(W + 24 * K).toBeLessThanOrEqual(A);
    expect(W + 25 * K).toBeGreaterThan(A);
    expect([16, 24, 25, 32, 48, 49, 64].map((b) => waveCount(W, b * K, b, A))).toEqual([1, 1, 2, 2, 2, 3, 3]);
    // The estimator reports the same counts.
    expect([16, 24, 25, 32, 64].map((batch) => estimate(llama2, { nIn: 1024, nOut: 1024, batch }, { calibration: onA100, waves: true }).waves)).toEqual([1, 1, 2, 2, 3]);
    // Without the option nothing changes: the field is absent and batch 32 is refused.
    expect(estimate(llama2, { nIn: 1024, nOut: 1024, batch: 16 }, { calibration: onA100 }).waves).toBeUndefined();
    expect(() => estimate(llama2, { nIn: 1024, nOut: 1024, batch: 32 }, { calibration: onA100 })).toThrow(SweetspotMemoryError);
  });

  it('E = w·E1(B/w): batch 32 in waves is twice batch 16 at once; batch 64 is three times the one-wave energy at 64/3, computed from fractional-batch terms', () => {
    const at = (batch: number, waves = false) => estimate(llama2, { nIn: 1024, nOut: 1024, batch }, { calibration: onA100, waves }).energyJ;
    expect(at(32, true)).toBeCloseTo(2 * at(16), 9);
    expect(at(16, true)).toBe(at(16));
    // A second method: the hardware form's own prediction at the fractional batch 64/3, times 3.
    const theta = energyModel(onA100, llama2).theta;
    const x = fillFeatures(termsKernel(llama2, 2), 1024, 1024, 64 / 3, 'kv-cache', weightBytesPerStep(llama2, 2), emptyFeatures());
    const e1 = hardwareFormBase.predictJ(theta, x, { profile: A100, precision: 'bf16' });
    expect(at(64, true) / (3 * e1) - 1).toBeLessThan(1e-12);
    expect(at(64, true) / (3 * e1) - 1).toBeGreaterThan(-1e-12);
    // More energy than the same batch held at once (impossible here): each wave reads the weights again.
    const atOnce = estimate(llama2, { nIn: 1024, nOut: 1024, batch: 64 }, { calibration: onA100, ignoreMemory: true }).energyJ;
    expect(at(64, true)).toBeGreaterThan(atOnce);
  });

  it('the equal split equals (w − 1) full waves plus the remainder where the energy is affine in the batch: 3·E1(64/3) = 2·E1(24) + E1(16) to 1e-12', () => {
    const at = (batch: number) => estimate(llama2, { nIn: 1024, nOut: 1024, batch }, { calibration: onA100 }).energyJ;
    const inWaves = estimate(llama2, { nIn: 1024, nOut: 1024, batch: 64 }, { calibration: onA100, waves: true }).energyJ;
    const fullAndRest = 2 * at(24) + at(16);
    // Affine: each phase stays on one roofline branch from batch 16 to 24 (compute-bound prefill,
    // memory-bound decode), so the energy is an intercept plus a slope per sequence.
    const p = onA100.params;
    const rc = p.etaCompute.value * A100.peakFlops.bf16!;
    const rm = p.etaMemory.value * A100.memoryBandwidthBytesPerS;
    for (const b of [16, 64 / 3, 24]) {
      const x = fillFeatures(termsKernel(llama2, 2), 1024, 1024, b, 'kv-cache', weightBytesPerStep(llama2, 2), emptyFeatures());
      expect(x.prefillFlops / rc).toBeGreaterThan(x.prefillBytes / rm);
      expect(x.decodeBytes / rm).toBeGreaterThan(x.decodeFlops / rc);
    }
    expect(Math.abs(inWaves / fullAndRest - 1)).toBeLessThan(1e-12);
  });

  it('where a wave crosses the roofline ridge the energy is not affine, and the equal split is the lower: 0.5% below full waves plus the remainder', () => {
    // Llama-3.1-8B at 64 + 64 on the H100 default: b = 3841 sequences fit 80 GB; batch 4000 runs in
    // 2 waves. The decode of a wave of 3841 or 2000 is compute-bound, of the remainder 159 memory-bound.
    const arch = preset('llama-3.1-8b');
    const at = (batch: number) => estimate(arch, { nIn: 64, nOut: 64, batch }).energyJ;
    expect(() => at(3841)).not.toThrow();
    expect(() => at(3842)).toThrow(SweetspotMemoryError);
    const e = estimate(arch, { nIn: 64, nOut: 64, batch: 4000 }, { waves: true });
    expect(e.waves).toBe(2);
    expect(e.energyJ).toBeCloseTo(2 * at(2000), 9);
    const fullAndRest = at(3841) + at(159);
    // The max of the roofline is convex in the batch: an equal split costs no more than an unequal one.
    expect(e.energyJ / fullAndRest - 1).toBeCloseTo(-0.0053, 4);
  });

  it('refuses a request of which not even one sequence fits, with the bytes of one sequence', () => {
    const request = { nIn: 30_000, nOut: 30_000, batch: 4 };
    const run = () => estimate(llama2, request, { calibration: onA100, waves: true, allowOverflow: true });
    expect(run).toThrow(SweetspotMemoryError);
    expect(run).toThrow(/not even one sequence fits/);
    try {
      run();
    } catch (error) {
      // One sequence holds 59,999 tokens: 13.48 GB + 31.46 GB > 40 GB.
      expect((error as SweetspotMemoryError).neededBytes).toBe(W + 524_288 * 59_999);
      expect((error as SweetspotMemoryError).availableBytes).toBe(A);
    }
    expect(maxWaveBatch(W, 524_288 * 59_999, A)).toBe(0);
    expect(waveCount(W, 4 * 524_288 * 59_999, 4, A)).toBe(0);
    // The bound model and the surface refuse it the same way.
    expect(() => energyModel(onA100, llama2, { batch: 4, waves: true, allowOverflow: true }).energyJ(30_000, 30_000)).toThrow(SweetspotMemoryError);
    expect(surfaceEnergy(onA100, llama2, { batch: 4, waves: true }).memory!.maxPositions).toBeLessThan(59_999);
  });

  it('waves and ignoreMemory together are an error naming both, in every entry that takes them', () => {
    const both = { waves: true, ignoreMemory: true };
    const message = /\{ waves, ignoreMemory \}\): choose one/;
    expect(() => estimate(llama2, { nIn: 8, nOut: 8 }, { calibration: onA100, ...both })).toThrow(message);
    expect(() => createEstimator(llama2, { calibration: onA100, ...both })).toThrow(message);
    expect(() => predictEnergy(onA100, llama2, { nIn: 8, nOut: 8, ...both })).toThrow(message);
    expect(() => surfaceEnergy(onA100, llama2, { batch: 8, ...both })).toThrow(message);
    expect(() => checkWavesOption(both, 'x')).toThrow(SweetspotInputError);
    expect(() => estimate(llama2, { nIn: 8, nOut: 8 }, { waves: 'yes' as never })).toThrow(/\{ waves \}\): expected true or false, got/);
    expect(checkWavesOption({ waves: false, ignoreMemory: true }, 'x')).toBe(false);
  });

  it('the memory error offers { waves: true } for a batch of which one sequence fits, and not for one sequence', () => {
    expect(() => estimate(llama2, { nIn: 1024, nOut: 1024, batch: 32 }, { calibration: onA100 })).toThrow(/or \{ waves: true \} to price it in waves/);
    // Llama-3.1-70B's 141.1 GB of weights do not fit one H100 at all: more GPUs, not waves.
    const tooBig = () => estimate(preset('llama-3.1-70b'), { nIn: 1024, nOut: 256 });
    expect(tooBig).toThrow(/the weights alone do not fit: give \{ gpus: 2 \}/);
    expect(tooBig).not.toThrow(/waves: true/);
  });

  it('predictEnergy, createEstimator, energyModel and predictInterval agree in waves', () => {
    const request = { nIn: 1024, nOut: 1024, batch: 64 };
    const e = estimate(llama2, request, { calibration: onA100, waves: true }).energyJ;
    expect(predictEnergy(onA100, llama2, { ...request, waves: true }).energyJ).toBe(e);
    expect(createEstimator(llama2, { calibration: onA100, waves: true }).energyJ(1024, 1024, 64)).toBe(e);
    expect(energyModel(onA100, llama2, { batch: 64, waves: true }).energyJ(1024, 1024)).toBe(e);
    const iv = predictInterval(onA100, llama2, { ...request, waves: true });
    expect(iv.energyJ).toBe(e);
    expect(iv.lowJ).toBeLessThan(e);
    expect(estimate(llama2, request, { calibration: onA100, waves: true, interval: 0.9 }).intervalJ).toEqual([iv.lowJ, iv.highJ]);
  });

  it('on two GPUs the memory doubles: batch 48 (65 GB) needs 2 waves on one A100 40GB and fits two, where waves change nothing', () => {
    expect(estimate(llama2, { nIn: 1024, nOut: 1024, batch: 48 }, { calibration: onA100, waves: true }).waves).toBe(2);
    const two = estimate(llama2, { nIn: 1024, nOut: 1024, batch: 48 }, { calibration: onA100, gpus: 2, waves: true });
    expect(two.waves).toBe(1);
    expect(two.energyJ).toBe(estimate(llama2, { nIn: 1024, nOut: 1024, batch: 48 }, { calibration: onA100, gpus: 2 }).energyJ);
    // Batch 64 (82.2 GB) exceeds 80 GB too: 2 waves of 32 on two GPUs (b = floor((80 − 13.48)/1.073) = 61).
    expect(estimate(llama2, { nIn: 1024, nOut: 1024, batch: 64 }, { calibration: onA100, gpus: 2, waves: true }).waves).toBe(2);
  });

  it('forms fitted to measured calls ignore the wave count', () => {
    const theta = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];
    const x = fillFeatures(termsKernel(llama2, 2), 1024, 1024, 64, 'kv-cache', weightBytesPerStep(llama2, 2), emptyFeatures());
    const plain = sweetspotForm.predictJ(theta, x, {});
    expect(sweetspotForm.predictJ(theta, { ...x, waves: 3 }, {})).toBe(plain);
  });

  it('a surface in waves prices each point beyond the batch\'s memory as estimate does, and masks only points of which one sequence does not fit', () => {
    const arch = preset('llama-3.1-8b');
    const batch = 128;
    const energy = surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch, waves: true });
    const atOnce = surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch });
    // 3811 positions fit at batch 128 (docs/surface.md#memory); in waves the limit is one sequence's.
    expect(atOnce.memory!.maxPositions).toBe(3811);
    expect(energy.memory!.batch).toBe(1);
    expect(energy.memory!.maxPositions).toBe(surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch: 1 }).memory!.maxPositions);
    const outs = [64, 1000, 3000, 3700, 3748, 3749, 4096];
    const row = new Float64Array(outs.length);
    energy.fillRowJ(64, outs, 0, outs.length, row, 0);
    for (const [k, o] of outs.entries()) {
      const e = estimate(arch, { nIn: 64, nOut: o, batch }, { waves: true });
      expect(energy.energyJ(64, o) / e.energyPerRequestJ - 1, `64 + ${o}`).toBeLessThan(1e-12);
      expect(energy.energyJ(64, o) / e.energyPerRequestJ - 1, `64 + ${o}`).toBeGreaterThan(-1e-12);
      expect(row[k]).toBe(energy.energyJ(64, o));
    }
    // 4096 + 64 at batch 128 runs in 2 waves of 64: the same energy per request as batch 64.
    expect(estimate(arch, { nIn: 4096, nOut: 64, batch }, { waves: true }).waves).toBe(2);
    expect(energy.energyJ(4096, 64) / surfaceEnergy(H100_DEFAULT_CALIBRATION, arch, { batch: 64 }).energyJ(4096, 64) - 1).toBeLessThan(1e-12);
  });

  it('on the public A100 Llama-2-7B rows the time grows with the batch as waves predict, not as the batch held at once', () => {
    // data/argonne_hopper_diag.csv, A100 40GB, vLLM, 1024 + 1024: latency at batch 16, 32 and 64.
    const { header, records } = parseCsv(readFileSync(dataFile('argonne_hopper_diag.csv'), 'utf8'));
    const col = (name: string) => header.indexOf(name);
    const latency = (batch: number) =>
      Number(
        records.find(
          ({ fields: f }) => f[col('gpu')] === 'NVIDIA A100' && f[col('engine')].startsWith('vLLM') && f[col('model')] === 'meta-llama/Llama-2-7b-hf' && f[col('batch_size')] === String(batch),
        )!.fields[col('latency_s')],
      );
    const measured = [latency(32) / latency(16), latency(64) / latency(32)]; // 1.84, 1.92
    // Roofline time at the physics efficiencies of an A100 (docs/energy-models.md): one wave at a
    // (possibly fractional) batch; w waves take w times as long.
    const t = (b: number) =>
      rooflineTimeS(fillFeatures(termsKernel(llama2, 2), 1024, 1024, b, 'kv-cache', weightBytesPerStep(llama2, 2), emptyFeatures()), 0.6, 0.65, A100.peakFlops.bf16!, A100.memoryBandwidthBytesPerS);
    const atOnce = [t(32) / t(16), t(64) / t(32)]; // 1.51, 1.68
    const inWaves = [(2 * t(16)) / t(16), (3 * t(64 / 3)) / (2 * t(16))]; // 2, 1.76
    const error = (r: number[]) => r.reduce((s, v, k) => s + Math.abs(Math.log(v / measured[k])), 0);
    // Summed |log| errors: 0.17 in waves against 0.33 at once.
    expect(error(inWaves)).toBeLessThan(0.6 * error(atOnce));
    expect(measured[0]).toBeCloseTo(1.84, 2);
    expect(measured[1]).toBeCloseTo(1.92, 2);
  });
});
