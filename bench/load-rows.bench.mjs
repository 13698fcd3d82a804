// `loadMeasurements` (an object per row) beside `loadMeasurementTable` (columns) on the same
// generated CSV of 10⁵ and 10⁶ rows (model, gpu, engine, notes, n_in, n_out, batch_size,
// energy_j and an extra duration_s column), each in a fresh `node --expose-gc` process: wall time
// of the call, peak resident set of the process, and the heap the result keeps after a full
// collection (bytes per row). Beside them the peer, bench/load_rows_python.py: Python's csv module
// reading the same file into a dict per row (its retained figure is the resident set the rows
// keep). docs/fitting.md ("Limits on untrusted input") quotes these figures. Run by `npm run
// bench` against dist/; `node bench/load-rows.bench.mjs 100000` for one size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDir, numpyEnv } from './common.mjs';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === 'child') {
  // One loader on one file: what its result keeps, measured from a collected heap before the call.
  const [, , , loader, path] = process.argv;
  const api = await import('../dist/fit/index.js');
  // Collected until what is freed (ArrayBuffers are released after their owners) is off the count.
  const settle = async () => {
    for (let k = 0; k < 3; k++) {
      globalThis.gc();
      await new Promise((r) => setImmediate(r));
    }
  };
  const used = () => {
    const m = process.memoryUsage();
    // `external` includes the ArrayBuffers (`arrayBuffers` is a part of it).
    return m.heapUsed + m.external;
  };
  // Load the code paths first (a small file), so that the baseline includes them.
  const warm = join(path, '..', 'warm.csv');
  writeFileSync(warm, 'model,n_in,n_out,energy_j\nm,1,1,1\n');
  await api[loader](warm, process.cwd());
  await settle();
  const before = used();
  const t0 = performance.now();
  const result = await api[loader](path, process.cwd());
  const wallS = (performance.now() - t0) / 1000;
  await settle();
  const retainedBytes = used() - before;
  const n = result.read;
  process.stdout.write(JSON.stringify({ n, wallS, retainedBytes, maxRssKb: process.resourceUsage().maxRSS }));
  process.exit(0);
}

const MODELS = ['llama-2-7b', 'llama-2-13b', 'llama-2-70b', 'mistral-7b', 'falcon-7b', 'falcon-40b', 'mixtral-8x7b', 'qwen2-7b', 'gemma-7b', 'phi-3-mini', 'llama-3.1-8b', 'llama-3.1-70b', 'opt-6.7b'];
const GPUS = ['NVIDIA H100 80GB HBM3', 'NVIDIA A100-SXM4-40GB'];
const ENGINES = ['tensorrt-llm', 'vllm', 'hf-transformers'];

/** n rows as a measurement campaign writes them: a few models, GPUs and engines, repeats noted. */
function writeCsv(path, n) {
  let state = 7;
  const u = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const parts = ['model,gpu,engine,notes,n_in,n_out,batch_size,energy_j,duration_s\n'];
  let chunk = '';
  for (let k = 0; k < n; k++) {
    const i = 64 + Math.floor(u() * 4033);
    const o = 64 + Math.floor(u() * 4033);
    const b = 1 << Math.floor(u() * 6);
    const e = (2e-7 * i * i + 3e-3 * i + 4e-6 * i * o + 0.15 * o + 3) * b * (1 + 0.04 * (u() - 0.5));
    const model = MODELS[Math.floor(u() * MODELS.length)];
    chunk += `${model},${GPUS[k % 2]},${ENGINES[Math.floor(u() * 3)]},iteration ${k % 5},${i},${o},${b},${e.toPrecision(7)},${(e / 300).toPrecision(6)}\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  writeFileSync(path, parts.join(''));
}

function measure(loader, path) {
  const r = spawnSync(process.execPath, ['--expose-gc', self, 'child', loader, path], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr.split('\n').find((l) => /Error|heap/.test(l)) ?? `exit ${r.status}`).slice(0, 120) };
  return JSON.parse(r.stdout);
}

const sizes = process.argv[2] ? [Number(process.argv[2])] : [1e5, 1e6];
const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-'));
console.log('loader | rows | file | wall | peak RSS | retained (heap; the peer: resident set) | retained / row | retained / file');
try {
  for (const n of sizes) {
    const csv = join(dir, `rows-${n}.csv`);
    writeCsv(csv, n);
    const bytes = statSync(csv).size;
    for (const loader of ['loadMeasurements', 'loadMeasurementTable']) {
      const r = measure(loader, csv);
      if (r.error) {
        console.log(`${loader} | ${n} | ${(bytes / 2 ** 20).toFixed(0)} MB | failed: ${r.error}`);
        continue;
      }
      if (r.n !== n) throw new Error(`${loader} read ${r.n} rows of ${n}`);
      const mb = (x) => `${(x / 2 ** 20).toFixed(0)} MB`;
      console.log(`${loader} | ${n} | ${mb(bytes)} | ${r.wallS.toFixed(2)} s | ${mb(r.maxRssKb * 1024)} | ${mb(r.retainedBytes)} | ${(r.retainedBytes / n).toFixed(0)} B | ${(r.retainedBytes / bytes).toFixed(1)}×`);
    }
    const py = spawnSync('python3', [join(benchDir, 'load_rows_python.py'), csv], { encoding: 'utf8', env: numpyEnv() });
    if (py.status !== 0) console.log(`python csv → dicts (peer) | ${n} | failed: ${py.stderr.trim().split('\n').pop()}`);
    else {
      const p = JSON.parse(py.stdout);
      if (p.n !== n) throw new Error(`the peer read ${p.n} rows of ${n}`);
      console.log(`python csv → dicts (peer) | ${n} | ${(bytes / 2 ** 20).toFixed(0)} MB | ${p.wallS.toFixed(2)} s | ${p.peakMb.toFixed(0)} MB | ${p.retainedMb.toFixed(0)} MB | ${((p.retainedMb * 2 ** 20) / n).toFixed(0)} B | ${((p.retainedMb * 2 ** 20) / bytes).toFixed(1)}×`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
