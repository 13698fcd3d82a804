import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveArchitecture } from '../../../src/architecture/resolve.js';
import type { Calibration } from '../../../src/energy/calibration/document.js';
import { calibrationByName } from '../../../src/energy/calibration/shelf.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { energyModel, predictEnergy } from '../../../src/energy/predict/predict.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../../src/errors.js';
import { parseCalibration } from '../../../src/energy/calibration/document.js';
import { calibrate } from '../../../src/fit/calibrate.js';
import type { Measurement } from '../../../src/fit/data/measurement.js';
import { selectRows, tableFromRows, type MeasurementTable } from '../../../src/fit/data/table.js';
import { evaluate, type EvaluateOptions, type Evaluation } from '../../../src/fit/evaluate/evaluate.js';
import { transferCalibration } from '../../../src/energy/calibration/transfer.js';
import { configKey } from '../../../src/fit/evaluate/repeats.js';
import { loadMeasurements, loadMeasurementTable } from '../../../src/fit/read/load.js';
import { dataFile } from '../../data-files.js';
import { noise } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What evaluate should report, computed the plain way from row objects: each row predicted by its
 * own energy model, configurations grouped by their key string, MAPE summed row by row.
 */
function plainEvaluation(c: Calibration, rows: readonly Measurement[]) {
  const predicted = rows.map((r) => energyModel(c, resolveArchitecture(r.model), { batch: r.batchSize, allowOverflow: true }).energyJ(r.nIn, r.nOut));
  const ape = rows.map((r, i) => Math.abs(predicted[i] - r.energyJ) / r.energyJ);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => (groups.get(configKey(r)) ?? groups.set(configKey(r), []).get(configKey(r))!).push(i));
  const perModel = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = resolveArchitecture(r.model).id;
    (perModel.get(key) ?? perModel.set(key, []).get(key)!).push(i);
  });
  return {
    predicted,
    mape: 100 * mean(ape),
    maxApe: 100 * Math.max(...ape),
    perModel: Object.fromEntries([...perModel].map(([k, is]) => [k, { mape: 100 * mean(is.map((i) => ape[i])), n: is.length }])),
    perPoint: [...groups.values()].map((is) => ({
      model: resolveArchitecture(rows[is[0]].model).id,
      nIn: rows[is[0]].nIn,
      nOut: rows[is[0]].nOut,
      n: is.length,
      measuredMeanJ: mean(is.map((i) => rows[i].energyJ)),
      mape: 100 * mean(is.map((i) => ape[i])),
    })),
  };
}

/** evaluate(rows) and evaluate(table) agree in every field, and both with the plain computation. */
function expectSameEvaluation(c: Calibration, rows: readonly Measurement[], table: MeasurementTable, options: EvaluateOptions = {}): Evaluation {
  const fromRows = evaluate(c, rows, options);
  const fromTable = evaluate(c, table, options);
  expect(fromTable).toEqual({ ...fromRows, defaulted: [] });
  const plain = plainEvaluation(c, rows);
  expect(fromTable.n).toBe(rows.length);
  fromTable.predictedJ.forEach((p, i) => expect(p).toBeCloseTo(plain.predicted[i], 9));
  expect(fromTable.mape).toBeCloseTo(plain.mape, 9);
  expect(fromTable.maxApe).toBeCloseTo(plain.maxApe, 9);
  expect(Object.keys(fromTable.perModel)).toEqual(Object.keys(plain.perModel));
  for (const [k, e] of Object.entries(plain.perModel)) {
    expect(fromTable.perModel[k].n).toBe(e.n);
    expect(fromTable.perModel[k].mape).toBeCloseTo(e.mape, 9);
  }
  expect(fromTable.perPoint).toHaveLength(plain.perPoint.length);
  fromTable.perPoint.forEach((p, g) => {
    const q = plain.perPoint[g];
    expect([p.model, p.nIn, p.nOut, p.n]).toEqual([q.model, q.nIn, q.nOut, q.n]);
    expect(p.measuredMeanJ).toBeCloseTo(q.measuredMeanJ, 9);
    expect(p.mape).toBeCloseTo(q.mape, 9);
  });
  return fromTable;
}

