import { describe, expect, it } from 'vitest';
import { hardwareForm } from '../../../src/energy/forms/hardware.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { hardwarePhysics } from '../../../src/energy/hardware/physics.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { fitForm } from '../../../src/fit/solve/fit-form.js';
import { levenbergMarquardt } from '../../../src/fit/solve/lm.js';
import { nnls } from '../../../src/fit/solve/nnls.js';
import { hardwarePrior, scalePriorToData, sweetspotPrior } from '../../../src/fit/solve/physics-prior.js';
import { linearPriorRows, priorReport, priorRows, withPriorRows, type FormPrior } from '../../../src/fit/solve/prior.js';
import { relativeProblem } from '../../../src/fit/solve/problem.js';
import { preset } from '../../../src/architecture/registry.js';
import { featuresOf, lengths, noise, perTokenForm } from '../helpers.js';

const perToken = perTokenForm;

describe('prior rows: the MAP estimate', () => {
  const xs = [8, 16, 32].map((o) => lengths(1, o));
  const measured = [9, 15, 35];
  const a = xs.map((x, i) => x.nOut / measured[i]);
  const prior: FormPrior = { theta: { center: 0.5, width: 0.1, scale: 'linear', source: 'test' } };

  it('linear path: the normal equations of Σ(θa_i − 1)² + (σ(θ − c)/w)² by hand', () => {
    const sigma = 0.05;
    const lam = (sigma / 0.1) ** 2;
    const expected = (a.reduce((s, v) => s + v, 0) + lam * 0.5) / (a.reduce((s, v) => s + v * v, 0) + lam);
    const rows = linearPriorRows(priorRows(perToken.params, prior), [0], sigma);
    const sol = nnls([Float64Array.from([...a, ...rows.cols[0]])], Float64Array.from([1, 1, 1, ...rows.rhs]));
    expect(sol.x[0]).toBeCloseTo(expected, 12);
  });

  it('nonlinear path: LM on the augmented problem finds the same point as the linear one', () => {
    const sigma = 0.05;
    const rows = priorRows(perToken.params, prior);
    const lin = linearPriorRows(rows, [0], sigma);
    const exact = nnls([Float64Array.from([...a, ...lin.cols[0]])], Float64Array.from([1, 1, 1, ...lin.rhs])).x[0];
    const run = levenbergMarquardt(withPriorRows(relativeProblem(perToken, xs, measured, {}), rows, sigma), [2]);
    expect(run.theta[0]).toBeCloseTo(exact, 9);
  });

  it('log-scale prior: LM minimum equals a brute-force search of the augmented objective', () => {
    const logPrior: FormPrior = { theta: { center: 0.5, width: 0.3, scale: 'log', source: 'test' } };
    const sigma = 0.2;
    const f = (t: number) => a.reduce((s, v) => s + (t * v - 1) ** 2, 0) + ((sigma * Math.log(t / 0.5)) / 0.3) ** 2;
    let best = 0.3;
    for (let t = 0.3; t < 1.5; t += 1e-6) if (f(t) < f(best)) best = t;
    const run = levenbergMarquardt(withPriorRows(relativeProblem(perToken, xs, measured, {}), priorRows(perToken.params, logPrior), sigma), [1]);
    expect(run.theta[0]).toBeCloseTo(best, 5);
  });

  it('posterior sd of the one-parameter linear fit is σ/√(Σa² + (σ/w)²)', () => {
    const fit = fitForm(perToken, xs, measured, { prior });
    const sigma = fit.priorSigma!;
    // The data's σ is re-estimated once; the reported sd uses σ̂ and the prior weighted by the σ of the fit.
    const lam = (sigma / 0.1) ** 2;
    const sumA2 = a.reduce((s, v) => s + v * v, 0);
    const pEff = sumA2 / (sumA2 + lam);
    const r = fit.residuals;
    const sigmaHat2 = r.reduce((s, v) => s + v * v, 0) / (3 - pEff);
    expect(fit.params[0].stdErr!).toBeCloseTo(Math.sqrt(sigmaHat2 / (sumA2 + lam)), 10);
    expect(fit.params[0].prior!.narrowing!).toBeCloseTo(fit.params[0].stdErr! / 0.1, 10);
  });

  it('refuses an unknown name or a non-positive width, naming it', () => {
    expect(() => fitForm(perToken, xs, measured, { prior: { nope: { center: 1, width: 1, scale: 'log', source: '' } } })).toThrow(/unknown parameter 'nope'/);
    expect(() => fitForm(perToken, xs, measured, { prior: { theta: { center: 1, width: 0, scale: 'log', source: '' } } })).toThrow(SweetspotInputError);
    expect(() => fitForm(perToken, xs, measured, { prior: { theta: { center: 0, width: 1, scale: 'log', source: '' } } })).toThrow(/centre/);
  });
});

