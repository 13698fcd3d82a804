// The full-grid surface (64…4096 × 64…4096, 16.3 M points, J per output token) against a careful
// numpy (bench/surface_numpy.py: 1-D terms hoisted, in place, row blocks in cache), side by side in
// one run; then sweet spots and regions without a surface, and the per-request advice call.
// Run by `npm run bench` against dist/ (build first: npx tsup).
import {
  H100_DEFAULT_CALIBRATION,
  axisRange,
  computeSurface,
  createAdvisor,
  polynomialEnergy,
  resolveArchitecture,
  surfaceEnergy,
  surfaceExtremes,
  sweetRegion,
  sweetSpot,
} from './api.mjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { numpyEnv, runPython, timed } from './common.mjs';
import { hardwarePeerParams } from './hardware-peer.mjs';

const FROM = 64;
const TO = 4096;
// Every side gets the same number of runs and keeps its best: 9, since in a fresh process the first
// few huge-page allocations can stall in the kernel's compaction (200–400 ms each, seen in the
// hugetlb child) before they settle; numpy's huge pages go through the same kernel path.
const REPEATS = 9;

function numpy(problem) {
  return runPython('surface_numpy.py', problem, { env: numpyEnv() });
}

const ms = (s) => `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`;
const grid = { nIn: axisRange(FROM, TO), nOut: axisRange(FROM, TO) };
const arch = resolveArchitecture('llama-3.1-8b');

// The paper-shaped polynomial (magnitudes of an 8B model on an H100) and the built-in hardware default.
const theta = [2e-7, 3e-3, 4e-6, 1e-6, 0.15, 3];
const h = H100_DEFAULT_CALIBRATION;
const hwParams = hardwarePeerParams(h, arch);

const cases = [
  { name: 'SweetSpot polynomial', energy: polynomialEnergy(theta, { model: arch.id, maxPositions: arch.maxPositions }), problem: { form: 'polynomial', theta } },
  { name: 'hardware form (H100 default, llama-3.1-8b)', energy: surfaceEnergy(h, arch), problem: { form: 'hardware', params: hwParams } },
];

/** Best fresh time of `repeats` surfaces, and the page faults (minor) of one fresh surface. */
function freshTimed(energy, repeats) {
  const r = timed(() => computeSurface(energy, grid, 'j-per-output-token'), repeats);
  const before = process.resourceUsage().minorPageFault;
  computeSurface(energy, grid, 'j-per-output-token');
  return { ...r, faults: process.resourceUsage().minorPageFault - before };
}

function warmUp(energy) {
  computeSurface(energy, { nIn: axisRange(64, 512), nOut: axisRange(64, 512) }); // JIT
  computeSurface(energy, { nIn: axisRange(64, 512), nOut: axisRange(64, 512) }, 'j-per-output-token', { float32: true });
}

// The child process of the huge-page column: the same fresh surfaces, timed the same way, in a
// Node started with glibc's malloc asked to madvise transparent huge pages for its mmapped chunks.
const HUGE_TUNABLE = 'glibc.malloc.hugetlb=1';
if (process.argv[2] === '--fresh-child') {
  const c = cases[Number(process.argv[3])];
  warmUp(c.energy);
  const r = freshTimed(c.energy, REPEATS);
  console.log(JSON.stringify({ timeS: r.timeS, faults: r.faults }));
  process.exit(0);
}

