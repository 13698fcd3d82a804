import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { paramCount } from '../../../src/architecture/params.js';
import { emptyFeatures, fillFeatures } from '../../../src/complexity/features.js';
import { termsKernel } from '../../../src/complexity/terms.js';
import { weightBytesPerStep } from '../../../src/complexity/weights.js';
import { defaultCalibration, H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { hardwareForm, hardwareFormBase, rooflineTimeS } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { checkWavesOption, maxWaveBatch, waveCount, wavesOrRefuse } from '../../../src/energy/hardware/waves.js';
import { calibrate } from '../../../src/fit/calibrate.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { estimate } from '../../../src/energy/predict/estimate.js';
import { createEstimator } from '../../../src/energy/predict/estimator.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { intervalOf, predictInterval } from '../../../src/energy/predict/interval.js';
import { onGpus, surfaceEnergy, surfaceEnergyFromModel } from '../../../src/surface/energy/from-model.js';
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

  it('the estimator, the bound model and a fit refuse it with one message: the bytes of one sequence, 13.48 + 31.46 = 44.9 GB of 40.0', () => {
    const refusal = (run: () => unknown): SweetspotMemoryError => {
      try {
        run();
      } catch (error) {
        if (error instanceof SweetspotMemoryError) return error;
        throw error;
      }
      throw new Error('not refused');
    };
    const errors = [
      refusal(() => estimate(llama2, { nIn: 30_000, nOut: 30_000, batch: 4 }, { calibration: onA100, waves: true, allowOverflow: true })),
      refusal(() => energyModel(onA100, llama2, { batch: 4, waves: true, allowOverflow: true }).energyJ(30_000, 30_000)),
      refusal(() =>
        calibrate(
          [
            { model: 'llama-2-7b', nIn: 1024, nOut: 1024, batchSize: 8, gpu: A100.name, energyJ: 1000, line: 2 },
            { model: 'llama-2-7b', nIn: 30_000, nOut: 30_000, batchSize: 4, gpu: A100.name, energyJ: 1000, line: 3 },
          ],
          { form: hardwareForm(), waves: true, baselines: [] },
        ),
      ),
    ];
    // One sequence of 59,999 tokens: W + 524,288 · 59,999 bytes, by hand.
    for (const e of errors) {
      expect(e.neededBytes).toBe(W + 524_288 * 59_999);
      expect(e.availableBytes).toBe(A);
      expect(e.message).toMatch(
        /\(in waves, not even one sequence fits\): llama-2-7b at nIn=30000, nOut=30000, batch=1 needs 44\.9 GB \(weights 13\.5 GB at 2 bytes\/parameter \+ KV cache 31\.5 GB at 2 bytes\/element\), more than the 40\.0 GB of one .*; /,
      );
    }
    // A request is told what would fit it; a measured row (it ran) is told to check its GPU columns.
    for (const e of errors.slice(0, 2)) expect(e.message).toMatch(/; give \{ gpus: 2 \} \(tensor parallel\), a smaller batch or shorter lengths$/);
    expect(errors[2].message).toMatch(/; check the row's gpu and gpus columns, or fit without waves$/);
    expect(errors.map((e) => e.message.split(' (in waves')[0])).toEqual(['estimate', 'energy of llama-2-7b', 'line 3: llama-2-7b']);
    // The same bytes through the helper itself: 64 sequences at 1024 + 1024 run in 3 waves on 40 GB, in 2 on 80 GB.
    const budget = { arch: llama2, weightBytes: W, gpu: A100, weightBytesPerParam: 2, kvBytesPerElement: 2 };
    expect(wavesOrRefuse('x', budget, 1, 1024, 1024, 64, 64 * K)).toBe(3);
    expect(wavesOrRefuse('x', budget, 2, 1024, 1024, 64, 64 * K)).toBe(2);
  });

  it('waveCount and maxWaveBatch refuse what is not a number (BigInt, Symbol, null-prototype object) with an error naming the argument, never a TypeError', () => {
    const junk: unknown[] = [10n, Symbol('s'), Object.create(null), NaN, -1, Infinity, '5', null];
    for (const j of junk) {
      const v = j as number;
      expect(() => waveCount(v, 1, 1, 1)).toThrow(SweetspotInputError);
      expect(() => waveCount(1, v, 1, 1)).toThrow(/^waveCount\(weightBytes, kvCacheBytes, batch, availableBytes\): byte counts must be finite numbers ≥ 0/);
      expect(() => waveCount(1, 1, 1, v)).toThrow(SweetspotInputError);
      expect(() => waveCount(1, 1, v, 1)).toThrow(/^waveCount\(batch\): expected an integer ≥ 1/);
      expect(() => maxWaveBatch(v, 1, 1)).toThrow(/^maxWaveBatch\(weightBytes\): expected a finite number ≥ 0/);
      expect(() => maxWaveBatch(1, v, 1)).toThrow(/^maxWaveBatch\(kvPerSequenceBytes\): expected a finite number ≥ 0/);
      expect(() => maxWaveBatch(1, 1, v)).toThrow(/^maxWaveBatch\(availableBytes\): expected a finite number ≥ 0/);
    }
    expect(() => waveCount(10n as unknown as number, 1, 1, 1)).toThrow(/got a bigint \(10\)/);
    // The numbers still count: 10 bytes of weights, 4 per sequence in 20 bytes: b = floor(10 / 4) = 2, so 5 sequences run in 3 waves.
    expect(maxWaveBatch(10, 4, 20)).toBe(2);
    expect(waveCount(10, 5 * 4, 5, 20)).toBe(3);
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

  describe('a bound model in waves (energyModel, onGpus, surfaceEnergyFromModel)', () => {
    const H100 = H100_DEFAULT_CALIBRATION;
    const request = { nIn: 1024, nOut: 1024 };
    const eStep = H100.params.eStep.value;

    it('records waves, and onGpus counts them against all of its GPUs: estimate, onGpus and surfaceEnergy agree', () => {
      const one = energyModel(H100, llama2, { batch: 64, waves: true });
      expect(one.waves).toBe(true);
      expect(energyModel(H100, llama2, { batch: 64 }).waves).toBe(false);
      // One H100: b = floor((80e9 − W) / K) = 61, so 64 runs in 2 waves of 32.
      expect(Math.floor((80e9 - W) / K)).toBe(61);
      const at32 = estimate(llama2, { ...request, batch: 32 }).energyJ;
      expect(one.energyJ(1024, 1024) / (2 * at32) - 1).toBeLessThan(1e-12);
      // Two H100s: W + 64·K = 82.2 GB ≤ 160 GB, one wave; by hand the one-GPU energy held at once
      // plus the second GPU's per-step energy, eStep · (decodeSteps + 1) = eStep · 1024.
      const onTwo = onGpus(one, 2, 'test');
      expect([onTwo.gpus, onTwo.waves]).toEqual([2, true]);
      const byHand = estimate(llama2, { ...request, batch: 64 }, { ignoreMemory: true }).energyJ + eStep * 1024;
      const est = estimate(llama2, { ...request, batch: 64 }, { gpus: 2, waves: true });
      expect(est.waves).toBe(1);
      expect(est.energyJ / byHand - 1).toBeLessThan(1e-12);
      expect(est.energyJ / byHand - 1).toBeGreaterThan(-1e-12);
      expect(onTwo.energyJ(1024, 1024)).toBe(est.energyJ);
      const surface = surfaceEnergy(H100, llama2, { batch: 64, gpus: 2, waves: true });
      expect(Math.abs((surface.energyJ(1024, 1024) * 64) / est.energyJ - 1)).toBeLessThan(1e-12);
      expect(Math.abs((surfaceEnergyFromModel(onTwo).energyJ(1024, 1024) * 64) / est.energyJ - 1)).toBeLessThan(1e-12);
      // Batch 256 on two: b = floor((160e9 − W) / K) = 136, so 2 waves of 128, each on both GPUs.
      expect(Math.floor((160e9 - W) / K)).toBe(136);
      const big = estimate(llama2, { ...request, batch: 256 }, { gpus: 2, waves: true });
      expect(big.waves).toBe(2);
      expect(big.energyJ / (2 * estimate(llama2, { ...request, batch: 128 }, { gpus: 2 }).energyJ) - 1).toBeLessThan(1e-12);
      const bigOnTwo = onGpus(energyModel(H100, llama2, { batch: 256, waves: true }), 2, 'test');
      expect(bigOnTwo.energyJ(1024, 1024)).toBe(big.energyJ);
      expect(Math.abs((surfaceEnergy(H100, llama2, { batch: 256, gpus: 2, waves: true }).energyJ(1024, 1024) * 256) / big.energyJ - 1)).toBeLessThan(1e-12);
    });

    it('onGpus sets the count, it does not multiply it: a model moved twice is the model moved once', () => {
      const m = energyModel(H100, llama2, { batch: 8 });
      const twice = onGpus(onGpus(m, 2, 'test'), 2, 'test');
      expect(twice.energyJ(1024, 1024)).toBe(onGpus(m, 2, 'test').energyJ(1024, 1024));
      expect(onGpus(twice, 1, 'test').energyJ(1024, 1024)).toBe(m.energyJ(1024, 1024));
      expect(twice.theta[5]).toBe(2 * eStep);
      expect(twice.calibration).toBe(m.calibration);
    });

    it('a surface of a model in waves prices in waves by default, as model.energyJ does; ignoreMemory overrides the default', () => {
      const model = energyModel(H100, llama2, { batch: 64, waves: true });
      const surface = surfaceEnergyFromModel(model);
      expect(surface.energyJ(1024, 1024)).toBeCloseTo(model.energyJ(1024, 1024) / 64, 9);
      // In waves a point is out of memory only when not even one sequence fits: on 80 GB, W + n·524,288 ≤ 80e9 up to n = floor(126,882.5) = 126,882.
      expect(surface.memory!.batch).toBe(1);
      expect(surface.memory!.maxPositions).toBe(126_882);
      expect(Math.floor((80e9 - W) / 524_288)).toBe(126_882);
      expect(surfaceEnergyFromModel(model, {}, { waves: false }).memory!.batch).toBe(64);
      const atOnce = surfaceEnergyFromModel(model, {}, { ignoreMemory: true });
      expect(atOnce.memory).toBeUndefined();
      expect(atOnce.energyJ(1024, 1024)).toBeCloseTo(estimate(llama2, { ...request, batch: 64 }, { ignoreMemory: true }).energyJ / 64, 9);
      expect(() => surfaceEnergyFromModel(model, {}, { waves: true, ignoreMemory: true })).toThrow(/\{ waves, ignoreMemory \}\): choose one/);
    });

    it('intervals are for one GPU: intervalOf refuses a model put on two', () => {
      const model = energyModel(H100, llama2, { batch: 8 });
      expect(intervalOf(model, 512, 128, 0.9).energyJ).toBe(model.energyJ(512, 128));
      expect(() => intervalOf(onGpus(model, 2, 'test'), 512, 128, 0.9)).toThrow(/intervals are for one GPU/);
      expect(intervalOf(onGpus(model, 1, 'test'), 512, 128, 0.9).energyJ).toBe(model.energyJ(512, 128));
    });
  });
});
