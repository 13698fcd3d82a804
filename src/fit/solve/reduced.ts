import { SweetspotInputError } from '../../errors.js';

/**
 * A least-squares problem `min ‖A θ − b‖²` over many rows, reduced once to its `p × p` triangle:
 * one QR of the rows, built block by block (Householder QR of the triangle stacked on the next 256
 * rows, so rows can stream and nothing of size `rows × p` is ever held), gives an upper-triangular `R`, a vector `c` and a scalar `r0`
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
  // Upper triangle, row-major: r[k·p + j] for j ≥ k (zero below the diagonal).
  private readonly r: Float64Array;
  private readonly c: Float64Array;
  private r0Sum = 0;
  // Rows wait in a column-major block and are rotated in together: one Householder QR of
  // [R; block] per BLOCK rows costs about p² multiply-adds per row and no square root per row.
  private readonly block: Float64Array;
  private readonly blockB: Float64Array;
  private pending = 0;
  private count = 0;

  constructor(readonly p: number) {
    if (!Number.isInteger(p) || p < 1) throw new SweetspotInputError(`reduced system: needs at least one column, got ${p}`);
    this.r = new Float64Array(p * p);
    this.c = new Float64Array(p);
    this.block = new Float64Array(p * BLOCK);
    this.blockB = new Float64Array(BLOCK);
  }

  /** Rows added so far (data and extra rows alike). */
  get rows(): number {
    return this.count;
  }

  /** The part of ‖b‖² no θ can reach. */
  get r0(): number {
    this.flush();
    return this.r0Sum;
  }

  /**
   * Adds the row `a·θ ≈ b` with weight `w` (its residual counts as `w·(a·θ − b)²`).
   *
   * @throws {SweetspotInputError} when a value or the weight is not finite (or the weight < 0);
   *   the system is then unchanged.
   */
  addRow(a: ArrayLike<number>, b: number, weight = 1): void {
    const p = this.p;
    if (!(weight >= 0 && weight < Infinity)) throw new SweetspotInputError(`reduced system: row weight must be finite and ≥ 0, got ${weight}`);
    const s = weight === 1 ? 1 : Math.sqrt(weight);
    const y = b * s;
    if (!Number.isFinite(y)) throw new SweetspotInputError(`reduced system: the right-hand side of a row is ${b}`);
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(a[j] * s)) throw new SweetspotInputError(`reduced system: column ${j + 1} of a row is ${a[j]}`);
    }
    const at = this.pending;
    for (let j = 0; j < p; j++) this.block[j * BLOCK + at] = a[j] * s;
    this.blockB[at] = y;
    this.count++;
    if (++this.pending === BLOCK) this.flush();
  }

  /** Adds every row of another reduced system over the same columns (e.g. a block reduced elsewhere). */
  append(other: ReducedSystem): void {
    if (other.p !== this.p) throw new SweetspotInputError(`reduced system: cannot stack ${other.p} columns onto ${this.p}`);
    other.flush();
    const p = this.p;
    const row = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      row.fill(0);
      for (let j = k; j < p; j++) row[j] = other.r[k * p + j];
      this.addRow(row, other.c[k]);
    }
    // Those p rows stand for other's rows; its unreachable part carries over as it is.
    this.count += other.count - p;
    this.flush();
    this.r0Sum += other.r0Sum;
  }

  /** Column k of R (length p), as the solvers take matrices by columns. */
  column(k: number): Float64Array {
    this.flush();
    const out = new Float64Array(this.p);
    for (let i = 0; i <= k; i++) out[i] = this.r[i * this.p + k];
    return out;
  }

  /** The right-hand side c (length p). */
  rhs(): Float64Array {
    this.flush();
    return Float64Array.from(this.c);
  }

  /** ‖A θ − b‖² of the original rows, from the triangle: ‖R θ − c‖² + r0. */
  objective(theta: ArrayLike<number>): number {
    this.flush();
    const p = this.p;
    let s = this.r0Sum;
    for (let k = 0; k < p; k++) {
      let v = -this.c[k];
      for (let j = k; j < p; j++) v += this.r[k * p + j] * theta[j];
      s += v * v;
    }
    return s;
  }

  /**
   * Rotates the pending rows into R: Householder QR of [R; block]. Column k of the stack is
   * nonzero only at R's diagonal and in the block (R is upper triangular), so each reflector
   * touches one entry of R per column and the block's rows.
   */
  private flush(): void {
    const n = this.pending;
    if (n === 0) return;
    const p = this.p;
    const r = this.r;
    const c = this.c;
    const blk = this.block;
    const y = this.blockB;
    for (let k = 0; k < p; k++) {
      const vk = k * BLOCK;
      let scale = Math.abs(r[k * p + k]);
      for (let i = 0; i < n; i++) {
        const v = Math.abs(blk[vk + i]);
        if (v > scale) scale = v;
      }
      if (scale === 0) continue;
      // ‖column‖ scaled against overflow and underflow (whitened terms span many decades).
      const d = r[k * p + k] / scale;
      let ss = d * d;
      for (let i = 0; i < n; i++) {
        const v = blk[vk + i] / scale;
        ss += v * v;
      }
      const rkk = r[k * p + k];
      const alpha = -(rkk >= 0 ? 1 : -1) * scale * Math.sqrt(ss);
      // Reflector v = [rkk − alpha; block column k], H = I − 2vvᵀ/vᵀv, and vᵀv = 2·alpha·(alpha − rkk).
      const v0 = rkk - alpha;
      const vv = alpha * (alpha - rkk) * 2;
      if (vv === 0) continue;
      for (let j = k + 1; j < p; j++) {
        const vj = j * BLOCK;
        let dot = v0 * r[k * p + j];
        for (let i = 0; i < n; i++) dot += blk[vk + i] * blk[vj + i];
        const f = (2 * dot) / vv;
        r[k * p + j] -= f * v0;
        for (let i = 0; i < n; i++) blk[vj + i] -= f * blk[vk + i];
      }
      let dot = v0 * c[k];
      for (let i = 0; i < n; i++) dot += blk[vk + i] * y[i];
      const f = (2 * dot) / vv;
      c[k] -= f * v0;
      for (let i = 0; i < n; i++) y[i] -= f * blk[vk + i];
      r[k * p + k] = alpha;
    }
    let rest = 0;
    for (let i = 0; i < n; i++) rest += y[i] * y[i];
    this.r0Sum += rest;
    this.pending = 0;
  }
}

/** Rows rotated in at a time: p·256 doubles stay in the first-level cache for p ≤ 12. */
const BLOCK = 256;
