// Fit energy models to measured energies, judge them by cross-validation, and predict an LLM that
// was never measured. Data: the public A100 sweeps in data/ (HF transformers without a KV
// cache, so the recompute regime). Run after `npm run build`:
//   npx tsx examples/fit-your-measurements.ts [path/to/wilkins_a100_1d_sweeps.csv]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  calibrate,
  crossValidate,
  evaluate,
  filterMeasurements,
  hardwareForm,
  predictEnergy,
  readMeasurements,
  resolveArchitecture,
  resolveProfile,
  serializeCalibration,
} from 'sweetspot';
import { engineSettings } from 'sweetspot/fit';

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? join(here, '..', 'data', 'wilkins_a100_1d_sweeps.csv');

// The file has no kv_cache column: its engine ran with use_cache=False, so say so.
const { rows } = readMeasurements(readFileSync(file, 'utf8'), { source: file, defaults: { kvCache: false } });

// One GPU at a time; drop cold starts and requests beyond the model's context, and say how many.
const swing = filterMeasurements(rows, { where: ['system=argonne-swing'], excludeNotes: 'iteration 0|exceeds' });
for (const s of swing.steps) console.log(`filter ${s.filter}: kept ${s.kept} of ${s.before}`);
const profile = resolveProfile(swing.rows[0].gpu!);

// The hardware form: parameters of the GPU, not of the LLM, fitted under the physics prior of the
// GPU's profile (docs/fitting.md#priors), so the sweeps' few lengths need no pinned parameter.
const form = hardwareForm();
// The engine column names Hugging Face transformers, whose attention kernels differ by model
// (docs/complexity.md): read them from the rows, as `sweetspot fit` does.
const { attention } = engineSettings(swing.rows);
console.log(`attention read from the engine column: ${attention}`);

// Leave one model out: fit on two LLMs, predict the third from its architecture alone.
const cv = crossValidate(swing.rows, { kind: 'leave-one-model-out' }, { form, profile, attention });
for (const [id, r] of Object.entries(cv.results)) {
  console.log(`leave-one-model-out MAPE, ${id.padEnd(9)}: ${r.mape === null ? 'n/a' : `${r.mape.toFixed(2)} %`}`);
}
console.log(`noise floor of the repeats: ${cv.noiseFloor?.mapePct?.toFixed(2)} %`);

// Fit on Llama-2-7B and Mistral-7B only; then predict Falcon-7B, which the fit never saw.
const train = swing.rows.filter((r) => !/falcon/i.test(r.model));
const falcon = swing.rows.filter((r) => /falcon/i.test(r.model));
const { calibration, errors } = calibrate(train, { form, profile, attention });
console.log(`in-sample MAPE on ${errors.n} rows of two models: ${errors.mape.toFixed(2)} %`);
const unseen = evaluate(calibration, falcon);
console.log(`Falcon-7B, never measured by the fit: MAPE ${unseen.mape.toFixed(2)} % over ${falcon.length} rows`);

const p = predictEnergy(calibration, resolveArchitecture('tiiuae/falcon-7b'), { nIn: 256, nOut: 32 });
console.log(`predicted Falcon-7B 256 in / 32 out: ${p.energyJ.toFixed(0)} J`);
console.log(`calibration document: ${serializeCalibration(calibration).length} bytes of JSON`);
