import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimate } from '../../src/energy/predict/estimate.js';

// A user's view: the packed tarball installed into fresh TypeScript projects (ESM with nodenext,
// CJS with node16, and bundler resolution), strict with exactOptionalPropertyTypes, type-checked
// against the package's own .d.ts files (skipLibCheck off), then run. Dependencies (mathjs, zod)
// come from npm's cache when they are there (--prefer-offline).
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const SERVICE = `
import {
  DEFAULT_BOX,
  SweetspotInputError,
  SweetspotMemoryError,
  calibrate,
  createEstimator,
  estimate,
  resolveArchitecture,
  surfaceEnergy,
  sweetSpot,
  sweetspotForm,
  type Estimate,
  type EstimatorOptions,
  type MeasurementInput,
} from 'sweetspot';
import { nnls } from 'sweetspot/fit';
import type { EnergyMonitorOptions, WindowMeasurement } from 'sweetspot/nvml';

interface IncomingRequest { model: string; promptTokens: number; maxTokens: number; batch?: number }
const req: IncomingRequest = { model: 'meta-llama/Llama-3.1-8B-Instruct', promptTokens: 2048, maxTokens: 256 };

// One call, as a pricing service would make it (batch may be undefined: exactOptionalPropertyTypes).
const one: Estimate = estimate(req.model, { nIn: req.promptTokens, nOut: req.maxTokens, batch: req.batch });

// Bound once, many calls, and a bulk price list.
const options: EstimatorOptions = { gpus: 1 };
const est = createEstimator('llama-3.1-8b', options);
const again = est.estimate(2048, 256).energyJ;
const bulk = est.estimateMany({ nIn: Int32Array.of(512, 2048), nOut: Int32Array.of(64, 256) });

// A sweet spot in the default box.
const spot = sweetSpot(surfaceEnergy(est.calibration, resolveArchitecture('llama-3.1-8b')), DEFAULT_BOX);

// Plain rows into the fitter.
const rows: MeasurementInput[] = [16, 64, 256].flatMap((i) => [8, 64, 512].map((o) => ({ model: 'llama-2-7b', nIn: i, nOut: o, energyJ: 5 + 0.01 * i + 0.3 * o + 1e-5 * i * o })));
const fit = calibrate(rows, { form: sweetspotForm });

// The memory check, and the error classes' names.
let memory = '';
try {
  estimate({ ...resolveArchitecture('llama-3.1-8b'), id: 'wide', numLayers: 1000 }, { nIn: 64, nOut: 64 });
} catch (e) {
  if (e instanceof SweetspotMemoryError && e instanceof SweetspotInputError) memory = \`\${e.name} \${e.neededBytes > e.availableBytes}\`;
}

// The NVML entry's types, without loading NVML.
const monitorOptions: EnergyMonitorOptions | undefined = undefined;
const windowResult: WindowMeasurement | undefined = undefined;
const solved = nnls([Float64Array.of(1, 0), Float64Array.of(0, 1)], Float64Array.of(2, 3)).x;

console.log(JSON.stringify({
  energyJ: one.energyJ, jPerOutputToken: one.jPerOutputToken, fitted: one.fitted, calibration: one.calibration,
  again, bulk: Array.from(bulk), best: spot.best, worstOverBest: spot.worstOverBest,
  defaulted: fit.defaulted, memory, nvmlTypes: monitorOptions === undefined && windowResult === undefined, solved: Array.from(solved),
}));
`;

const STRICT = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], lib: ['ES2022'], target: 'ES2022', outDir: 'out', rootDir: 'src' };
const PROJECTS = {
  esm: { type: 'module', compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' } },
  cjs: { type: 'commonjs', compilerOptions: { ...STRICT, module: 'node16', moduleResolution: 'node16' } },
  bundler: { type: 'module', compilerOptions: { ...STRICT, module: 'esnext', moduleResolution: 'bundler' } },
} as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sweetspot-consumer-'));
  const packed = sh('npm', ['pack', '--silent', '--pack-destination', dir], root);
  expect(packed.code, packed.out).toBe(0);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { sweetspot: `file:./${tarball}` } }));
  const installed = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], dir);
  expect(installed.code, installed.out).toBe(0);
  // One install, three projects below it: each resolves 'sweetspot' from the shared node_modules.
  for (const [name, p] of Object.entries(PROJECTS)) {
    mkdirSync(join(dir, name, 'src'), { recursive: true });
    writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: p.type }));
    writeFileSync(join(dir, name, 'tsconfig.json'), JSON.stringify({ compilerOptions: p.compilerOptions, include: ['src'] }));
    writeFileSync(join(dir, name, 'src', 'service.ts'), SERVICE);
  }
}, 240_000);

// Removing the installed tree takes seconds on a loaded machine: more than the default hook limit.
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('the packed package in fresh TypeScript projects', () => {
  it.each(Object.keys(PROJECTS))('%s: type-checks strictly and runs the service snippet', (name) => {
    const checked = sh(process.execPath, [tsc, '-p', '.'], join(dir, name));
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
    const ran = sh(process.execPath, [join('out', 'service.js')], join(dir, name));
    expect(ran.code, ran.out).toBe(0);
    const r = JSON.parse(ran.out);
    // The same numbers as the source tree gives.
    const want = estimate('llama-3.1-8b', { nIn: 2048, nOut: 256 });
    expect(r.energyJ).toBe(want.energyJ);
    expect(r.again).toBe(want.energyJ);
    expect(r.jPerOutputToken).toBe(want.jPerOutputToken);
    expect(r.bulk).toEqual([estimate('llama-3.1-8b', { nIn: 512, nOut: 64 }).energyJ, want.energyJ]);
    expect(r.fitted).toBe(want.fitted);
    expect(r.calibration).toBe(want.calibration);
    expect(r.best.nIn).toBeGreaterThanOrEqual(64);
    expect(r.worstOverBest).toBeGreaterThan(1);
    expect(r.defaulted).toEqual([
      { field: 'kvCache', value: true, rows: 9, source: 'schema' },
      { field: 'batchSize', value: 1, rows: 9, source: 'schema' },
    ]);
    expect(r.memory).toBe('SweetspotMemoryError true');
    expect(r.nvmlTypes).toBe(true);
    expect(r.solved).toEqual([2, 3]);
  }, 120_000);
});
