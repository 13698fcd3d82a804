import { checkArray } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';

/** One power reading at a time, in seconds on the monitor's clock. */
export interface PowerSample {
  readonly tS: number;
  readonly powerW: number;
}

/**
 * Energy in joules under a piecewise-linear power curve through `samples` (the trapezoid rule).
 * Samples must be in time order, at finite times and powers; fewer than two give 0 J over 0 s.
 *
 * @throws {SweetspotInputError} naming the first sample out of order or not finite (a NaN power
 *   made the energy NaN).
 *
 * @example
 * ```ts
 * trapezoidEnergyJ([{ tS: 0, powerW: 100 }, { tS: 1, powerW: 300 }]); // → 200
 * ```
 */
export function trapezoidEnergyJ(samples: readonly PowerSample[]): number {
  checkArray('trapezoidEnergyJ(samples)', samples);
  let energyJ = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const dtS = b?.tS - a?.tS;
    const step = ((a?.powerW + b?.powerW) / 2) * dtS;
    // One test per step: a sample that is missing or not finite makes `step` NaN or infinite.
    if (!Number.isFinite(step)) throw new SweetspotInputError(`trapezoidEnergyJ(samples): samples ${i - 1} and ${i} must be { tS, powerW } with finite numbers, got ${shown(a)} and ${shown(b)}`);
    if (dtS < 0) throw new SweetspotInputError(`trapezoidEnergyJ(samples): power samples out of time order at ${i}: ${a.tS} s then ${b.tS} s`);
    energyJ += step;
  }
  return energyJ;
}

function shown(sample: PowerSample | undefined): string {
  return typeof sample === 'object' && sample !== null ? `{ tS: ${String(sample.tS)}, powerW: ${String(sample.powerW)} }` : String(sample);
}
