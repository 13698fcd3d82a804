// Helpers shared by the bench/*.bench.mjs scripts (not a bench itself: run.mjs runs *.bench.mjs only).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder. */
export const benchDir = dirname(fileURLToPath(import.meta.url));

/** Path of a file of the shared measurement data: $SWEETSPOT_DATA, ../shared/data or ../../shared/data. */
export function sharedDataFile(name) {
  const dir = [process.env.SWEETSPOT_DATA, join(benchDir, '..', 'shared', 'data'), join(benchDir, '..', '..', 'shared', 'data')].find(
    (d) => d && existsSync(join(d, name)),
  );
  if (!dir) throw new Error(`shared/data/${name} not found (set SWEETSPOT_DATA)`);
  return join(dir, name);
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

/** Runs bench/<script> with python3, `input` as JSON on stdin, and parses the JSON it prints. */
export function runPython(script, input, options = {}) {
  const r = spawnSync('python3', [join(benchDir, script)], { input: JSON.stringify(input), encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`python3 bench/${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