describe('priorReport', () => {
  it('measures shift and narrowing in prior widths on the log scale', () => {
    const r = priorReport({ center: 1, width: 0.5, scale: 'log', source: '' }, Math.E, 0.05 * Math.E, false);
    expect(r.shift).toBeCloseTo(2, 12);
    expect(r.narrowing).toBeCloseTo(0.1, 12);
    expect(r.determinedBy).toBe('data');
    expect(priorReport({ center: 1, width: 0.5, scale: 'log', source: '' }, 1, 0.48, false).determinedBy).toBe('prior');
    expect(priorReport({ center: 1, width: 0.5, scale: 'log', source: '' }, 1, null, true).determinedBy).toBe('bound');
  });
});

describe('physics priors make the refused fits answer', () => {
  const a100 = resolveProfile('a100-sxm4-40gb');
  const truth = [1.8e-12, 4e-11, 90, 0.5, 0.8, 2];
  const ctx = { profile: a100 };

  it('hardware form on a 3×2 grid: refused without a prior, answered with one, every parameter physical', () => {
    const xs = [64, 512, 2048].flatMap((i) => [16, 256].map((o) => featuresOf('llama-2-7b', i, o)));
    const m = xs.map((x, i) => hardwareForm().predictJ(truth, x, ctx) * noise(i, 0.02));
    expect(() => fitForm(hardwareForm(), xs, m, { ctx })).toThrow(SweetspotInputError);
    const fit = fitForm(hardwareForm(), xs, m, { ctx, prior: hardwarePrior(a100) });
    expect(fit.errors.mape).toBeLessThan(5);
    for (const p of fit.params) {
      expect(p.value).toBeGreaterThan(0);
      expect(p.prior).toBeDefined();
    }
    // Six rows and six parameters: the prior cannot be left out of any, yet the data narrow the
    // ones they see directly (per-step energy: the output length varies 16×).
    expect(fit.params.find((p) => p.name === 'eStep')!.prior!.narrowing!).toBeLessThan(0.9);
  });

  it('hardware form on 1-D sweeps: what the data cannot separate stays near its prior', () => {
    const xs = [
      ...[8, 32, 128, 512, 2048].map((i) => featuresOf('llama-2-7b', i, 32)),
      ...[8, 64, 512, 2048].map((o) => featuresOf('llama-2-7b', 38, o)),
      ...[8, 32, 128, 512, 2048].map((i) => featuresOf('mistral-7b', i, 32)),
    ];
    const m = xs.map((x, i) => hardwareForm().predictJ(truth, x, ctx) * noise(i, 0.03));
    const fit = fitForm(hardwareForm(), xs, m, { ctx, prior: hardwarePrior(a100) });
    expect(() => fitForm(hardwareForm(), xs, m, { ctx })).toThrow(/cannot determine/);
    expect(fit.errors.mape).toBeLessThan(4);
    for (const [k, p] of fit.params.entries()) {
      expect(p.value).toBeGreaterThan(hardwareForm().params[k].lower);
      expect(p.value).toBeLessThan(hardwareForm().params[k].upper);
    }
    // In the recompute regime every step reads Wb bytes: eByte·Wb and eStep are nearly one
    // quantity; the prior, not the data, splits it, and the report says so.
    expect(fit.params.some((p) => p.prior!.determinedBy !== 'data')).toBe(true);
    expect(fit.params.some((p) => p.prior!.determinedBy === 'data')).toBe(true);
  });

  it('hardware prior centres are the physics the H100 default uses', () => {
    const h100 = resolveProfile('h100-sxm-80gb');
    const prior = hardwarePrior(h100);
    expect(prior.staticPowerW.center).toBeCloseTo(200, 9);
    expect(prior.eFlop.center).toBeCloseTo(500 / (0.6 * 989.4e12), 20);
    expect(prior.eStep.center).toBeCloseTo(0.1, 12);
    expect(hardwarePhysics(a100).staticPowerW).toBeCloseTo((400 * 200) / 700, 9);
  });

  it('SweetSpot form on a 3×2 grid (the measuring guide): answers, and says which coefficients the data determined', () => {
    // A GPU whose physics differs from the profile's estimate: more static power, a slower host.
    const h100 = resolveProfile('h100-sxm-80gb');
    const c = hardwarePhysics(h100);
    const hw = [c.eFlop * 1.3, c.eByte * 0.7, c.staticPowerW * 1.5, 0.5, 0.7, c.eStep * 5];
    const grid = [128, 512, 2048].flatMap((i) => [64, 256].map((o) => [i, o]));
    const xs = grid.map(([i, o]) => lengths(i, o));
    const m = grid.map(([i, o], k) => hardwareForm().predictJ(hw, featuresOf('llama-3.1-8b', i, o, 'kv-cache'), { profile: h100 }) * noise(k, 0.01));
    expect(() => fitForm(sweetspotForm, xs, m)).toThrow(/6 distinct configuration/);
    const prior = scalePriorToData(sweetspotPrior(preset('llama-3.1-8b'), resolveProfile('h100-sxm-80gb')), sweetspotForm, xs, m);
    const fit = fitForm(sweetspotForm, xs, m, { prior });
    expect(fit.errors.mape).toBeLessThan(3);
    expect(fit.params.every((p) => p.prior !== undefined)).toBe(true);
    expect(fit.params.some((p) => p.prior!.determinedBy === 'data')).toBe(true);
  });

  it('SweetSpot prior: the hardware physics through the polynomial, positive where physics puts work', () => {
    const prior = sweetspotPrior(preset('llama-2-7b'), resolveProfile('h100-sxm-80gb'));
    // KV-cache regime: every decode step reads the weights (θ5), the prompt's KV cache (θ3) and the generated one (θ4).
    expect(prior.theta5.center).toBeGreaterThan(0);
    expect(prior.theta3.center).toBeGreaterThan(0);
    // θ5 is about Wb·(eByte + static/(ηm·bw)) + eStep per output token.
    const wb = 2 * 6.74e9;
    const expected = wb * (60e-12 + 200 / (0.65 * 3.35e12)) + 0.1;
    expect(prior.theta5.center / expected).toBeGreaterThan(0.8);
    expect(prior.theta5.center / expected).toBeLessThan(1.25);
  });
});

describe('scalePriorToData', () => {
  it('scales centres and linear widths by Σa/Σa², a = E_prior/m (hand computation)', () => {
    const prior: FormPrior = {
      theta5: { center: 2, width: 6, scale: 'linear', source: 't' },
      theta6: { center: 10, width: 30, scale: 'linear', source: 't' },
    };
    const xs = [lengths(1, 10), lengths(1, 20)];
    const m = [60, 80];
    // E_prior = 2·o + 10: 30 and 50; a = 0.5, 0.625
    const s = (0.5 + 0.625) / (0.25 + 0.390625);
    const scaled = scalePriorToData(prior, sweetspotForm, xs, m);
    expect(scaled.theta5.center).toBeCloseTo(2 * s, 12);
    expect(scaled.theta6.width).toBeCloseTo(30 * s, 12);
  });
});
