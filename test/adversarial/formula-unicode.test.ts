import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/energy/forms/formula.js';
import { FORMULA_LIMITS, checkFormulaText } from '../../src/energy/forms/formula-limits.js';
import { inputError } from './helpers.js';

// mathjs reads Greek and accented Latin letters as names; the limit of parameters must count them
// as it counts ASCII names (docs/energy-models.md#limits-on-untrusted-input).

/** `count` distinct one-letter Greek names (α, β, …, then Latin-1 letters), mathjs-readable. */
function letters(count: number): string[] {
  const greek = Array.from({ length: 25 }, (_, k) => String.fromCharCode(0x3b1 + k)).filter((c) => c !== 'ς');
  const latin = Array.from({ length: 0x2af - 0xc0 }, (_, k) => String.fromCharCode(0xc0 + k)).filter((c) => c !== '×' && c !== '÷');
  return [...greek, ...latin].slice(0, count);
}

describe('formula names beyond ASCII', () => {
  it(`refuses more than ${FORMULA_LIMITS.maxParams} Greek or accented parameters before parsing (331 were compiled, past the limit)`, async () => {
    const names = letters(FORMULA_LIMITS.maxParams + 1);
    expect(new Set(names).size).toBe(FORMULA_LIMITS.maxParams + 1);
    const isKnown = (n: string) => n === 'nIn';
    expect(() => checkFormulaText(names.join(' '), isKnown)).toThrow(`more than ${FORMULA_LIMITS.maxParams} parameters`);
    expect(() => checkFormulaText(`sqrt(nIn ${names.join('+')})`, isKnown)).toThrow(`more than ${FORMULA_LIMITS.maxParams} parameters`);
    await inputError(compileFormula(letters(331).join(' ')), [`more than ${FORMULA_LIMITS.maxParams} parameters`]);
  });

  it(`compiles ${FORMULA_LIMITS.maxParams} of them, as mathjs names them`, async () => {
    const names = letters(FORMULA_LIMITS.maxParams);
    const form = await compileFormula(`${names.join('*nIn + ')}*nOut`);
    expect(form.params.map((p) => p.name)).toEqual(names);
    const theta = names.map((_, k) => k + 1);
    // Σ_{k<23} θ_k·nIn + θ_23·nOut at nIn = 2, nOut = 3.
    const sumFirst = theta.slice(0, -1).reduce((a, b) => a + b, 0);
    expect(form.predictJ(theta, { nIn: 2, nOut: 3 } as never, {} as never)).toBe(2 * sumFirst + 3 * theta[theta.length - 1]);
  });
});
