/**
 * What the fitting functions' refusals and warnings tell the caller to do, in the caller's own
 * terms: the library's calls ({@link LIBRARY_REMEDIES}), or the command line's flags, passed by
 * the command (so that no message is rewritten after the fact). Internal.
 *
 * @example
 * const cli: FitRemedies = { ...LIBRARY_REMEDIES, pin: '--fix NAME=VALUE' };
 */
export interface FitRemedies {
  /** Pins a parameter the rows cannot determine. */
  readonly pin: string;
  /** Keeps the rows of one GPU, one engine, one KV-cache regime, one batch. */
  readonly oneGpu: string;
  readonly oneEngine: string;
  readonly oneRegime: string;
  readonly oneBatch: string;
  /** Names the GPU profile outright, for rows whose gpu names none or several. */
  readonly profile: string;
  /** Prices rows measured on another GPU on the calibration's own (evaluate). */
  readonly noTransfer: string;
}

/**
 * The remedies as the library's callers give them: `calibrate` options and `filterMeasurements`.
 *
 * @example
 * LIBRARY_REMEDIES.pin // 'calibrate({ fix: { NAME: value } })'
 */
export const LIBRARY_REMEDIES: FitRemedies = Object.freeze({
  pin: 'calibrate({ fix: { NAME: value } })',
  oneGpu: 'filterMeasurements(rows, { gpu })',
  oneEngine: 'filterMeasurements(rows, { engine })',
  oneRegime: 'filterMeasurements(rows, { kvCache })',
  oneBatch: "filterMeasurements(rows, { where: ['batch_size=N'] })",
  profile: 'calibrate({ profile: resolveProfile(NAME) })',
  noTransfer: '{ transfer: false }',
});
