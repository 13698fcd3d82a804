import type { RequestFeatures } from '../../complexity/features.js';
import type { EnergyForm } from '../form.js';

/**
 * The SweetSpot form (docs/energy-models.md, the paper's shape), per model:
 * `E(i, o) = θ1·i² + θ2·i + θ3·i·o + θ4·o² + θ5·o + θ6`, θ ≥ 0.
 *
 * It sees only the lengths. It describes the whole measured call at the batch its calibration was
 * fitted on (a calibration's `batch`), and is not extrapolated to other batches: how a batch
 * shares weight reads is exactly what a length polynomial cannot know (use the hardware form).
 *
 * @example
 * sweetspotForm.predictJ([1e-6, 0.01, 1e-5, 1e-5, 0.3, 5], features, {}) // joules
 * @category Fitting
 */
export const sweetspotForm: EnergyForm = {
  id: 'sweetspot',
  expression: 'θ1·i² + θ2·i + θ3·i·o + θ4·o² + θ5·o + θ6',
  scope: 'per-model',
  needsProfile: false,
  params: [
    { name: 'theta1', unit: 'J/token²', lower: 0, upper: Infinity, description: 'prefill attention, quadratic in the prompt' },
    { name: 'theta2', unit: 'J/token', lower: 0, upper: Infinity, description: 'prefill linear work (weights × prompt tokens)' },
    { name: 'theta3', unit: 'J/token²', lower: 0, upper: Infinity, description: 'decode reads of the prompt part of the KV cache' },
    { name: 'theta4', unit: 'J/token²', lower: 0, upper: Infinity, description: 'decode reads of the growing generated part of the KV cache' },
    { name: 'theta5', unit: 'J/token', lower: 0, upper: Infinity, description: 'per decode step: weights read once per output token' },
    { name: 'theta6', unit: 'J', lower: 0, upper: Infinity, description: 'fixed overhead per call' },
  ],
  predictJ(t, x) {
    const i = x.nIn;
    const o = x.nOut;
    return t[0] * i * i + t[1] * i + t[2] * i * o + t[3] * o * o + t[4] * o + t[5];
  },
  gradient(_t, x, _ctx, out) {
    sweetspotBasis(x, out);
  },
  basis(x, _ctx, out) {
    sweetspotBasis(x, out);
  },
};

function sweetspotBasis(x: RequestFeatures, out: Float64Array): void {
  const i = x.nIn;
  const o = x.nOut;
  out[0] = i * i;
  out[1] = i;
  out[2] = i * o;
  out[3] = o * o;
  out[4] = o;
  out[5] = 1;
}
