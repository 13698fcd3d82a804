// The full-grid surface (64…4096 × 64…4096, 16.3 M points, J per output token) against numpy,
// vectorised on the same grid and form, side by side in one run; then the per-request advice call.
// Run by `npm run bench` against dist/ (build first: npx tsup).
import {
  H100_DEFAULT_CALIBRATION,
  axisRange,
  computeSurface,
  createAdvisor,
  energyModel,
  polynomialEnergy,
  resolveArchitecture,
  surfaceEnergy,
  surfaceExtremes,
  sweetSpot,
  termsKernel,
  weightBytesPerStep,
} from './api.mjs';
import { runPython, timed } from './common.mjs';

const FROM = 64;
const TO = 4096;
const REPEATS = 5;

function numpy(problem) {
  // OpenBLAS variables set for other tools make numpy's start-up fail or mis-tune here: unset
  // them for this one command only.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return runPython('surface_numpy.py', problem, { env });
}

const ms = (s) => `${(s * 1000).toFixed(1)} ms`;
const grid = { nIn: axisRange(FROM, TO), nOut: axisRange(FROM, TO) };
const arch = resolveArchitecture('llama-3.1-8b');

// The paper-shaped polynomial (magnitudes of an 8B model on an H100) and the built-in hardware default.
const theta = [2e-7, 3e-3, 4e-6, 1e-6, 0.15, 3];
const h = H100_DEFAULT_CALIBRATION;
const model = energyModel(h, arch);
const kernel = termsKernel(arch, h.kvBytes);
const hwParams = {
  linearFlopsPerToken: kernel.linearFlopsPerToken,
  headFlops: kernel.headFlops,
  attnCoef: kernel.groups[0].attnCoef,
  kvPerToken: kernel.groups[0].kvPerToken,
  weightBytesPerStep: weightBytesPerStep(arch, h.weightBytes),
  peakFlops: model.context.profile.peakFlops[model.context.precision ?? 'bf16'],
  bandwidth: model.context.profile.memoryBandwidthBytesPerS,
  ...Object.fromEntries(Object.entries(h.params).map(([k, v]) => [k, v.value])),
};
if (kernel.groups.length !== 1 || kernel.groups[0].window !== Infinity) throw new Error('the numpy side assumes global attention');

const cases = [
  { name: 'SweetSpot polynomial', energy: polynomialEnergy(theta, { model: arch.id, maxPositions: arch.maxPositions }), problem: { form: 'polynomial', theta } },
  { name: 'hardware form (H100 default, llama-3.1-8b)', energy: surfaceEnergy(h, arch), problem: { form: 'hardware', params: hwParams } },
];

console.log(`Full grid ${FROM}..${TO} × ${FROM}..${TO} (${grid.nIn.length * grid.nOut.length} points), J per output token, best of ${REPEATS}`);
console.log('(fresh: new result arrays each run; reused: the previous surface\'s arrays passed back in, as a service recomputing surfaces would)');
console.log('form | sweetspot JS, fresh arrays | JS, reused arrays | numpy (vectorised) | numpy/JS fresh | numpy/JS reused | same argmin | rel. diff of sums');
for (const c of cases) {
  computeSurface(c.energy, { nIn: axisRange(64, 512), nOut: axisRange(64, 512) }); // warm-up (JIT)
  const js = timed(() => computeSurface(c.energy, grid, 'j-per-output-token'), REPEATS);
  const again = timed(() => computeSurface(c.energy, grid, 'j-per-output-token', js.out), REPEATS);
  const np = numpy({ ...c.problem, from: FROM, to: TO, repeats: REPEATS });
  const s = js.out;
  let sum = 0;
  for (let k = 0; k < s.values.length; k++) sum += s.values[k];
  const ext = surfaceExtremes(s);
  const same = ext.best.index === np.argmin;
  console.log(
    `${c.name} | ${ms(js.timeS)} | ${ms(again.timeS)} | ${ms(np.timeS)} | ${(np.timeS / js.timeS).toFixed(2)}× | ${(np.timeS / again.timeS).toFixed(2)}× | ${same ? 'yes' : `no (JS ${ext.best.index}, numpy ${np.argmin})`} | ${(Math.abs(sum - np.sum) / np.sum).toExponential(1)}`,
  );
}

console.log('\nSweet spot of the integer box 64..4096² (no surface stored)');
for (const c of cases) {
  sweetSpot(c.energy, { nIn: [64, 256], nOut: [64, 256] });
  const r = timed(() => sweetSpot(c.energy, { nIn: [FROM, TO], nOut: [FROM, TO] }), 3);
  console.log(`${c.name}: ${ms(r.timeS)} (${c.energy.polynomial ? 'closed form per row' : 'exact scan'}), best ${r.out.best.nIn} in / ${r.out.best.nOut} out`);
}

console.log('\nPer-request advice (advisor built once; then one advise() call per request)');
for (const c of cases) {
  const build = timed(() => createAdvisor(c.energy), 1);
  const advisor = build.out;
  const N = 200_000;
  // Requests spread over the box, with a truncation and a cap each: the full answer.
  const reqs = new Int32Array(2 * N);
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let k = 0; k < N; k++) {
    reqs[2 * k] = 64 + Math.floor(rnd() * 4000);
    reqs[2 * k + 1] = 64 + Math.floor(rnd() * 4000);
  }
  let sink = 0;
  for (let k = 0; k < 20_000; k++) sink += advisor.advise(reqs[2 * k], reqs[2 * k + 1]).request.energyJ; // warm-up
  const t0 = performance.now();
  for (let k = 0; k < N; k++) {
    const i = reqs[2 * k];
    const o = reqs[2 * k + 1];
    sink += advisor.advise(i, o, { truncateInTo: i >> 1, capOutTo: o >> 1 }).nearestSweet.energyJ;
  }
  const perCallUs = ((performance.now() - t0) * 1000) / N;
  console.log(`${c.name}: advisor built in ${ms(build.timeS)} (${advisor.region.count} points in the sweet region); advise() ${perCallUs.toFixed(2)} µs per request${sink > 0 ? '' : ' '}`);
}
