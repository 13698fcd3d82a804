import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import {
  CAMPAIGN_COLUMNS,
  CampaignCsvWriter,
  EnergyMonitor,
  completionsUrl,
  openNvml,
  requestCompletion,
  runCampaign,
  type CampaignOptions,
  type CompletionRequest,
  type EnergyMonitorOptions,
  type OpenNvmlOptions,
} from '../../src/nvml/index.js';
import { fakeRig } from '../fixtures/fake-rig.js';

// Every public nvml entry taking an options (or request) object refuses a key it does not know,
// naming it and the nearest known key, and lets a key set to `undefined` through (docs/measuring.md).
const rig = fakeRig();

const tmpCsv = () => join(mkdtempSync(join(tmpdir(), 'option-keys-')), 'runs.csv');

async function monitorOnFakeGpu() {
  const nvml = await rig.open(1_000_000);
  return new EnergyMonitor({ devices: [nvml.device(0)], counterUpdatePeriodS: 1e-9 });
}

describe('unknown option keys in the nvml entry', () => {
  it('new EnergyMonitor refuses a misspelt key, which would otherwise sample at the default period', async () => {
    const nvml = await rig.open(1_000_000);
    const device = nvml.device(0);
    const misspelt = { devices: [device], samplingPeriod: 0.01 } as unknown as EnergyMonitorOptions;
    expect(() => new EnergyMonitor(misspelt)).toThrow(SweetspotInputError);
    expect(() => new EnergyMonitor(misspelt)).toThrow('EnergyMonitor options: unknown key "samplingPeriod" (did you mean samplingPeriodS?)');
    const m = new EnergyMonitor({ devices: [device], samplingPeriodS: undefined, method: undefined, idlePowerW: undefined });
    expect(m.samplingPeriodS).toBe(0.1);
    expect(() => new EnergyMonitor(null as unknown as EnergyMonitorOptions)).toThrow('EnergyMonitor: options must be an object, got null');
  });

  it('EnergyMonitor refuses an idle power for a GPU it does not monitor (the nested idlePowerW)', async () => {
    const nvml = await rig.open(1_000_000);
    const device = nvml.device(0);
    expect(() => new EnergyMonitor({ devices: [device], idlePowerW: { 0: 50, 1: 60 } })).toThrow('idlePowerW: GPU 1 is not monitored (devices 0)');
    const m = new EnergyMonitor({ devices: [device], idlePowerW: { 0: 50 } });
    expect(() => m.setIdlePower({ 0: 40, 7: 10 })).toThrow('GPU 7 is not monitored');
    expect(() => m.setIdlePower({ 0: 40, gpu0: 10 } as Record<number, number>)).toThrow('idlePowerW: GPU "gpu0" is not monitored (devices 0)');
    expect(() => m.setIdlePower(null as unknown as Record<number, number>)).toThrow('idlePowerW: an object of watts by GPU index is required, got null');
    // Nothing was lost: the earlier idle power stays.
    expect(m.idlePowerW).toEqual({ 0: 50 });
  });

  it('runCampaign refuses `repeat: 5` before touching the CSV, the lock or the server', async () => {
    const monitor = await monitorOnFakeGpu();
    const s = await rig.server({ onRequest: () => rig.burn(1000) });
    const csvPath = tmpCsv();
    const plan = { endpoint: s.url, model: 'm', nIn: [8], nOut: [4], csvPath, monitor, warmup: 0, idleS: 0 };
    const misspelt = { ...plan, repeat: 5 } as unknown as CampaignOptions;
    await expect(runCampaign(misspelt)).rejects.toThrow(SweetspotInputError);
    await expect(runCampaign(misspelt)).rejects.toThrow('runCampaign options: unknown key "repeat" (did you mean repeats?)');
    expect(existsSync(csvPath)).toBe(false);
    expect(existsSync(`${csvPath}.lock`)).toBe(false);
    expect(s.requests).toHaveLength(0);
    // Keys set to undefined carry nothing and pass: the defaults apply (3 repeats).
    const result = await runCampaign({ ...plan, repeats: undefined, engine: undefined, gpu: undefined, onLog: undefined });
    expect(result).toMatchObject({ total: 3, measured: 3 });
    expect(s.requests).toHaveLength(3);
  });

  it('openNvml refuses a misspelt libraryPath rather than loading the system library', async () => {
    await rig.open(1_000_000);
    const misspelt = { libraryPth: rig.libraryPath } as unknown as OpenNvmlOptions;
    await expect(openNvml(misspelt)).rejects.toThrow(SweetspotInputError);
    await expect(openNvml(misspelt)).rejects.toThrow('openNvml options: unknown key "libraryPth" (did you mean libraryPath?)');
    const nvml = await openNvml({ libraryPath: rig.libraryPath, env: undefined });
    try {
      expect(nvml.libraryPath).toBe(rig.libraryPath);
      expect(nvml.deviceCount()).toBe(1);
    } finally {
      nvml.close();
    }
  });

  it('requestCompletion refuses a misspelt key without sending anything', async () => {
    const s = await rig.server({});
    const request = { url: completionsUrl(s.url), model: 'm', promptIds: [1, 2, 3], nOut: 2, timeoutS: 30 };
    const misspelt = { ...request, extra_body: { top_k: 1 } } as unknown as CompletionRequest;
    await expect(requestCompletion(misspelt)).rejects.toThrow('requestCompletion(request): unknown key "extra_body" (did you mean extraBody?)');
    expect(s.requests).toHaveLength(0);
    const r = await requestCompletion({ ...request, extraBody: undefined, fetch: undefined });
    expect(r.completionTokens).toBe(2);
    expect(s.requests).toHaveLength(1);
  });

  it('CampaignCsvWriter.append refuses a key that is not a campaign column, writing nothing', () => {
    const path = tmpCsv();
    const out = new CampaignCsvWriter(path);
    try {
      const misspelt = { model: 'm', n_in: 8, n_out: 4, energy_J: 1.5 } as unknown as Parameters<CampaignCsvWriter['append']>[0];
      expect(() => out.append(misspelt)).toThrow('CampaignCsvWriter.append(row): unknown key "energy_J" (did you mean energy_j?)');
      expect(readFileSync(path, 'utf8')).toBe(`${CAMPAIGN_COLUMNS.join(',')}\n`);
      out.append({ model: 'm', n_in: 8, n_out: 4, energy_j: 1.5, notes: undefined });
    } finally {
      out.close();
    }
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1].split(',').slice(0, 4)).toEqual(['m', '8', '4', '1.5']);
  });
});
