import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { featuresFromTerms } from '../../../src/complexity/features.js';
import { requestTerms } from '../../../src/complexity/terms.js';
import { H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { rooflineTimeS } from '../../../src/energy/forms/hardware.js';
import { H100_PHYSICS_PRIOR } from '../../../src/energy/calibration/physics-prior.js';
import { hardwarePhysics } from '../../../src/energy/hardware/physics.js';
import { HARDWARE_PRIOR_WIDTHS } from '../../../src/fit/solve/physics-prior.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { calibrationByName } from '../../../src/energy/calibration/shelf.js';
import { parseCsv } from '../../../src/fit/read/csv.js';
import { dataFile } from '../../data-files.js';

const FILE = 'argonne_hopper_diag.csv';
const IDS: Record<string, string> = { 'meta-llama/Meta-Llama-3-8B': 'llama-3-8b', 'meta-llama/Llama-2-7b-hf': 'llama-2-7b' };
const H100 = resolveProfile('h100-sxm-80gb');

/** The data file's rows by 1-based line (the header is line 1; no field of this file spans lines). */
function rowsByLine(): Map<number, Record<string, string>> {
  const text = readFileSync(dataFile(FILE), 'utf8');
  const { header, records } = parseCsv(text);
  expect(text.split('\n').filter((l) => l.length > 0)).toHaveLength(records.length + 1);
  return new Map(records.map(({ fields }, k) => [k + 2, Object.fromEntries(header.map((h, j) => [h, fields[j]]))]));
}

/** The rows the default says it was fitted on, read back from the data file by their line numbers. */
function fittedRows(name = 'h100') {
  const c = calibrationByName(name);
  const byLine = rowsByLine();
  const sources = c.fittedOn?.sources ?? [];
  expect(sources.map((s) => s.file)).toEqual([`data/${FILE}`]);
  return sources.flatMap((s) =>
    s.lines.map((line) => {
      const r = byLine.get(line)!;
      // Every row's public source is the one the calibration names for it.
      expect(r.source).toBe(s.source);
      return {
        line,
        arch: preset(IDS[r.model]),
        engine: r.engine,
        batch: Number(r.batch_size),
        nIn: Number(r.n_in),
        nOut: Number(r.n_out),
        energyJ: Number(r.energy_j),
        latencyS: Number(r.latency_s),
      };
    }),
  );
}

const param = (name: string) => H100_DEFAULT_CALIBRATION.params[name].value;

describe('the fitted H100 default', () => {
  it('names its 16 rows: every single-GPU H100 vLLM and TensorRT-LLM row of data/ that is not suspect', () => {
    const rows = fittedRows();
    expect(rows).toHaveLength(H100_DEFAULT_CALIBRATION.fittedOn!.rows);
    const expected = [...rowsByLine()].filter(
      ([, r]) => r.gpu === 'NVIDIA H100' && r.quality !== 'suspect' && r.num_gpus_tp === '1' && /^(TensorRT-LLM|vLLM)/.test(r.engine),
    );
    expect(rows.map((r) => r.line).sort((a, b) => a - b)).toEqual(expected.map(([line]) => line));
    expect(new Set(rows.map((r) => r.engine.split(' ')[0]))).toEqual(new Set(['vLLM', 'TensorRT-LLM']));
  });

  it('takes etaMemory from the latencies and fits the rest under the physics prior, reporting each prior by hand-checkable numbers', () => {
    const physics = hardwarePhysics(H100);
    const widths = HARDWARE_PRIOR_WIDTHS as Record<string, number>;
    const pinned = H100_DEFAULT_CALIBRATION.params.etaMemory;
    expect(pinned.stdErr).toBeNull();
    expect(pinned.prior).toBeUndefined();
    for (const name of ['eFlop', 'eByte', 'staticPowerW', 'etaCompute', 'eStep']) {
      const p = H100_DEFAULT_CALIBRATION.params[name];
      // The prior's centre is the physics (the prior calibration's value), its width the documented one,
      // and the reported shift is (log value − log centre) / width.
      expect(p.prior!.center).toBeCloseTo(H100_PHYSICS_PRIOR.params[name].value, 12);
      expect(p.prior!.center).toBeCloseTo(physics[name as keyof typeof physics], 12);
      expect(p.prior!.width).toBe(widths[name]);
      expect(p.prior!.shift).toBeCloseTo(Math.log(p.value / p.prior!.center) / widths[name], 9);
      // The data moved nothing by more than one prior width.
      expect(Math.abs(p.prior!.shift)).toBeLessThan(1);
    }
    // Static power and the per-FLOP energy rose from the prior, as the low prior said they should.
    expect(param('staticPowerW')).toBeGreaterThan(H100_PHYSICS_PRIOR.params.staticPowerW.value);
    expect(param('eFlop')).toBeGreaterThan(H100_PHYSICS_PRIOR.params.eFlop.value);
    expect(H100_DEFAULT_CALIBRATION.params.eFlop.prior!.determinedBy).toBe('data');
    // Busy power above the idle board and below TDP.
    expect(param('staticPowerW')).toBeGreaterThan(H100.idlePowerW);
    expect(param('staticPowerW') + param('eFlop') * param('etaCompute') * H100.peakFlops.bf16).toBeLessThan(1.5 * H100.tdpW);
  });

  it('etaMemory is the relative least-squares fit of the roofline time to the measured latencies (brute-force scan)', () => {
    const rows = fittedRows();
    const sse = (em: number) =>
      rows.reduce((s, r) => {
        const x = featuresFromTerms(requestTerms(r.arch, { nIn: r.nIn, nOut: r.nOut, batch: r.batch }));
        // etaCompute at its physics value, as the latency fit takes it.
        const t = rooflineTimeS(x, H100_PHYSICS_PRIOR.params.etaCompute.value, em, H100.peakFlops.bf16, H100.memoryBandwidthBytesPerS);
        return s + (t / r.latencyS - 1) ** 2;
      }, 0);
    const best = sse(param('etaMemory'));
    for (let em = 0.4; em <= 0.9; em += 0.0005) expect(sse(em)).toBeGreaterThanOrEqual(best - 1e-12);
  });

  it('its stored in-sample MAPE is what its predictions give on those rows, and no row is off by more than 25%', () => {
    const rows = fittedRows();
    // The batch-64 Llama-2-7B rows hold more KV cache than fits beside the weights (82 GB on an
    // 80 GB card): the engines ran them by preempting sequences, so compute them anyway.
    const apes = rows.map((r) => Math.abs(predictEnergy(H100_DEFAULT_CALIBRATION, r.arch, { nIn: r.nIn, nOut: r.nOut, batch: r.batch, ignoreMemory: true }).energyJ / r.energyJ - 1));
    expect(100 * (apes.reduce((s, v) => s + v, 0) / apes.length)).toBeCloseTo(H100_DEFAULT_CALIBRATION.errors!.mape, 9);
    expect(Math.max(...apes)).toBeLessThan(0.25);
  });

  it('reads higher than the physics prior by 20–35% on 7B–8B requests at batch 1–32 (the level the public data set)', () => {
    for (const id of ['llama-2-7b', 'mistral-7b', 'qwen2-7b', 'llama-3.1-8b']) {
      for (const batch of [1, 8, 32]) {
        for (const [nIn, nOut] of [[128, 128], [2048, 256], [512, 512]]) {
          const ratio =
            predictEnergy(H100_DEFAULT_CALIBRATION, preset(id), { nIn, nOut, batch }).energyJ / predictEnergy(H100_PHYSICS_PRIOR, preset(id), { nIn, nOut, batch }).energyJ;
          expect([id, batch, nIn, nOut, ratio > 1.2 && ratio < 1.35]).toEqual([id, batch, nIn, nOut, true]);
        }
      }
    }
  });

  it('predicts every preset with a finite positive energy', async () => {
    const { PRESETS } = await import('../../../src/architecture/registry.js');
    for (const arch of PRESETS) {
      const e = energyModel(H100_DEFAULT_CALIBRATION, arch).energyJ(512, 256);
      expect(Number.isFinite(e) && e > 0).toBe(true);
    }
  });
});
