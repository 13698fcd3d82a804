import { emptyFeatures, type RequestFeatures } from '../../src/complexity/features.js';
import type { EnergyForm, FormContext } from '../../src/energy/form.js';

/** A features record with the given fields set and the rest 0. */
export function features(fields: Partial<RequestFeatures>): RequestFeatures {
  return Object.assign(emptyFeatures(), fields);
}

/** Central finite differences of `form.predictJ` with respect to each parameter (relative step). */
export function finiteDifferences(form: EnergyForm, theta: readonly number[], x: RequestFeatures, ctx: FormContext): number[] {
  return theta.map((v, k) => {
    const h = Math.abs(v) * 1e-6 || 1e-9;
    const up = [...theta];
    const down = [...theta];
    up[k] = v + h;
    down[k] = v - h;
    return (form.predictJ(up, x, ctx) - form.predictJ(down, x, ctx)) / (2 * h);
  });
}

/** Relative closeness with an absolute floor scaled to the largest entry (for gradients with zeros). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  const scale = Math.max(...Array.from(expected, Math.abs));
  for (let k = 0; k < expected.length; k++) {
    const err = Math.abs(actual[k] - expected[k]);
    if (!(err <= rel * Math.abs(expected[k]) + rel * 1e-6 * scale)) {
      throw new Error(`entry ${k}: ${actual[k]} vs expected ${expected[k]} (rel tol ${rel})`);
    }
  }
}
