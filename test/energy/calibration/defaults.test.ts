import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { requestTerms } from '../../../src/complexity/terms.js';
import { parseCalibration, serializeCalibration } from '../../../src/energy/calibration/document.js';
import { H100_DEFAULT_CALIBRATION, defaultCalibration } from '../../../src/energy/calibration/defaults.js';
import { H100_PHYSICS_PRIOR } from '../../../src/energy/calibration/physics-prior.js';
import { rooflineTimeS } from '../../../src/energy/forms/hardware.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { featuresFromTerms } from '../../../src/complexity/features.js';
import { parseCsv } from '../../../src/fit/read/csv.js';
import { dataFile } from '../../data-files.js';

const DATA = dataFile('argonne_hopper_diag.csv');

/** The CSV's rows as objects keyed by its header (every column, not only the measurement schema's). */
function readCsv(text: string): Record<string, string>[] {
  const { header, records } = parseCsv(text);
  return records.map(({ fields }) => Object.fromEntries(header.map((h, k) => [h, fields[k]])));
}

function h100TrtLlama3Point() {
  const rows = readCsv(readFileSync(DATA, 'utf8')).filter(
    (r) =>
      r.gpu === 'NVIDIA H100' &&
      r.engine.startsWith('TensorRT-LLM') &&
      r.model === 'meta-llama/Meta-Llama-3-8B' &&
      r.batch_size === '1' &&
      r.n_in === '1024' &&
      r.n_out === '1024',
  );
  expect(rows).toHaveLength(1);
  const row = rows[0];
  const point = {
    energyJ: Number(row.energy_j),
    energyPerRequestJ: Number(row.energy_per_request_j),
    latencyS: Number(row.latency_s),
    powerW: Number(row.avg_power_w),
    quality: row.quality,
  };
  // The row is what data/README.md says it is: energy_j = avg_power_W × latency_s, per
  // batch, so per request at batch 1; and not one of the rows marked suspect.
  expect(point.energyJ).toBeGreaterThan(0);
  expect(Math.abs(point.energyJ / (point.powerW * point.latencyS) - 1)).toBeLessThan(1e-5);
  expect(point.energyPerRequestJ).toBe(point.energyJ);
  expect(point.quality).not.toBe('suspect');
  return point;
}

describe('built-in H100 default', () => {
  it('is the fitted shelf calibration h100, a valid calibration that round-trips', () => {
    expect(H100_DEFAULT_CALIBRATION.fitted).toBe(true);
    expect(H100_DEFAULT_CALIBRATION.fittedOn?.rows).toBe(16);
    expect(H100_DEFAULT_CALIBRATION.form).toBe('hardware');
    expect(H100_DEFAULT_CALIBRATION.regime).toBe('kv-cache');
    expect(resolveProfile(H100_DEFAULT_CALIBRATION.profile as string).id).toBe('h100-sxm-80gb');
    expect(parseCalibration(serializeCalibration(H100_DEFAULT_CALIBRATION))).toStrictEqual(defaultCalibration());
  });

  it('is frozen through and through: no caller can change the shared default', () => {
    const before = H100_DEFAULT_CALIBRATION.params.eFlop.value;
    // Modules are strict mode: writing a frozen property throws.
    expect(() => {
      (H100_DEFAULT_CALIBRATION.params.eFlop as { value: number }).value = 1;
    }).toThrow(TypeError);
    expect(() => {
      (H100_DEFAULT_CALIBRATION.params as Record<string, unknown>).extra = 1;
    }).toThrow(TypeError);
    expect(H100_DEFAULT_CALIBRATION.params.eFlop.value).toBe(before);
    // The copy is free to change.
    const copy = defaultCalibration();
    copy.params.eFlop.value = 1;
    expect(copy.params.eFlop.value).toBe(1);
  });

});

