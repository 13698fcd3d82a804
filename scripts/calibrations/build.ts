// Builds the calibration shelf (src/energy/calibration/shelf/*.json) from the public data in data/.
// Run with `npm run calibrations`; test/energy/calibration/shelf.test.ts rebuilds it and compares.
// Method and figures: docs/calibrations.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Calibration } from '../../src/energy/calibration/document.js';
import { hardwareForm } from '../../src/energy/forms/hardware.js';
import { H100_PHYSICS_PRIOR } from '../../src/energy/calibration/physics-prior.js';
import type { HardwareProfile } from '../../src/energy/hardware/profile.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import type { CrossValidation, ShelfEntry } from '../../src/energy/calibration/shelf-entry.js';
import { parseShelfEntry } from '../../src/energy/calibration/shelf-entry.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { hardwarePrior, type PriorOption } from '../../src/fit/solve/physics-prior.js';
import { engineSettings } from '../../src/fit/engine.js';
import { evaluate } from '../../src/fit/evaluate/evaluate.js';
import { measurementFeatures } from '../../src/fit/features.js';
import { filterMeasurements } from '../../src/fit/data/filter.js';
import type { Measurement } from '../../src/fit/data/measurement.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { resolveArchitecture } from '../../src/architecture/resolve.js';
import { transferCalibration } from '../../src/energy/calibration/transfer.js';
import { fitsInMemory, weightMemoryBytes } from '../../src/energy/hardware/memory.js';

const ARGONNE = 'data/argonne_hopper_diag.csv';
const WILKINS = 'data/wilkins_a100_1d_sweeps.csv';
const ARGONNE_LICENCE = 'BSD-3-Clause (argonne-lcf/LLM-Inference-Bench)';
const WILKINS_LICENCE = 'none stated; used as published measurements with attribution (grantwilkins/energy-inference)';

/** A way of turning rows into a calibration, re-run on every training set of a cross-validation. */
type Procedure = (rows: readonly Measurement[]) => Calibration;

const prior = (name: string): number => H100_PHYSICS_PRIOR.params[name].value;

function read(root: string, file: string, kvCache: boolean): Measurement[] {
  return readMeasurements(readFileSync(join(root, file), 'utf8'), { defaults: { kvCache } }).rows;
}

/**
 * etaMemory from the measured latencies, with etaCompute fixed: at these shapes (prompt and output
 * 1024 tokens, batch ≤ 64) the prefill is compute-bound and the decode memory-bound, so the
 * roofline time is `prefillFlops/(ηc·peak) + decodeBytes/(ηm·bandwidth)`, linear in 1/ηm. The
 * relative least-squares solution is closed-form; the branch assumption is checked row by row.
 */
function etaMemoryFromLatency(rows: readonly Measurement[], profile: HardwareProfile, etaCompute: number): number {
  const x = measurementFeatures(rows, { resolve: resolveArchitecture }, true);
  const peak = profile.peakFlops.bf16 as number;
  const bw = profile.memoryBandwidthBytesPerS;
  let num = 0;
  let den = 0;
  rows.forEach((r, i) => {
    if (r.latencyS === undefined) throw new Error(`row at line ${r.line} has no latency_s`);
    const a = x[i].decodeBytes / bw / r.latencyS;
    const y = (r.latencyS - x[i].prefillFlops / (etaCompute * peak)) / r.latencyS;
    num += a * y;
    den += a * a;
  });
  const em = den / num;
  rows.forEach((r, i) => {
    const f = x[i];
    if (f.prefillFlops / (etaCompute * peak) < f.prefillBytes / (em * bw) || f.decodeFlops / (etaCompute * peak) > f.decodeBytes / (em * bw)) {
      throw new Error(`row at line ${r.line}: the closed-form etaMemory assumes a compute-bound prefill and a memory-bound decode`);
    }
  });
  return em;
}

/**
 * H100: etaMemory from the measured latencies (data the energy fit does not see), every other
 * parameter fitted to the energies under the physics prior (maximum a posteriori, docs/fitting.md#priors).
 */
