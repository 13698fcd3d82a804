/**
 * A map from data values to pixels along one direction, with its ticks.
 *
 * @example
 * const x: Scale = makeScale('log', [64, 4096], [0, 600]);
 * x.at(512) // 300
 */
export interface Scale {
  readonly kind: 'log' | 'linear';
  readonly domain: readonly [number, number];
  /** Pixel positions of domain[0] and domain[1] (may be decreasing, e.g. for a y axis). */
  readonly range: readonly [number, number];
  /** Pixel position of a value. */
  at(value: number): number;
  /** Fraction 0…1 along the domain. */
  fraction(value: number): number;
}

/**
 * A log or linear scale. A degenerate domain (lo = hi) maps everything to the middle.
 *
 * @example
 * makeScale('log', [64, 4096], [0, 600]).at(512) // 300
 */
export function makeScale(kind: 'log' | 'linear', domain: readonly [number, number], range: readonly [number, number]): Scale {
  const f = kind === 'log' ? Math.log : (v: number) => v;
  const lo = f(domain[0]);
  const span = f(domain[1]) - lo;
  const fraction = (v: number) => (span === 0 ? 0.5 : (f(v) - lo) / span);
  return { kind, domain, range, fraction, at: (v) => range[0] + fraction(v) * (range[1] - range[0]) };
}

/**
 * Ticks for a token axis: powers of two on a log axis (thinned to at most `max`), round numbers
 * on a linear one.
 *
 * @example
 * tokenTicks('log', [64, 4096]) // [64, 128, 256, 512, 1024, 2048, 4096]
 */
export function tokenTicks(kind: 'log' | 'linear', domain: readonly [number, number], max = 8): number[] {
  const [lo, hi] = domain;
  if (lo === hi) return [lo];
  if (kind === 'log' && hi / lo >= 4) {
    const first = Math.ceil(Math.log2(lo));
    const last = Math.floor(Math.log2(hi));
    const every = Math.max(1, Math.ceil((last - first + 1) / max));
    const ticks: number[] = [];
    for (let e = first; e <= last; e += every) ticks.push(2 ** e);
    return ticks;
  }
  return niceTicks(lo, hi, max);
}

/**
 * Round-number ticks within [lo, hi]: steps of 1, 2 or 5 times a power of ten.
 *
 * @example
 * niceTicks(0, 1, 5) // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(lo: number, hi: number, max = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / max;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * Ticks for a positive value on a log scale: 1, 2, 5 × powers of ten inside [lo, hi], or nice
 * linear ticks when the range is under a decade's worth.
 *
 * @example
 * logValueTicks(0.1, 3) // [0.1, 0.2, 0.5, 1, 2]
 */
export function logValueTicks(lo: number, hi: number, max = 7): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  if (ticks.length < 3) return niceTicks(lo, hi, max);
  while (ticks.length > max) {
    // Keep every other tick, always keeping the powers of ten.
    const kept = ticks.filter((v, k) => k % 2 === 0 || Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
    if (kept.length === ticks.length) break;
    ticks.length = 0;
    for (const v of kept) ticks.push(v);
  }
  return ticks;
}
