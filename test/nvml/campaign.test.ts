import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMeasurements } from '../../src/fit/read/read.js';
import { CampaignError, EnergyMonitor, runCampaign, type Nvml } from '../../src/nvml/index.js';
import type { CompletionBody, FakeServer } from '../fixtures/fake-openai-server.js';
import { campaignRows, fakeRig } from '../fixtures/fake-rig.js';

// The fake server advances the fake GPU's energy counter by a known amount per request, so the
// energy in each CSV row is checked against an independent formula: 20·n_in + 500·n_out + 3000 mJ.
const expectedJ = (nIn: number, nOut: number) => (20 * nIn + 500 * nOut + 3000) / 1000;

const rig = fakeRig();

function burn(body: CompletionBody) {
  rig.burn(20 * body.prompt.length + 500 * body.max_tokens + 3000);
}

async function setup(state: Record<string, string | number> = {}) {
  const nvml: Nvml = await rig.open(5_000_000, state);
  // A tiny update period keeps loopback-fast windows unflagged; flags are tested separately.
  const monitor = new EnergyMonitor({ devices: [nvml.device(0)], counterUpdatePeriodS: 1e-9, samplingPeriodS: 0.005 });
  const csvPath = join(mkdtempSync(join(tmpdir(), 'campaign-')), 'runs.csv');
  return { nvml, monitor, csvPath };
}

const server = (options: Parameters<typeof rig.server>[0]): Promise<FakeServer> => rig.server(options);

const noSleep = async () => {};