export function h100Procedure(engine: string, note: string, priorWidthScale = 1): Procedure {
  return kvCacheProcedure(resolveProfile('h100-sxm-80gb'), engine, note, priorWidthScale);
}

/** {@link h100Procedure} on any GPU profile: etaMemory from the latencies, the rest under its physics prior. */
function kvCacheProcedure(profile: HardwareProfile, engine: string, note: string, priorWidthScale = 1): Procedure {
  // The shelf uses the documented widths; other scales serve the sensitivity study (sensitivity.ts).
  const formPrior: PriorOption =
    priorWidthScale === 1
      ? 'physics'
      : Object.fromEntries(Object.entries(hardwarePrior(profile)).map(([k, p]) => [k, { ...p, width: p.width * priorWidthScale }]));
  return (rows) => {
    const etaMemory = etaMemoryFromLatency(rows, profile, prior('etaCompute'));
    const pooled = rows.map((r) => ({ ...r, engine }));
    return calibrate(pooled, { form: hardwareForm({ etaMemory }), profile, prior: formPrior, baselines: [], note }).calibration;
  };
}

/** The hardware form fitted as `sweetspot fit` does by default: every parameter under the physics prior. */
function priorProcedure(profile: HardwareProfile, note: string): Procedure {
  return (rows) => {
    // The attention the engine column implies, as `sweetspot fit --attention auto` reads it.
    const attention = engineSettings(rows).attention ?? 'fused';
    return calibrate(rows, { form: hardwareForm(), profile, prior: 'physics', attention, baselines: [], note }).calibration;
  };
}

/** The Fig. 16 rows of LLM-Inference-Bench: one H100 SXM, n_in = n_out = 1024, batch 1–64, vLLM and TensorRT-LLM. */
export function h100Rows(root: string): Measurement[] {
  return filterMeasurements(read(root, ARGONNE, true), { gpu: 'h100-sxm-80gb', where: ['quality=usable-with-care', 'num_gpus_tp=1'] }).rows;
}

/**
 * The Fig. 16 rows of LLM-Inference-Bench on the A100 (taken as the 40 GB SXM4 card), vLLM and
 * TensorRT-LLM, less the rows whose weights and KV cache exceed its 40 GB: the engines ran those in
 * waves, and they are kept out as a check of the waves pricing (docs/energy-models.md#batches-that-exceed-memory).
 */
export function a100KvRows(root: string, engine: (r: Measurement) => boolean = (r) => ['vLLM', 'TensorRT-LLM'].includes(engineOf(r))): { rows: Measurement[]; beyondMemory: Measurement[] } {
  const profile = resolveProfile('a100-sxm4-40gb');
  const fig16 = filterMeasurements(read(root, ARGONNE, true), { gpu: 'NVIDIA A100', where: ['quality=usable-with-care', 'num_gpus_tp=1'] }).rows.filter(engine);
  const x = measurementFeatures(fig16, { resolve: resolveArchitecture }, true);
  const fits = fig16.map((r, i) => fitsInMemory(weightMemoryBytes(resolveArchitecture(r.model), 2), x[i].kvCacheBytes, profile.memoryBytes));
  return { rows: fig16.filter((_, i) => fits[i]), beyondMemory: fig16.filter((_, i) => !fits[i]) };
}

/**
 * A check on rows another fit never saw, as one fold: leave-one-GPU-out (a fit on another GPU's
 * rows moved to this GPU by ratios to physics, `transferCalibration`,
 * docs/energy-models.md#other-gpus) or leave-one-engine-out (a fit already on this GPU's profile,
 * which the move leaves as it is).
 */
function movedFrom(scheme: string, fitted: Calibration, testRows: readonly Measurement[], testGpu: string, profileId: string): CrossValidation {
  const moved = transferCalibration(fitted, profileId);
  const ev = evaluate(moved, testRows, { baselines: [] });
  const apes = ev.predictedJ.map((p, i) => (100 * Math.abs(p - testRows[i].energyJ)) / testRows[i].energyJ);
  const fold = { heldOut: testGpu, rows: testRows.length, mape: mean(apes), maxApe: Math.max(...apes) };
  return { scheme, rows: apes.length, mape: fold.mape, maxApe: fold.maxApe, folds: [fold] };
}

