import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/energy/forms/formula.js';
import { inputError } from './helpers.js';

// compileFormula's options come from the caller (a service compiling its users' forms): each is
// checked before any work, by name, rather than failing inside or entering the form as given.

describe('compileFormula options', () => {
  it("refuses a bound that is not a pair (bounds: { a: 5 } threw TypeError 'own is not iterable')", async () => {
    await inputError(compileFormula('a*nIn', { bounds: { a: 5 as never } }), ['compileFormula(text, options): bounds.a must be [lower, upper], two numbers', 'got a number (5)']);
  });

  it("refuses bounds of other kinds, which became the parameter's bounds ('xy' gave lower 'x', upper 'y')", async () => {
    const cases: [unknown, string][] = [
      ['xy', "got a string (xy)"],
      [null, 'got null'],
      [[1n, 5n], 'got [a bigint (1), a bigint (5)]'],
      [[0, NaN], 'got [a number (0), a number (NaN)]'],
      [[0], 'got [a number (0)]'],
      [[0, 1, 2], 'got [a number (0), a number (1), a number (2)]'],
      [['0', '1'], "got [a string (0), a string (1)]"],
    ];
    for (const [bound, got] of cases) await inputError(compileFormula('a*nIn', { bounds: { a: bound as never } }), ['bounds.a must be [lower, upper]', got]);
    await inputError(compileFormula('a*nIn', { bounds: 5 as never }), ['bounds must be an object keyed by parameter, got a number (5)']);
    await inputError(compileFormula('a*nIn', { bounds: [[0, 1]] as never }), ['bounds must be an object keyed by parameter, got an array']);
  });

  it('refuses a unit that is not a string, an unknown scope, and an unknown key (each was taken as given)', async () => {
    await inputError(compileFormula('a*nIn', { units: { a: 5 as never } }), ['units.a must be a string, got a number (5)']);
    await inputError(compileFormula('a*nIn', { units: 'J' as never }), ['units must be an object keyed by parameter']);
    await inputError(compileFormula('a*nIn', { scope: 'xx' as never }), ["scope must be 'shared' or 'per-model', got a string (xx)"]);
    await inputError(compileFormula('a*nIn', { bound: { a: [0, 1] } } as never), ['unknown key "bound" (did you mean bounds?)']);
  });

  it("refuses units for a name the formula does not have, as it refuses such bounds (units: { b: 'J' } was ignored)", async () => {
    await inputError(compileFormula('a*nIn', { units: { b: 'J' } }), ["formula 'a*nIn': units name 'b', which is not a parameter (parameters: a)"]);
    await inputError(compileFormula('a*nIn', { bounds: { b: [0, 1] } }), ["formula 'a*nIn': bounds name 'b', which is not a parameter (parameters: a)"]);
  });

  it('keeps the options it took: infinite ends, units and the per-model scope', async () => {
    const form = await compileFormula('a*nIn + c', { scope: 'per-model', bounds: { c: [-Infinity, 10] }, units: { a: 'J/token' } });
    expect(form.scope).toBe('per-model');
    expect(form.params.map((p) => [p.name, p.lower, p.upper, p.unit])).toEqual([
      ['a', 0, Infinity, 'J/token'],
      ['c', -Infinity, 10, 'unspecified'],
    ]);
  });
});
