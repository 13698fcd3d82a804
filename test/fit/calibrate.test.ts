import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { parseCalibration, serializeCalibration } from '../../src/energy/calibration/document.js';
import { hardwareForm } from '../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { calibrate } from '../../src/fit/calibrate.js';
import { canonicalRows, rowsSha256 } from '../../src/fit/data/canonical.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { evaluate } from '../../src/fit/evaluate/evaluate.js';
import type { Measurement } from '../../src/fit/data/measurement.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { PRESETS } from '../../src/architecture/registry.js';
import { paramCount } from '../../src/architecture/params.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { predictEnergy } from '../../src/energy/predict/predict.js';
import { transferCalibration } from '../../src/energy/calibration/transfer.js';
import { resolveArchitecture } from '../../src/architecture/resolve.js';
import { featuresOf, lengths, noise } from './helpers.js';

const SS = { 'llama-2-7b': [2e-5, 0.05, 3e-3, 1e-3, 3, 20], 'mistral-7b': [1e-5, 0.08, 2e-3, 2e-3, 2.5, 10] } as const;
const GPU = 'NVIDIA A100-SXM4-40GB';

function sweetspotRows(): Measurement[] {
  let k = 0;
  return Object.entries(SS).flatMap(([model, theta]) =>
    [16, 64, 256, 1024].flatMap((i) =>
      [8, 64, 512].flatMap((o) =>
        [0, 1, 2].map(() =>
          MeasurementSchema.parse({ model, nIn: i, nOut: o, energyJ: sweetspotForm.predictJ(theta, lengths(i, o), {}) * noise(k++, 0.01), gpu: GPU, engine: 'TRT' }),
        ),
      ),
    ),
  );
}