/** The engine of a row, without its version: one group per engine (and per source script). */
export function engineOf(r: Measurement): string {
  const e = r.engine ?? 'unspecified';
  return e.startsWith('vLLM') ? 'vLLM' : e.startsWith('TensorRT-LLM') ? 'TensorRT-LLM' : e;
}

export const modelOf = (r: Measurement): string => r.model;

/** Fits on all groups but one and predicts the one left out, for each group in turn. */
export function crossValidation(scheme: string, rows: readonly Measurement[], groupOf: (r: Measurement) => string, procedure: Procedure): CrossValidation {
  const groups = [...new Set(rows.map(groupOf))].sort();
  const apes: number[] = [];
  const folds = groups.map((g) => {
    const test = rows.filter((r) => groupOf(r) === g);
    const train = rows.filter((r) => groupOf(r) !== g);
    const calibration = procedure(train);
    const ev = evaluate(calibration, test, { baselines: [] });
    const fold = ev.predictedJ.map((p, i) => (100 * Math.abs(p - test[i].energyJ)) / test[i].energyJ);
    apes.push(...fold);
    return { heldOut: g, rows: test.length, mape: mean(fold), maxApe: Math.max(...fold) };
  });
  return { scheme, rows: apes.length, mape: mean(apes), maxApe: Math.max(...apes), folds };
}

function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

/** Per source file and public source: the line of every row used. */
function sources(file: string, rows: readonly Measurement[]): NonNullable<Calibration['fittedOn']>['sources'] {
  const bySource = new Map<string, number[]>();
  for (const r of rows) {
    const source = r.extra?.source ?? 'unknown';
    (bySource.get(source) ?? bySource.set(source, []).get(source)!).push(r.line!);
  }
  return [...bySource].map(([source, lines]) => ({ file, source, lines: [...lines].sort((a, b) => a - b) }));
}

function withSources(c: Calibration, file: string, rows: readonly Measurement[]): Calibration {
  return { ...c, fittedOn: { ...c.fittedOn!, sources: sources(file, rows) } };
}

const round = (v: number, digits = 4) => Number(v.toPrecision(digits));

/**
 * Every calibration of the shelf, built from the data files under `root`. Deterministic: the same
 * data give the same documents.
 */
