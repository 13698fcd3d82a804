import { SweetspotInputError } from '../errors.js';

/**
 * A least-squares problem `min ‖A θ − b‖²` over many rows, reduced once to its `p × p` triangle:
 * one QR of the rows, built by Givens rotations one row at a time (so rows can stream and nothing
 * of size `rows × p` is ever held), gives an upper-triangular `R`, a vector `c` and a scalar `r0`
 * with
 *
 * `‖A θ − b‖² = ‖R θ − c‖² + r0` for every θ,
 *
 * because `Qᵀ` is orthogonal. Everything a fit needs afterwards (NNLS, singular values for the
 * identifiability check, `AᵀA = RᵀR` for standard errors) then works on `p` rows instead of all of
 * them. QR, not the Gram matrix `AᵀA`: forming `AᵀA` squares the condition number (the whitened
 * SweetSpot basis mixes i² and 1), QR does not (docs/fitting.md).
 *
 * Stacking: the rows of `R` with right-hand side `c` are themselves rows of an equivalent
 * problem. Extra residual rows — weighted prior rows of a maximum a posteriori fit, or another
 * block of data reduced elsewhere — are added with {@link ReducedSystem.addRow} or
 * {@link ReducedSystem.append} at any time, and the reduction stays exact: order does not matter.
 *
 * @example
 * const sys = new ReducedSystem(2);
 * for (const [t, y] of [[0, 1], [1, 3], [2, 5]]) sys.addRow([t, 1], y);
 * sys.objective([2, 1]) // 0: y = 2t + 1 exactly
 */
export class ReducedSystem {
  /** Upper triangle, row-major: `r[k·p + j]` for j ≥ k (zero below the diagonal). */
  readonly r: Float64Array;
  readonly c: Float64Array;
  /** The part of ‖b‖² no θ can reach: Σ of the squared residuals left after each rotation. */
  r0 = 0;
  /** Rows added so far (data and extra rows alike). */
  rows = 0;
  private readonly work: Float64Array;

  constructor(readonly p: number) {
    if (!Number.isInteger(p) || p < 1) throw new SweetspotInputError(`reduced system: needs at least one column, got ${p}`);
    this.r = new Float64Array(p * p);
    this.c = new Float64Array(p);
    this.work = new Float64Array(p + 1);
  }

  /**
   * Adds the row `a·θ ≈ b` with weight `w` (the residual counts as `w·(a·θ − b)²`), rotating it
   * into R: p Givens rotations, O(p²) work, no allocation.
   *
   * @throws {SweetspotInputError} when a value or the weight is not finite (or the weight < 0).
   */
  addRow(a: ArrayLike<number>, b: number, weight = 1): void {
    const p = this.p;
    const r = this.r;
    const c = this.c;
    const x = this.work;
    if (!(weight >= 0 && weight < Infinity)) throw new SweetspotInputError(`reduced system: row weight must be finite and ≥ 0, got ${weight}`);
    const s = weight === 1 ? 1 : Math.sqrt(weight);
    for (let j = 0; j < p; j++) {
      const v = a[j] * s;
      if (!Number.isFinite(v)) throw new SweetspotInputError(`reduced system: column ${j + 1} of a row is ${a[j]}`);
      x[j] = v;
    }
    let y = b * s;
    if (!Number.isFinite(y)) throw new SweetspotInputError(`reduced system: the right-hand side of a row is ${b}`);
    for (let k = 0; k < p; k++) {
      const xk = x[k];
      if (xk === 0) continue;
      const kk = k * p + k;
      const rkk = r[kk];
      // h = hypot(rkk, xk) without overflow or underflow.
      const ar = Math.abs(rkk);
      const ax = Math.abs(xk);
      let h: number;
      if (ar > ax) {
        const t = ax / ar;
        h = ar * Math.sqrt(1 + t * t);
      } else {
        const t = ar / ax;
        h = ax * Math.sqrt(1 + t * t);
      }
      const cs = rkk / h;
      const sn = xk / h;
      r[kk] = h;
      for (let j = k + 1; j < p; j++) {
        const rj = r[k * p + j];
        const xj = x[j];
        r[k * p + j] = cs * rj + sn * xj;
        x[j] = cs * xj - sn * rj;
      }
      const ck = c[k];
      c[k] = cs * ck + sn * y;
      y = cs * y - sn * ck;
    }
    this.r0 += y * y;
    this.rows++;
  }

  /** Adds every row of another reduced system over the same columns (e.g. a block reduced elsewhere). */
  append(other: ReducedSystem): void {
    if (other.p !== this.p) throw new SweetspotInputError(`reduced system: cannot stack ${other.p} columns onto ${this.p}`);
    const row = new Float64Array(this.p);
    for (let k = 0; k < this.p; k++) {
      row.fill(0);
      for (let j = k; j < this.p; j++) row[j] = other.r[k * this.p + j];
      this.addRow(row, other.c[k]);
      this.rows--;
    }
    this.r0 += other.r0;
    this.rows += other.rows;
  }

  /** Column k of R (length p), as the solvers take matrices by columns. */
  column(k: number): Float64Array {
    const out = new Float64Array(this.p);
    for (let i = 0; i <= k; i++) out[i] = this.r[i * this.p + k];
    return out;
  }

  /** ‖A θ − b‖² of the original rows, from the triangle: ‖R θ − c‖² + r0. */
  objective(theta: ArrayLike<number>): number {
    const p = this.p;
    let s = this.r0;
    for (let k = 0; k < p; k++) {
      let v = -this.c[k];
      for (let j = k; j < p; j++) v += this.r[k * p + j] * theta[j];
      s += v * v;
    }
    return s;
  }
}
