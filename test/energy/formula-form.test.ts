import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/energy/forms/formula.js';
import { SweetspotInputError } from '../../src/errors.js';
import { expectClose, features, finiteDifferences } from './helpers.js';

const x = features({ nIn: 512, nOut: 64, batch: 2, prefillFlops: 3e13, decodeBytes: 8e11, decodeSteps: 63 });

describe('compileFormula', () => {
  it('treats features as variables and every other symbol as a parameter, in order of appearance', async () => {
    const form = await compileFormula('e1 * prefillFlops + e2 * decodeBytes + p0 * nOut + c');
    expect(form.params.map((p) => p.name)).toEqual(['e1', 'e2', 'p0', 'c']);
    expect(form.params.every((p) => p.lower === 0 && p.upper === Infinity)).toBe(true);
    expect(form.id).toBe('formula');
    expect(form.scope).toBe('shared');
    expect(form.needsProfile).toBe(false);
    const theta = [1e-12, 5e-11, 0.3, 2];
    expect(form.predictJ(theta, x, {})).toBeCloseTo(30 + 40 + 19.2 + 2, 10);
  });

  it('differentiates analytically: matches finite differences on a nonlinear formula', async () => {
    const form = await compileFormula('a * exp(-k * nIn / 1000) + b * nOut ^ p + s * sqrt(prefillFlops) / (1 + q * batch) + log(1 + r * nOut)');
    expect(form.params.map((p) => p.name)).toEqual(['a', 'k', 'b', 'p', 's', 'q', 'r']);
    const theta = [40, 1.3, 0.02, 1.4, 1e-5, 0.5, 0.3];
    const grad = new Float64Array(theta.length);
    form.gradient!(theta, x, {}, grad);
    expectClose(grad, finiteDifferences(form, theta, x, {}), 1e-6);
    // One entry by hand: ∂E/∂a = exp(−k·nIn/1000).
    expect(grad[0]).toBeCloseTo(Math.exp(-1.3 * 0.512), 12);
    // And the value by hand.
    const hand = 40 * Math.exp(-1.3 * 0.512) + 0.02 * 64 ** 1.4 + (1e-5 * Math.sqrt(3e13)) / (1 + 0.5 * 2) + Math.log(1 + 0.3 * 64);
    expect(form.predictJ(theta, x, {})).toBeCloseTo(hand, 10);
  });

  it('takes bounds, units and scope from options', async () => {
    const form = await compileFormula('a * nIn - c', { bounds: { c: [-10, 10] }, units: { a: 'J/token' }, scope: 'per-model' });
    expect(form.params[1]).toMatchObject({ name: 'c', lower: -10, upper: 10 });
    expect(form.params[0]).toMatchObject({ unit: 'J/token', lower: 0 });
    expect(form.scope).toBe('per-model');
    await expect(compileFormula('a * nIn', { bounds: { b: [0, 1] } })).rejects.toThrow(/bounds name 'b', which is not a parameter \(parameters: a\)/);
    await expect(compileFormula('a * nIn', { bounds: { a: [2, 1] } })).rejects.toThrow(/lower ≤ upper/);
  });

  it('names the formula and the position of a syntax error', async () => {
    await expect(compileFormula('a * nIn + ')).rejects.toThrow(SweetspotInputError);
    await expect(compileFormula('a * nIn + ')).rejects.toThrow(/formula 'a \* nIn \+ ': syntax error at character 11/);
    await expect(compileFormula('a * (nIn + b')).rejects.toThrow(/syntax error at character 13/);
  });

  it('names an unknown function and where it is', async () => {
    await expect(compileFormula('a * nIn + b * foo(nOut)')).rejects.toThrow(
      /formula 'a \* nIn \+ b \* foo\(nOut\)': unknown function 'foo' at character 15 \(allowed: sqrt/,
    );
  });

  it('rejects syntax beyond arithmetic (assignments, comparisons, matrices)', async () => {
    await expect(compileFormula('a = nIn')).rejects.toThrow(/AssignmentNode at character 3 is not supported/);
    await expect(compileFormula('a * nIn > 3')).rejects.toThrow(/operator '>' at character 9 is not supported/);
    await expect(compileFormula('[a, nIn]')).rejects.toThrow(/ArrayNode at character 1 is not supported/);
    await expect(compileFormula('  ')).rejects.toThrow(/non-empty/);
  });

  it('names the position of every kind of unsupported syntax', async () => {
    // Positions counted by hand, 1-based.
    await expect(compileFormula('a * nIn ? b : c')).rejects.toThrow(/ConditionalNode at character 9 /);
    await expect(compileFormula('a * 2.5 * x.y')).rejects.toThrow(/AccessorNode at character 12 /);
    await expect(compileFormula('a * nIn; b')).rejects.toThrow(/BlockNode at character 8 /);
    await expect(compileFormula('a * nOut mod 3')).rejects.toThrow(/operator 'mod' at character 10 /);
    await expect(compileFormula('a * nIn + "x"')).rejects.toThrow(/constant x at character 11 is not a finite number/);
    await expect(compileFormula('a * 2 * true')).rejects.toThrow(/constant true at character 9 /);
    await expect(compileFormula('a * nIn * 1e400')).rejects.toThrow(/constant Infinity at character 11 /);
    // 'and' is found as a word, not inside the parameter name 'band'.
    await expect(compileFormula('band * nIn and c')).rejects.toThrow(/operator 'and' at character 12 /);
    await expect(compileFormula('a * max(nIn, b)')).rejects.toThrow(
      /cannot differentiate with respect to 'b' inside 'max' at character 5 \(min and max may not have parameters inside\)/,
    );
  });

  it('checks the number of arguments of each function, naming it and where it is', async () => {
    // sqrt(x, n) used to give a value of sqrt(x) and the gradient of mathjs's nth root x^(1/n).
    await expect(compileFormula('a * nIn + sqrt(b, 3)')).rejects.toThrow(/function 'sqrt' at character 11 takes 1 argument, got 2/);
    await expect(compileFormula('pow(a)')).rejects.toThrow(/function 'pow' at character 1 takes 2 arguments, got 1/);
    await expect(compileFormula('a * log(nIn, 2, 3)')).rejects.toThrow(/function 'log' at character 5 takes 1 or 2 arguments, got 3/);
    await expect(compileFormula('a + min()')).rejects.toThrow(/function 'min' at character 5 takes at least 1 argument, got 0/);
    await expect(compileFormula('abs(a, 2)')).rejects.toThrow(/takes 1 argument, got 2/);
    const form = await compileFormula('a * max(nIn, nOut, 100) + b * log(nIn, 2)');
    expect(form.predictJ([2, 3], x, {})).toBeCloseTo(2 * 512 + 3 * 9, 12);
  });

  it('differentiates log2 of a parameter (mathjs derivative has no log2)', async () => {
    const form = await compileFormula('a * log2(b * nIn)');
    const theta = [3, 0.25];
    const grad = new Float64Array(2);
    form.gradient!(theta, x, {}, grad);
    // By hand: ∂/∂a = log2(b·nIn) = log2(128) = 7; ∂/∂b = a/(b·ln 2).
    expect(grad[0]).toBeCloseTo(7, 12);
    expect(grad[1]).toBeCloseTo(3 / (0.25 * Math.LN2), 10);
    expect(form.predictJ(theta, x, {})).toBeCloseTo(21, 12);
  });

  it('treats e, i, phi, tau, E as parameters in the gradient too, as in the value', async () => {
    // mathjs's simplify() would read e as Euler's number: d/da e^a came out as e^a instead of e^a·ln(e).
    const form = await compileFormula('e ^ a * nIn + phi * i ^ 2 + tau * E');
    expect(form.params.map((p) => p.name)).toEqual(['e', 'a', 'phi', 'i', 'tau', 'E']);
    const theta = [0.5, 1.1, 2, 3, 5, 7];
    const grad = new Float64Array(theta.length);
    form.gradient!(theta, x, {}, grad);
    const hand = [1.1 * 0.5 ** 0.1 * 512, Math.log(0.5) * 0.5 ** 1.1 * 512, 9, 2 * 2 * 3, 7, 5];
    expectClose(grad, hand, 1e-12);
    expectClose(grad, finiteDifferences(form, theta, x, {}), 1e-6);
  });

  it('refuses names of Object.prototype members and JavaScript globals as parameters, by one rule', async () => {
    // Such a name once spliced an inherited function into the generated code, and `__proto__` as a
    // record key is lost on save: all are refused before parsing (docs/energy-models.md#limits-on-untrusted-input).
    for (const name of ['constructor', 'toString', 'valueOf', '__proto__', 'prototype', 'Math', 'globalThis', 'process']) {
      await expect(compileFormula(`${name} * nIn + c`), name).rejects.toThrow(new RegExp(`'${name}' at character 1 is a reserved name`));
    }
    const form = await compileFormula('ctor * nIn + str * nOut + val', { units: { str: 'J/token' } });
    expect(form.params.map((p) => [p.name, p.lower, p.unit])).toEqual([
      ['ctor', 0, 'unspecified'],
      ['str', 0, 'J/token'],
      ['val', 0, 'unspecified'],
    ]);
    expect(form.predictJ([1, 2, 3], x, {})).toBe(512 + 128 + 3);
  });

  it('keeps pi a constant, not a parameter', async () => {
    const form = await compileFormula('a * pi * nIn');
    expect(form.params.map((p) => p.name)).toEqual(['a']);
    expect(form.predictJ([2], x, {})).toBeCloseTo(2 * Math.PI * 512, 10);
  });
});

/** Whether a TypeScript source loads mathjs when it is imported (a type-only import does not). */
function importsMathjsStatically(text: string): boolean {
  const statement = /^\s*(?:import|export)\s+(?!type\b)(?:[^;'"]*?\bfrom\s+)?['"]mathjs(?:\/[^'"]*)?['"]/m;
  return statement.test(text) || /\brequire\(\s*['"]mathjs/.test(text);
}

describe('mathjs stays out of the main entry', () => {
  it('the check recognises every static form, and not type-only or dynamic imports', () => {
    for (const text of [
      "import { parse } from 'mathjs';",
      "import * as math from 'mathjs/number';",
      "import {\n  parse,\n  derivative,\n} from 'mathjs';",
      "import 'mathjs';",
      "export { parse } from 'mathjs';",
      "export * from 'mathjs';",
      "import math = require('mathjs');",
    ]) {
      expect([text, importsMathjsStatically(text)]).toEqual([text, true]);
    }
    for (const text of ["import type { MathNode } from 'mathjs';", "const math = await import('mathjs');", "// import { parse } from 'mathjs'"]) {
      expect([text, importsMathjsStatically(text)]).toEqual([text, false]);
    }
  });

  // A static import of mathjs anywhere in src would load it (~0.5 s, ~50 MB) with the library.
  it('no source file imports mathjs statically', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.[cm]?ts$/.test(name) && importsMathjsStatically(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    walk(join(import.meta.dirname, '../../src'));
    expect(offenders).toEqual([]);
  });
});
