import { execFile } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { loadMeasurements } from '../../src/fit/read/load.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { capture, cli, inputError, tempDir } from './helpers.js';

// Measurements of a made-up law, J = 0.01·nIn + 0.2·nOut + 5, enough to fit the linear form.
const rows = ['model,n_in,n_out,energy_j'];
for (const i of [64, 128, 256, 512]) for (const o of [16, 64, 256]) rows.push(`llama-2-7b,${i},${o},${0.01 * i + 0.2 * o + 5}`);
const DATA = `${rows.join('\n')}\n`;

let dir: string;
beforeEach(() => {
  dir = tempDir('adversarial-files-');
  writeFileSync(join(dir, 'm.csv'), DATA);
});

describe('files/outputs: an output never replaces an input', () => {
  it('refuses fit --data m.csv --save m.csv and leaves the measurements as they were (it replaced them, exit 0)', async () => {
    await inputError(cli(dir, ['fit', '--data', 'm.csv', '--form', 'linear', '--save', 'm.csv']), ['fit: --save', 'is the --data file']);
    // Other spellings of the same file: a path through another directory, a symlink, a hard link.
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'm.csv'), join(dir, 'link.csv'));
    linkSync(join(dir, 'm.csv'), join(dir, 'hard.csv'));
    for (const save of ['./sub/../m.csv', 'link.csv', 'hard.csv', resolve(dir, 'm.csv')]) {
      await inputError(cli(dir, ['fit', '--data', 'm.csv', '--form', 'linear', '--save', save, '--force']), ['is the --data file']);
    }
    expect(readFileSync(join(dir, 'm.csv'), 'utf8')).toBe(DATA);
  });

  it('refuses --model or --calibration as the --svg or --csv of surface', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100, max_position_embeddings: 8192 }));
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    await inputError(cli(dir, ['surface', '--model', './config.json', '--in', '64', '--out', '64', '--svg', 'config.json', '--force']), ['surface: --svg', 'is the --model file']);
    await inputError(cli(dir, ['surface', '--model', dir, '--in', '64', '--out', '64', '--csv', 'config.json', '--force']), ['surface: --csv', 'is the --model file']);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('never overwrites an existing file without --force, for --save, --svg and --csv', async () => {
    for (const name of ['calib.json', 'heat.svg', 'grid.csv']) writeFileSync(join(dir, name), 'keep me');
    await inputError(cli(dir, ['fit', '--data', 'm.csv', '--form', 'linear', '--save', 'calib.json']), [`fit: --save ${join(dir, 'calib.json')} exists; pass --force to replace it`]);
    await inputError(cli(dir, ['surface', '--model', 'llama-2-7b', '--in', '64', '--out', '64', '--svg', 'heat.svg']), ['surface: --svg', 'exists; pass --force']);
    await inputError(cli(dir, ['surface', '--model', 'llama-2-7b', '--in', '64', '--out', '64', '--csv', 'grid.csv']), ['surface: --csv', 'exists; pass --force']);
    await inputError(cli(dir, ['sweetspot', '--model', 'llama-2-7b', '--in', '64:128', '--out', '64:128', '--svg', 'heat.svg']), ['sweetspot: --svg', 'exists; pass --force']);
    for (const name of ['calib.json', 'heat.svg', 'grid.csv']) expect(readFileSync(join(dir, name), 'utf8')).toBe('keep me');
    // With --force each is replaced by a whole new file.
    expect((await cli(dir, ['fit', '--data', 'm.csv', '--form', 'linear', '--save', 'calib.json', '--force'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'calib.json'), 'utf8')).form).toBe('linear');
    expect((await cli(dir, ['surface', '--model', 'llama-2-7b', '--in', '64', '--out', '64,128', '--csv', 'grid.csv', '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'grid.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('refuses --csv and --svg naming the same file (the heatmap was written over by the CSV)', async () => {
    await inputError(cli(dir, ['surface', '--model', 'llama-2-7b', '--in', '64', '--out', '64', '--svg', 'out.x', '--csv', './out.x']), ['surface: --csv and --svg name the same file']);
    expect(existsSync(join(dir, 'out.x'))).toBe(false);
  });
});

describe('files/outputs: write failures are one line, after the results', () => {
  it('refuses a missing directory, a directory and a device before any work', async () => {
    await inputError(cli(dir, ['surface', '--model', 'llama-2-7b', '--svg', 'missing/dir/s.svg']), [`surface: --svg ${join(dir, 'missing/dir/s.svg')}: the directory does not exist (ENOENT)`]);
    await inputError(cli(dir, ['surface', '--model', 'llama-2-7b', '--csv', '.', '--force']), ['surface: --csv', 'exists and is not a regular file']);
    await inputError(cli(dir, ['sweetspot', '--model', 'llama-2-7b', '--svg', '/dev/full', '--force']), ['sweetspot: --svg /dev/full exists and is not a regular file']);
    await inputError(cli(dir, ['fit', '--data', 'm.csv', '--form', 'linear', '--save', join(dir, 'm.csv', 'x.json')]), [`${join(dir, 'm.csv')} is not a directory`]);
  });

  it('prints the results, then names the file that could not be written (surface --csv gave an unhandled rejection)', async () => {
    // A name longer than the file system allows passes every check and fails at the write itself.
    const long = `${'x'.repeat(300)}.csv`;
    const c = capture(dir);
    await inputError(run(['surface', '--model', 'llama-2-7b', '--in', '64:128:64', '--out', '64', '--csv', long, '--svg', 'ok.svg'], c.io), [`surface: --csv ${join(dir, long)}: cannot write (ENAMETOOLONG)`]);
    expect(c.out.join('')).toMatch(/best: {2}\d+ in \/ 64 out/);
    // The other file was still written.
    expect(readFileSync(join(dir, 'ok.svg'), 'utf8')).toMatch(/^<svg/);
    const f = capture(dir);
    await inputError(run(['fit', '--data', 'm.csv', '--form', 'linear', '--save', `${'y'.repeat(300)}.json`], f.io), ['fit: --save', 'cannot write (ENAMETOOLONG)']);
    expect(f.out.join('')).toContain('in-sample MAPE');
    expect(f.out.join('')).not.toContain('saved ');
  });

  it('through the binary: exit 2, one line on stderr, no stack trace and no unhandled rejection', async () => {
    const main = resolve('src/cli/main.ts');
    // Run from the repository (where tsx resolves), writing into the temporary directory.
    const csv = join(dir, `${'z'.repeat(300)}.csv`);
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, 'surface', '--model', 'llama-2-7b', '--in', '64', '--out', '64', '--csv', csv], { cwd: resolve('.') }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/best: {2}64 in \/ 64 out/);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^sweetspot: surface: --csv .*: cannot write \(ENAMETOOLONG\)$/)]);
  });
});

