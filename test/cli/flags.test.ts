import { beforeAll, describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import { resolveArchitecture } from '../../src/architecture/resolve.js';
import { CLI_REMEDIES, cliMessage } from '../../src/cli/flags.js';
import { defaultCalibration } from '../../src/energy/calibration/defaults.js';
import { createEstimator } from '../../src/energy/predict/estimator.js';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { linearForm } from '../../src/energy/forms/linear.js';
import { calibrate, calibrateWith } from '../../src/fit/calibrate.js';
import { crossValidate } from '../../src/fit/evaluate/cv.js';
import { filterMeasurements } from '../../src/fit/data/filter.js';
import { groupByColumns } from '../../src/fit/evaluate/folds.js';
import { loadMeasurements } from '../../src/fit/read/load.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { parsePins } from '../../src/fit/solve/pin.js';
import { fixtureDir } from './fit-fixtures.js';
import { cli } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = fixtureDir();
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

const rows = [16, 64, 256].flatMap((i) => [8, 64, 512].map((o) => MeasurementSchema.parse({ model: 'llama-2-7b', nIn: i, nOut: o, energyJ: 1 + i * 0.01 + o * 0.3, gpu: 'A100' })));

describe('library errors name the function and option; the CLI says its flags', () => {
  it.each([
    [() => calibrate(rows, { form: sweetspotForm, fix: { theta9: 1 } }), /^calibrate\(\{ fix: \{ theta9 \} \}\)/, /^--fix theta9: form sweetspot has no parameter 'theta9'/],
    [() => filterMeasurements(rows, { where: ['colour=red'] }), /^filterMeasurements\(\{ where: \['colour=red'\] \}\)/, /^--where 'colour=red': unknown column 'colour'/],
    [() => filterMeasurements(rows, { excludeNotes: '(' }), /^filterMeasurements\(\{ excludeNotes \}\)/, /^--exclude-notes: bad regular expression/],
    [() => groupByColumns(rows, []), /^groupByColumns\(rows, columns\)/, /^--cv-group: give at least one column/],
    [() => parsePins(['x']), /^parsePins\(\['x'\]\)/, /^--fix 'x': expected NAME=NUMBER/],
    [() => createEstimator(preset('llama-2-7b'), { gpus: 0 }), /^createEstimator\(\{ gpus \}\)/, /^--gpus: must be an integer in 1\.\.4096/],
    [() => createEstimator(preset('llama-2-7b'), { calibration: defaultCalibration() }).estimate(4000, 4000, 1), /allowOverflow/, /--allow-overflow/],
    [
      () => resolveArchitecture('/path/to/config.json'),
      /\(see presetIds\(\), or build an Architecture with loadArchitecture\(path\) or fromHfConfig\(json\)\)$/,
      /^unknown model '\/path\/to\/config\.json'; nearest presets: [^(]+\(see 'sweetspot presets', or pass a path to a config\.json\)$/,
    ],
  ] as const)('%#', (fn, library, flags) => {
    const message = messageOf(fn);
    expect(message).toMatch(library);
    expect(message).not.toMatch(/--[a-z]/);
    expect(cliMessage(message)).toMatch(flags);
  });

  it('a fit\'s refusal tells the library caller its calls, and the command line its flags, each written by the caller', () => {
    const cases = [
      [[...rows, { ...rows[0], gpu: 'H100' }], 'keep one (filterMeasurements(rows, { gpu }))', 'keep one (--gpu or --where)'],
      [[...rows.map((r) => ({ ...r, engine: 'TensorRT-LLM' })), { ...rows[0], engine: 'vLLM' }], 'keep one (filterMeasurements(rows, { engine }))', 'keep one (--engine or --where)'],
      [[...rows, { ...rows[0], kvCache: false }], 'keep one (filterMeasurements(rows, { kvCache }))', 'keep one (--kv-cache on|off)'],
      [[...rows, { ...rows[0], batchSize: 2 }], "keep one: filterMeasurements(rows, { where: ['batch_size=N'] })", 'keep one: --where batch_size=N'],
      // Three configurations for six parameters of the SweetSpot form: pin one, or measure more.
      [rows.slice(0, 3), 'pin one of them (calibrate({ fix: { NAME: value } }))', 'pin one of them (--fix NAME=VALUE)'],
    ] as const;
    for (const [input, library, flags] of cases) {
      const options = { form: sweetspotForm, prior: 'none' as const };
      expect(messageOf(() => calibrate(input, options))).toContain(library);
      const cliText = messageOf(() => calibrateWith(input, options, CLI_REMEDIES));
      expect(cliText).toContain(flags);
      // Nothing is left for the flag table to rewrite.
      expect(cliMessage(cliText)).toBe(cliText);
    }
    // The same refusal from crossValidate names crossValidate; a baseline, which nothing pins, offers only more lengths.
    const cv = crossValidate(rows.slice(0, 6), { kind: 'k-fold', k: 2 }, { form: sweetspotForm, prior: 'none' });
    expect(cv.results.sweetspot.folds.find((f) => f.error)?.error).toContain('pin one of them (crossValidate({ fix: { NAME: value } }))');
    // One model: the per-parameter baseline's a and b are one column each times the same B·o.
    const baseline = calibrate(rows, { form: linearForm, prior: 'none' }).baselines['per-param'].skipped;
    expect(baseline).toMatch(/cannot determine .*; measure more varied lengths$/);
  });

  it('an unknown --model suggests the presets command and a path to a config.json', async () => {
    const attempt = cli(dir, ['terms', '--model', 'gpt-5', '--in', '5', '--out', '3']);
    await expect(attempt).rejects.toThrow(/^terms: --model: unknown model 'gpt-5'; nearest presets: [^(]+\(see 'sweetspot presets', or pass a path to a config\.json\)$/);
  });

  it('loadMeasurements names the path; the CLI says --data', async () => {
    await expect(loadMeasurements('nope.csv', dir)).rejects.toThrow(/^loadMeasurements\('nope.csv'\): cannot read the file/);
    await expect(cli(dir, ['fit', '--data', 'nope.csv', '--save', 'x.json'])).rejects.toThrow(/^--data nope.csv: cannot read the file/);
  });

  it('the CLI maps errors a command gets from the library', async () => {
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--fix', 'theta9=1'])).rejects.toThrow(/^--fix theta9: form sweetspot has no parameter 'theta9'/);
    await expect(cli(dir, ['fit', '--data', 'ss.csv', '--save', 'x.json', '--where', 'colour=red'])).rejects.toThrow(/^--where 'colour=red': unknown column/);
  });

  it('warns on stderr, and in the report, for what the schema assumed', async () => {
    // hw.csv has no kv_cache and no batch_size column.
    const r = await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--save', 'w1.json']);
    expect(r.stderr).toContain('sweetspot: warning: kv_cache: 36 rows had no value and were taken as on (the KV-cache regime); say which with --kv-cache on|off or a kv_cache column');
    expect(r.stderr).toContain('sweetspot: warning: batch_size: 36 rows had no value and were taken as 1');
    expect(r.stdout).toContain('warning   kv_cache: 36 rows had no value');
    // Said with --kv-cache: a default the user gave, reported but not warned about.
    const said = await cli(dir, ['fit', '--data', 'hw.csv', '--form', 'hardware', '--fix', 'staticPowerW=55', '--kv-cache', 'off', '--save', 'w2.json']);
    expect(said.stderr).not.toContain('kv_cache');
    expect(said.stdout).toContain('default   kv_cache: 36 rows had no value and were taken as off (the recompute regime)');
  });
});
