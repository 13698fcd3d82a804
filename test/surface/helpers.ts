import { preset } from '../../src/architecture/registry.js';
import type { CalibrationInput } from '../../src/energy/calibration/document.js';
import { mulberry32 } from '../../src/prng.js';

/** Deterministic PRNG (mulberry32), so that failures reproduce. */
export const rng = mulberry32;

export const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/**
 * Random SweetSpot coefficients of realistic magnitudes (log-uniform around the paper's scale),
 * some set to zero so that degenerate rows (monotone costs) are exercised too.
 */
export function randomTheta(r: () => number): number[] {
  const scale = [1e-7, 1e-3, 1e-6, 1e-6, 0.2, 5];
  return scale.map((s) => (r() < 0.15 ? 0 : s * 10 ** (2 * r() - 1)));
}

/** E(i, o) written out plainly: the independent expectation for the polynomial. */
export const plainPolynomial = (t: readonly number[], i: number, o: number) =>
  t[0] * i * i + t[1] * i + t[2] * i * o + t[3] * o * o + t[4] * o + t[5];

/** A SweetSpot calibration for one preset. */
export function sweetspotCalibration(model: string, theta: readonly number[]): CalibrationInput {
  const names = ['theta1', 'theta2', 'theta3', 'theta4', 'theta5', 'theta6'];
  return {
    version: 1,
    form: 'sweetspot',
    regime: 'kv-cache',
    gpu: 'NVIDIA H100 80GB HBM3',
    profile: null,
    engine: 'test',
    weightBytes: 2,
    kvBytes: 2,
    params: {},
    models: {
      [model]: {
        params: Object.fromEntries(names.map((n, k) => [n, { value: theta[k], unit: 'J', stdErr: null }])),
        rows: 0,
        mape: null,
      },
    },
    fittedOn: null,
    fitted: false,
    note: 'test',
    errors: null,
  };
}

/** A hardware calibration on the H100 profile with the given parameters. */
export function hardwareCalibration(p: {
  eFlop: number;
  eByte: number;
  staticPowerW: number;
  etaCompute: number;
  etaMemory: number;
  eStep: number;
}, regime: 'kv-cache' | 'recompute' = 'kv-cache'): CalibrationInput {
  return {
    version: 1,
    form: 'hardware',
    regime,
    gpu: 'NVIDIA H100 80GB HBM3',
    profile: 'h100-sxm-80gb',
    engine: 'test',
    weightBytes: 2,
    kvBytes: 2,
    params: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { value: v, unit: '', stdErr: null }])),
    models: {},
    fittedOn: null,
    fitted: false,
    note: 'test',
    errors: null,
  };
}

export function randomHardware(r: () => number) {
  return {
    eFlop: 5e-13 * 10 ** (r() - 0.5),
    eByte: 6e-11 * 10 ** (r() - 0.5),
    staticPowerW: 50 + 300 * r(),
    etaCompute: 0.2 + 0.7 * r(),
    etaMemory: 0.2 + 0.7 * r(),
    eStep: 0.2 * r(),
  };
}

export { preset };
