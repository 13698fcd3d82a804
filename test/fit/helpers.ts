import { preset } from '../../src/architecture/registry.js';
import { emptyFeatures, fillFeatures, type RequestFeatures } from '../../src/complexity/features.js';
import { termsKernel } from '../../src/complexity/terms.js';
import { weightBytesPerStep } from '../../src/complexity/weights.js';
import { paramCount } from '../../src/architecture/params.js';
import type { Regime } from '../../src/complexity/terms.js';
import type { EnergyForm } from '../../src/energy/form.js';

/** Features of a request on a preset, computed the way the fitter does. */
export function featuresOf(presetId: string, nIn: number, nOut: number, regime: Regime = 'recompute', batch = 1): RequestFeatures {
  const arch = preset(presetId);
  const f = fillFeatures(termsKernel(arch, 2), nIn, nOut, batch, regime, weightBytesPerStep(arch, 2), emptyFeatures());
  f.params = paramCount(arch);
  return f;
}

/** Lengths-only features (for forms that see nIn, nOut, batch). */
export function lengths(nIn: number, nOut: number, batch = 1): RequestFeatures {
  return { ...emptyFeatures(), nIn, nOut, batch };
}

/** Deterministic multiplicative noise: 1 + amp·u, u ∈ [−1, 1] from a fixed sequence. */
export function noise(i: number, amp: number): number {
  const u = Math.sin(12.9898 * (i + 1)) * 43758.5453;
  return 1 + amp * (2 * (u - Math.floor(u)) - 1);
}

/** E = θ·o: one parameter, linear (relative residuals θ·o_i/m_i − 1), for hand-computed fits. */
export const perTokenForm: EnergyForm = {
  id: 'test-per-token',
  expression: 'θ·o',
  scope: 'shared',
  needsProfile: false,
  params: [{ name: 'theta', unit: 'J/token', lower: 0, upper: Infinity, description: 'J per output token' }],
  predictJ: (t, x) => t[0] * x.nOut,
  basis: (x, _c, out) => void (out[0] = x.nOut),
  gradient: (_t, x, _c, out) => void (out[0] = x.nOut),
};
