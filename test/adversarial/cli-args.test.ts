import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterMeasurements } from '../../src/fit/data/filter.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { SAFE_REGEX_LIMITS, checkSafeRegex } from '../../src/fit/data/safe-regex.js';
import { MAX_TIMER_S } from '../../src/nvml/monitor/timer-limit.js';
import { EnergyMonitor, runCampaign } from '../../src/nvml/index.js';
import { cli, inputError, tempDir } from './helpers.js';

const row = (notes: string) => MeasurementSchema.parse({ model: 'm', nIn: 1, nOut: 1, energyJ: 1, notes });

describe('cli args: --exclude-notes runs only patterns that cannot backtrack catastrophically', () => {
  it("refuses '^(a+)+$' (it hung on notes like aaaa…!) before running it", async () => {
    // Run, this pattern would take about 2^40 steps on this note: refusing it is the only way the test ends.
    const rows = [row(`${'a'.repeat(40)}!`), row('ok')];
    await inputError(() => filterMeasurements(rows, { excludeNotes: '^(a+)+$' }), ['--exclude-notes: the regular expression is refused: a repeated group at character 6 holds a quantifier']);
    await inputError(() => filterMeasurements(rows, { excludeNotes: /^(a+)+$/ }), ['--exclude-notes: the regular expression is refused']);
    const dir = tempDir();
    writeFileSync(join(dir, 'm.csv'), `model,n_in,n_out,energy_j,notes\nllama-2-7b,8,8,1,${'a'.repeat(40)}!\n`);
    await inputError(cli(dir, ['fit', '--data', 'm.csv', '--exclude-notes', '^(a+)+$', '--save', 'c.json']), ['--exclude-notes: the regular expression is refused']);
  });

  it('refuses every shape outside the safe subset, naming the rule', async () => {
    const cases: Array<[string, string]> = [
      ['(a|aa)*$', 'holds an alternation'],
      ['(a*)*b', 'holds a quantifier'],
      ['(\\w+\\s?){2,}$', 'holds a quantifier'],
      ['((ab)*c)+', 'holds a quantifier'],
      ['(x)\\1', 'backreference at character 4'],
      ['(?<n>x)\\k<n>', 'backreference'],
      ['a(?=b)', 'lookaround at character 2'],
      ['(?<!a)b', 'lookaround'],
      ['a*b*c*', `more than ${SAFE_REGEX_LIMITS.maxUnbounded} unbounded quantifiers`],
      ['x'.repeat(SAFE_REGEX_LIMITS.maxChars + 1), `more than ${SAFE_REGEX_LIMITS.maxChars}`],
    ];
    for (const [pattern, rule] of cases) await inputError(() => checkSafeRegex(pattern, '--exclude-notes'), [rule]);
  });

  it('keeps the patterns people write for notes', () => {
    const rows = [row('iteration 0'), row('cold start'), row('warm'), row('run 12')];
    for (const pattern of ['iteration 0', 'cold|warm', '^run [0-9]+$', '.*start.*', '(ab)+', '(cold)?', 'a{2,5}', '[(+*)]', '\\(x+\\)', '\\u{1F600}+']) {
      expect(() => checkSafeRegex(pattern, '--exclude-notes'), pattern).not.toThrow();
    }
    expect(filterMeasurements(rows, { excludeNotes: 'cold|^run [0-9]+$' }).rows.map((r) => r.notes)).toEqual(['iteration 0', 'warm']);
  });
});

describe('cli args: --timeout-s and other timer durations are bounded to what a timer accepts', () => {
  it(`refuses --timeout-s above ${MAX_TIMER_S} s (4.3e6 made every request fail as a "retryable network failure")`, async () => {
    const base = ['measure', '--endpoint', 'http://127.0.0.1:9', '--model', 'm', '--in', '8', '--out', '8', '--csv', 'x.csv', '--nvml-lib', '/nonexistent/libnvidia-ml.so.1'];
    await inputError(cli(tempDir(), [...base, '--timeout-s', '4300000']), [`measure: --timeout-s must be a positive number ≤ ${MAX_TIMER_S}, got '4300000'`]);
    await inputError(cli(tempDir(), [...base, '--idle-s', '1e7']), ['measure: --idle-s must be a number ≥ 0 and ≤ 2147483.647']);
    await inputError(cli(tempDir(), [...base, '--sampling-period-s', '1e7']), ['measure: --sampling-period-s must be a positive number ≤']);
    // At the bound the arguments are taken, and the run goes on to load NVML.
    await inputError(cli(tempDir(), [...base, '--timeout-s', String(MAX_TIMER_S)]), ['cannot load the NVIDIA Management Library'], 'NvmlUnavailableError');
  });

  it('refuses the same durations given to the library', async () => {
    const monitor = new EnergyMonitor({ devices: [{ index: 0, energyCounterSupported: true, totalEnergyMj: () => 0, powerW: () => 0 }] });
    await inputError(runCampaign({ endpoint: 'http://127.0.0.1:9', model: 'm', nIn: [8], nOut: [8], csvPath: join(tempDir(), 'x.csv'), monitor, timeoutS: 4.3e6 }), [
      `timeoutS must be a positive number of seconds ≤ ${MAX_TIMER_S}`,
    ]);
    await inputError(() => new EnergyMonitor({ devices: [{ index: 0, energyCounterSupported: true, totalEnergyMj: () => 0, powerW: () => 0 }], samplingPeriodS: 1e7 }), ['samplingPeriodS must be a positive number of seconds ≤']);
  });
});

describe('cli args: a flag given twice is refused (the last value was kept silently)', () => {
  it('names the repeated flag, for string and boolean options alike', async () => {
    const dir = tempDir();
    await inputError(cli(dir, ['predict', '--model', 'llama-2-7b', '--model', 'mistral-7b', '--in', '8', '--out', '8']), ['predict: --model is given more than once']);
    await inputError(cli(dir, ['surface', '--model', 'llama-2-7b', '--json', '--json']), ['surface: --json is given more than once']);
    await inputError(cli(dir, ['fit', '--data', 'a.csv', '--save', 'x.json', '--save=y.json']), ['fit: --save is given more than once']);
    // Options meant to repeat still do.
    await inputError(cli(dir, ['fit', '--data', 'a.csv', '--save', 'x.json', '--where', 'a=1', '--where', 'b=2']), ['--data a.csv: cannot read the file (ENOENT)']);
  });
});
