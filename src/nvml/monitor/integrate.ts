/** One power reading at a time, in seconds on the monitor's clock. */
export interface PowerSample {
  readonly tS: number;
  readonly powerW: number;
}

/**
 * Energy in joules under a piecewise-linear power curve through `samples` (the trapezoid rule).
 * Samples must be in time order; fewer than two give 0 J over 0 s.
 *
 * @example
 * ```ts
 * trapezoidEnergyJ([{ tS: 0, powerW: 100 }, { tS: 1, powerW: 300 }]); // → 200
 * ```
 */
export function trapezoidEnergyJ(samples: readonly PowerSample[]): number {
  let energyJ = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const dtS = b.tS - a.tS;
    if (dtS < 0) throw new RangeError(`power samples out of time order at ${i}: ${a.tS} s then ${b.tS} s`);
    energyJ += ((a.powerW + b.powerW) / 2) * dtS;
  }
  return energyJ;
}
