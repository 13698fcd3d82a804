import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import * as main from '../../src/index.js';
import { EXOTIC_JUNK } from './helpers.js';

// The values junk-arguments.test.ts does not try, through the main entry (what services call):
// a BigInt, a symbol, a cyclic object and an object without a prototype, alone or beside another,
// as the first or second argument.
// A symbol throws where a template or a comparison meets it, a BigInt where arithmetic mixes it
// with numbers, a cycle where JSON writes it: each must be an input error naming the argument.

const JUNK = EXOTIC_JUNK;

describe('main entry: BigInt, symbol, cyclic and prototype-less arguments', () => {
  it('every function answers them with a SweetspotInputError or an answer, never another error', async () => {
    const failures: string[] = [];
    const names = Object.keys(main).filter((k) => typeof (main as Record<string, unknown>)[k] === 'function' && /^[a-z]/.test(k));
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const lists = [...JUNK.map((j) => [j]), ...JUNK.flatMap((a) => JUNK.map((b) => [a, b]))];
      for (const list of lists) {
        try {
          const result = ((main as Record<string, unknown>)[name] as (...a: unknown[]) => unknown)(...list.map(([, make]) => make()));
          if (result instanceof Promise) await result;
        } catch (error) {
          if (!(error instanceof SweetspotInputError)) failures.push(`${name}(${list.map(([shown]) => shown).join(', ')}) → ${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('names the value: axisLog(Symbol) threw "Cannot convert a Symbol value to a number" in its default point count', () => {
    expect(() => main.axisLog(Symbol('s') as never, 10)).toThrow(SweetspotInputError);
    expect(() => main.axisLog(Symbol('s') as never, 10)).toThrow(/axis: start must be .*Symbol\(s\)/);
  });
});
