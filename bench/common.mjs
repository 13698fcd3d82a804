// Helpers shared by the bench/*.bench.mjs scripts (not a bench itself: run.mjs runs *.bench.mjs only).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder. */
export const benchDir = dirname(fileURLToPath(import.meta.url));

/** Path of a public measurement set in the repository's data/ folder (see data/README.md). */
export function dataFile(name) {
  const path = join(benchDir, '..', 'data', name);
  if (!existsSync(path)) throw new Error(`data/${name} not found in the repository`);
  return path;
}

/** Best wall time of `repeats` runs, seconds, and the last result. */
export function timed(fn, repeats) {
  let best = Infinity;
  let out;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    out = fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { out, timeS: best };
}

/**
 * The environment for a python3 command that times numpy: OpenBLAS variables set for other tools
 * make numpy's start-up fail or mis-tune here, so they are unset for that one command only.
 */
export function numpyEnv() {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Runs bench/<script> with python3, `input` as JSON on stdin, and parses the JSON it prints. */
export function runPython(script, input, options = {}) {
  const r = spawnSync('python3', [join(benchDir, script)], { input: JSON.stringify(input), encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`python3 bench/${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
