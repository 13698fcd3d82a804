import { SweetspotInputError } from '../../errors.js';
import { dot, lstsq, norm2 } from './linalg.js';
import { checkArray, kindOf } from '../../arguments.js';
import { optionsObject } from '../../options.js';

/** Result of {@link nnls}. */
export interface NnlsResult {
  /** x ≥ 0 minimising ‖A x − b‖². */
  readonly x: Float64Array;
  /** ‖A x − b‖² at the solution. */
  readonly objective: number;
  /** Outer iterations (variables moved into the passive set). */
  readonly iterations: number;
  /** True when the Karush–Kuhn–Tucker conditions hold (w ≤ tol on every variable at 0). */
  readonly converged: boolean;
  readonly reason: 'kkt' | 'max-iterations' | 'singular';
}

/** Options of {@link nnls}. */
export interface NnlsOptions {
  /**
   * Gradient threshold of the KKT test (default `10·ε·max(rows, columns)·max(1, ‖b‖)`). A caller
   * that hands in a reduced system `R, c` (see `ReducedSystem`) passes the tolerance of the
   * original rows, so that both solve to the same test.
   */
  readonly tolerance?: number;
}

/**
 * Non-negative least squares by the Lawson–Hanson active-set method: the exact minimiser of
 * ‖A x − b‖² subject to x ≥ 0 (not an approximation by iteration). A is given as columns. Columns
 * are scaled to unit norm inside (this does not change the solution, as scaling by a positive
 * factor keeps x ≥ 0) so that terms as different as i² and 1 can be compared.
 *
 * @example
 * // fit y = a·t + c with a, c ≥ 0
 * nnls([Float64Array.of(0, 1, 2), Float64Array.of(1, 1, 1)], Float64Array.of(1, 3, 5)).x // [2, 1]
 */
export function nnls(cols: readonly Float64Array[], b: Float64Array, maxIterations = 30 * checkArray('nnls(cols)', cols).length, options: NnlsOptions = {}): NnlsResult {
  // O(columns): the solve is O(rows·columns²), so the checks cost nothing that shows.
  if (!(b instanceof Float64Array)) throw new SweetspotInputError(`nnls(cols, b): expected a Float64Array, got ${kindOf(b)}`);
  cols.forEach((c, k) => {
    if (!(c instanceof Float64Array) || c.length !== b.length) throw new SweetspotInputError(`nnls(cols): column ${k} must be a Float64Array of length ${b.length} (as b), got ${c instanceof Float64Array ? `length ${c.length}` : kindOf(c)}`);
  });
  if (!(Number.isSafeInteger(maxIterations) && maxIterations >= 0)) throw new SweetspotInputError(`nnls(cols, b, maxIterations): expected an integer ≥ 0, got ${kindOf(maxIterations)}`);
  optionsObject('nnls(cols, b, maxIterations, options)', options);
  const n = cols.length;
  const m = b.length;
  const scale = cols.map((c) => norm2(c));
  scale.forEach((s, k) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new SweetspotInputError(`nnls: column ${k} is zero or not finite`);
  });
  const a = cols.map((c, k) => c.map((v) => v / scale[k]));
  const passive = new Array<boolean>(n).fill(false);
  let x: Float64Array = new Float64Array(n);
  const residual = Float64Array.from(b);
  const w = new Float64Array(n);
  const tol = options.tolerance ?? 10 * Number.EPSILON * Math.max(m, n) * Math.max(1, norm2(b));
  const updateW = () => {
    for (let i = 0; i < m; i++) {
      let s = b[i];
      for (let k = 0; k < n; k++) s -= a[k][i] * x[k];
      residual[i] = s;
    }
    for (let k = 0; k < n; k++) w[k] = dot(a[k], residual);
  };
  const solvePassive = (): Float64Array | null => {
    const idx = passive.flatMap((p, k) => (p ? [k] : []));
    const z = lstsq(
      idx.map((k) => a[k]),
      b,
    );
    if (!z) return null;
    const full = new Float64Array(n);
    idx.forEach((k, j) => (full[k] = z[j]));
    return full;
  };
  updateW();
  let iterations = 0;
  let reason: NnlsResult['reason'] = 'kkt';
  for (;;) {
    let t = -1;
    let best = tol;
    for (let k = 0; k < n; k++) if (!passive[k] && w[k] > best) (best = w[k]), (t = k);
    if (t < 0) break;
    if (iterations >= maxIterations) {
      reason = 'max-iterations';
      break;
    }
    iterations++;
    passive[t] = true;
    let z = solvePassive();
    // Inner loop: step back towards x until every passive variable is positive.
    for (let inner = 0; z && inner <= n; inner++) {
      let alpha = Infinity;
      for (let k = 0; k < n; k++) {
        if (passive[k] && z[k] <= 0) alpha = Math.min(alpha, x[k] / (x[k] - z[k]));
      }
      if (alpha === Infinity) break;
      for (let k = 0; k < n; k++) x[k] += alpha * (z[k] - x[k]);
      for (let k = 0; k < n; k++) {
        if (passive[k] && x[k] <= tol * 1e-3) {
          passive[k] = false;
          x[k] = 0;
        }
      }
      z = solvePassive();
    }
    if (!z) {
      // A newly added column is dependent on the passive ones: it cannot lower the objective.
      passive[t] = false;
      reason = 'singular';
      updateW();
      break;
    }
    x = z;
    updateW();
  }
  const out = x.map((v, k) => (passive[k] ? v / scale[k] : 0));
  return { x: out, objective: dot(residual, residual), iterations, converged: reason === 'kkt', reason };
}
