import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnergyMonitor, MAX_TIMER_S, lockCampaignFile, measureIdlePower, readCampaignFile, requestCompletion, trapezoidEnergyJ, type MonitoredDevice } from '../../src/nvml/index.js';
import { inputError, tempDir } from './helpers.js';

// The NVML entry's functions take their arguments from callers who script their own campaigns;
// each bad one is named, never read as something else (docs/measuring.md#limits-on-untrusted-input).

const gpu: MonitoredDevice = { index: 0, energyCounterSupported: true, totalEnergyMj: () => 0, powerW: () => 100 };

describe('sweetspot/nvml arguments', () => {
  it(`refuses an idle duration above MAX_TIMER_S (1e300 s was measured over the millisecond after which the timer fired)`, async () => {
    const monitor = new EnergyMonitor({ devices: [gpu] });
    let slept: number | undefined;
    const sleep = async (s: number) => void (slept = s);
    await inputError(measureIdlePower(monitor, 1e300, sleep), [`idle duration must be a positive number of seconds ≤ ${MAX_TIMER_S}`, 'got 1e+300']);
    await inputError(measureIdlePower(monitor, MAX_TIMER_S * 1.001, sleep), ['≤ 2147483.647']);
    expect(slept).toBeUndefined();
    expect(monitor.openWindows).toEqual([]);
    await inputError(measureIdlePower({} as EnergyMonitor, 1, sleep), ['measureIdlePower(monitor): expected an EnergyMonitor: beginWindow must be a function']);
    await inputError(measureIdlePower(monitor, 1, 5 as never), ['measureIdlePower(sleep): expected a function']);
  });

  it('refuses samples that are not finite in trapezoidEnergyJ (a NaN power made the energy NaN), and names the order as an input error (it was RangeError)', async () => {
    expect(trapezoidEnergyJ([{ tS: 0, powerW: 100 }, { tS: 2, powerW: 300 }])).toBe(400);
    await inputError(() => trapezoidEnergyJ([{ tS: 0, powerW: NaN }, { tS: 1, powerW: 300 }]), ['samples 0 and 1 must be { tS, powerW } with finite numbers, got { tS: 0, powerW: NaN } and { tS: 1, powerW: 300 }']);
    await inputError(() => trapezoidEnergyJ([{ tS: 0, powerW: 1 }, { tS: Infinity, powerW: 1 }]), ['samples 0 and 1 must be']);
    await inputError(() => trapezoidEnergyJ([{ tS: 0, powerW: 1 }, undefined as never]), ['got { tS: 0, powerW: 1 } and undefined']);
    await inputError(() => trapezoidEnergyJ([{ tS: 2, powerW: 1 }, { tS: 1, powerW: 1 }]), ['trapezoidEnergyJ(samples): power samples out of time order at 1: 2 s then 1 s']);
    await inputError(() => trapezoidEnergyJ('xy' as never), ['trapezoidEnergyJ(samples): expected an array']);
  });

  it("refuses a campaign path that is not a string (lockCampaignFile({}) created '[object Object].lock'; readCampaignFile read it as nothing done)", async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const path of [{}, [], null, 5]) await inputError(() => lockCampaignFile(path as never, () => {}), ['lockCampaignFile(csvPath): expected']);
      await inputError(() => lockCampaignFile('', () => {}), ['expected a file name, got an empty string']);
      await inputError(() => lockCampaignFile(join(dir, 'runs.csv'), undefined as never), ['lockCampaignFile(warn): expected a function']);
      expect(readdirSync(dir)).toEqual([]);
      await inputError(() => readCampaignFile({} as never, 'm'), ['readCampaignFile(path): expected a string, got object']);
      await inputError(() => readCampaignFile(join(dir, 'runs.csv'), 5 as never), ['readCampaignFile(model): expected a string, got number']);
      const release = lockCampaignFile(join(dir, 'runs.csv'), () => {});
      expect(existsSync(join(dir, 'runs.csv.lock'))).toBe(true);
      release();
    } finally {
      process.chdir(cwd);
    }
  });

  it('checks a request before sending it (a missing timeoutS was an abort after NaN ms, reported as a retryable network failure)', async () => {
    let sent = 0;
    const fetch = (async () => {
      sent++;
      return new Response('{"usage":{"prompt_tokens":2,"completion_tokens":1}}');
    }) as typeof globalThis.fetch;
    const request = { url: 'http://127.0.0.1:1/v1/completions', model: 'm', promptIds: [1, 2], nOut: 1, timeoutS: 5, fetch };
    const { timeoutS: _, ...noTimeout } = request;
    await inputError(requestCompletion(noTimeout as never), ['requestCompletion(request): expected a CompletionRequest: timeoutS must be a number, got undefined']);
    await inputError(requestCompletion({ ...request, timeoutS: 1e9 }), [`timeoutS must be a positive number of seconds ≤ ${MAX_TIMER_S}`]);
    await inputError(requestCompletion({ ...request, nOut: 0.5 }), ['nOut must be an integer in 1..4194304, got 0.5']);
    await inputError(requestCompletion({ ...request, promptIds: 'ab' as never }), ['promptIds must be an array']);
    await inputError(requestCompletion({ ...request, extraBody: 5 as never }), ['extraBody must be an object']);
    expect(sent).toBe(0);
    expect(await requestCompletion(request)).toMatchObject({ promptTokens: 2, completionTokens: 1 });
    expect(sent).toBe(1);
  });
});
