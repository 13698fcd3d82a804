import { describe, expect, it } from 'vitest';
import { linearForm } from '../../src/energy/forms/linear.js';
import { perParamForm } from '../../src/energy/forms/per-param.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { energyForm, BUILT_IN_FORMS } from '../../src/energy/forms/registry.js';
import { SweetspotInputError } from '../../src/errors.js';
import { features } from './helpers.js';

describe('sweetspot form', () => {
  const theta = [2e-6, 3e-3, 5e-5, 7e-6, 0.25, 11];
  const x = features({ nIn: 300, nOut: 40, batch: 1 });

  it('predicts the polynomial, by hand', () => {
    // 2e-6·90000 + 3e-3·300 + 5e-5·12000 + 7e-6·1600 + 0.25·40 + 11
    const hand = 0.18 + 0.9 + 0.6 + 0.0112 + 10 + 11;
    expect(sweetspotForm.predictJ(theta, x, {})).toBeCloseTo(hand, 12);
  });

  it('basis·θ equals the prediction and the gradient equals the basis', () => {
    const basis = new Float64Array(6);
    const grad = new Float64Array(6);
    sweetspotForm.basis!(x, {}, basis);
    sweetspotForm.gradient!(theta, x, {}, grad);
    expect(Array.from(basis)).toEqual([90000, 300, 12000, 1600, 40, 1]);
    expect(Array.from(grad)).toEqual(Array.from(basis));
    const dot = basis.reduce((s, b, k) => s + b * theta[k], 0);
    expect(dot).toBeCloseTo(sweetspotForm.predictJ(theta, x, {}), 12);
  });

  it('declares θ ≥ 0 with the units of docs/conventions.md', () => {
    expect(sweetspotForm.params.map((p) => p.unit)).toEqual(['J/token²', 'J/token', 'J/token²', 'J/token²', 'J/token', 'J']);
    expect(sweetspotForm.params.every((p) => p.lower === 0 && p.upper === Infinity)).toBe(true);
    expect(sweetspotForm.scope).toBe('per-model');
  });
});

describe('baselines', () => {
  it('linear: a·i + b·o + c', () => {
    const x = features({ nIn: 100, nOut: 20 });
    expect(linearForm.predictJ([0.5, 2, 7], x, {})).toBe(50 + 40 + 7);
    const basis = new Float64Array(3);
    linearForm.basis!(x, {}, basis);
    expect(Array.from(basis)).toEqual([100, 20, 1]);
  });

  it('per-param: B·o·(a + b·P), blind to the prompt', () => {
    const x = features({ nIn: 100, nOut: 20, batch: 3, params: 7e9 });
    expect(perParamForm.predictJ([0.1, 2e-11], x, {})).toBeCloseTo(3 * 20 * (0.1 + 0.14), 12);
    const longer = features({ nIn: 5000, nOut: 20, batch: 3, params: 7e9 });
    expect(perParamForm.predictJ([0.1, 2e-11], longer, {})).toBe(perParamForm.predictJ([0.1, 2e-11], x, {}));
    const basis = new Float64Array(2);
    perParamForm.basis!(x, {}, basis);
    expect(Array.from(basis)).toEqual([60, 60 * 7e9]);
    expect(perParamForm.scope).toBe('shared');
  });
});

describe('form registry', () => {
  it('returns the built-in forms by id', () => {
    expect([...BUILT_IN_FORMS].sort()).toEqual(['hardware', 'linear', 'per-param', 'sweetspot']);
    for (const id of BUILT_IN_FORMS) expect(energyForm(id).id).toBe(id);
  });

  it('sends formulas to compileFormula and lists the ids for an unknown one', () => {
    expect(() => energyForm('formula')).toThrow(/compileFormula/);
    expect(() => energyForm('cubic')).toThrow(SweetspotInputError);
    expect(() => energyForm('cubic')).toThrow(/unknown energy form 'cubic'.*sweetspot.*hardware.*linear.*per-param/);
  });
});
