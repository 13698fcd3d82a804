import { describe, expect, it } from 'vitest';
import type { EnergyForm } from '../../../src/energy/form.js';
import { hardwareForm } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { fitForm } from '../../../src/fit/solve/fit-form.js';
import { pinParams } from '../../../src/fit/solve/pin.js';
import { featuresOf, lengths, noise, perTokenForm } from '../helpers.js';

const THETA = [2e-5, 0.05, 3e-3, 1e-3, 3, 20];
const GRID = [16, 64, 256, 1024, 2048].flatMap((i) => [8, 32, 128, 512].map((o) => lengths(i, o)));

/** E = a·o + c, both ≥ 0: a linear form small enough to fit by hand. */
const lineForm: EnergyForm = {
  id: 'test-line',
  expression: 'a·o + c',
  scope: 'shared',
  needsProfile: false,
  params: [
    { name: 'a', unit: 'J/token', lower: 0, upper: Infinity, description: '' },
    { name: 'c', unit: 'J', lower: 0, upper: Infinity, description: '' },
  ],
  predictJ: (t, x) => t[0] * x.nOut + t[1],
  basis: (x, _c, out) => {
    out[0] = x.nOut;
    out[1] = 1;
  },
  gradient: (_t, x, _c, out) => {
    out[0] = x.nOut;
    out[1] = 1;
  },
};

describe('fitForm: linear forms by NNLS', () => {
  it('recovers known SweetSpot coefficients from noise-free data', () => {
    const measured = GRID.map((x) => sweetspotForm.predictJ(THETA, x, {}));
    const fit = fitForm(sweetspotForm, GRID, measured);
    fit.theta.forEach((v, k) => expect(v / THETA[k]).toBeCloseTo(1, 7));
    expect(fit.solver).toMatchObject({ method: 'nnls', converged: true });
    expect(fit.errors.mape).toBeLessThan(1e-7);
    expect(fit.params.map((p) => p.unit)).toEqual(['J/token²', 'J/token', 'J/token²', 'J/token²', 'J/token', 'J']);
  });

  it('gives standard errors that cover the truth under 2% noise', () => {
    const measured = GRID.map((x, i) => sweetspotForm.predictJ(THETA, x, {}) * noise(i, 0.02));
    const fit = fitForm(sweetspotForm, GRID, measured);
    for (const [k, p] of fit.params.entries()) {
      if (p.stdErr === null) continue;
      expect(Math.abs(p.value - THETA[k])).toBeLessThan(4 * p.stdErr);
    }
    expect(fit.errors.mape).toBeGreaterThan(0.1);
    expect(fit.errors.mape).toBeLessThan(2);
  });

  it('computes the standard error of a one-parameter fit as σ/√Σa² (hand computation)', () => {
    const perToken = perTokenForm;
    const xs = [lengths(1, 10), lengths(1, 20), lengths(1, 40)];
    const m = [11, 19, 42];
    const a = xs.map((x, i) => x.nOut / m[i]);
    const sa = a.reduce((s, v) => s + v, 0);
    const saa = a.reduce((s, v) => s + v * v, 0);
    const theta = sa / saa;
    const rss = a.reduce((s, v) => s + (theta * v - 1) ** 2, 0);
    const fit = fitForm(perToken, xs, m);
    expect(fit.theta[0]).toBeCloseTo(theta, 14);
    expect(fit.solver.objective / rss).toBeCloseTo(1, 10);
    expect(fit.params[0].stdErr! / Math.sqrt(rss / 2 / saa)).toBeCloseTo(1, 10);
  });

  it('gives a coefficient held at 0 by NNLS no standard error, and counts only the others in the degrees of freedom', () => {
    // E = a·o + c with c ≥ 0, on data whose unconstrained intercept is negative: c sits at 0, and
    // the fit is the one-parameter fit of a (hand computation: σ² = RSS/(m − 1), one inner parameter).
    const xs = [lengths(1, 10), lengths(1, 20), lengths(1, 40), lengths(1, 80)];
    const m = [8, 19, 41, 86];
    const a = xs.map((x, i) => x.nOut / m[i]);
    const saa = a.reduce((s, v) => s + v * v, 0);
    const theta = a.reduce((s, v) => s + v, 0) / saa;
    const rss = a.reduce((s, v) => s + (theta * v - 1) ** 2, 0);
    const fit = fitForm(lineForm, xs, m);
    expect(fit.theta[1]).toBe(0);
    expect(fit.theta[0]).toBeCloseTo(theta, 14);
    expect(fit.params[1]).toMatchObject({ value: 0, stdErr: null, atBound: true, pinned: false });
    expect(fit.params[0].stdErr! / Math.sqrt(rss / 3 / saa)).toBeCloseTo(1, 10);
  });

  it('refuses rows all at one n_in, naming the coefficients that cannot be determined', () => {
    // With i constant, i², i and 1 are the same column up to scale, and so are i·o and o; o² stays.
    const xs = [8, 16, 32, 64, 128, 256, 512].map((o) => lengths(100, o));
    const measured = xs.map((x) => sweetspotForm.predictJ(THETA, x, {}));
    expect(() => fitForm(sweetspotForm, xs, measured)).toThrow(SweetspotInputError);
    expect(() => fitForm(sweetspotForm, xs, measured)).toThrow(/cannot determine theta1, theta2, theta3, theta5, theta6: .*1 distinct n_in/);
  });

  it('refuses too few points, naming every free parameter', () => {
    const xs = GRID.slice(0, 5);
    const measured = xs.map((x) => sweetspotForm.predictJ(THETA, x, {}));
    expect(() => fitForm(sweetspotForm, xs, measured)).toThrow(/cannot determine theta1, theta2, theta3, theta4, theta5, theta6: 5 distinct configuration\(s\) for 6 free parameters/);
  });

  it('accepts a pinned coefficient, which makes a cross-shaped design identifiable', () => {
    // Two 1-D sweeps crossing at (38, 32): θ2·i is confounded with θ3·i·o, θ5·o and θ6 there.
    const xs = [...[9, 38, 154, 541, 2134].map((i) => lengths(i, 32)), ...[8, 64, 256, 1024, 2048].map((o) => lengths(38, o))];
    const truth = [2e-5, 0, 3e-3, 1e-3, 3, 20];
    const measured = xs.map((x) => sweetspotForm.predictJ(truth, x, {}));
    expect(() => fitForm(sweetspotForm, xs, measured)).toThrow(/cannot determine theta2, theta3, theta5, theta6/);
    const fit = fitForm(pinParams(sweetspotForm, { theta2: 0 }), xs, measured);
    fit.theta.forEach((v, k) => (truth[k] === 0 ? expect(v).toBe(0) : expect(v / truth[k]).toBeCloseTo(1, 6)));
    expect(fit.params[1]).toMatchObject({ value: 0, stdErr: null, atBound: true, pinned: true });
  });

  it('never reports a NaN prediction as a fit', () => {
    const xs = GRID.map((x) => ({ ...x }));
    xs[3].nIn = NaN;
    expect(() => fitForm(sweetspotForm, xs, GRID.map(() => 1))).toThrow(/row 4: basis term theta1 is NaN/);
  });
});

