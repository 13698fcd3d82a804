import type { RequestFeatures } from '../../complexity/features.js';
import type { EnergyForm } from '../form.js';

/**
 * Baseline: energy linear in the lengths, per model, `E = a·i + b·o + c` (a, b, c ≥ 0). Like the
 * SweetSpot form, it describes the whole call at its calibration's batch.
 *
 * @example
 * linearForm.predictJ([0.02, 0.3, 5], features, {}) // 0.02·nIn + 0.3·nOut + 5
 */
export const linearForm: EnergyForm = {
  id: 'linear',
  expression: 'a·i + b·o + c',
  scope: 'per-model',
  needsProfile: false,
  params: [
    { name: 'a', unit: 'J/token', lower: 0, upper: Infinity, description: 'energy per prompt token' },
    { name: 'b', unit: 'J/token', lower: 0, upper: Infinity, description: 'energy per output token' },
    { name: 'c', unit: 'J', lower: 0, upper: Infinity, description: 'fixed energy per call' },
  ],
  predictJ(t, x) {
    return t[0] * x.nIn + t[1] * x.nOut + t[2];
  },
  // Linear in θ: the gradient is the basis.
  gradient(_t, x, _ctx, out) {
    linearBasis(x, out);
  },
  basis(x, _ctx, out) {
    linearBasis(x, out);
  },
};

function linearBasis(x: RequestFeatures, out: Float64Array): void {
  out[0] = x.nIn;
  out[1] = x.nOut;
  out[2] = 1;
}
