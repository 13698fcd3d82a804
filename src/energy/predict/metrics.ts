import { SweetspotInputError } from '../../errors.js';
import { shownValue } from '../../arguments.js';

/**
 * The energy of one call and its per-token metrics (docs/conventions.md).
 *
 * @example
 * const { jPerOutputToken, outputTokensPerJ }: CallMetrics = callMetrics(2500, 1024, 1024, 1);
 */
export interface CallMetrics {
  /** Energy of the whole call (all `batch` requests), J. */
  readonly energyJ: number;
  /** `energyJ / batch`, J. */
  readonly energyPerRequestJ: number;
  /** J per output token: `energyJ / (batch·nOut)`. */
  readonly jPerOutputToken: number;
  /** J per token, prompt and output: `energyJ / (batch·(nIn + nOut))`. */
  readonly jPerToken: number;
  /** Output tokens per joule: `batch·nOut / energyJ`. */
  readonly outputTokensPerJ: number;
}

/**
 * Per-request and per-token metrics of a call of `batch` identical requests of `nIn` prompt and
 * `nOut` output tokens that took `energyJ` joules. `predictEnergy` and `sweetspot predict` both
 * report these.
 *
 * @throws {SweetspotInputError} for an energy that is not finite and positive, or lengths and
 *   batch that are not integers ≥ 1 (each would give a NaN, 0 or Infinity metric).
 * @example
 * callMetrics(2500, 1024, 1024, 1).jPerToken // 2500 / 2048 ≈ 1.22
 */
export function callMetrics(energyJ: number, nIn: number, nOut: number, batch: number): CallMetrics {
  if (typeof energyJ !== 'number' || !(energyJ > 0 && energyJ < Infinity)) throw new SweetspotInputError(`call metrics: energyJ must be a finite positive number, got ${shownValue(energyJ)}`);
  for (const [name, v] of [['nIn', nIn], ['nOut', nOut], ['batch', batch]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new SweetspotInputError(`call metrics: ${name} must be an integer ≥ 1, got ${shownValue(v)}`);
  }
  return {
    energyJ,
    energyPerRequestJ: energyJ / batch,
    jPerOutputToken: energyJ / (batch * nOut),
    jPerToken: energyJ / (batch * (nIn + nOut)),
    outputTokensPerJ: (batch * nOut) / energyJ,
  };
}
