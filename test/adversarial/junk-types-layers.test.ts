import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import * as architecture from '../../src/architecture/index.js';
import * as complexity from '../../src/complexity/index.js';
import * as energy from '../../src/energy/index.js';
import * as fit from '../../src/fit/index.js';
import * as main from '../../src/index.js';
import * as nvml from '../../src/nvml/index.js';
import * as surface from '../../src/surface/index.js';
import { EXOTIC_JUNK, TRUSTED } from './helpers.js';

// The values of junk-types.test.ts (a BigInt, a symbol, a cycle, an object without a prototype)
// and a string where a number belongs, through every entry: a service may import a layer entry
// and call its per-point helpers directly. Each call must answer or throw a SweetspotInputError,
// and an answer must hold no NaN (docs/conventions.md: numbers never silently become NaN).

const ENTRIES: readonly (readonly [string, Record<string, unknown>])[] = [
  ['sweetspot', main],
  ['architecture', architecture],
  ['complexity', complexity],
  ['energy', energy],
  ['fit', fit],
  ['surface', surface],
  ['nvml', nvml],
];

/** Documented as taking trusted typed data (docs/conventions.md#trusted-arguments), in any entry. */
const TRUSTED_NAMES = new Set(Object.values(TRUSTED).flat());

const JUNK: readonly (readonly [string, () => unknown])[] = [...EXOTIC_JUNK, ["'x'", () => 'x']];

/** Where a NaN sits in `value` (a number, an array, a typed array or a plain object), or undefined. */
export function nanPath(value: unknown, path = '', seen = new Set<unknown>()): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? path || '(the answer)' : undefined;
  if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const values = value as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return `${path}[${i}]`;
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nanPath(inner, `${path}.${key}`, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('every entry: BigInt, symbol, cyclic, prototype-less and string arguments', () => {
  it('finds a NaN however deep it sits', () => {
    expect(nanPath(NaN)).toBe('(the answer)');
    expect(nanPath({ a: [1, { b: NaN }] })).toBe('.a.1.b');
    expect(nanPath(new Float64Array([1, NaN]))).toBe('[1]');
    expect(nanPath({ a: 1, b: [2, 3], c: 'NaN' })).toBeUndefined();
  });

  it('every function answers them with a SweetspotInputError or an answer without NaN', async () => {
    const failures: string[] = [];
    const cwd = process.cwd();
    // lockCampaignFile and other file functions act in the working directory: not the repository's.
    process.chdir(mkdtempSync(join(tmpdir(), 'junk-types-')));
    try {
      for (const [entry, module] of ENTRIES) {
        const names = Object.keys(module).filter((k) => typeof module[k] === 'function' && /^[a-z]/.test(k) && !TRUSTED_NAMES.has(k));
        expect(names.length, entry).toBeGreaterThan(3);
        for (const name of names) {
          const lists = [...JUNK.map((j) => [j]), ...JUNK.flatMap((a) => JUNK.map((b) => [a, b]))];
          // A number first and junk after: the place of a label, a count or an option.
          lists.push(...JUNK.map((j) => [['1', () => 1] as const, j]));
          for (const list of lists) {
            const call = `${entry}:${name}(${list.map(([shown]) => shown).join(', ')})`;
            try {
              let result = (module[name] as (...a: unknown[]) => unknown)(...list.map(([, make]) => make()));
              if (result instanceof Promise) result = await result;
              const at = nanPath(result);
              if (at !== undefined) failures.push(`${call} → NaN at ${at}`);
            } catch (error) {
              if (!(error instanceof SweetspotInputError)) failures.push(`${call} → ${(error as Error).name}: ${(error as Error).message}`.split('\n')[0].slice(0, 200));
            }
          }
        }
      }
    } finally {
      process.chdir(cwd);
    }
    // One line per function: its first failing call.
    const first = new Map<string, string>();
    for (const f of failures) {
      const fn = f.slice(0, f.indexOf('('));
      if (!first.has(fn)) first.set(fn, f);
    }
    expect([...first.values()]).toEqual([]);
  }, 300_000);
});
