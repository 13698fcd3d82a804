import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRUSTED } from './helpers.js';

// Every exported lower-case function of the main entry and the layer entries is called with 1 to
// 3 arguments drawn from `undefined, null, {}, [], NaN, -1, 'x', 1e300, () => 1` (every list: 819
// calls a function). An answer, or a SweetspotInputError, is fine; anything else thrown or
// rejected (a TypeError from deep inside, a RangeError), a call that does not return within
// CALL_LIMIT_MS, or a worker that dies, is a failure, named `entry:function(arguments)`. A new
// export that forgets to check its arguments fails here by name.

const ENTRIES: readonly (readonly [string, string])[] = [
  ['sweetspot', '../../src/index.ts'],
  ['architecture', '../../src/architecture/index.ts'],
  ['complexity', '../../src/complexity/index.ts'],
  ['energy', '../../src/energy/index.ts'],
  ['fit', '../../src/fit/index.ts'],
  ['surface', '../../src/surface/index.ts'],
  // The NVML adapter too: its file functions get junk in a temporary directory (see beforeAll).
  ['nvml', '../../src/nvml/index.ts'],
];


/** Longest a call may take before it counts as a hang (generous: the machine may be busy). */
const CALL_LIMIT_MS = 10_000;

interface JunkRun {
  readonly calls: number;
  readonly functions: ReadonlyMap<string, readonly string[]>;
  readonly failures: readonly { readonly call: string; readonly message: string }[];
}

/**
 * Runs every call in a worker; when a call hangs or kills the worker, records it and goes on in a
 * new worker from the next call.
 */
async function junkRun(entries: readonly (readonly [string, string])[], callLimitMs: number): Promise<JunkRun> {
  const urls = entries.map(([name, path]) => [name, new URL(path, import.meta.url).href]);
  const functions = new Map<string, readonly string[]>();
  const failures: { call: string; message: string }[] = [];
  let start = 0;
  for (;;) {
    const progressBuffer = new SharedArrayBuffer(4);
    const progress = new Int32Array(progressBuffer);
    const worker = new Worker(new URL('./junk-worker.mjs', import.meta.url), { workerData: { entries: urls, start, progressBuffer, asyncTimeoutMs: callLimitMs } });
    const outcome = await new Promise<{ done: number } | { stopped: number; why: string }>((resolve) => {
      let last = -1;
      let since = Date.now();
      const watch = setInterval(() => {
        const current = Atomics.load(progress, 0);
        if (current !== last) [last, since] = [current, Date.now()];
        else if (current > 0 && Date.now() - since > callLimitMs) {
          clearInterval(watch);
          void worker.terminate();
          resolve({ stopped: current, why: `no answer within ${callLimitMs} ms` });
        }
      }, 50);
      worker.on('message', (m: { kind: string; entry: string; names: string[]; call: string; message: string; calls: number }) => {
        if (m.kind === 'functions') functions.set(m.entry, m.names);
        else if (m.kind === 'failure') failures.push({ call: m.call, message: m.message });
        else if (m.kind === 'done') {
          clearInterval(watch);
          resolve({ done: m.calls });
        }
      });
      worker.on('error', (e) => {
        clearInterval(watch);
        resolve({ stopped: Atomics.load(progress, 0), why: `the worker died: ${String(e).split('\n')[0]}` });
      });
    });
    if ('done' in outcome) {
      await worker.terminate();
      return { calls: outcome.done, functions, failures };
    }
    // The stopped call's name: list the calls again up to it (cheap, no call is made).
    failures.push({ call: callName(functions, outcome.stopped), message: outcome.why });
    start = outcome.stopped;
  }
}

const JUNK_NAMES = ['undefined', 'null', '{}', '[]', 'NaN', '-1', "'x'", '1e300', '() => 1'];
const LISTS_PER_FUNCTION = 9 + 81 + 729;

/** The name of call number `n` (1-based) in the worker's order: entries, sorted names, lists. */
function callName(functions: ReadonlyMap<string, readonly string[]>, n: number): string {
  let k = n - 1;
  for (const [entry, names] of functions) {
    for (const name of names) {
      if (k < LISTS_PER_FUNCTION) {
        let length = 1;
        let width = 9;
        while (k >= width) [k, length, width] = [k - width, length + 1, width * 9];
        const args: string[] = [];
        for (let p = 0; p < length; p++) {
          width /= 9;
          args.push(JUNK_NAMES[Math.floor(k / width)]);
          k %= width;
        }
        return `${entry}:${name}(${args.join(', ')})`;
      }
      k -= LISTS_PER_FUNCTION;
    }
  }
  return `call ${n}`;
}

const isTrusted = (call: string): boolean => {
  const [entry, rest] = call.split(':');
  const name = rest.slice(0, rest.indexOf('('));
  // The main entry re-exports from the layers: a trusted function is trusted wherever it appears.
  return Object.values(TRUSTED).some((names) => names.includes(name)) && (entry === 'sweetspot' || (TRUSTED[entry] ?? []).includes(name));
};

