import type { RequestFeatures } from '../../complexity/features.js';
import type { EnergyForm } from '../form.js';

/**
 * Baseline of common estimators: energy per output token linear in the parameter count, shared
 * over models: `E = B·o·(a + b·P)` with `P` the unique parameter count (the `params` feature) and
 * `B` the batch (each of the B requests pays per output token; at batch 1 this is `o·(a + b·P)`).
 * The prompt length does not enter, which is the point of the comparison.
 *
 * @example
 * perParamForm.predictJ([0.05, 4e-11], features, {}) // nOut·(0.05 + 4e-11·params) at batch 1
 */
export const perParamForm: EnergyForm = {
  id: 'per-param',
  expression: 'B·o·(a + b·P)',
  scope: 'shared',
  needsProfile: false,
  params: [
    { name: 'a', unit: 'J/token', lower: 0, upper: Infinity, description: 'energy per output token independent of model size' },
    { name: 'b', unit: 'J/(token·param)', lower: 0, upper: Infinity, description: 'energy per output token per model parameter' },
  ],
  predictJ(t, x) {
    return x.batch * x.nOut * (t[0] + t[1] * x.params);
  },
  // Linear in θ: the gradient is the basis.
  gradient(_t, x, _ctx, out) {
    perParamBasis(x, out);
  },
  basis(x, _ctx, out) {
    perParamBasis(x, out);
  },
};

function perParamBasis(x: RequestFeatures, out: Float64Array): void {
  out[0] = x.batch * x.nOut;
  out[1] = x.batch * x.nOut * x.params;
}
