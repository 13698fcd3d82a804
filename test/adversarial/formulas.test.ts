import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { compileFormula } from '../../src/energy/forms/formula.js';
import { FORMULA_LIMITS, checkFormulaText } from '../../src/energy/forms/formula-limits.js';
import { inputError } from './helpers.js';

// mathjs is wrapped so that each test can tell whether a formula ever reached the parser: the
// costly inputs must be refused by the linear pre-scan, before parse, derivative and compile.
const parsed = vi.hoisted(() => ({ count: 0, throwRangeErrorFor: undefined as string | undefined }));
vi.mock('mathjs', async (importOriginal) => {
  const math = await importOriginal<typeof import('mathjs')>();
  return {
    ...math,
    parse: (text: string, ...rest: unknown[]) => {
      parsed.count++;
      if (text === parsed.throwRangeErrorFor) throw new RangeError('Maximum call stack size exceeded');
      return (math.parse as (...a: unknown[]) => unknown)(text, ...rest);
    },
  };
});

beforeEach(() => {
  parsed.count = 0;
  parsed.throwRangeErrorFor = undefined;
});

/** `sqrt(a_k*nIn + …)` nested `depth` deep, a parameter at every level (cost ~depth³ to differentiate). */
function nestedSqrt(depth: number): string {
  let f = 'nIn';
  for (let k = 0; k < depth; k++) f = `sqrt(a${k}*nIn + ${f})`;
  return f;
}

describe('formulas: size, depth and names are bounded before mathjs parses', () => {
  it('refuses the 250-deep nested sqrt (35–40 s and 5.8 GB to compile before) without parsing it', async () => {
    const text = nestedSqrt(250);
    expect(text.length).toBeGreaterThan(3000);
    await inputError(compileFormula(text), [/^formula '/, `more than the limit of ${FORMULA_LIMITS.maxChars}`]);
    expect(parsed.count).toBe(0);
  });

  it('refuses nesting deeper than the limit even in a short text (depth 50 made fit run past 120 s)', async () => {
    const text = 'sqrt('.repeat(50) + 'a*nIn' + ')'.repeat(50);
    expect(text.length).toBeLessThan(FORMULA_LIMITS.maxChars);
    await inputError(compileFormula(text), [`nesting deeper than ${FORMULA_LIMITS.maxDepth} levels at character ${5 * (FORMULA_LIMITS.maxDepth + 1)}`]);
    expect(parsed.count).toBe(0);
  });

  it('refuses the stack-overflowing texts as input errors, not RangeError: a run of signs, and 5000 terms', async () => {
    for (const text of ['0' + '-'.repeat(5000) + 'a*nIn', 'a*nIn' + '+b'.repeat(5000)]) {
      const error = await inputError(compileFormula(text), [/^formula '/, 'characters, more than the limit']);
      expect(error).not.toBeInstanceOf(RangeError);
    }
    // Inside the length limit, the same shapes are still refused by their own limits.
    await inputError(compileFormula('0' + '-'.repeat(50) + 'a*nIn'), [`3 operators in a row at character 4 (at most ${FORMULA_LIMITS.maxOperatorRun})`]);
    await inputError(compileFormula('a*nIn' + '+b'.repeat(200)), [`more than ${FORMULA_LIMITS.maxOperators} operators`]);
    await inputError(compileFormula(Array.from({ length: 30 }, (_, k) => `p${k}*nIn`).join('+')), [`more than ${FORMULA_LIMITS.maxParams} parameters`]);
    expect(parsed.count).toBe(0);
  });

  it('turns a RangeError from inside mathjs into an input error naming the formula', async () => {
    parsed.throwRangeErrorFor = 'a*nIn + b';
    const error = await inputError(compileFormula('a*nIn + b'), ["formula 'a*nIn + b': too complex to compile (Maximum call stack size exceeded)"]);
    expect(error).not.toBeInstanceOf(RangeError);
  });

  it('keeps the worst formula inside the limits cheap: bounded generated code', async () => {
    // Every limit at once: depth 8 of nested calls, parameters at each level, 24 parameters.
    let f = 'nIn';
    for (let k = 0; k < FORMULA_LIMITS.maxDepth - 1; k++) f = `sqrt(a${k}*nIn+b${k}*nOut+c${k}*${f})`;
    const form = await compileFormula(f);
    expect(form.params).toHaveLength(21);
    // The work is measured by what was generated: the gradient's source stays far below a megabyte.
    const source = (form.gradient as (...a: unknown[]) => unknown).toString();
    expect(source.length).toBeLessThan(1 << 20);
    expect(parsed.count).toBe(1);
  });

  it('refuses JavaScript globals and prototype members as parameters, all by one rule', async () => {
    for (const name of ['Math', 'globalThis', 'process', 'constructor', '__proto__', 'prototype', 'Object', 'eval', 'require', '__defineGetter__']) {
      await inputError(compileFormula(name), [`'${name}' at character 1 is a reserved name`]);
      await inputError(compileFormula(`a*nIn + ${name}`), [`'${name}' at character 9 is a reserved name`]);
    }
    expect(parsed.count).toBe(0);
    // Feature names, functions, pi and ordinary parameter names pass the same rule.
    expect(() => checkFormulaText('e1*prefillFlops + sqrt(p0)*pi + theta_2', (n) => ['prefillFlops', 'sqrt', 'pi'].includes(n))).not.toThrow();
  });

  it('keeps the input error type for every refusal (a service catching input errors catches these)', async () => {
    const refused = await Promise.allSettled([compileFormula(nestedSqrt(250)), compileFormula('Math'), compileFormula('(' .repeat(20) + 'a' + ')'.repeat(20))]);
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SweetspotInputError);
    }
  });
});
