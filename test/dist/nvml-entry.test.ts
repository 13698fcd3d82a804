import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFakeNvml, type FakeNvml } from '../fixtures/fake-nvml/build.js';

// Runs against the built package (npx tsup first). Child processes resolve 'sweetspot' and
// 'sweetspot/nvml' through the package's own exports map (self-reference from the repo root).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');

let fake: FakeNvml;
let hookDir: string;
beforeAll(() => {
  if (!existsSync(join(DIST, 'nvml/index.js'))) throw new Error('dist/ is missing: run npx tsup first');
  fake = buildFakeNvml();
  fake.set({ count: 2, 'dev0.name': 'Fake H100', 'dev0.energy_mj': 4242, 'dev1.energy_rc': 3 });
  // A loader hook that makes koffi unresolvable and logs every attempt to resolve it.
  hookDir = mkdtempSync(join(tmpdir(), 'no-koffi-'));
  writeFileSync(
    join(hookDir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (specifier === 'koffi' || specifier.startsWith('koffi/')) {
    appendFileSync(process.env.KOFFI_LOG, specifier + '\\n');
    throw Object.assign(new Error("Cannot find package 'koffi' (made unresolvable by the test)"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}
`,
  );
  writeFileSync(
    join(hookDir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(hookDir, 'hooks.mjs')).href)});\n`,
  );
});

function node(args: string[], options: { noKoffi?: boolean; env?: Record<string, string> } = {}) {
  const log = join(mkdtempSync(join(tmpdir(), 'koffi-log-')), 'log');
  writeFileSync(log, '');
  const pre = options.noKoffi ? ['--import', pathToFileURL(join(hookDir, 'register.mjs')).href] : [];
  const r = spawnSync(process.execPath, [...pre, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, KOFFI_LOG: log, ...options.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, koffiResolves: readFileSync(log, 'utf8') };
}

const useNvml = (lib: string) => `
  const nvml = await api.openNvml({ libraryPath: ${JSON.stringify(lib)} });
  const d = nvml.devices();
  const m = new api.EnergyMonitor({ devices: d });
  console.log(JSON.stringify({ names: d.map((x) => x.name), energy: d[0].totalEnergyMj(), method: m.method, exports: ['openNvml', 'EnergyMonitor', 'runCampaign', 'measureIdlePower', 'NvmlError'].every((k) => k in api) }));
  nvml.close();`;

describe('the sweetspot/nvml entry', () => {
  it('imports as ESM and reads the fake library', () => {
    const r = node(['--input-type=module', '-e', `const api = await import('sweetspot/nvml');${useNvml(fake.libraryPath)}`]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ names: ['Fake H100', 'Fake GPU 1'], energy: 4242, method: 'power-integration', exports: true });
  });

  it('requires as CJS and reads the fake library', () => {
    const r = node(['-e', `(async () => { const api = require('sweetspot/nvml');${useNvml(fake.libraryPath)} })().catch((e) => { console.error(e); process.exit(1); });`]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ names: ['Fake H100', 'Fake GPU 1'], energy: 4242, method: 'power-integration', exports: true });
  });

  it('says to install koffi when koffi cannot be resolved (the hook works)', () => {
    const r = node(
      ['--input-type=module', '-e', `const api = await import('sweetspot/nvml'); try { await api.openNvml(); } catch (e) { console.log(e.name, e.reason, e.message); }`],
      { noKoffi: true },
    );
    expect(r.koffiResolves).toBe('koffi\n');
    expect(r.stdout).toContain('NvmlUnavailableError koffi NVML measurement needs the optional package');
    expect(r.stdout).toContain('npm install koffi');
  });
});

describe('the main entry never loads koffi', () => {
  it('imports as ESM, and uses its API, with koffi unresolvable', () => {
    const r = node(['--input-type=module', '-e', `const s = await import('sweetspot'); console.log(Object.keys(s).length > 5, typeof s.SweetspotInputError);`], { noKoffi: true });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true function');
    expect(r.koffiResolves).toBe('');
  });

  it('requires as CJS without koffi in the module cache', () => {
    const r = node(['-e', `const s = require('sweetspot'); console.log(Object.keys(s).length > 5, Object.keys(require.cache).filter((k) => k.includes('koffi')).length);`]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true 0');
  });

  it('has no koffi import in the main bundles', () => {
    const files = readdirSync(DIST).filter((f) => /^(index\.(c?js)|chunk-.*\.js)$/.test(f));
    expect(files).toContain('index.js');
    for (const f of files) expect(readFileSync(join(DIST, f), 'utf8')).not.toMatch(/(import|require)\(\s*["']koffi["']\s*\)/);
  });

  it('runs other CLI commands without resolving koffi', () => {
    const r = node([join(DIST, 'cli.js'), '--help'], { noKoffi: true });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('measure');
    expect(r.koffiResolves).toBe('');
  });
});

describe('the measure command of the built CLI', () => {
  it('exits 2 with one line saying what to install when koffi is missing', () => {
    const args = [join(DIST, 'cli.js'), 'measure', '--endpoint', 'http://127.0.0.1:9', '--model', 'm', '--in', '8', '--out', '4', '--csv', join(hookDir, 'x.csv')];
    const r = node(args, { noKoffi: true });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('sweetspot: NVML measurement needs the optional package');
  });

  it('exits 2 naming the library when NVML cannot be loaded', () => {
    const args = [join(DIST, 'cli.js'), 'measure', '--endpoint', 'http://127.0.0.1:9', '--model', 'm', '--in', '8', '--out', '4', '--csv', join(hookDir, 'x.csv'), '--nvml-lib', '/nonexistent/libnvidia-ml.so.1'];
    const r = node(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^sweetspot: cannot load the NVIDIA Management Library \(libnvidia-ml\.so\.1\)/);
  });
});

