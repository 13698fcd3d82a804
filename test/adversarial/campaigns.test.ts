import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_COLUMNS, EnergyMonitor, readCampaignFile, runCampaign, type Nvml } from '../../src/nvml/index.js';
import type { FakeServer } from '../fixtures/fake-openai-server.js';
import { campaignRows, fakeRig } from '../fixtures/fake-rig.js';
import { capture, inputError, tempDir } from './helpers.js';
import { run } from '../../src/cli/run.js';

// The fake GPU's counter moves by 1 J per output token of each request: every row's energy is known.
const rig = fakeRig();

async function setup(delayMs = 0) {
  const nvml: Nvml = await rig.open(1_000_000);
  const server: FakeServer = await rig.server({ delayMs: () => delayMs, onRequest: (body) => rig.burn(1000 * body.max_tokens) });
  const dir = tempDir('adversarial-campaign-');
  const options = (monitor: EnergyMonitor, csvPath: string, log?: (line: string) => void) => ({
    endpoint: server.url, model: 'facebook/opt-1.3b', nIn: [8, 16], nOut: [4], repeats: 3, warmup: 0, idleS: 0, csvPath, monitor, retryDelayS: 0, onLog: log,
  });
  const monitor = () => new EnergyMonitor({ devices: [nvml.device(0)], counterUpdatePeriodS: 1e-9 });
  return { nvml, server, dir, options, monitor };
}

describe('campaigns: one run per CSV', () => {
  it('refuses a second run on the same CSV while the first records (both recorded every point before)', async () => {
    const { dir, options, monitor } = await setup(20);
    const csvPath = join(dir, 'runs.csv');
    const first = runCampaign(options(monitor(), csvPath));
    const second = runCampaign(options(monitor(), csvPath));
    await inputError(second, [`${csvPath} is being recorded by another run (pid ${process.pid}, lock file ${csvPath}.lock)`]);
    expect((await first).measured).toBe(6);
    const rows = campaignRows(csvPath);
    // Three rows per point, each with its own request's energy (4 J), none with the other run's.
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => Number(r.energy_j))).toEqual(Array(6).fill(4));
    expect(existsSync(`${csvPath}.lock`)).toBe(false);
    // A rerun afterwards resumes: nothing left, nothing added.
    expect((await runCampaign(options(monitor(), csvPath))).measured).toBe(0);
    expect(campaignRows(csvPath)).toHaveLength(6);
  });

  it('refuses a second measure command through the CLI, naming the lock', async () => {
    const { dir, server, options, monitor } = await setup(20);
    const csvPath = join(dir, 'runs.csv');
    const first = runCampaign(options(monitor(), csvPath));
    const c = capture(dir);
    const args = ['measure', '--endpoint', server.url, '--model', 'facebook/opt-1.3b', '--in', '8', '--out', '4', '--csv', 'runs.csv', '--idle-s', '0', '--nvml-lib', rig.libraryPath];
    await inputError(run(args, c.io), [`${csvPath} is being recorded by another run`, `${csvPath}.lock`]);
    await first;
  });

  it('takes over the lock of a run that died, with a warning, and resumes', async () => {
    const { dir, options, monitor } = await setup();
    const csvPath = join(dir, 'runs.csv');
    // The id of a process that has exited: its lock is stale.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${csvPath}.lock`, `${dead.stdout}\n`);
    const log: string[] = [];
    const result = await runCampaign(options(monitor(), csvPath, (l) => log.push(l)));
    expect(result.measured).toBe(6);
    expect(log).toContain(`${csvPath}.lock: taking over a stale lock (process ${dead.stdout} is no longer running)`);
    expect(existsSync(`${csvPath}.lock`)).toBe(false);
    // A lock file without a process id is stale too.
    writeFileSync(`${csvPath}.lock`, 'garbage');
    const again: string[] = [];
    await runCampaign(options(monitor(), csvPath, (l) => again.push(l)));
    expect(again).toContain(`${csvPath}.lock: taking over a stale lock (no process id in it)`);
  });
});

describe('campaigns: the CSV itself', () => {
  it('resumes a campaign CSV with a byte-order mark (it was "not a sweetspot campaign")', async () => {
    const { dir, options, monitor } = await setup();
    const csvPath = join(dir, 'runs.csv');
    await runCampaign({ ...options(monitor(), csvPath), nIn: [8] });
    writeFileSync(csvPath, `\uFEFF${readFileSync(csvPath, 'utf8')}`);
    expect(readCampaignFile(csvPath, 'facebook/opt-1.3b').done.get('8x4')).toBe(3);
    const result = await runCampaign(options(monitor(), csvPath));
    expect([result.skipped, result.measured]).toEqual([3, 3]);
    expect(campaignRows(csvPath)).toHaveLength(6);
    expect(readFileSync(csvPath, 'utf8').startsWith(`\uFEFF${CAMPAIGN_COLUMNS.join(',')}\n`)).toBe(true);
  });

  it('refuses a directory as --csv with one line (it was EISDIR with a stack trace)', async () => {
    const { dir, server } = await setup();
    mkdirSync(join(dir, 'out'));
    const args = ['measure', '--endpoint', server.url, '--model', 'm', '--in', '8', '--out', '4', '--csv', 'out', '--idle-s', '0', '--nvml-lib', rig.libraryPath];
    await inputError(run(args, capture(dir).io), [`${join(dir, 'out')} is not a regular file (a directory or a device); give a file name for --csv`]);
    expect(existsSync(join(dir, 'out.lock'))).toBe(false);
  });
});