function hugePageChild(index) {
  const tunables = [process.env.GLIBC_TUNABLES, HUGE_TUNABLE].filter(Boolean).join(':');
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--fresh-child', String(index)], {
    env: { ...process.env, GLIBC_TUNABLES: tunables },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`the huge-page child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

console.log(`Full grid ${FROM}..${TO} × ${FROM}..${TO} (${grid.nIn.length * grid.nOut.length} points), J per output token, best of ${REPEATS}`);
console.log('What each side includes. JS: computeSurface = every point\'s J per output token written into a Float64Array');
console.log('  (or Float32Array), each row checked finite and positive, the context mask, the row minimum. numpy: the same');
console.log('  values written into one np.empty array (no mask, no checks), 1-D terms hoisted, ufuncs in place on blocks of 32');
console.log('  rows. Fresh: new result arrays each run (both sides pay the page faults of new memory; numpy asks the kernel for');
console.log('  transparent huge pages with madvise, which Node\'s allocator does not). Reused: the previous surface\'s arrays');
console.log(`  passed back in. "hugetlb": the same fresh JS surfaces timed in a child Node started with GLIBC_TUNABLES=${HUGE_TUNABLE}`);
console.log('  (glibc then madvises huge pages for large allocations, as numpy does); faults: minor page faults of one fresh');
console.log('  Float64 surface. The target (fresh ≤ 1.2× numpy) is judged on the default-environment column, JS fresh.');
console.log('  Order per form: JS, numpy, JS hugetlb child, JS again (the best of the two default JS runs is shown).');
let blasShown = false;
console.log('form | JS Float64, fresh | faults | JS fresh, hugetlb child | faults | JS Float64, reused | JS Float32, fresh | careful numpy (fresh) | JS fresh / numpy | target ≤ 1.2× | hugetlb / numpy | same argmin | rel. diff of sums');
for (const [index, c] of cases.entries()) {
  warmUp(c.energy);
  // Interleaved: JS, numpy, the huge-page child, JS again, so that a busy machine slows every column alike.
  const js1 = freshTimed(c.energy, REPEATS);
  const np = numpy({ ...c.problem, from: FROM, to: TO, repeats: REPEATS });
  const huge = hugePageChild(index);
  const js2 = freshTimed(c.energy, REPEATS);
  const js = js1.timeS <= js2.timeS ? js1 : js2;
  const again = timed(() => computeSurface(c.energy, grid, 'j-per-output-token', js.out), REPEATS);
  const f32 = timed(() => computeSurface(c.energy, grid, 'j-per-output-token', { float32: true }), REPEATS);
  if (!blasShown) {
    console.log(`(numpy ${np.numpy}; BLAS: ${np.blas}; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for this command)`);
    blasShown = true;
  }
  const s = computeSurface(c.energy, grid, 'j-per-output-token');
  let sum = 0;
  for (let k = 0; k < s.values.length; k++) sum += s.values[k];
  const ext = surfaceExtremes(s);
  const same = ext.best.index === np.argmin;
  const ratio = js.timeS / np.timeS;
  console.log(
    `${c.name} | ${ms(js.timeS)} | ${js.faults} | ${ms(huge.timeS)} | ${huge.faults} | ${ms(again.timeS)} | ${ms(f32.timeS)} | ${ms(np.timeS)} | ${ratio.toFixed(2)}× | ${ratio <= 1.2 ? 'met' : `missed by ${(ratio / 1.2).toFixed(2)}×`} | ${(huge.timeS / np.timeS).toFixed(2)}× | ${same ? 'yes' : `no (JS ${ext.best.index}, numpy ${np.argmin})`} | ${(Math.abs(sum - np.sum) / np.sum).toExponential(1)}`,
  );
}

console.log('\nSweet spot and 10 % sweet region of the integer box 64..4096² (16.3 M points; no surface stored), best of 5');
console.log('(energy objects built once and reused, as a service does: their feature tables are grown by the first call)');
for (const c of cases) {
  sweetSpot(c.energy, { nIn: [64, 256], nOut: [64, 256] });
  const box = { nIn: [FROM, TO], nOut: [FROM, TO] };
  sweetSpot(c.energy, box);
  const r = timed(() => sweetSpot(c.energy, box), 5);
  const reg = timed(() => sweetRegion(c.energy, box, { withinPercent: 10 }), 5);
  const how = c.energy.polynomial ? 'closed form per row' : c.energy.convexRows ? 'bisection per convex row' : 'exact scan';
  const target = c.energy.convexRows ? ` (target ≤ 5 ms: ${r.timeS <= 0.005 ? 'met' : `missed by ${(r.timeS / 0.005).toFixed(2)}×`})` : '';
  console.log(`${c.name}: sweetSpot ${ms(r.timeS)}${target}, sweetRegion ${ms(reg.timeS)} (${how}); best ${r.out.best.nIn} in / ${r.out.best.nOut} out, region ${reg.out.count} points`);
}
// Batch 128 on one 80 GB H100: weights + KV cache leave out 58% of the box (docs/batching.md);
// the limit clips each row's search, so the memory-checked search should cost no more than the
// one that prices every point (--ignore-memory).
{
  const box = { nIn: [FROM, TO], nOut: [FROM, TO] };
  for (const ignoreMemory of [false, true]) {
    const energy = surfaceEnergy(h, arch, { batch: 128, ignoreMemory });
    sweetSpot(energy, box);
    const r = timed(() => sweetSpot(energy, box), 5);
    const reg = timed(() => sweetRegion(energy, box, { withinPercent: 10 }), 5);
    console.log(
      `hardware form, batch 128, ${ignoreMemory ? 'memory ignored' : 'memory checked'}: sweetSpot ${ms(r.timeS)}, sweetRegion ${ms(reg.timeS)}; ` +
        `worst ${r.out.worst.nIn} in / ${r.out.worst.nOut} out, ${r.out.outOfMemory} points do not fit`,
    );
  }
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