describe('fitForm: nonlinear forms by Levenberg–Marquardt', () => {
  const profile = resolveProfile('a100-sxm4-40gb');
  const TRUE = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4];
  const xs = ['llama-2-7b', 'mistral-7b', 'falcon-7b'].flatMap((m) =>
    [8, 32, 128, 512, 2048].flatMap((i) => [8, 32, 256, 1024].map((o) => featuresOf(m, i, o, 'recompute'))),
  );
  const form = hardwareForm({ staticPowerW: 55 });

  it('recovers a known hardware parameter set (static power pinned) from synthetic recompute data', () => {
    const measured = xs.map((x) => form.predictJ(TRUE, x, { profile }));
    const fit = fitForm(form, xs, measured, { ctx: { profile } });
    expect(fit.solver.method).toBe('lm');
    expect(fit.solver.converged).toBe(true);
    expect(fit.errors.mape).toBeLessThan(1e-6);
    fit.theta.slice(0, 6).forEach((v, k) => expect(v / TRUE[k]).toBeCloseTo(1, 4));
    expect(fit.params[2]).toMatchObject({ value: 55, stdErr: null });
    // Fused attention: no row has score bytes, so eScore is held, not refused.
    expect(fit.params[6]).toMatchObject({ name: 'eScore', value: 0, stdErr: null });
    expect(fit.warnings).toContain('eScore: no row depends on it; held at 0');
  });

  it('refuses the unpinned hardware form when static power trades off exactly with the efficiencies', () => {
    const measured = xs.map((x) => form.predictJ(TRUE, x, { profile }));
    // fitForm's own caller pins with pinParams; a caller that pins otherwise says how; a baseline cannot pin.
    expect(() => fitForm(hardwareForm(), xs, measured, { ctx: { profile } })).toThrow(/cannot determine .*staticPowerW.*; measure more varied lengths, or pin one of them \(pinParams\(form, \{ NAME: value \}\)\)$/);
    expect(() => fitForm(hardwareForm(), xs, measured, { ctx: { profile }, pin: '--fix NAME=VALUE' })).toThrow(/, or pin one of them \(--fix NAME=VALUE\)$/);
    expect(() => fitForm(hardwareForm(), xs, measured, { ctx: { profile }, pin: null })).toThrow(/cannot determine .*staticPowerW.*; measure more varied lengths$/);
  });

  it('fits a form without an analytic gradient by central differences', () => {
    const power: EnergyForm = {
      id: 'test-power',
      expression: 'a·o^b',
      scope: 'shared',
      needsProfile: false,
      params: [
        { name: 'a', unit: 'J', lower: 0, upper: Infinity, description: '' },
        { name: 'b', unit: '1', lower: 0.5, upper: 3, description: '' },
      ],
      predictJ: (t, x) => t[0] * x.nOut ** t[1],
    };
    const ys = [8, 16, 64, 256, 1024].map((o) => lengths(10, o));
    const measured = ys.map((x) => 2.5 * x.nOut ** 1.3);
    const fit = fitForm(power, ys, measured);
    expect(fit.theta[0]).toBeCloseTo(2.5, 6);
    expect(fit.theta[1]).toBeCloseTo(1.3, 8);
  });

  it('differentiates numerically without stepping outside the bounds (a form undefined below 0 still fits)', () => {
    // E = a·o + √c, c ∈ [0, 100]: √c is NaN below 0. The data want a negative intercept, so c sits
    // at 0 and a is the one-parameter least-squares slope (hand computation on the whitened rows).
    const sqrtForm: EnergyForm = {
      id: 'test-sqrt',
      expression: 'a·o + √c',
      scope: 'shared',
      needsProfile: false,
      params: [
        { name: 'a', unit: 'J/token', lower: 0, upper: Infinity, description: '' },
        { name: 'c', unit: 'J²', lower: 0, upper: 100, description: '' },
      ],
      predictJ: (t, x) => t[0] * x.nOut + Math.sqrt(t[1]),
    };
    const ys = [10, 20, 40, 80].map((o) => lengths(1, o));
    const m = [8, 19, 41, 86];
    const a = ys.map((x, i) => x.nOut / m[i]);
    const slope = a.reduce((s, v) => s + v, 0) / a.reduce((s, v) => s + v * v, 0);
    const fit = fitForm(sqrtForm, ys, m, { starts: [[1, 0]] });
    expect(fit.solver.converged).toBe(true);
    expect(fit.theta[1]).toBe(0);
    expect(fit.theta[0]).toBeCloseTo(slope, 8);
  });
});