describe('every exported function answers junk arguments with a SweetspotInputError', () => {
  let run: JunkRun;
  beforeAll(async () => {
    // lockCampaignFile('x', …) takes a lock named x.lock in the working directory: not the repository's.
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), 'junk-')));
    try {
      run = await junkRun(ENTRIES, CALL_LIMIT_MS);
    } finally {
      process.chdir(cwd);
    }
  }, 600_000);

  it('no call outside the trusted list throws anything else, rejects, or hangs', () => {
    // Every entry was listed, and every function of it called with every list.
    expect([...run.functions.keys()]).toEqual(ENTRIES.map(([name]) => name));
    const total = [...run.functions.values()].reduce((s, names) => s + names.length, 0);
    expect(total).toBeGreaterThan(150);
    expect(run.calls).toBe(total * LISTS_PER_FUNCTION);
    // One line per function: its first failing call and what it threw.
    const first = new Map<string, string>();
    for (const f of run.failures) {
      if (isTrusted(f.call)) continue;
      const fn = f.call.slice(0, f.call.indexOf('('));
      if (!first.has(fn)) first.set(fn, `${f.call} → ${f.message}`);
    }
    expect([...first.values()]).toEqual([]);
  });

  it('the trusted list names only exported functions that still fail on junk', () => {
    for (const [entry, names] of Object.entries(TRUSTED)) {
      const exported = run.functions.get(entry) ?? [];
      for (const name of names) {
        expect(exported, `${entry}:${name} is on the trusted list but not exported`).toContain(name);
        // One that checks its arguments now belongs off the list (and out of the docs).
        expect(
          run.failures.some((f) => f.call.startsWith(`${entry}:${name}(`)),
          `${entry}:${name} no longer fails on junk: take it off the trusted list and out of docs/conventions.md`,
        ).toBe(true);
      }
    }
    const count = Object.values(TRUSTED).reduce((s, names) => s + names.length, 0);
    expect(count).toBeLessThanOrEqual(30);
  });

  it('docs/conventions.md lists exactly the trusted functions, and each says so in an @remarks', () => {
    const docs = readFileSync(new URL('../../docs/conventions.md', import.meta.url), 'utf8');
    const from = docs.indexOf('\n## Trusted arguments');
    expect(from, 'docs/conventions.md has a section "Trusted arguments"').toBeGreaterThan(0);
    const next = docs.indexOf('\n## ', from + 1);
    const section = docs.slice(from, next > 0 ? next : undefined);
    // The section's list items name the trusted functions, in backticks.
    const listed = section
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .flatMap((line) => [...line.matchAll(/`(\w+)`/g)].map((m) => m[1]));
    const trusted = Object.values(TRUSTED).flat();
    expect([...listed].sort()).toEqual([...trusted].sort());
    const sources = readdirSync(new URL('../../src/', import.meta.url), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(new URL(`../../src/${f}`, import.meta.url), 'utf8'));
    for (const name of trusted) {
      const declaration = new RegExp(`\\nexport (?:async )?function ${name}\\b`);
      const text = sources.find((t) => declaration.test(t));
      expect(text, `${name}: no declaration in src/`).toBeDefined();
      const at = text!.search(declaration);
      const comment = text!.slice(text!.lastIndexOf('/**', at), at);
      expect(comment, `${name}: its doc comment has no @remarks on trusted arguments`).toMatch(/@remarks[^@]*trusted/);
    }
  });
});

describe('the junk run itself', () => {
  it('reports a TypeError, a rejection and a hang by name, and passes a function that checks', async () => {
    const { failures, functions, calls } = await junkRun([['fixture', '../fixtures/junk-targets.ts']], 1_000);
    expect(functions.get('fixture')).toEqual(['checked', 'hangs', 'unchecked', 'uncheckedAsync']);
    expect(calls).toBe(4 * LISTS_PER_FUNCTION);
    const calls0 = failures.map((f) => f.call);
    expect(calls0.filter((c) => c.startsWith('fixture:checked('))).toEqual([]);
    expect(failures).toContainEqual({ call: 'fixture:unchecked(undefined)', message: expect.stringMatching(/^TypeError: Cannot read properties of undefined/) });
    expect(failures).toContainEqual({ call: 'fixture:uncheckedAsync(null)', message: expect.stringMatching(/^TypeError/) });
    // The worker was stopped at the hang, and a new one went on after it (unchecked comes after hangs).
    expect(failures).toContainEqual({ call: 'fixture:hangs(-1)', message: 'no answer within 1000 ms' });
    expect(calls0.filter((c) => c.startsWith('fixture:hangs('))).toEqual(['fixture:hangs(-1)']);
    expect(calls0.filter((c) => c.startsWith('fixture:unchecked(')).length).toBeGreaterThan(0);
  }, 120_000);
});
