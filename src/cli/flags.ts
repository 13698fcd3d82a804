import type { FitRemedies } from '../fit/remedies.js';

/**
 * The library names a bad option the way a caller wrote it (`calibrate({ fix: { eStep } })`,
 * `filterMeasurements({ where: ['x=1'] })`); the command line says it with its flags. This table is
 * the one place that maps the first to the second, applied to every input error a command throws.
 * What a fit's refusal tells the user to do comes in the command line's own terms instead
 * ({@link CLI_REMEDIES}, passed to `calibrateWith`, `crossValidateWith`, `evaluateWith`).
 */
const FLAGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:calibrate|crossValidate)\(\{ fix: \{ (\w+) \} \}\)/g, '--fix $1'],
  [/\b(?:calibrate|crossValidate)\(\{ fix \}\)/g, '--fix'],
  [/\bparsePins\(\['(.*?)'\]\)/g, "--fix '$1'"],
  [/\b(?:calibrate|crossValidate)\(\{ profile \}\)/g, '--profile'],
  [/\bfilterMeasurements\((?:rows, )?\{ where: \['(.*?)'\] \}\)/g, "--where '$1'"],
  [/\bfilterMeasurements\((?:rows, )?\{ excludeNotes \}\)/g, '--exclude-notes'],
  [/\bloadMeasurements\('(.*?)'\)/g, '--data $1'],
  [/\bgroupByColumns\(rows, columns\)/g, '--cv-group'],
  [/\bgroupByColumns\(rows, \['(.*?)'\]\)/g, '--cv-group $1'],
  [/\bcreateEstimator\(\{ gpus \}\)/g, '--gpus'],
  [/\{ gpus: (\d+) \}/g, '--gpus $1'],
  [/\{ ignoreMemory: true \}/g, '--ignore-memory'],
  [/\{ waves: true \}/g, '--waves'],
  [/\b\w+\(\{ waves, ignoreMemory \}\)/g, '--waves, --ignore-memory'],
  [/\ballowOverflow\b/g, '--allow-overflow'],
  [/\baxisLog\b/g, '--log'],
  // An unknown model (docs/architectures.md#names): the command line lists presets with a command,
  // and its --model reads a config.json where the library asks for an Architecture.
  [/\bsee presetIds\(\)/g, "see 'sweetspot presets'"],
  [/\bbuild an Architecture with loadArchitecture\(path\) or fromHfConfig\(json\)/g, 'pass a path to a config.json'],
];

/**
 * An input error's message as the command line says it: library option names replaced by flags.
 *
 * @example
 * cliMessage("calibrate({ fix: { eStep } }): form hardware has no parameter 'eStep'") // "--fix eStep: form hardware has no parameter 'eStep'"
 */
export function cliMessage(message: string): string {
  let out = message;
  for (const [pattern, flag] of FLAGS) out = out.replace(pattern, flag);
  return out;
}

/**
 * The remedies as the command line gives them: `sweetspot fit` and `evaluate` flags.
 *
 * @example
 * CLI_REMEDIES.pin // '--fix NAME=VALUE'
 */
export const CLI_REMEDIES: FitRemedies = Object.freeze({
  pin: '--fix NAME=VALUE',
  oneGpu: '--gpu or --where',
  oneEngine: '--engine or --where',
  oneRegime: '--kv-cache on|off',
  oneBatch: '--where batch_size=N',
  profile: "--profile NAME (e.g. --profile 'A100 SXM4 80GB')",
  noTransfer: '--no-transfer',
});
