// `sweetspot fit` of a large synthetic CSV (generated here, into the system's temporary folder),
// then `sweetspot evaluate` of the calibration it saved on the same file, then `sweetspot fit --cv 5`
// (the fit and a 5-fold cross-validation): wall time and peak memory (resident set) of each whole
// command, as a user runs it. Targets (docs/fitting.md): the fit of 10⁶ rows in under 5 s and under
// 500 MB; with --cv 5, under 15 s and under 1 GB. Run by `npm run bench` against dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir } from './common.mjs';

const THETA = [2e-7, 3e-3, 4e-6, 1e-6, 0.15, 3];
const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-'));

/** n rows of one model on one GPU, n_in and n_out uniform in 64..4096, ±2 % noise. */
function writeCsv(path, n) {
  let state = 1;
  const u = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const parts = ['model,n_in,n_out,energy_j,gpu\n'];
  let chunk = '';
  for (let k = 0; k < n; k++) {
    const i = 64 + Math.floor(u() * 4033);
    const o = 64 + Math.floor(u() * 4033);
    const e = (THETA[0] * i * i + THETA[1] * i + THETA[2] * i * o + THETA[3] * o * o + THETA[4] * o + THETA[5]) * (1 + 0.04 * (u() - 0.5));
    chunk += `llama-3.1-8b,${i},${o},${e.toPrecision(7)},NVIDIA H100 80GB HBM3\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  writeFileSync(path, parts.join(''));
}

// Peak RSS of the child, reported by the child itself when it exits.
const preload = join(dir, 'max-rss.cjs');
writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nMAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");

console.log('fit: sweetspot fit --data FILE --save CALIB (SweetSpot form, plus the linear and per-param baselines, the noise');
console.log('floor and the rows\' SHA-256, as the command always does); evaluate: sweetspot evaluate --calibration CALIB');
console.log('--data FILE (text report: predictions, errors per model and configuration, noise floor, linear and per-param baselines fitted on the rows,');
console.log('90% intervals); fit --cv 5: sweetspot fit --data FILE --save CALIB --cv 5 (the same fit, then 5-fold cross-validation:');
console.log('configurations dealt to 5 folds, the SweetSpot form and both baselines each fitted on every fold\'s training rows and');
console.log('predicting its test rows, errors and interval coverage pooled); wall time of the whole process, peak RSS');
console.log('command | rows | file | wall | peak RSS | RSS / file | targets at 10⁶ rows (fit: < 5 s, < 500 MB; fit --cv 5: < 15 s, < 1 GB)');

/** Runs the CLI with its peak RSS reported: wall time (s) and peak RSS (MB). */
function timed(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, join(benchDir, '..', 'dist', 'cli.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  return { wall, rssMb: Number(/MAXRSS_KB (\d+)/.exec(r.stderr)[1]) / 1024 };
}

try {
  for (const n of [1e5, 1e6]) {
    const csv = join(dir, `rows-${n}.csv`);
    const calibration = join(dir, `calib-${n}.json`);
    writeCsv(csv, n);
    const mb = statSync(csv).size / 2 ** 20;
    const fit = timed(['fit', '--data', csv, '--save', calibration]);
    const verdict = (r, s, mb) => (n < 1e6 ? '' : `${r.wall < s ? 'time met' : `time missed by ${(r.wall / s).toFixed(1)}×`}, ${r.rssMb < mb ? 'memory met' : `memory missed by ${(r.rssMb / mb).toFixed(1)}×`}`);
    const evaluate = timed(['evaluate', '--calibration', calibration, '--data', csv]);
    const cv = timed(['fit', '--data', csv, '--save', join(dir, `calib-cv-${n}.json`), '--cv', '5']);
    for (const [name, r, note] of [['fit', fit, verdict(fit, 5, 500)], ['evaluate', evaluate, ''], ['fit --cv 5', cv, verdict(cv, 15, 1000)]]) {
      console.log(`${name} | ${n} | ${mb.toFixed(0)} MB | ${r.wall.toFixed(2)} s | ${r.rssMb.toFixed(0)} MB | ${(r.rssMb / mb).toFixed(1)}× | ${note}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
