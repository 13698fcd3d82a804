import type { FeatureList } from '../data/row-list.js';
import type { EnergyForm, FormContext } from '../../energy/form.js';
import type { LeastSquaresProblem } from './lm.js';

/**
 * The relative least-squares problem of docs/conventions.md for a form on some rows: residuals
 * `r_i = (E(θ, x_i) − m_i)/m_i`, i.e. the model and the data whitened by the measurement, so that
 * Σr² weighs every row by its relative error. The Jacobian is the form's analytic gradient divided
 * by m_i, or central differences when the form has none.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on a form and features `calibrate` checked. It checks
 * nothing; junk fails inside it.
 * @example
 * const p = relativeProblem(sweetspotForm, features, rows.map((r) => r.energyJ), {});
 * p.residuals([0, 0, 0, 0, 1, 0]) // (o − m)/m per row
 */
export function relativeProblem(
  form: EnergyForm,
  features: FeatureList,
  measuredJ: readonly number[],
  ctx: FormContext,
): LeastSquaresProblem & { predict(theta: readonly number[]): Float64Array } {
  const m = measuredJ.length;
  const n = form.params.length;
  const predict = (theta: readonly number[]) => {
    // A plain loop: Float64Array.from with a map function takes V8's slow iterator path.
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = form.predictJ(theta, features.at(i)!, ctx);
    return out;
  };
  const grad = new Float64Array(n);
  const lower = form.params.map((p) => p.lower);
  const upper = form.params.map((p) => p.upper);
  return {
    lower,
    upper,
    predict,
    residuals(theta) {
      const p = predict(theta);
      for (let i = 0; i < m; i++) p[i] = p[i] / measuredJ[i] - 1;
      return p;
    },
    jacobian(theta) {
      const cols = Array.from({ length: n }, () => new Float64Array(m));
      if (form.gradient) {
        for (let i = 0; i < m; i++) {
          form.gradient(theta, features.at(i)!, ctx, grad);
          for (let k = 0; k < n; k++) cols[k][i] = grad[k] / measuredJ[i];
        }
        return cols;
      }
      const t = theta.slice();
      for (let k = 0; k < n; k++) {
        // Central differences with a step relative to the parameter (cube root of ε is optimal).
        // At θ_k = 0 there is no scale to be relative to: fall back to an absolute 6e-12. Never
        // step outside the bounds (a form may be undefined there, e.g. √θ below 0): on a bound,
        // the difference is one-sided, into the box.
        const h = 6e-6 * (Math.abs(theta[k]) || 1e-6);
        const hi = theta[k] + h <= upper[k] ? theta[k] + h : theta[k];
        const lo = theta[k] - h >= lower[k] ? theta[k] - h : theta[k];
        if (hi === lo) continue;
        t[k] = hi;
        const up = predict(t);
        t[k] = lo;
        const down = predict(t);
        t[k] = theta[k];
        for (let i = 0; i < m; i++) cols[k][i] = (up[i] - down[i]) / (hi - lo) / measuredJ[i];
      }
      return cols;
    },
  };
}

/**
 * The whitened basis of a linear form: column k holds `basis_k(x_i)/m_i`, so that the relative
 * residuals are `A θ − 1`.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): the fitter's inside, on a form and features `calibrate` checked. It checks
 * nothing; junk fails inside it.
 * @example
 * whitenedBasis(linearForm, features, measured, {})[2] // 1/m_i: the constant term
 */
export function whitenedBasis(
  form: EnergyForm,
  features: FeatureList,
  measuredJ: readonly number[],
  ctx: FormContext,
): Float64Array[] {
  if (!form.basis) throw new Error(`form ${form.id} has no basis`);
  const n = form.params.length;
  const m = measuredJ.length;
  const cols = Array.from({ length: n }, () => new Float64Array(m));
  const b = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    form.basis(features.at(i)!, ctx, b);
    for (let k = 0; k < n; k++) cols[k][i] = b[k] / measuredJ[i];
  }
  return cols;
}
