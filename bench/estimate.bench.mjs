// The per-request path of a pricing or routing service: the energy of one request from a model
// and a calibration, per call; today's uncached path (validate the calibration, bind the model,
// every call) beside the cached ones; and many requests at once beside Python and numpy.
import { createEstimator, defaultCalibration, estimate, H100_DEFAULT_CALIBRATION, predictEnergy, preset } from '../dist/index.js';
import { callMetrics, energyModel } from '../dist/energy/index.js';
import { numpyEnv, runPython } from './common.mjs';
import { hardwarePeerParams } from './hardware-peer.mjs';

const arch = preset('llama-3.1-8b');
const N = 200_000;

/** ns per call of `fn(k)` over k = 0, 1, …, best of 5 rounds of at least `minMs`. */
function nsPerCall(fn, minMs = 200) {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < minMs * 1e6) {
      for (let k = 0; k < 1000; k++) fn(n + k);
      n += 1000;
      elapsed = Number(process.hrtime.bigint() - t0);
    }
    best = Math.min(best, elapsed / n);
  }
  return best;
}

// Lengths that vary from call to call, as a service sees them (a fixed pair would flatter caches).
const nIn = new Int32Array(N);
const nOut = new Int32Array(N);
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
for (let k = 0; k < N; k++) {
  nIn[k] = 64 + Math.floor(rand() * 4033);
  nOut[k] = 64 + Math.floor(rand() * 4033);
}
const at = (k) => k % N;

const mutable = defaultCalibration(); // a plain object, compared leaf by leaf on every call
const est = createEstimator(arch);
let sink = 0;
const rows = [
  ['uncached: validate + bind + energyJ + metrics every call (predictEnergy before caching)', (k) => {
    const m = energyModel(mutable, arch, {});
    sink += callMetrics(m.energyJ(nIn[at(k)], nOut[at(k)]), nIn[at(k)], nOut[at(k)], 1).energyJ;
  }],
  ['predictEnergy, same calibration object (plain, compared each call)', (k) => (sink += predictEnergy(mutable, arch, { nIn: nIn[at(k)], nOut: nOut[at(k)] }).energyJ)],
  ['predictEnergy, the frozen built-in default', (k) => (sink += predictEnergy(H100_DEFAULT_CALIBRATION, arch, { nIn: nIn[at(k)], nOut: nOut[at(k)] }).energyJ)],
  ["estimate('llama-3.1-8b', { nIn, nOut })", (k) => (sink += estimate('llama-3.1-8b', { nIn: nIn[at(k)], nOut: nOut[at(k)] }).energyJ)],
  ['createEstimator(...).estimate(nIn, nOut): result object', (k) => (sink += est.estimate(nIn[at(k)], nOut[at(k)]).energyJ)],
  ['createEstimator(...).energyJ(nIn, nOut): joules only', (k) => (sink += est.energyJ(nIn[at(k)], nOut[at(k)]))],
];
console.log(`One request at a time, llama-3.1-8b on the built-in H100 default, lengths 64..4096 varying per call (ns per call, best of 5):`);
const figures = {};
for (const [name, fn] of rows) {
  const ns = nsPerCall(fn);
  figures[name] = ns;
  console.log(`  ${ns.toFixed(1).padStart(8)} ns  ${name}`);
}

// Many requests at once: estimateMany over typed arrays, against Python per call and numpy.
const out = new Float64Array(N);
let bulkBest = Infinity;
for (let r = 0; r < 5; r++) {
  const t0 = process.hrtime.bigint();
  est.estimateMany({ nIn, nOut }, out);
  bulkBest = Math.min(bulkBest, Number(process.hrtime.bigint() - t0) / N);
}
const params = hardwarePeerParams(H100_DEFAULT_CALIBRATION, arch);
const env = numpyEnv();
let py;
try {
  py = runPython('estimate_numpy.py', { params, nIn: [...nIn], nOut: [...nOut], repeats: 3, check: 1000 }, { env, maxBuffer: 1 << 26 });
} catch (error) {
  console.log(`python3 with numpy not available: skipped the comparison (${error.message.split('\n')[0]})`);
}
console.log(`\n${N} requests at once (ns per request, best of 5 / 3):`);
console.log(`  ${bulkBest.toFixed(1).padStart(8)} ns  estimator.estimateMany (typed arrays in, Float64Array out)`);
if (py) {
  let worst = 0;
  py.energyJ.forEach((e, k) => (worst = Math.max(worst, Math.abs(out[k] / e - 1))));
  console.log(`  ${py.numpyNs.toFixed(1).padStart(8)} ns  numpy, vectorised over all requests (same formula)`);
  console.log(`  ${py.scalarNs.toFixed(1).padStart(8)} ns  Python function called per request`);
  console.log(`  largest relative difference of the first 1000 energies, JS vs numpy: ${worst.toExponential(2)}`);
}
const goal = (name, ns, limit) => console.log(`  ${ns <= limit ? 'met' : 'NOT met'}: ${name} ${ns.toFixed(1)} ns (goal ≤ ${limit} ns)`);
console.log('\nGoals:');
goal('estimator.estimate', figures['createEstimator(...).estimate(nIn, nOut): result object'], 100);
goal('repeated predictEnergy (plain calibration)', figures['predictEnergy, same calibration object (plain, compared each call)'], 500);
if (!Number.isFinite(sink)) throw new Error('non-finite energy');
