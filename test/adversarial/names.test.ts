import { describe, expect, it } from 'vitest';
import { loadArchitecture } from '../../src/architecture/load.js';
import { NEAREST_MAX_CHARS, nearestNames } from '../../src/architecture/nearest.js';
import { preset, presetIds } from '../../src/architecture/registry.js';
import { findPreset, resolveArchitecture } from '../../src/architecture/resolve.js';
import { calibrationByName } from '../../src/energy/calibration/shelf.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { quoteInput } from '../../src/errors.js';
import { inputError } from './helpers.js';

const HUGE = 'x'.repeat(1_000_000);

describe('names: any string or value gives a short named error, quickly', () => {
  it('refuses a name that is not a string by name (preset, resolveArchitecture and loadArchitecture threw TypeError "trim is not a function")', async () => {
    for (const bad of [5, null, undefined, {}, ['llama-3.1-8b']]) {
      await inputError(() => preset(bad as never), ['preset(id): expected a string, got']);
      await inputError(() => resolveArchitecture(bad as never), ['resolveArchitecture(name): expected a string, got']);
      await inputError(() => findPreset(bad as never), ['findPreset(name): expected a string, got']);
      await inputError(loadArchitecture(bad as never, process.cwd()), ['loadArchitecture(spec, cwd): spec: expected a string, got']);
    }
    await inputError(loadArchitecture('llama-3.1-8b', undefined as never), ['loadArchitecture(spec, cwd): cwd: expected a string, got undefined']);
  });

  it('answers a megabyte-long model name in milliseconds with a short message (1.6 s and a 1 MB message before)', async () => {
    const calls: Array<[() => unknown, string]> = [
      [() => preset(HUGE), 'unknown preset'],
      [() => resolveArchitecture(HUGE), 'unknown model'],
      [() => estimate(HUGE, { nIn: 1, nOut: 1 }), 'unknown model'],
      [() => resolveProfile(HUGE), 'unknown GPU'],
      [() => calibrationByName(HUGE), 'unknown calibration'],
    ];
    for (const [call, what] of calls) {
      const started = performance.now();
      const error = await inputError(call, [what, "'xxxxxxxxxx", '…\' (1000000 characters)']);
      expect(performance.now() - started).toBeLessThan(500);
      // Short whatever the name's length: its quoted start, the nearest names and at most the list of all presets.
      expect(error.message.length).toBeLessThan(300 + presetIds().join(', ').length);
    }
  });

  it('still suggests the nearest presets, comparing the first characters of a long name', () => {
    expect(nearestNames('llama-3.1-8', presetIds(), 1)).toEqual(['llama-3.1-8b']);
    // A long name is compared by its start: the same suggestion as for the start alone.
    const long = `llama-3.1-8${'z'.repeat(NEAREST_MAX_CHARS * 10)}`;
    expect(nearestNames(long, presetIds())).toEqual(nearestNames(long.slice(0, NEAREST_MAX_CHARS), presetIds()));
  });

  it('quotes short text as given and long text by its start and length', () => {
    expect(quoteInput('llama')).toBe("'llama'");
    expect(quoteInput('a'.repeat(100))).toBe(`'${'a'.repeat(100)}'`);
    expect(quoteInput('a'.repeat(101))).toBe(`'${'a'.repeat(100)}…' (101 characters)`);
  });
});