describe('fitForm: warnings about rows no form can describe', () => {
  const spanWarning = (w: string[]) => w.find((s) => s.startsWith('energies per token span'));

  it('names the decades and rows when some rows are in kWh beside joules', () => {
    const measured = GRID.map((x, i) => sweetspotForm.predictJ(THETA, x, {}) / (i % 2 ? 3.6e6 : 1));
    const perToken = measured.map((m, i) => m / (GRID[i].batch * (GRID[i].nIn + GRID[i].nOut)));
    const lo = Math.min(...perToken);
    const hi = Math.max(...perToken);
    const fit = fitForm(sweetspotForm, GRID, measured, { labels: GRID.map((_, i) => `line ${i + 2}`) });
    expect(spanWarning(fit.warnings)).toBe(
      `energies per token span ${Math.log10(hi / lo).toFixed(1)} decades (${lo.toPrecision(3)} J/token in line ${perToken.indexOf(lo) + 2} to ${hi.toPrecision(3)} J/token in line ${perToken.indexOf(hi) + 2}); ` +
        "real calls of one model on one GPU stay within about 3: check that every row gives energy_j in joules and the call's whole batch",
    );
  });

  it('stays quiet on one consistent set from batch 1 to 1024 and prefill- to decode-heavy calls', () => {
    const xs = [1, 1024].flatMap((b) => [lengths(4096, 1, b), lengths(16, 2048, b), lengths(512, 512, b)]);
    // Whole-batch energies of a memory-bound decode (weights read once per step, shared) and a
    // compute-bound prefill (per token): the widest honest spread per token.
    const measured = xs.map((x) => x.nOut * 20 + x.batch * x.nIn * 0.01 + x.batch * x.nOut * 0.05);
    const perToken = measured.map((m, i) => m / (xs[i].batch * (xs[i].nIn + xs[i].nOut)));
    expect(Math.max(...perToken) / Math.min(...perToken)).toBeGreaterThan(100);
    expect(spanWarning(fitForm(lineForm, xs, measured).warnings)).toBeUndefined();
    expect(spanWarning(fitForm(sweetspotForm, GRID, GRID.map((x) => sweetspotForm.predictJ(THETA, x, {}))).warnings)).toBeUndefined();
  });

  it('says so when the fit predicts one energy for rows that vary', () => {
    // Energy falling with the output length: a ≥ 0 cannot follow it, so NNLS sets a = 0 and the fit
    // is the constant c that minimises Σ(c/m − 1)², c = Σ(1/m)/Σ(1/m²) (hand computation).
    const xs = [10, 20, 40, 80].map((o) => lengths(1, o));
    const m = xs.map((x) => 800 / x.nOut);
    const fit = fitForm(lineForm, xs, m);
    const c = m.reduce((s, v) => s + 1 / v, 0) / m.reduce((s, v) => s + 1 / v ** 2, 0);
    expect(fit.theta[0]).toBe(0);
    expect(fit.theta[1] / c).toBeCloseTo(1, 10);
    expect(fit.warnings).toContain(`the fit predicts the same energy (${c.toPrecision(3)} J) for every row while the rows range from 10.0 to 80.0 J: the form describes none of their variation`);
    const rising = fitForm(lineForm, xs, xs.map((x) => 2 * x.nOut + 5));
    expect(rising.warnings.some((w) => w.startsWith('the fit predicts the same energy'))).toBe(false);
  });
});
