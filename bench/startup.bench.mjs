// Cold start: `import('sweetspot')` (ESM) and `require('sweetspot')` (CJS) in a fresh Node
// process, and the CLI's main job (`sweetspot sweetspot --model llama-3.1-8b`) as a user runs it.
// Medians of several fresh processes, run interleaved with their floors (an empty Node process, and
// importing zod alone, which the main entry no longer does at import: docs/conventions.md#built-in-data).
// Run by `npm run bench` against dist/.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir } from './common.mjs';

const RUNS = 7;
const dist = join(benchDir, '..', 'dist');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;

/** Milliseconds a fresh process spends in `import(spec)`, measured inside it. */
function importMs(spec) {
  const code = `const t = performance.now(); await import(${JSON.stringify(spec)}); console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: join(benchDir, '..') });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim()) / 1000;
}

/** Milliseconds a fresh process spends in `require(path)`, measured inside it. */
function requireMs(path) {
  const code = `const t = performance.now(); require(${JSON.stringify(path)}); console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', cwd: join(benchDir, '..') });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim()) / 1000;
}

/** Milliseconds of `import('sweetspot')` then a first `estimate` (which loads zod to check the request). */
function firstEstimateMs() {
  const url = pathToFileURL(join(dist, 'index.js')).href;
  const code = `const t = performance.now(); const m = await import(${JSON.stringify(url)}); m.estimate('llama-3.1-8b', { nIn: 1024, nOut: 256 }); console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: join(benchDir, '..') });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim()) / 1000;
}

/** Wall seconds of one fresh process, measured from outside. */
function wallS(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: join(benchDir, '..') });
  if (r.status !== 0) throw new Error(r.stderr);
  return (performance.now() - t0) / 1000;
}

const runs = { lib: [], cjs: [], first: [], zod: [], cli: [], node: [] };
for (let k = 0; k < RUNS; k++) {
  runs.lib.push(importMs(pathToFileURL(join(dist, 'index.js')).href));
  runs.cjs.push(requireMs(join(dist, 'index.cjs')));
  runs.first.push(firstEstimateMs());
  runs.zod.push(importMs('zod'));
  runs.cli.push(wallS([join(dist, 'cli.js'), 'sweetspot', '--model', 'llama-3.1-8b']));
  runs.node.push(wallS(['-e', '0']));
}
const verdict = (v, target) => (v <= target ? 'met' : `missed by ${ms(v - target)} (${(v / target).toFixed(2)}×)`);
console.log(`Fresh processes, median of ${RUNS} (interleaved)`);
console.log(`import('sweetspot') (dist/index.js), time inside the process: ${ms(median(runs.lib))} (target ≤ 60 ms: ${verdict(median(runs.lib), 0.06)})`);
console.log(`  require('sweetspot') (dist/index.cjs), time inside the process: ${ms(median(runs.cjs))}`);
console.log(`  import('sweetspot') and a first estimate (loads zod to check the request): ${ms(median(runs.first))}`);
console.log(`  for scale: import('zod') alone ${ms(median(runs.zod))}`);
console.log(`sweetspot sweetspot --model llama-3.1-8b, wall: ${ms(median(runs.cli))} (target ≤ 0.3 s: ${verdict(median(runs.cli), 0.3)})`);
console.log(`  for scale: an empty Node process (node -e 0) ${ms(median(runs.node))}`);
