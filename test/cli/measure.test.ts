import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { run } from '../../src/cli/run.js';
import { parseCsv } from '../../src/fit/read/csv.js';
import { CAMPAIGN_COLUMNS } from '../../src/nvml/index.js';
import { buildFakeNvml, type FakeNvml } from '../fixtures/fake-nvml/build.js';
import { startFakeServer, type FakeServer } from '../fixtures/fake-openai-server.js';

let fake: FakeNvml;
let server: FakeServer | undefined;
let energyMj = 0;
beforeAll(() => {
  fake = buildFakeNvml();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd }, out, err };
}

describe('sweetspot measure', () => {
  it('runs a campaign through the fake NVML library and writes the CSV (relative to cwd)', async () => {
    energyMj = 1_000_000;
    fake.set({ count: 2, 'dev1.name': 'NVIDIA H100 80GB HBM3', 'dev1.energy_mj': energyMj, 'dev1.power_mw': 60_000, 'dev0.energy_mj': 0 });
    server = await startFakeServer({
      onRequest: (body) => {
        // Only GPU 1 serves the model; GPU 0 stays idle and must not be counted.
        energyMj += 1000 * body.max_tokens;
        fake.update({ 'dev1.energy_mj': energyMj });
      },
    });
    const cwd = mkdtempSync(join(tmpdir(), 'measure-cli-'));
    const { io: cli, out, err } = io(cwd);
    const args = ['measure', '--endpoint', server.url, '--model', 'facebook/opt-1.3b', '--in', '16,64', '--out', '8', '--repeats', '2',
      '--warmup', '1', '--gpu', '1', '--idle-s', '0', '--csv', 'runs.csv', '--nvml-lib', fake.libraryPath, '--engine', 'vllm'];
    expect(await run(args, cli)).toBe(0);
    const { header, records } = parseCsv(readFileSync(join(cwd, 'runs.csv'), 'utf8'));
    const rows = records.map((r) => r.fields);
    expect(header).toEqual([...CAMPAIGN_COLUMNS]);
    expect(rows).toHaveLength(4);
    const col = (name: string) => header.indexOf(name);
    for (const row of rows) {
      expect(Number(row[col('energy_j')])).toBeCloseTo(8, 9);
      expect(row[col('gpu')]).toBe('NVIDIA H100 80GB HBM3');
      expect(row[col('gpu_indices')]).toBe('1');
      expect(row[col('engine')]).toBe('vllm');
    }
    expect(server.requests).toHaveLength(5);
    const text = err.join('');
    expect(text).toContain('measuring NVIDIA H100 80GB HBM3 (GPU 1) with the energy counter');
    expect(text).toMatch(/\[4\/4\] 100% n_in=64 n_out=8 #2 {2}8\.000 J/);
    expect(out.join('')).toContain('4 request(s) measured, 0 already done, 4 in the grid');
    expect(out.join('')).toContain(`next: sweetspot fit --data ${join(cwd, 'runs.csv')} --form sweetspot --save calib.json`);

    // The same command again resumes: nothing left to do.
    const again = io(cwd);
    expect(await run(args, again.io)).toBe(0);
    expect(again.out.join('')).toContain('0 request(s) measured, 4 already done');
  });

  it('lists the command in --help and prints its own help', async () => {
    const { io: cli, out } = io(tmpdir());
    expect(await run(['--help'], cli)).toBe(0);
    expect(out.join('')).toMatch(/measure\s+measure GPU energy/);
    const own = io(tmpdir());
    expect(await run(['measure', '--help'], own.io)).toBe(0);
    expect(own.out.join('')).toContain('Usage: sweetspot measure --endpoint URL');
  });

  const base = ['measure', '--endpoint', 'http://127.0.0.1:9', '--model', 'm', '--in', '64', '--out', '8', '--csv', 'x.csv'];
  // `base` with one option's value replaced: an option given twice is an error of its own.
  const withArg = (flag: string, value: string) => base.map((a, k) => (base[k - 1] === flag ? value : a));
  const cases: Array<[string, string[], string]> = [
    ['a missing --endpoint', ['measure', '--model', 'm', '--in', '1', '--out', '1', '--csv', 'x'], 'measure: --endpoint is required'],
    ['a bad --endpoint', withArg('--endpoint', 'localhost:8000'), "measure: --endpoint must be an http(s) URL, got 'localhost:8000'"],
    ['a bad --in list', withArg('--in', '64,abc'), "measure: --in must be a comma-separated list of integers ≥ 1, got 'abc' in '64,abc'"],
    ['a zero --out', withArg('--out', '0'), "--out must be a comma-separated list of integers ≥ 1, got '0'"],
    ['a negative --idle-s', [...base, '--idle-s=-1'], "measure: --idle-s must be a number ≥ 0 and ≤ 2147483.647 (seconds a timer can wait), got '-1'"],
    ['a bad --method', [...base, '--method', 'magic'], 'measure: --method must be one of auto, counter, power-integration'],
    ['a bad --repeats', [...base, '--repeats', '0'], 'measure: --repeats must be an integer ≥ 1'],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what} naming the argument`, async () => {
      const { io: cli } = io(tmpdir());
      const attempt = run(args, cli);
      await expect(attempt).rejects.toBeInstanceOf(SweetspotInputError);
      await expect(run(args, cli)).rejects.toThrow(message);
    });
  }

  it('names a GPU index that does not exist', async () => {
    fake.set({ count: 1 });
    const { io: cli } = io(mkdtempSync(join(tmpdir(), 'measure-cli-')));
    await expect(run([...base, '--gpu', '3', '--nvml-lib', fake.libraryPath], cli)).rejects.toThrow('gpu index 3 is out of range: this machine has 1 GPU(s)');
  });

  it('says what to install when the NVML library cannot be loaded', async () => {
    const { io: cli } = io(tmpdir());
    await expect(run([...base, '--nvml-lib', '/nonexistent/libnvidia-ml.so.1'], cli)).rejects.toThrow(
      /cannot load the NVIDIA Management Library \(libnvidia-ml\.so\.1\): install the NVIDIA driver/,
    );
  });
});
