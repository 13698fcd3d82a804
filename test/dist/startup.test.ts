import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The main entry loads without evaluating zod (docs/conventions.md#built-in-data): zod is loaded on
// the first parse of outside input. Checked by which modules a fresh process holds, never by time.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// An ESM resolve hook that refuses any module file of zod, so an ESM import of zod anywhere in the
// graph fails the import.
const hook = `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (/[\\\\/]node_modules[\\\\/]zod[\\\\/]/.test(r.url)) throw new Error('zod imported: ' + r.url);
  return r;
}`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
const forbidZod = ['--import', `data:text/javascript,${encodeURIComponent(register)}`];

/** Runs an ES module script in a fresh process under the hook; returns its last stdout line as JSON. */
function run(script: string, flags = forbidZod): { status: number | null; stderr: string; out: Record<string, unknown> | undefined } {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop();
  return { status: r.status, stderr: r.stderr, out: last ? JSON.parse(last) : undefined };
}

// zod files held by the CommonJS loader (src/zod.ts loads zod with require).
const zodRequired = `Object.keys((await import('node:module')).createRequire(import.meta.url).cache).filter((k) => /[\\\\/]node_modules[\\\\/]zod[\\\\/]/.test(k)).length`;

describe('the main entry at startup', () => {
  it('imports (ESM) without loading zod, and loads it when input is first parsed', () => {
    const r = run(`
      const m = await import('sweetspot');
      const atImport = ${zodRequired};
      // Built-in data is served without zod too.
      const served = m.presetIds().length > 0 && m.H100_DEFAULT_CALIBRATION.form === 'hardware' && m.listCalibrations().length > 0 && m.HARDWARE_PROFILES.length > 0;
      const afterData = ${zodRequired};
      let error = '';
      try { m.parseCalibration({ version: 2 }); } catch (e) { error = (e instanceof m.SweetspotInputError) + ' ' + e.message; }
      console.log(JSON.stringify({ atImport, served, afterData, afterParse: ${zodRequired}, error }));
    `);
    expect(r.stderr).toBe('');
    expect(r.out).toMatchObject({ atImport: 0, served: true, afterData: 0 });
    // The check sees zod once it is loaded: the first parse of outside input loads it.
    expect(r.out!.afterParse).toBeGreaterThan(0);
    expect(r.out!.error).toMatch(/^true calibration: form: /);
  });

  it('the hook refuses an ESM import of zod (so the check above can fail)', () => {
    const r = run(`await import('zod'); console.log('{}');`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/zod imported: /);
  });

  it('requires (CJS) without loading zod', () => {
    const r = run(`
      const { createRequire } = await import('node:module');
      const m = createRequire(import.meta.url)('sweetspot');
      const atRequire = ${zodRequired};
      m.estimate('llama-3.1-8b', { nIn: 128, nOut: 16 });
      console.log(JSON.stringify({ atRequire, afterEstimate: ${zodRequired} }));
    `);
    expect(r.stderr).toBe('');
    expect(r.out!.atRequire).toBe(0);
    expect(r.out!.afterEstimate).toBeGreaterThan(0);
  });

  it('a layer entry that exports schemas builds them when it loads', () => {
    const r = run(`const e = await import('sweetspot/energy'); console.log(JSON.stringify({ n: ${zodRequired}, ok: e.CalibrationSchema.safeParse({}).success }));`);
    expect(r.stderr).toBe('');
    expect(r.out!.n).toBeGreaterThan(0);
    expect(r.out!.ok).toBe(false);
  });
});
