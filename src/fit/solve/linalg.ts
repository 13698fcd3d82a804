/**
 * Small dense linear algebra for the fitters: matrices are given as columns (one Float64Array of
 * length m per parameter), since fits have many rows and few parameters.
 */

/**
 * Least-squares solution of `A x ≈ b` by Householder QR (A with full column rank). Returns null
 * when a column is (numerically) dependent on the others.
 *
 * @example
 * lstsq([Float64Array.of(1, 1, 1), Float64Array.of(0, 1, 2)], Float64Array.of(1, 3, 5)) // [1, 2]
 */
export function lstsq(cols: readonly Float64Array[], b: Float64Array): Float64Array | null {
  const n = cols.length;
  const m = b.length;
  const a = cols.map((c) => Float64Array.from(c));
  const y = Float64Array.from(b);
  const diag = new Float64Array(n);
  let maxNorm = 0;
  for (const c of cols) maxNorm = Math.max(maxNorm, norm2(c));
  for (let k = 0; k < n; k++) {
    const col = a[k];
    let s = 0;
    for (let i = k; i < m; i++) s += col[i] * col[i];
    const alpha = -Math.sign(col[k] || 1) * Math.sqrt(s);
    if (Math.abs(alpha) <= 1e-13 * maxNorm) return null;
    // v = x − alpha·e_k, stored in col[k..]; H = I − 2vvᵀ/vᵀv.
    const xk = col[k];
    col[k] -= alpha;
    const vv = s - xk * xk + col[k] * col[k];
    for (let j = k + 1; j < n; j++) applyReflector(col, a[j], k, m, vv);
    applyReflector(col, y, k, m, vv);
    diag[k] = alpha;
  }
  const x = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    let s = y[k];
    for (let j = k + 1; j < n; j++) s -= a[j][k] * x[j];
    x[k] = s / diag[k];
  }
  return x;
}

function applyReflector(v: Float64Array, target: Float64Array, k: number, m: number, vv: number): void {
  let dot = 0;
  for (let i = k; i < m; i++) dot += v[i] * target[i];
  const f = (2 * dot) / vv;
  for (let i = k; i < m; i++) target[i] -= f * v[i];
}

/**
 * Euclidean norm, scaled so that it neither overflows nor underflows.
 *
 * @example
 * norm2([3, 4]) // 5
 */
export function norm2(v: ArrayLike<number>): number {
  // Scaled to avoid overflow/underflow with energies of 1e5 J and J/FLOP of 1e-12.
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] / scale) ** 2;
  return scale * Math.sqrt(s);
}

/**
 * Dot product.
 *
 * @example
 * dot([1, 2], [3, 4]) // 11
 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Singular values and right singular vectors of A (given as columns) by one-sided Jacobi: accurate
 * for the small, badly scaled matrices of energy fits. `v[k]` is the k-th right singular vector,
 * singular values are sorted in decreasing order.
 *
 * @example
 * svd([Float64Array.of(1, 0), Float64Array.of(1, 0)]).s // [√2, 0]
 */
export function svd(cols: readonly Float64Array[]): { s: number[]; v: number[][] } {
  const n = cols.length;
  const u = cols.map((c) => Float64Array.from(c));
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const alpha = dot(u[p], u[p]);
        const beta = dot(u[q], u[q]);
        const gamma = dot(u[p], u[q]);
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(u[p], u[q], c, s);
        // v is stored by columns of V: v[k] is column k.
        rotate(v[p], v[q], c, s);
      }
    }
    if (!rotated) break;
  }
  const s = u.map((c) => norm2(c));
  const order = s.map((_, k) => k).sort((a, b) => s[b] - s[a]);
  return { s: order.map((k) => s[k]), v: order.map((k) => v[k]) };
}

/** Applies the plane rotation (c, s) to the pair (a, b) in place: columns of U or of V alike. */
function rotate(a: { [i: number]: number; readonly length: number }, b: { [i: number]: number }, c: number, s: number): void {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    a[i] = c * x - s * y;
    b[i] = s * x + c * y;
  }
}

/**
 * Inverse of a symmetric positive definite matrix by Cholesky; null when it is not (numerically)
 * positive definite.
 *
 * @example
 * inverseSpd([[4, 0], [0, 2]]) // [[0.25, 0], [0, 0.5]]
 */
export function inverseSpd(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const l = choleskyFactor(a);
  if (!l) return null;
  const inv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let col = 0; col < n; col++) {
    const e = new Array<number>(n).fill(0);
    e[col] = 1;
    const x = choleskySolve(l, e);
    for (let i = 0; i < n; i++) inv[i][col] = x[i];
  }
  return inv;
}

/**
 * Lower Cholesky factor of an SPD matrix, or null when it is not (numerically) positive definite.
 *
 * @example
 * choleskyFactor([[4, 2], [2, 5]]) // [[2, 0], [1, 2]]
 */
export function choleskyFactor(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 1e-300) || !Number.isFinite(d)) return null;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/**
 * Solves L Lᵀ x = b for a Cholesky factor L.
 *
 * @example
 * choleskySolve([[2, 0], [1, 2]], [8, 13]) // [1.25, 2.25]: [[4, 2], [2, 5]]·x = [8, 13]
 */
export function choleskySolve(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}