describe('calibrate', () => {
  it('fits one SweetSpot set per model and writes a calibration that round-trips exactly', () => {
    const rows = sweetspotRows();
    const rep = calibrate(rows, { form: sweetspotForm, prior: 'none' });
    const c = rep.calibration;
    expect(Object.keys(c.models)).toEqual(['llama-2-7b', 'mistral-7b']);
    expect(c).toMatchObject({ form: 'sweetspot', regime: 'kv-cache', gpu: GPU, profile: 'a100-sxm4-40gb', engine: 'TRT', batch: 1, fitted: true });
    expect(c.fittedOn).toMatchObject({ rows: rows.length, models: ['llama-2-7b', 'mistral-7b'] });
    expect(c.models['llama-2-7b'].params.theta5.value).toBeCloseTo(3, 0);
    expect(c.models['llama-2-7b'].params.theta5.unit).toBe('J/token');
    expect(c.errors!.mape).toBeLessThan(1);
    expect(c.errors!.noiseFloorMape).toBeGreaterThan(0);
    expect(Object.keys(c.errors!.baselines)).toEqual(['linear', 'per-param']);
    expect(c.errors!.baselines.linear.mape).toBeGreaterThan(c.errors!.mape);
    const back = parseCalibration(serializeCalibration(c));
    expect(back).toStrictEqual(c);
    expect(serializeCalibration(back)).toBe(serializeCalibration(c));
  });

  it('hashes the canonical rows: independent of order and of the source line, sensitive to values', () => {
    const rows = sweetspotRows();
    const shuffled = [...rows].reverse().map((r, i) => ({ ...r, line: i + 100, extra: { x: 'y' } }));
    expect(rowsSha256(shuffled)).toBe(rowsSha256(rows));
    const changed = rows.map((r, i) => (i === 5 ? { ...r, energyJ: r.energyJ * 1.0000001 } : r));
    expect(rowsSha256(changed)).not.toBe(rowsSha256(rows));
    expect(rowsSha256(rows)).toMatch(/^[0-9a-f]{64}$/);
    // The same rows from CSV (with the default filled in) and from JSON (written out) hash the same.
    const csv = readMeasurements('model,n_in,n_out,energy_j,gpu\nm,8,4,12.50,G\nm,16,4,20,G\n').rows;
    const json = readMeasurements('[{"nOut": 4, "nIn": 16, "model": "m", "energyJ": 20, "gpu": "G", "kv_cache": "on", "batch_size": 1},\n {"model": "m", "n_in": 8, "n_out": 4, "energy_j": 12.5, "gpu": " G"}]').rows;
    expect(rowsSha256(json)).toBe(rowsSha256(csv));
    // Pinned: the hash of these two rows must not change between versions (saved calibrations name it).
    expect(canonicalRows(csv)).toBe('["m",16,4,20,1,"G",null,true,null,null,null]\n["m",8,4,12.5,1,"G",null,true,null,null,null]');
    // sha256 of that text, computed by Python's hashlib.
    expect(rowsSha256(csv)).toBe('68cff37c92ae27637ffb54cd90e11ec1d81f97ddc825068ba9091ed8c1bab284');
  });

  it('refuses rows that mix GPUs, regimes or (for length-only forms) batches, naming what to filter', () => {
    const rows = sweetspotRows();
    expect(() => calibrate([...rows, { ...rows[0], gpu: 'H100' }], { form: sweetspotForm })).toThrow(/^calibrate\(rows\): the rows mix 2 GPUs .*filterMeasurements\(rows, \{ gpu \}\)/);
    expect(() => calibrate([...rows, { ...rows[0], kvCache: false }], { form: sweetspotForm })).toThrow(/KV-cache regime.*filterMeasurements\(rows, \{ kvCache \}\)/);
    expect(() => calibrate([...rows, { ...rows[0], batchSize: 4 }], { form: sweetspotForm })).toThrow(/mix batches 1, 4/);
  });

  it('takes plain rows (the input type), validates each by index, and lists the defaults it took', () => {
    const parsed = sweetspotRows();
    const plain = parsed.map(({ model, nIn, nOut, energyJ, gpu, engine }) => ({ model, nIn, nOut, energyJ, gpu, engine }));
    const a = calibrate(plain, { form: sweetspotForm });
    const b = calibrate(parsed, { form: sweetspotForm });
    expect(a.calibration.models).toEqual(b.calibration.models);
    expect(a.defaulted).toEqual([
      { field: 'kvCache', value: true, rows: plain.length, source: 'schema' },
      { field: 'batchSize', value: 1, rows: plain.length, source: 'schema' },
    ]);
    expect(b.defaulted).toEqual([]);
    const bad = [...plain.slice(0, 3), { ...plain[3], nIn: 0 }, { ...plain[4], energyJ: 'lots' as unknown as number }];
    let issues: readonly string[] = [];
    try {
      calibrate(bad, { form: sweetspotForm });
    } catch (e) {
      expect(e).toBeInstanceOf(SweetspotInputError);
      expect((e as Error).message).toMatch(/^calibrate\(rows\): 2 bad value\(s\)/);
      issues = (e as SweetspotInputError).issues;
    }
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^rows\[3\]: nIn: Too small.*\(got 0\)/);
    expect(issues[1]).toMatch(/^rows\[4\]: energyJ: .*\(got "lots"\)/);
    expect(() => calibrate('rows' as never, { form: sweetspotForm })).toThrow(/calibrate\(rows\): expected an array/);
    expect(() => calibrate([null as never], { form: sweetspotForm })).toThrow(/rows\[0\]: expected an object, got null/);
    expect(() => calibrate(plain, {} as never)).toThrow(/calibrate\(\{ form \}\): an energy form is required/);
  });

  it('pins parameters with { fix }, naming the function and option of a bad pin', () => {
    const rows = sweetspotRows();
    const pinned = calibrate(rows, { form: sweetspotForm, fix: { theta2: 0 } });
    for (const m of Object.values(pinned.calibration.models)) expect(m.params.theta2.value).toBe(0);
    expect(() => calibrate(rows, { form: sweetspotForm, fix: { theta9: 1 } })).toThrow(/^calibrate\(\{ fix: \{ theta9 \} \}\): form sweetspot has no parameter 'theta9'/);
    expect(() => calibrate(rows, { form: sweetspotForm, fix: { theta2: -1 } })).toThrow(/^calibrate\(\{ fix: \{ theta2 \} \}\): -1 is outside the parameter's range \[0, Infinity\]/);
  });

  it('a form that needs a profile: an unknown GPU is an error listing the known ones; no GPU at all is named too', () => {
    const form = hardwareForm({ staticPowerW: 55 });
    const rows = [8, 64, 512].flatMap((i) =>
      [8, 64, 1024].map((o) => MeasurementSchema.parse({ model: 'llama-2-7b', nIn: i, nOut: o, energyJ: 100 + i + o, kvCache: false, gpu: 'Voodoo 5 6000' })),
    );
    expect(() => calibrate(rows, { form })).toThrow(/unknown GPU 'Voodoo 5 6000'.*\(known profiles: a100-sxm4-40gb/);
    const noGpu = rows.map(({ gpu: _gpu, ...r }) => r);
    expect(() => calibrate(noGpu, { form })).toThrow(/^calibrate\(\{ profile \}\): form hardware needs a hardware profile and the rows name no GPU/);
  });

  it('evaluate: a model missing from a per-model calibration is an error that names it', () => {
    const c = calibrate(sweetspotRows(), { form: sweetspotForm }).calibration;
    const other = MeasurementSchema.parse({ model: 'tiiuae/falcon-7b', nIn: 10, nOut: 10, energyJ: 50 });
    expect(() => evaluate(c, [other])).toThrow(/no parameters for model\(s\) falcon-7b \(calibrated: llama-2-7b, mistral-7b\)/);
  });

  it('evaluate: reports MAPE overall, per model, per point, the noise floor and baselines', () => {
    const rows = sweetspotRows();
    const c = calibrate(rows, { form: sweetspotForm }).calibration;
    const ev = evaluate(c, rows);
    expect(ev.mape).toBeCloseTo(c.errors!.mape, 10);
    expect(ev.perModel['llama-2-7b'].n).toBe(36);
    expect(ev.perPoint).toHaveLength(24);
    expect(ev.perPoint[0].n).toBe(3);
    expect(ev.noiseFloor.mapePct).toBeGreaterThan(0);
    expect(ev.baselines.linear.mape).toBeGreaterThan(ev.mape);
    expect(ev.baselines['per-param'].perModel!['mistral-7b'].n).toBe(36);
    expect(ev.warnings).toEqual([]);
    // The same GPU by another name is not a mismatch; another GPU is, and is said.
    expect(evaluate(c, rows.map((r) => ({ ...r, gpu: 'A100-SXM4-40GB' })), { baselines: [] }).warnings).toEqual([]);
    expect(evaluate(c, rows.map((r) => ({ ...r, gpu: 'NVIDIA H100 80GB HBM3' })), { baselines: [] }).warnings[0]).toMatch(/72 row\(s\) measured on another GPU .*transfer test/);
    // A hardware calibration is moved to the rows' GPU, unless told not to.
    const h = calibrate(rows, { form: hardwareForm(), profile: resolveProfile('a100-sxm4-40gb') }).calibration;
    const onH100 = rows.map((r) => ({ ...r, gpu: 'NVIDIA H100 80GB HBM3' }));
    const moved = evaluate(h, onH100, { baselines: [] });
    expect(moved.warnings[0]).toMatch(/^72 row\(s\) measured on another GPU .*\(NVIDIA H100 80GB HBM3\): priced by the calibration moved to each row's GPU/);
    expect(moved.predictedJ[0]).toBeCloseTo(predictEnergy(transferCalibration(h, 'h100-sxm-80gb'), resolveArchitecture(rows[0].model), { nIn: rows[0].nIn, nOut: rows[0].nOut, batch: rows[0].batchSize, ignoreMemory: true, allowOverflow: true }).energyJ, 9);
    expect(evaluate(h, onH100, { baselines: [], transfer: false }).predictedJ).toEqual(evaluate(h, rows, { baselines: [] }).predictedJ);
  });

  it('a hardware calibration fitted on two models predicts a third it never saw', () => {
    const profile = resolveProfile(GPU);
    const form = hardwareForm({ staticPowerW: 55 });
    const theta = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4];
    const rowsOf = (model: string, hf: string) =>
      [8, 64, 512, 2048].flatMap((i) =>
        [8, 64, 1024].map((o) =>
          MeasurementSchema.parse({ model: hf, nIn: i, nOut: o, kvCache: false, gpu: GPU, energyJ: form.predictJ(theta, featuresOf(model, i, o, 'recompute'), { profile }) }),
        ),
      );
    const train = [...rowsOf('llama-2-7b', 'meta-llama/Llama-2-7b-hf'), ...rowsOf('mistral-7b', 'mistralai/Mistral-7B-v0.1')];
    const c = calibrate(train, { form, prior: 'none' }).calibration;
    expect(c).toMatchObject({ form: 'hardware', regime: 'recompute', profile: 'a100-sxm4-40gb', models: {} });
    expect(c.params.etaCompute.value).toBeCloseTo(0.35, 4);
    const ev = evaluate(parseCalibration(serializeCalibration(c)), rowsOf('falcon-7b', 'tiiuae/falcon-7b'));
    expect(ev.mape).toBeLessThan(1e-4);
    expect(Object.keys(ev.perModel)).toEqual(['falcon-7b']);
  });

  it('every preset, named as its repository: the physics prior turns a 1-D prompt sweep into a SweetSpot fit that predicts off the sweep', () => {
    // Rows measured off the built-in H100 default (the hardware form); the fitted polynomial is a
    // second model of the same energies, so the prior must carry it to lengths the sweep never saw.
    // The 70B class (138–145 GB of 16-bit weights) does not fit one 80 GB H100: its rows run on two.
    let worst = 0;
    for (const arch of PRESETS) {
      const gpus = paramCount(arch) * 2 > 80e9 ? 2 : 1;
      const gpu = gpus === 1 ? 'H100' : `${gpus}x H100`;
      const rows = [64, 256, 1024, 1900].map((nIn) => ({ model: arch.hfId!, gpu, nIn, nOut: 128, batchSize: 1, energyJ: estimate(arch, { nIn, nOut: 128 }, { gpus }).energyJ }));
      const c = calibrate(rows, { form: sweetspotForm, prior: 'physics' }).calibration;
      expect(Object.keys(c.models), arch.id).toEqual([arch.id]);
      for (const [nIn, nOut] of [[1024, 512], [128, 1500], [1900, 64]]) {
        const ratio = estimate(arch.hfId!, { nIn, nOut }, { calibration: c, gpus }).energyJ / estimate(arch, { nIn, nOut }, { gpus }).energyJ;
        worst = Math.max(worst, Math.abs(ratio - 1));
      }
    }
    expect(worst).toBeLessThan(0.02);
  });

  it('evaluate: a model without a known architecture is predicted from its lengths, at the calibrated batch only', () => {
    const custom = sweetspotRows().map((r) => ({ ...r, model: 'my-org/custom-7b' }));
    const c = parseCalibration(serializeCalibration(calibrate(custom, { form: sweetspotForm }).calibration));
    expect(Object.keys(c.models)).toEqual(['my-org/custom-7b']);
    const ev = evaluate(c, custom, { baselines: [] });
    expect(ev.mape).toBeCloseTo(c.errors!.mape, 10);
    // A row at batch 8 for a calibration fitted at batch 1 is an error naming the row, as for known models.
    const batched = [...custom.slice(0, 3), { ...custom[3], batchSize: 8, line: 42 }];
    expect(() => evaluate(c, batched, { baselines: [] })).toThrow(/line 42: batch 8: .*calibrated at batch 1/);
  });
});

describe('canonical rows', () => {
  it('are the rows as JSON arrays of their fields, sorted and joined (written out directly, hashed line by line)', () => {
    const base = { model: 'm', nIn: 8, nOut: 4, energyJ: 1.5, batchSize: 1, kvCache: true, extra: {} };
    const rows: Measurement[] = [
      { ...base, notes: 'a "quoted" note, with a comma and ü\n' },
      { ...base, energyJ: 1e-7, gpu: 'H100', engine: 'vLLM', latencyS: 0, repeats: 3 },
      { ...base, energyJ: 1e21, kvCache: false, model: 'z\\y' },
      { ...base, energyJ: 123456.789, batchSize: 16, nIn: 4096 },
    ];
    const want = rows
      .map((r) =>
        JSON.stringify([r.model, r.nIn, r.nOut, r.energyJ, r.batchSize, r.gpu ?? null, r.engine ?? null, r.kvCache, r.latencyS ?? null, r.repeats ?? null, r.notes ?? null]),
      )
      .sort()
      .join('\n');
    expect(canonicalRows(rows)).toBe(want);
    expect(rowsSha256(rows)).toBe(createHash('sha256').update(want).digest('hex'));
  });
});

describe('canonical rows: the sort', () => {
  it('orders lines exactly as sort() does: shared prefixes, numbers of different lengths, non-ASCII and duplicate rows', () => {
    let seed = 11;
    const u = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const models = ['llama-3.1-8b', 'llama-3.1-8b', 'llama-3.1-8bé', 'llama-3.1-8b\u4e2d', 'llama-3.1-8b\u4e00x', 'llama-3.1-8b\u4e00a', 'll', 'Z', '\u00e9'];
    const base = { batchSize: 1, kvCache: true, extra: {} };
    for (let trial = 0; trial < 20; trial++) {
      const rows: Measurement[] = Array.from({ length: 400 }, () => ({
        ...base,
        // All models; only the first (one shared prefix); only the llama variants (the key then
        // starts at their non-ASCII characters).
        model: trial % 3 === 0 ? models[Math.floor(u() * models.length)] : trial % 3 === 1 ? models[0] : models[Math.floor(u() * 6)],
        nIn: 1 + Math.floor(u() ** 3 * 20000),
        nOut: 1 + Math.floor(u() * 50),
        energyJ: u() < 0.1 ? 1e21 * u() : Math.round(u() * 1e4) / 100,
        notes: u() < 0.2 ? 'n\u00fc' : undefined,
      }));
      rows.push(rows[0], rows[1]);
      const want = rows
        .map((r) => JSON.stringify([r.model, r.nIn, r.nOut, r.energyJ, r.batchSize, r.gpu ?? null, r.engine ?? null, r.kvCache, r.latencyS ?? null, r.repeats ?? null, r.notes ?? null]))
        .sort()
        .join('\n');
      expect(canonicalRows(rows)).toBe(want);
    }
  });
});