describe('runCampaign against a fake server and the fake NVML library', () => {
  it('measures every grid point × repeats with exact prompts and outputs, one flushed row each', async () => {
    // 1 W idle: a request of 5.16 J keeps a positive active energy for windows up to 5 s, so a slow,
    // loaded machine does not flag the rows (at 50 W a 0.1 s window would).
    const { monitor, csvPath } = await setup({ 'dev0.power_mw': 1_000 });
    const s = await server({ onRequest: burn });
    const progress: string[] = [];
    const result = await runCampaign({
      endpoint: s.url,
      model: 'facebook/opt-1.3b',
      nIn: [8, 32],
      nOut: [4, 16],
      repeats: 2,
      warmup: 1,
      idleS: 0.05,
      csvPath,
      monitor,
      gpu: 'NVIDIA H100 80GB HBM3',
      engine: 'vllm',
      onProgress: (p) => progress.push(`${p.done}/${p.total}`),
    });
    expect(result).toMatchObject({ total: 8, skipped: 0, measured: 8, usageMismatches: 0 });
    // Idle: the counter did not move, so idle power comes from the 1 W power reading.
    expect(result.idle?.totalPowerW).toBeCloseTo(1, 9);
    expect(s.requests).toHaveLength(1 + 8);
    for (const body of s.requests) {
      expect(body.model).toBe('facebook/opt-1.3b');
      expect(body.max_tokens).toBe(body.min_tokens);
      expect(body.ignore_eos).toBe(true);
      expect(body.prompt.every((id) => Number.isInteger(id))).toBe(true);
    }
    const measuredBodies = s.requests.slice(1);
    expect(measuredBodies.map((b) => [b.prompt.length, b.max_tokens])).toEqual([
      [8, 4], [8, 4], [8, 16], [8, 16], [32, 4], [32, 4], [32, 16], [32, 16],
    ]);
    // Repeats get different prompts (a prefix cache must not serve the second one).
    expect(measuredBodies[0].prompt).not.toEqual(measuredBodies[1].prompt);

    const rows = campaignRows(csvPath);
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const nIn = Number(row.n_in);
      const nOut = Number(row.n_out);
      expect(Number(row.energy_j)).toBeCloseTo(expectedJ(nIn, nOut), 9);
      expect(row).toMatchObject({
        model: 'facebook/opt-1.3b',
        batch_size: '1',
        gpu: 'NVIDIA H100 80GB HBM3',
        engine: 'vllm',
        kv_cache: 'true',
        repeats: '2',
        notes: '',
        gpu_indices: '0',
        energy_method: 'counter',
        usage_ok: 'true',
        usage_prompt_tokens: String(nIn),
        usage_completion_tokens: String(nOut),
        flags: '',
      });
      expect(Number(row.latency_s)).toBeGreaterThan(0);
      expect(Number(row.idle_power_w)).toBeCloseTo(1, 9);
      expect(Number(row.active_energy_j)).toBeCloseTo(Number(row.energy_j) - 1 * Number(row.window_s), 9);
    }
    expect(rows.map((r) => r.repeat)).toEqual(['1', '2', '1', '2', '1', '2', '1', '2']);
    expect(progress).toEqual(['1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);

    // The fitter's reader takes the file as it is: schema columns as fields, the rest as extras.
    const read = readMeasurements(readFileSync(csvPath, 'utf8'), { source: csvPath });
    expect(read.rows).toHaveLength(8);
    expect(read.rows[0]).toMatchObject({ model: 'facebook/opt-1.3b', nIn: 8, nOut: 4, batchSize: 1, kvCache: true, repeats: 2, gpu: 'NVIDIA H100 80GB HBM3', engine: 'vllm' });
    expect(read.rows[0].energyJ).toBeCloseTo(expectedJ(8, 4), 9);
    expect(read.rows[0].extra).toMatchObject({ repeat: '1', energy_method: 'counter', usage_ok: 'true' });
  });

  it('records short outputs as a usage mismatch on the row, not hidden', async () => {
    const { monitor, csvPath } = await setup();
    const s = await server({ onRequest: burn, completionTokens: (b) => Math.min(b.max_tokens, 5) });
    const result = await runCampaign({ endpoint: s.url, model: 'm', nIn: [8], nOut: [4, 16], repeats: 1, warmup: 0, idleS: 0, csvPath, monitor });
    expect(result.usageMismatches).toBe(1);
    const rows = campaignRows(csvPath);
    expect(rows.map((r) => [r.n_out, r.usage_ok, r.usage_completion_tokens, r.notes])).toEqual([
      ['4', 'true', '4', ''],
      ['16', 'false', '5', 'usage mismatch: completion_tokens=5≠n_out=16'],
    ]);
    expect(rows[0].idle_power_w).toBe('');
    expect(rows[0].active_energy_j).toBe('');
  });

  it('stops with a resumable error when the server dies, and a rerun completes every point exactly once per repeat', async () => {
    const { monitor, csvPath } = await setup();
    const grid = { model: 'm', nIn: [8, 32, 64], nOut: [4, 16], repeats: 2, warmup: 1, idleS: 0, csvPath, monitor, retries: 1, sleep: noSleep };
    // Request 1 is the warm-up; the server dies on request 6, after 4 measured rows.
    const dying = await server({ onRequest: burn, dieAt: 6 });
    const error = await runCampaign({ ...grid, endpoint: dying.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CampaignError);
    expect((error as Error).message).toMatch(/request #1 \(n_in=32, n_out=4\) .* failed after 2 attempt\(s\): .*rerun the same command to resume/);
    expect(campaignRows(csvPath)).toHaveLength(4);

    const healthy = await server({ onRequest: burn });
    const logs: string[] = [];
    const result = await runCampaign({ ...grid, endpoint: healthy.url, onLog: (l) => logs.push(l) });
    expect(result).toMatchObject({ total: 12, skipped: 4, measured: 8 });
    expect(logs).toContain(`resuming: 4 of 12 requests already in ${csvPath}`);
    const rows = campaignRows(csvPath);
    expect(rows).toHaveLength(12);
    const seen = rows.map((r) => `${r.n_in}x${r.n_out}#${r.repeat}`).sort();
    const expected = [8, 32, 64].flatMap((i) => [4, 16].flatMap((o) => [1, 2].map((r) => `${i}x${o}#${r}`))).sort();
    expect(seen).toEqual(expected);
    for (const row of rows) expect(Number(row.energy_j)).toBeCloseTo(expectedJ(Number(row.n_in), Number(row.n_out)), 9);

    // A third run finds nothing to do and sends nothing.
    const before = healthy.requests.length;
    const again = await runCampaign({ ...grid, endpoint: healthy.url });
    expect(again).toMatchObject({ skipped: 12, measured: 0 });
    expect(healthy.requests.length).toBe(before);
  });

  it('times out a slow request, retries it, and then gives up with the timeout in the message', async () => {
    const { monitor, csvPath } = await setup();
    const s = await server({ onRequest: burn, delayMs: () => 5_000 });
    const error = await runCampaign({
      endpoint: s.url, model: 'm', nIn: [8], nOut: [4], repeats: 1, warmup: 0, idleS: 0, csvPath, monitor,
      timeoutS: 0.2, retries: 2, sleep: noSleep,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('failed after 3 attempt(s): timed out after 0.2 s');
    expect(s.requests).toHaveLength(3);
    expect(monitor.openWindows).toEqual([]);
  });

  it('does not retry a client error such as an unknown model', async () => {
    const { monitor, csvPath } = await setup();
    const s = await server({ status: () => 404 });
    const error = await runCampaign({ endpoint: s.url, model: 'nope', nIn: [8], nOut: [4], repeats: 1, warmup: 0, idleS: 0, csvPath, monitor, sleep: noSleep }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('failed after 1 attempt(s): HTTP 404');
    expect(s.requests).toHaveLength(1);
  });

  it('flags windows shorter than the counter update period in the row', async () => {
    const { nvml, csvPath } = await setup();
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)], counterUpdatePeriodS: 60 });
    const s = await server({ onRequest: burn });
    await runCampaign({ endpoint: s.url, model: 'm', nIn: [8], nOut: [4], repeats: 1, warmup: 0, idleS: 0, csvPath, monitor });
    const [row] = campaignRows(csvPath);
    expect(row.flags).toBe('shorter-than-counter-update');
    expect(row.notes).toBe('window flags: shorter-than-counter-update');
    expect(Number(row.energy_j)).toBeCloseTo(expectedJ(8, 4), 9);
  });

  it('integrates power when the GPU has no counter, and says so in the row', async () => {
    const { nvml, csvPath } = await setup({ 'dev0.energy_rc': 3, 'dev0.instant_mw': 400_000 });
    const monitor = new EnergyMonitor({ devices: [nvml.device(0)], samplingPeriodS: 0.005 });
    const s = await server({ delayMs: () => 60 });
    await runCampaign({ endpoint: s.url, model: 'm', nIn: [8], nOut: [4], repeats: 2, warmup: 0, idleS: 0, csvPath, monitor });
    const rows = campaignRows(csvPath);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.energy_method).toBe('power-integration');
      expect(row.sampling_period_s).toBe('0.005');
      // Constant 400 W: the trapezoid gives exactly power × window.
      expect(Number(row.energy_j)).toBeCloseTo(400 * Number(row.window_s), 9);
      expect(Number(row.window_s)).toBeGreaterThan(0.05);
    }
  });

  it('fails before any request when the CSV cannot be written', async () => {
    const { monitor } = await setup();
    const s = await server({ onRequest: burn });
    const csvPath = join(tmpdir(), 'no-such-dir-for-sweetspot', 'x.csv');
    await expect(runCampaign({ endpoint: s.url, model: 'm', nIn: [8], nOut: [4], idleS: 0, csvPath, monitor })).rejects.toThrow(
      `cannot write the measurements file ${csvPath}`,
    );
    expect(s.requests).toHaveLength(0);
  });

  it('rejects bad options naming them', async () => {
    const { monitor, csvPath } = await setup();
    const base = { endpoint: 'http://127.0.0.1:9', model: 'm', nIn: [8], nOut: [4], csvPath, monitor };
    await expect(runCampaign({ ...base, endpoint: 'ftp://x' })).rejects.toThrow('endpoint must be an http(s) URL');
    await expect(runCampaign({ ...base, model: ' ' })).rejects.toThrow('model must be a non-empty string');
    await expect(runCampaign({ ...base, warmup: -1 })).rejects.toThrow('warmup must be an integer ≥ 0');
    await expect(runCampaign({ ...base, timeoutS: 0 })).rejects.toThrow('timeoutS must be a positive number');
    await expect(runCampaign({ ...base, repeats: 0 })).rejects.toThrow('repeats must be an integer ≥ 1');
  });
});
