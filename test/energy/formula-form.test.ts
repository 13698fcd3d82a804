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
    await expect(compileFormula('a = nIn')).rejects.toThrow(/AssignmentNode is not supported/);
    await expect(compileFormula('a * nIn > 3')).rejects.toThrow(/operator '>' at character 9 is not supported/);
    await expect(compileFormula('[a, nIn]')).rejects.toThrow(/ArrayNode is not supported/);
    await expect(compileFormula('  ')).rejects.toThrow(/non-empty/);
  });

  it('keeps pi a constant, not a parameter', async () => {
    const form = await compileFormula('a * pi * nIn');
    expect(form.params.map((p) => p.name)).toEqual(['a']);
    expect(form.predictJ([2], x, {})).toBeCloseTo(2 * Math.PI * 512, 10);
  });
});

describe('mathjs stays out of the main entry', () => {
  // A static `import … from 'mathjs'` anywhere in src would load it (~0.5 s) with the library.
  it('no source file imports mathjs statically', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.[cm]?ts$/.test(name)) {
          const text = readFileSync(path, 'utf8');
          if (/^\s*import\s+(?!type\b)[^;]*from\s+['"]mathjs(\/[^'"]*)?['"]/m.test(text) || /require\(\s*['"]mathjs/.test(text)) offenders.push(path);
        }
      }
    };
    walk(join(import.meta.dirname, '../../src'));
    expect(offenders).toEqual([]);
  });
});