describe('files/outputs: measurement files say what is wrong with them', () => {
  it('names extreme energies as out of range by row and field (they were "errors.r2 … NaN" and "theta1 is Infinity")', async () => {
    const text = 'model,n_in,n_out,energy_j\nm,1,1,1e300\nm,2,2,1e-320\nm,3,3,5\n';
    const error = await inputError(() => readMeasurements(text, { source: 'm.csv' }), ['m.csv: 2 bad value(s)']);
    expect(error.issues).toEqual([
      "line 2: energy_j: out of range: energies from 1e-9 J to 1e15 J per call are accepted (got '1e300')",
      "line 3: energy_j: out of range: energies from 1e-9 J to 1e15 J per call are accepted (got '1e-320')",
    ]);
    writeFileSync(join(dir, 'big.csv'), `${DATA}llama-2-7b,1,1,1e300\n`);
    await inputError(cli(dir, ['fit', '--data', 'big.csv', '--form', 'linear', '--save', 'c.json']), ['line 14: energy_j: out of range']);
  });

  it('reads JSON Lines as such (it was "quote inside an unquoted field"), naming a bad line', async () => {
    const jsonl = '{"model": "m", "n_in": 8, "n_out": 4, "energy_j": 1.5}\n\n{"model": "m", "n_in": 16, "n_out": 4, "energy_j": 2.5}\n';
    const read = readMeasurements(jsonl);
    expect(read.rows.map((r) => [r.line, r.nIn, r.energyJ])).toEqual([[1, 8, 1.5], [3, 16, 2.5]]);
    await inputError(() => readMeasurements('{"model": "m"}\n{"model": \n', { source: 'm.jsonl' }), ['m.jsonl: line 2: not valid JSON Lines (one object per line)']);
    // Named .json, read as what it holds.
    writeFileSync(join(dir, 'lines.json'), jsonl.replace(/"m"/g, '"llama-2-7b"'));
    expect((await loadMeasurements('lines.json', dir)).rows.map((r) => [r.model, r.nIn])).toEqual([['llama-2-7b', 8], ['llama-2-7b', 16]]);
    await inputError(() => readMeasurements('{\n "model": "m",\n "n_in": 1\n}\n', { source: 'one.json' }), ['one.json: a single JSON object']);
  });

  it('refuses a --data that is a device or a FIFO-like non-file instead of hanging', async () => {
    await inputError(cli(dir, ['fit', '--data', '/dev/zero', '--save', 'c.json']), ['--data /dev/zero: a device, not a regular file']);
    expect(statSync(join(dir, 'm.csv')).size).toBe(DATA.length);
  });
});
