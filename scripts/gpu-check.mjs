#!/usr/bin/env node
// NVML energy check on a real GPU through the built `sweetspot/nvml` entry (dist/nvml/index.js)
// and koffi: the same checks as scripts/gpu_check.py, but through the library's own code path —
// EnergyMonitor with the counter and with power integration on the very same windows.
//
// Usage: node scripts/gpu-check.mjs [--gpu 0] [--seconds 5] [--out DIR] [--dist DIR] [--python PATH]
// --dist is the build to check (default ./dist; scripts/gpu-check.sh passes .gpucheck/pkg/dist).
// Exit status: 0 all checks pass, 1 a check fails, 2 NVML or the build cannot be used.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    gpu: { type: 'string', default: '0' },
    seconds: { type: 'string', default: '5' },
    out: { type: 'string', default: process.env.OUT ?? 'gpu-check-out' },
    python: { type: 'string', default: 'python3' },
    dist: { type: 'string', default: resolve(here, '../dist') },
  },
});
const gpuIndex = Number(values.gpu);
const seconds = Number(values.seconds);
mkdirSync(values.out, { recursive: true });

let api;
try {
  api = await import(pathToFileURL(resolve(values.dist, 'nvml/index.js')).href);
} catch (error) {
  console.log(`FAIL build: cannot import ${values.dist}/nvml/index.js (run npx tsup first): ${error.message}`);
  process.exit(2);
}

let nvml;
try {
  nvml = await api.openNvml();
} catch (error) {
  console.log(`FAIL nvml: ${error.message}`);
  process.exit(2);
}

const device = nvml.device(gpuIndex);
const report = { library: nvml.libraryPath, ...device.info(), powerSource: device.powerSource, node: process.version };
report.energyCounterMj = device.energyCounterSupported ? device.totalEnergyMj() : null;

// One load process, kept alive through both windows so they differ only in the work done.
const busy = spawn(values.python, [join(here, 'gpu_busy.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: busy.stdout })[Symbol.asyncIterator]();
const nextLine = async () => (await lines.next()).value ?? '';
// A load that fails to start must not crash the check (EPIPE): its windows then both stay idle.
busy.stdin.on('error', () => {});
const ready = await nextLine();
const loadStarted = ready.startsWith('READY ');
report.loadBackend = loadStarted ? ready.slice('READY '.length) : 'none: scripts/gpu_busy.py did not start (its error is above)';

const monitors = {
  counter: device.energyCounterSupported ? new api.EnergyMonitor({ devices: [device], method: 'counter' }) : undefined,
  integration: new api.EnergyMonitor({ devices: [device], method: 'power-integration', samplingPeriodS: 0.02 }),
};
async function windowOf(name, work) {
  for (const m of Object.values(monitors)) m?.beginWindow(name);
  await work();
  const out = {};
  for (const [k, m] of Object.entries(monitors)) if (m) out[k] = m.endWindow(name);
  return out;
}

report.idle = await windowOf('idle', () => new Promise((r) => setTimeout(r, seconds * 1000)));
report.busy = await windowOf('busy', async () => {
  if (!loadStarted) return new Promise((r) => setTimeout(r, seconds * 1000));
  busy.stdin.write(`RUN ${seconds}\n`);
  report.loadResult = await nextLine();
});
busy.stdin.write('QUIT\n');
busy.stdin.end();
nvml.close();

const energy = (w) => (w.counter ?? w.integration).totalEnergyJ;
const relDiff = (w) => (w.counter ? Math.abs(w.integration.totalEnergyJ - w.counter.totalEnergyJ) / w.counter.totalEnergyJ : NaN);
report.relativeDifference = { idle: relDiff(report.idle), busy: relDiff(report.busy) };
report.checks = {
  // The busy window means something only if a GPU backend ran its matrix products.
  gpuLoadRan: loadStarted && report.loadBackend.includes('cuda') && String(report.loadResult).startsWith('DONE'),
  counterRead: device.energyCounterSupported && Number.isFinite(report.energyCounterMj),
  // Over seconds the counter must move by itself; an estimate from power would make the rest moot.
  counterMoved: [report.idle, report.busy].every((w) => w.counter && !w.counter.flags.some((f) => f.startsWith('counter-'))),
  busyFarAboveIdle: energy(report.busy) > 3 * energy(report.idle),
};
// A counter that did not move is replaced by a power estimate, which would agree with integration trivially.
report.checks.counterMatchesIntegration = report.checks.counterMoved && report.relativeDifference.busy <= 0.05;
report.passed = Object.values(report.checks).every(Boolean);
writeFileSync(join(values.out, 'gpu-check-node.json'), `${JSON.stringify(report, null, 2)}\n`);
for (const [k, ok] of Object.entries(report.checks)) console.log(`${ok ? 'PASS' : 'FAIL'} ${k}`);
console.log(JSON.stringify(report, null, 2));
process.exit(report.passed ? 0 : 1);