describe('evaluate on a table', () => {
  it('gives the Swing and Palmetto A100 rows the evaluation their row objects give (a100-sxm4-hf-recompute)', async () => {
    const c = calibrationByName('a100-sxm4-hf-recompute');
    const path = dataFile('wilkins_a100_1d_sweeps.csv');
    const { rows } = await loadMeasurements(path, process.cwd(), {}, { kvCache: false });
    const { table } = await loadMeasurementTable(path, process.cwd(), {}, { kvCache: false });
    // The plain computation prices every row on the calibration's GPU: so does { transfer: false }.
    const ev = expectSameEvaluation(c, rows, table, { transfer: false });
    // The Palmetto rows are another GPU than the calibration's (Swing): a transfer test.
    const palmetto = rows.filter((r) => r.extra.system !== 'argonne-swing').length;
    expect(palmetto).toBeGreaterThan(0);
    expect(ev.warnings).toHaveLength(1);
    expect(ev.warnings[0]).toMatch(new RegExp(`^${palmetto} row\\(s\\) measured on another GPU .*not moved \\(\\{ transfer: false \\}\\)`));
    // By default they are priced on their own GPU (Palmetto's name resolves to the PCIe card), as
    // predictEnergy prices them with the calibration moved there.
    const moved = evaluate(c, table, { baselines: [] });
    const pcie = transferCalibration(c, 'a100-pcie-40gb');
    rows.forEach((r, i) => {
      const on = r.extra.system === 'argonne-swing' ? c : pcie;
      const e = predictEnergy(on, resolveArchitecture(r.model), { nIn: r.nIn, nOut: r.nOut, allowOverflow: true, ignoreMemory: true }).energyJ;
      expect(moved.predictedJ[i]).toBeCloseTo(e, 9);
    });
    expect(moved.warnings).toEqual([expect.stringMatching(new RegExp(`^${palmetto} row\\(s\\) measured on another GPU .*priced by the calibration moved to each row's GPU`))]);
    // The cross-GPU check of docs/energy-models.md#other-gpus, on the Palmetto rows alone, and back.
    const onPalmetto = rows.flatMap((r, i) => (r.extra.system === 'argonne-swing' ? [] : [i]));
    const onSwing = rows.flatMap((r, i) => (r.extra.system === 'argonne-swing' ? [i] : []));
    const pcieFit = calibrationByName('a100-pcie-hf-recompute');
    const check = (cal: Calibration, is: number[], transfer: boolean) => evaluate(cal, selectRows(table, is), { baselines: [], transfer });
    const pairs = [check(c, onPalmetto, true), check(c, onPalmetto, false), check(pcieFit, onSwing, true), check(pcieFit, onSwing, false)];
    expect(pairs.map((e) => Math.round(e.mape))).toEqual([21, 22, 29, 18]);
    expect(pairs.map((e) => Math.round(100 * e.intervals!.coverage))).toEqual([75, 23, 81, 16]);
    expect(ev.intervals?.n).toBe(rows.length);
    const inside = rows.filter((r, i) => ev.intervals!.lowJ[i] <= r.energyJ && r.energyJ <= ev.intervals!.highJ[i]).length;
    expect(ev.intervals?.coverage).toBe(inside / rows.length);
    expect(ev.baselines.linear.mape).toBeGreaterThan(0);

    const swing = rows.flatMap((r, i) => (r.extra.system === 'argonne-swing' ? [i] : []));
    const swingEv = expectSameEvaluation(
      c,
      swing.map((i) => rows[i]),
      selectRows(table, swing),
    );
    expect(swingEv.warnings).toEqual([]);
  });

  it('gives the Argonne H100 rows of known models the evaluation their row objects give (h100)', async () => {
    const c = calibrationByName('h100');
    const path = dataFile('argonne_hopper_diag.csv');
    const filter = { gpu: 'NVIDIA H100' };
    const loaded = await loadMeasurements(path, process.cwd(), filter, { kvCache: true });
    const { table } = await loadMeasurementTable(path, process.cwd(), filter, { kvCache: true });
    const known = loaded.rows.flatMap((r, i) => {
      try {
        resolveArchitecture(r.model);
        return [i];
      } catch {
        return [];
      }
    });
    expect(known.length).toBeGreaterThan(10);
    expectSameEvaluation(
      c,
      known.map((i) => loaded.rows[i]),
      selectRows(table, known),
    );
  });

  it('gives a synthetic file read across 1 MiB chunks the evaluation its row objects give', async () => {
    // About 1.9 MB of two models, each configuration measured three times, on two GPU names.
    const lines = ['model,n_in,n_out,energy_j,gpu,notes'];
    for (let i = 0; i < 24_000; i++) {
      const k = Math.floor(i / 3);
      const model = k % 2 === 0 ? 'llama-2-7b' : 'meta-llama/Llama-2-13b-hf';
      const nIn = 32 + ((k * 37) % 3000);
      const nOut = 16 + ((k * 13) % 700);
      const energyJ = (0.02 * nIn + 0.4 * nOut + 2e-6 * nIn * nIn + 4e-6 * nIn * nOut + 3) * noise(i, 0.03) * (model === 'llama-2-7b' ? 1 : 1.9);
      lines.push(`${model},${nIn},${nOut},${energyJ.toPrecision(9)},${i % 10 === 0 ? 'NVIDIA A100' : 'NVIDIA H100 80GB HBM3'},"run ${i}, ""repeat"" ${i % 3}"`);
    }
    const path = join(dir, 'two-models.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { rows } = await loadMeasurements(path, process.cwd());
    const { table } = await loadMeasurementTable(path, process.cwd());
    // A per-model calibration with uncertainty, fitted to the H100 rows.
    const c = calibrate(
      rows.filter((r) => r.gpu !== 'NVIDIA A100'),
      { form: sweetspotForm },
    ).calibration;
    const ev = expectSameEvaluation(c, rows, table);
    // Three repeats of each of 8000 configurations, except where the GPU name splits them.
    expect(ev.perPoint.length).toBeGreaterThan(8000);
    expect(ev.perPoint.reduce((s, p) => s + p.n, 0)).toBe(24_000);
    expect(ev.warnings[0]).toMatch(/^2400 row\(s\) measured on another GPU than the calibration's, priced on the calibration's GPU \(NVIDIA A100: a 'sweetspot' calibration holds its own GPU's coefficients\)/);
    expect(ev.intervals).not.toBeNull();
  });

  it('lists the defaults of plain rows, and none for a table (its loader lists them)', () => {
    const c = calibrationByName('h100');
    const rows = [
      { model: 'llama-2-7b', nIn: 512, nOut: 128, energyJ: 300 },
      { model: 'llama-2-7b', nIn: 1024, nOut: 256, energyJ: 700, batchSize: 1, kvCache: true },
    ];
    const fromRows = evaluate(c, rows);
    expect(fromRows.defaulted).toEqual([
      { field: 'kvCache', value: true, rows: 1, source: 'schema' },
      { field: 'batchSize', value: 1, rows: 1, source: 'schema' },
    ]);
    const table = tableFromRows(rows.map((r, i) => ({ batchSize: 1, kvCache: true, extra: {}, line: i + 2, ...r })));
    expect(evaluate(c, table)).toEqual({ ...fromRows, defaulted: [] });
  });

  it('names a bad table cell by line and field, and an empty table', () => {
    const c = calibrationByName('h100');
    const rows: Measurement[] = [512, 1024, 2048].map((nIn, i) => ({ line: i + 2, extra: {}, model: 'llama-2-7b', nIn, nOut: 128, energyJ: 300, batchSize: 1, kvCache: true }));
    const table = tableFromRows(rows);
    table.energyJ[1] = -5;
    table.nOut[2] = 1.5;
    let error: unknown;
    try {
      evaluate(c, table);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SweetspotInputError);
    const issues = (error as SweetspotInputError).issues;
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^evaluate\(table\): line 3: energyJ: /);
    expect(issues[1]).toMatch(/^evaluate\(table\): line 4: nOut: /);
    expect(() => evaluate(c, selectRows(tableFromRows(rows), []))).toThrow('evaluate(rows): no rows left to use');
  });

  it('names the row of an unknown model in its message and in each of its issues', () => {
    const c = calibrationByName('h100');
    const rows: Measurement[] = [
      { line: 2, extra: {}, model: 'llama-2-7b', nIn: 512, nOut: 128, energyJ: 300, batchSize: 1, kvCache: true },
      { line: 3, extra: {}, model: 'nope-7b', nIn: 512, nOut: 128, energyJ: 300, batchSize: 1, kvCache: true },
    ];
    let error: unknown;
    try {
      evaluate(c, tableFromRows(rows), { baselines: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SweetspotInputError);
    const { message, issues } = error as SweetspotInputError;
    expect(message).toMatch(/^line 3: unknown model 'nope-7b'/);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^line 3: unknown model 'nope-7b'/);
  });

  it('names the row of another regime by its line, from a table as from rows', () => {
    const c = calibrationByName('h100');
    const rows: Measurement[] = [
      { line: 7, extra: {}, model: 'llama-2-7b', nIn: 512, nOut: 128, energyJ: 300, batchSize: 1, kvCache: true },
      { line: 8, extra: {}, model: 'llama-2-7b', nIn: 512, nOut: 128, energyJ: 300, batchSize: 1, kvCache: false },
    ];
    const message = 'line 8: kv_cache: the row is recompute but the calibration is for the kv-cache regime';
    expect(() => evaluate(c, tableFromRows(rows))).toThrow(message);
    expect(() => evaluate(c, rows)).toThrow(message);
  });
});

describe('evaluate on rows of other GPUs: options, memory and reasons', () => {
  const row = (over: Record<string, unknown>) => ({ model: 'llama-3-8b', nIn: 1024, nOut: 256, batchSize: 1, energyJ: 1500, ...over });
  const h100 = calibrationByName('h100');

  it('refuses a transfer option that is not a boolean', () => {
    expect(() => evaluate(h100, [row({ gpu: 'NVIDIA L40S' })], { transfer: 'false' as never })).toThrow(/\{ transfer \}\): expected true or false, got a string/);
  });

  it('prices measured rows on several GPUs without a memory check, as it prices rows on one', () => {
    // 64 × 4096 tokens of Llama-3-8B KV cache (34 GB) with 16 GB of weights: more than 2 × 24 GB of L4.
    const big = row({ gpu: '2x NVIDIA L4', nIn: 4000, nOut: 96, batchSize: 64 });
    const one = row({ gpu: 'NVIDIA L4', nIn: 4000, nOut: 96, batchSize: 64 });
    const ev = evaluate(h100, [big, one], { baselines: [] });
    const moved = transferCalibration(h100, 'NVIDIA L4');
    const arch = resolveArchitecture('llama-3-8b');
    expect(ev.predictedJ[1]).toBeCloseTo(predictEnergy(moved, arch, { nIn: 4000, nOut: 96, batch: 64, ignoreMemory: true }).energyJ, 6);
    expect(ev.predictedJ[0]).toBeCloseTo(predictEnergy(moved, arch, { nIn: 4000, nOut: 96, batch: 64, gpus: 2, ignoreMemory: true }).energyJ, 6);
  });

  it('names the row it refuses in waves, and keeps the memory error a memory error', () => {
    // Qwen2.5-14B's 29.5 GB of weights alone exceed one L4's 24 GB: not even one sequence fits.
    const rows = [row({ model: 'qwen2.5-14b', gpu: 'NVIDIA L4' })];
    let caught: unknown;
    try {
      evaluate(h100, rows, { baselines: [], waves: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SweetspotMemoryError);
    expect((caught as Error).message).toMatch(/^rows\[0\]: /);
  });

  it('counts waves against the memory of the row GPU, not of the calibration GPU, also when the row is priced on the calibration GPU', () => {
    // Llama-2-7B at 1024 + 1024: 13,476,831,232 bytes of weights and 2048 · 524,288 bytes of KV
    // cache per sequence. One A100 40GB holds floor(24.7) = 24 sequences: a batch of 72 ran in 3
    // waves of 24 (an H100's 80 GB holds 61: 2 waves of 36). On 2 × A100 40GB, 61: a batch of 144
    // in 3 waves of 48 (2 × H100: 136, 2 waves of 72).
    const q = { model: 'llama-2-7b', nIn: 1024, nOut: 1024, energyJ: 20000 };
    const rows = [
      { ...q, gpu: 'A100 SXM4 40GB', batchSize: 72 },
      { ...q, gpu: '2x A100 SXM4 40GB', batchSize: 144 },
    ];
    const ev = evaluate(h100, rows, { baselines: [], waves: true, transfer: false });
    // The calibration's parameters on its own GPU, at the row's GPU's waves: w · E(batch / w).
    const atOnce = (batch: number, gpus: number) => predictEnergy(h100, resolveArchitecture('llama-2-7b'), { nIn: 1024, nOut: 1024, batch, gpus }).energyJ;
    expect(ev.predictedJ[0]).toBeCloseTo(3 * atOnce(24, 1), 6);
    expect(ev.predictedJ[1]).toBeCloseTo(3 * atOnce(48, 2), 6);
    expect(ev.predictedJ[0]).not.toBeCloseTo(2 * atOnce(36, 1), 0);
    // A GPU name that matches no profile (or several) has no memory of its own: the calibration's counts.
    const unknown = evaluate(h100, [{ ...q, gpu: 'Voodoo 5', batchSize: 72 }], { baselines: [], waves: true, transfer: false });
    expect(unknown.predictedJ[0]).toBeCloseTo(2 * atOnce(36, 1), 6);
  });

  it('says why a row stays on the calibration GPU: unknown, ambiguous, or a precision the GPU lacks', () => {
    const fp8 = parseCalibration({ ...JSON.parse(JSON.stringify(h100)), weightBytes: 1 });
    const ev = evaluate(fp8, [row({ gpu: 'Tesla V100-SXM2-32GB' }), row({ gpu: 'A100' }), row({ gpu: 'Voodoo 5' })], { baselines: [] });
    expect(ev.warnings).toHaveLength(1);
    expect(ev.warnings[0]).toContain("Tesla V100-SXM2-32GB: GPU NVIDIA Tesla V100 SXM2 32GB (profile 'v100-sxm2-32gb') has no peak FLOP/s for precision 'int8'");
    expect(ev.warnings[0]).toContain('A100: the name fits 4 profiles: name the form factor and memory');
    expect(ev.warnings[0]).toContain('Voodoo 5: no GPU profile matches the name');
  });
});