export function buildShelf(root: string): ShelfEntry[] {
  const argonne = read(root, ARGONNE, true);
  const wilkins = read(root, WILKINS, false);
  const entries: ShelfEntry[] = [];

  // ── H100: the Fig. 16 rows of LLM-Inference-Bench (one GPU, 1024/1024, batch 1–64) ──
  const h100 = h100Rows(root);
  const h100Method =
    'hardware form; etaMemory from the measured latencies (closed form: roofline time against latency_s, etaCompute at its ' +
    'physics value); every other parameter fitted to the energies under the physics prior of H100 SXM (maximum a posteriori, ' +
    'relative residuals, bounded Levenberg–Marquardt). 1024/1024 rows cannot separate etaCompute, eByte and eStep from the ' +
    'others (prefill is a small part of each run; per-byte energy and static power are collinear in memory-bound decode; ' +
    'every row has 1023 decode steps), so those stay near the prior. Cross-validation re-runs all of it on each training set.';
  const h100Caveats =
    'Energy is mean NVML power × latency (data/README.md): the power window includes about 1 s of idle after the run, so ' +
    'recorded energies are low by roughly (mean power − idle power) × 1 s (2–10%); the TensorRT-LLM script sums power over every ' +
    'GPU NVML sees, so those rows may include other boards\' idle power. Only n_in = n_out = 1024, two Llama models, batch 1–64, ' +
    'one run each: the surface away from the diagonal is the physics prior\'s shape. No continuous batching, no FP8.';
  const a100 = a100KvRows(root);
  const a100Procedure = kvCacheProcedure(resolveProfile('a100-sxm4-40gb'), 'vLLM or TensorRT-LLM (fp16, pooled)', `fitted to public A100 measurements (${a100.rows.length} rows); see docs/calibrations.md`);
  // Each GPU's pooled fit once: its shelf entry, and the other GPU's leave-one-GPU-out check.
  const a100Fit = a100Procedure(a100.rows);
  let h100Fit: Calibration | undefined;
  const variants: { name: string; title: string; engine: string; rows: Measurement[]; cv: [string, (r: Measurement) => string][] }[] = [
    {
      name: 'h100',
      title: 'H100 SXM, KV-cache engines (vLLM and TensorRT-LLM pooled), 16-bit: the built-in default',
      engine: 'vLLM or TensorRT-LLM (fp16, pooled)',
      rows: h100,
      cv: [
        ['leave-one-engine-out (= leave-one-source-out: one script per engine)', engineOf],
        ['leave-one-model-out', modelOf],
      ],
    },
    {
      name: 'h100-vllm',
      title: 'H100 SXM, vLLM (offline generate, fp16)',
      engine: 'vLLM (fp16, random token ids, ignore_eos)',
      rows: h100.filter((r) => engineOf(r) === 'vLLM'),
      cv: [['leave-one-model-out', modelOf]],
    },
    {
      name: 'h100-trtllm',
      title: 'H100 SXM, TensorRT-LLM (fp16)',
      engine: 'TensorRT-LLM (fp16, random token ids, ignore_eos)',
      rows: h100.filter((r) => engineOf(r) === 'TensorRT-LLM'),
      cv: [['leave-one-model-out', modelOf]],
    },
  ];
  for (const v of variants) {
    const procedure = h100Procedure(v.engine, `fitted to public H100 measurements (${v.rows.length} rows); see docs/calibrations.md`);
    const fit = procedure(v.rows);
    if (v.name === 'h100') h100Fit = fit;
    const calibration = withSources(fit, ARGONNE, v.rows);
    const fromA100 = v.name === 'h100' ? [movedFrom('leave-one-GPU-out (fitted on the A100 rows, moved to H100 by ratios to physics)', a100Fit, v.rows, 'NVIDIA H100', 'h100-sxm-80gb')] : [];
    entries.push({
      name: v.name,
      release: 1,
      title: v.title,
      method: h100Method,
      data: [{ file: ARGONNE, licence: ARGONNE_LICENCE }],
      caveats: h100Caveats,
      crossValidation: [...v.cv.map(([scheme, group]) => crossValidation(scheme, v.rows, group, procedure)), ...fromA100],
      calibration,
    });
  }

  // ── A100 (40 GB SXM4), KV-cache engines: the Fig. 16 rows of the same study, on the A100 ──
  const a100Caveats = (beyondMemory: number, tail: string) =>
    `${h100Caveats} The study names the GPU only as "NVIDIA A100"; the 40 GB SXM4 profile is an assumption (Argonne's Polaris ` +
    `nodes). The ${beyondMemory} rows whose weights and KV cache exceed 40 GB (Llama-2-7B at batch 32 and 64) are left out${tail}`;
  entries.push({
    name: 'a100-kv',
    release: 1,
    title: 'A100 SXM4 40GB, KV-cache engines (vLLM and TensorRT-LLM pooled), 16-bit',
    method: h100Method.replace('H100 SXM', 'A100 SXM4 40GB'),
    data: [{ file: ARGONNE, licence: ARGONNE_LICENCE }],
    caveats: a100Caveats(
      a100.beyondMemory.length,
      ': the engines ran them in waves; they are kept out of the fit as a check of { waves: true } (docs/energy-models.md#batches-that-exceed-memory).',
    ),
    crossValidation: [
      crossValidation('leave-one-engine-out (= leave-one-source-out: one script per engine)', a100.rows, engineOf, a100Procedure),
      crossValidation('leave-one-model-out', a100.rows, modelOf, a100Procedure),
      movedFrom('leave-one-GPU-out (fitted on the H100 rows, moved to A100 by ratios to physics)', h100Fit!, a100.rows, 'NVIDIA A100', 'a100-sxm4-40gb'),
    ],
    calibration: withSources(a100Fit, ARGONNE, a100.rows),
  });

  // ── A100, DeepSpeed-MII: the third engine of the same figure, on the A100 only ──
  const mii = a100KvRows(root, (r) => (r.engine ?? '').startsWith('Deepspeed-MII'));
  const miiEngine = 'Deepspeed-MII (fp16, random token ids, ignore_eos)';
  const miiProcedure = kvCacheProcedure(resolveProfile('a100-sxm4-40gb'), miiEngine, `fitted to public A100 DeepSpeed-MII measurements (${mii.rows.length} rows); see docs/calibrations.md`);
  entries.push({
    name: 'a100-deepspeed-mii',
    release: 1,
    title: 'A100 SXM4 40GB, DeepSpeed-MII (fp16)',
    method: h100Method.replace('H100 SXM', 'A100 SXM4 40GB'),
    data: [{ file: ARGONNE, licence: ARGONNE_LICENCE }],
    caveats: a100Caveats(mii.beyondMemory.length, `, as for a100-kv. ${mii.rows.length} rows, two models: judge it by its cross-validated errors.`),
    crossValidation: [
      crossValidation('leave-one-model-out', mii.rows, modelOf, miiProcedure),
      movedFrom('leave-one-GPU-and-engine-out (fitted on the H100 vLLM and TensorRT-LLM rows, moved to A100 by ratios to physics)', h100Fit!, mii.rows, 'NVIDIA A100, DeepSpeed-MII', 'a100-sxm4-40gb'),
    ],
    calibration: withSources(miiProcedure(mii.rows), ARGONNE, mii.rows),
  });

  entries.push({
    name: 'h100-physics',
    release: 1,
    title: 'H100 SXM, KV-cache engines, 16-bit: derived from datasheets and physics (the prior of the fitted H100 calibrations)',
    method: 'derived, not fitted: every value from a datasheet figure or a stated physical estimate (docs/energy-models.md)',
    data: [],
    caveats: 'Reads 2–38% low on every public H100 point; kept as the prior and for comparison.',
    crossValidation: [],
    calibration: structuredClone(H100_PHYSICS_PRIOR) as Calibration,
  });

  // ── GH200, vLLM: three 7B/8B models over the diagonal and batches (H100 SXM profile: same GH100 die) ──
  const gh200 = filterMeasurements(argonne, { gpu: 'NVIDIA GH200', where: ['quality=usable-with-care'] }).rows.filter((r) => (r.engine ?? '').startsWith('vLLM'));
  const h100Profile = resolveProfile('h100-sxm-80gb');
  const gh200Procedure = priorProcedure(h100Profile, 'GH200 predicted through the H100 SXM profile (same GH100 die); see docs/calibrations.md');
  const gh200Fit = gh200Procedure(gh200);
  entries.push({
    name: 'gh200-vllm',
    release: 1,
    title: 'GH200, vLLM (fp16), through the H100 SXM profile',
    method:
      'hardware form fitted as sweetspot fit does by default: every parameter under the physics prior of H100 SXM (maximum a ' +
      'posteriori, relative residuals, bounded Levenberg–Marquardt). The H100 SXM profile stands in for GH200 (same GH100 die); ' +
      'the fitted etaMemory absorbs GH200\'s faster HBM.',
    data: [{ file: ARGONNE, licence: ARGONNE_LICENCE }],
    caveats:
      'Mean power × latency; NVML power on GH200 may cover more than the GPU die; only n_in = n_out; one run each. Judge it by ' +
      'its cross-validated error rather than its parameter values (energy alone cannot separate static power from the efficiencies).',
    crossValidation: [['leave-one-model-out', modelOf] as const].map(([s, g]) => crossValidation(s, gh200, g, gh200Procedure)),
    calibration: withSources(gh200Fit, ARGONNE, gh200),
  });

  // ── GH200, TensorRT-LLM: the Fig. 16 rows (two models at 1024/1024, batch 1–64), same profile as gh200-vllm ──
  const gh200Trt = filterMeasurements(argonne, { gpu: 'NVIDIA GH200', where: ['quality=usable-with-care'] }).rows.filter((r) => (r.engine ?? '').startsWith('TensorRT-LLM'));
  const gh200TrtProcedure = priorProcedure(h100Profile, 'GH200 TensorRT-LLM predicted through the H100 SXM profile (same GH100 die); see docs/calibrations.md');
  entries.push({
    name: 'gh200-trtllm',
    release: 1,
    title: 'GH200, TensorRT-LLM (fp16), through the H100 SXM profile',
    method:
      'hardware form fitted as sweetspot fit does by default: every parameter under the physics prior of H100 SXM (maximum a ' +
      'posteriori, relative residuals, bounded Levenberg–Marquardt), as gh200-vllm.',
    data: [{ file: ARGONNE, licence: ARGONNE_LICENCE }],
    caveats:
      `Mean power × latency; NVML power on GH200 may cover more than the GPU die; only n_in = n_out = 1024; one run each; ${gh200Trt.length} rows ` +
      'of two models: judge it by its cross-validated errors.',
    crossValidation: [
      crossValidation('leave-one-model-out', gh200Trt, modelOf, gh200TrtProcedure),
      movedFrom('leave-one-engine-out (fitted on the GH200 vLLM rows of gh200-vllm)', gh200Fit, gh200Trt, 'TensorRT-LLM', h100Profile.id),
    ],
    calibration: withSources(gh200TrtProcedure(gh200Trt), ARGONNE, gh200Trt),
  });

  // ── A100, Hugging Face generate without a KV cache (recompute), batch 1: the Wilkins sweeps ──
  for (const [name, system, profileId, title] of [
    ['a100-sxm4-hf-recompute', 'argonne-swing', 'a100-sxm4-40gb', 'A100 SXM4 40GB, Hugging Face generate without KV cache (recompute), batch 1'],
    ['a100-pcie-hf-recompute', 'Palmetto Intel+A100', 'a100-pcie-40gb', 'A100 PCIe 40GB, Hugging Face generate without KV cache (recompute), batch 1'],
  ] as const) {
    const rows = filterMeasurements(wilkins, { where: [`system=${system}`], excludeNotes: 'iteration 0|exceeds' }).rows;
    const profile = resolveProfile(profileId);
    const procedure = priorProcedure(profile, 'recompute regime (use_cache=False); see docs/calibrations.md');
    entries.push({
      name,
      release: 1,
      title,
      method:
        'hardware form fitted as sweetspot fit does by default: every parameter under the physics prior of the profile (maximum a ' +
        'posteriori, relative residuals, bounded Levenberg–Marquardt), attention and regime inferred from the engine column. Cold ' +
        'starts and rows beyond the model context are left out (docs/fitting.md).',
      data: [{ file: WILKINS, licence: WILKINS_LICENCE }],
      caveats:
        'Recompute regime only: every decode step re-runs the whole prefix, so it does not describe KV-cache engines. Batch 1. ' +
        'Host overhead of Hugging Face generate is absorbed by eStep; the parameter values are not physical (docs/energy-models.md).',
      crossValidation: [crossValidation('leave-one-model-out', rows, modelOf, procedure)],
      calibration: withSources(procedure(rows), WILKINS, rows),
    });
  }

  return entries.map((e) => parseShelfEntry(roundCv(e)));
}

// Cross-validated errors are reported, not computed with: four significant digits keep the files readable.
function roundCv(e: ShelfEntry): ShelfEntry {
  return {
    ...e,
    crossValidation: e.crossValidation.map((cv) => ({
      ...cv,
      mape: round(cv.mape),
      maxApe: round(cv.maxApe),
      folds: cv.folds.map((f) => ({ ...f, mape: round(f.mape), maxApe: round(f.maxApe) })),
    })),
  };
}

/** The file text of a shelf entry: 2-space JSON and a final newline. */
export function shelfEntryText(e: ShelfEntry): string {
  return `${JSON.stringify(e, null, 2)}\n`;
}