describe('H100 physics prior', () => {
  it('says it is derived, not fitted, and is a valid calibration that round-trips', () => {
    expect(H100_PHYSICS_PRIOR.fitted).toBe(false);
    expect(H100_PHYSICS_PRIOR.fittedOn).toBeNull();
    expect(H100_PHYSICS_PRIOR.note).toMatch(/NOT fitted to our measurements/);
    expect(H100_PHYSICS_PRIOR.form).toBe('hardware');
    expect(parseCalibration(serializeCalibration(H100_PHYSICS_PRIOR))).toStrictEqual(structuredClone(H100_PHYSICS_PRIOR));
  });

  it('is physically consistent: a compute-bound GEMM at ηc·peak draws the 700 W TDP', () => {
    const v = (name: string) => H100_PHYSICS_PRIOR.params[name].value;
    const h100 = resolveProfile('h100-sxm-80gb');
    expect(v('staticPowerW') + v('eFlop') * v('etaCompute') * h100.peakFlops.bf16).toBeCloseTo(h100.tdpW, 9);
    // Below idle-to-TDP bounds, and a per-byte energy above the HBM stack's own ~31 pJ/byte.
    expect(v('staticPowerW')).toBeGreaterThan(h100.idlePowerW);
    expect(v('eByte')).toBeGreaterThan(31e-12);
  });

  it('is within ±30% of the H100 TensorRT-LLM Llama-3-8B point at 1024/1024, batch 1', () => {
    // Caveats of that point (data/README.md): mean power × latency, not a counter reading,
    // and the TRT-LLM script samples gpu_id=-1 (all GPUs NVML sees): an upper bound if anything.
    const measured = h100TrtLlama3Point();
    const predicted = predictEnergy(H100_PHYSICS_PRIOR, preset('llama-3-8b'), { nIn: 1024, nOut: 1024, batch: 1 }).energyJ;
    expect(Math.abs(predicted / measured.energyJ - 1)).toBeLessThan(0.3);
  });

  it('its roofline time agrees with the measured latency (an independent check of the efficiencies)', () => {
    const measured = h100TrtLlama3Point();
    const c = H100_PHYSICS_PRIOR;
    const x = featuresFromTerms(requestTerms(preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }));
    const h100 = resolveProfile('h100-sxm-80gb');
    const t = rooflineTimeS(x, c.params.etaCompute.value, c.params.etaMemory.value, h100.peakFlops.bf16, h100.memoryBandwidthBytesPerS);
    expect(Math.abs(t / measured.latencyS - 1)).toBeLessThan(0.15);
  });

  it("the data's 'NVIDIA H100' is an SXM card: that row ran faster than a PCIe card can read its bytes", () => {
    const measured = h100TrtLlama3Point();
    const bytes = requestTerms(preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }).total.bytes;
    // At 100% of each card's datasheet bandwidth (2.0 TB/s PCIe, 3.35 TB/s SXM), nothing else counted.
    expect(bytes / 2.0e12).toBeGreaterThan(measured.latencyS);
    expect(bytes / 3.35e12).toBeLessThan(measured.latencyS);
    expect(resolveProfile('NVIDIA H100').id).toBe('h100-sxm-80gb');
  });

  it('reads low, by less than 40%, on every usable H100 point of data/ (what docs/energy-models.md says of the prior)', () => {
    const rows = readCsv(readFileSync(DATA, 'utf8')).filter(
      (r) => r.gpu === 'NVIDIA H100' && r.quality !== 'suspect' && r.num_gpus_tp === '1' && /^(TensorRT-LLM|vLLM)/.test(r.engine),
    );
    const ids: Record<string, string> = { 'meta-llama/Meta-Llama-3-8B': 'llama-3-8b', 'meta-llama/Llama-2-7b-hf': 'llama-2-7b' };
    const checked = rows.filter((r) => r.model in ids);
    // Llama-2-7B and Llama-3-8B at 1024/1024, batch 1, 16, 32, 64, on both engines.
    expect(checked).toHaveLength(16);
    for (const r of checked) {
      const predicted = predictEnergy(H100_PHYSICS_PRIOR, preset(ids[r.model]), {
        nIn: Number(r.n_in),
        nOut: Number(r.n_out),
        batch: Number(r.batch_size),
        // At batch 64 the KV cache of Llama-2-7B does not fit beside its weights (82 GB > 80 GB):
        // the engines ran those rows by preempting sequences (tested below), so compute them anyway.
        ignoreMemory: true,
      }).energyJ;
      const deviation = predicted / Number(r.energy_j) - 1;
      expect([r.model, r.engine, r.batch_size, deviation < 0 && deviation > -0.4]).toEqual([r.model, r.engine, r.batch_size, true]);
    }
  });

  it("refuses the data's batch-64 Llama-2-7B rows unless told the engine preempts: 82.2 GB of weights and KV cache on an 80 GB card", () => {
    const p = { nIn: 1024, nOut: 1024, batch: 64 };
    // Hand computation: 6_738_415_616 parameters × 2 bytes + 64 × 2047 positions × 524_288 bytes (2·32·128·2 per layer × 32).
    const needed = 6_738_415_616 * 2 + 64 * 2047 * 524_288;
    expect(() => predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-2-7b'), p)).toThrow(/needs 82\.2 GB .* more than the 80\.0 GB/);
    try {
      predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-2-7b'), p);
    } catch (e) {
      expect((e as { neededBytes: number }).neededBytes).toBe(needed);
    }
    expect(predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-2-7b'), { ...p, batch: 32 }).memoryBytes).toBe(6_738_415_616 * 2 + 32 * 2047 * 524_288);
  });

  it('predicts every preset with a finite positive energy', async () => {
    const { PRESETS } = await import('../../../src/architecture/registry.js');
    for (const arch of PRESETS) {
      const model = energyModel(H100_PHYSICS_PRIOR, arch);
      const e = model.energyJ(512, 256);
      expect(Number.isFinite(e) && e > 0).toBe(true);
    }
  });
});
