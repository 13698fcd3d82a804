import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// These tests run against the built package (npm test builds it first), as a user would import it.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function node(args: string[], input?: string) {
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', input });
}

describe('built package', () => {
  it('has every file its package.json points at', () => {
    const targets = [
      pkg.main,
      pkg.module,
      pkg.types,
      pkg.bin.sweetspot,
      ...Object.values(pkg.exports as Record<string, unknown>).flatMap((e) =>
        typeof e === 'string' ? [e] : Object.values(e as Record<string, Record<string, string>>).flatMap((c) => Object.values(c)),
      ),
    ];
    for (const t of targets) expect(existsSync(join(root, t)), t).toBe(true);
  });

  it('imports as ESM and requires as CJS with the same API', () => {
    const script = `
      const esm = await import('sweetspot');
      const { createRequire } = await import('node:module');
      const cjs = createRequire(import.meta.url)('sweetspot');
      const a = Object.keys(esm).filter((k) => k !== 'default').sort();
      const b = Object.keys(cjs).sort();
      console.log(JSON.stringify({ same: JSON.stringify(a) === JSON.stringify(b), n: a.length, hasTerms: typeof cjs.requestTerms }));
    `;
    // Resolve 'sweetspot' through the package's own exports map (self-reference).
    const r = node(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ same: true, hasTerms: 'function' });
    expect(out.n).toBeGreaterThan(10);
  });

  it('an uncaught error prints under its class name, from ESM and CJS alike', () => {
    const esm = node(['--input-type=module', '-e', "import { SweetspotInputError } from 'sweetspot'; throw new SweetspotInputError('bad nIn', ['bad nIn']);"]);
    const cjs = node(['-e', "const { SweetspotMemoryError } = require('sweetspot'); throw new SweetspotMemoryError('too big', 2, 1, 1);"]);
    expect(esm.stderr).toMatch(/^SweetspotInputError: bad nIn$/m);
    expect(cjs.stderr).toMatch(/^SweetspotMemoryError: too big$/m);
    for (const r of [esm, cjs]) expect(r.stderr).not.toMatch(/_Sweetspot|Sweetspot\w*Error2/);
  });

  it('errors thrown by a layer entry are instances of the main entry\'s classes, in CJS too', () => {
    const r = node(['-e', `
      const main = require('sweetspot');
      const energy = require('sweetspot/energy');
      const arch = { ...main.preset('llama-3.1-8b'), id: 'wide', numLayers: 1000 };
      try { energy.estimate(arch, { nIn: 64, nOut: 64 }); } catch (e) {
        console.log(e instanceof main.SweetspotMemoryError, e instanceof main.SweetspotInputError, e instanceof RangeError);
      }`]);
    expect([r.stderr, r.stdout.trim()]).toEqual(['', 'true true false']);
  });

  it('each layer entry imports as ESM and requires as CJS', () => {
    for (const sub of ['architecture', 'complexity', 'energy', 'fit', 'surface']) {
      const r = node(['--input-type=module', '-e', `const a = await import('sweetspot/${sub}'); const { createRequire } = await import('node:module'); const b = createRequire(import.meta.url)('sweetspot/${sub}'); console.log(Object.keys(a).length === Object.keys(b).length && Object.keys(b).length > 5);`]);
      expect([sub, r.stderr, r.stdout.trim()]).toEqual([sub, '', 'true']);
    }
  });

  it('the CLI binary prints help and exits 0, and a bad command exits 2 with one line', () => {
    const help = node([pkg.bin.sweetspot, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: sweetspot <command>/);
    const bad = node([pkg.bin.sweetspot, 'no-such-command']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown command 'no-such-command'/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('the CLI binary starts with a shebang so the bin entry runs directly', () => {
    expect(readFileSync(join(root, pkg.bin.sweetspot), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const out = execFileSync(join(root, pkg.bin.sweetspot), ['--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage/);
  });
});
