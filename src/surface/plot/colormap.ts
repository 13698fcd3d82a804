/**
 * Viridis, the perceptually uniform colour map of matplotlib, as a polynomial fit (Matt Zucker's
 * degree-6 fit, max error < 1% of the table): its lightness rises monotonically, so a reader (and
 * a grey-scale print) can order any two colours.
 */
const C = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

/**
 * The viridis colour at `t` ∈ [0, 1] (clamped) as `[r, g, b]` in 0…255.
 *
 * @example
 * viridis(0) // [71, 1, 85]
 */
export function viridis(t: number): [number, number, number] {
  const x = t < 0 ? 0 : t > 1 ? 1 : t;
  const out: [number, number, number] = [0, 0, 0];
  for (let ch = 0; ch < 3; ch++) {
    let v = C[6][ch];
    for (let k = 5; k >= 0; k--) v = C[k][ch] + x * v;
    out[ch] = Math.round(255 * Math.min(1, Math.max(0, v)));
  }
  return out;
}

/**
 * The viridis colour at `t` as `#rrggbb`.
 *
 * @example
 * viridisHex(1) // '#fce721'
 */
export function viridisHex(t: number): string {
  const [r, g, b] = viridis(t);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}
