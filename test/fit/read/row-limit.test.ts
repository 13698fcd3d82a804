import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../../src/errors.js';
import { loadMeasurementTable, loadRows } from '../../../src/fit/read/load.js';
import { MEASUREMENT_LIMITS, tooManyRows } from '../../../src/fit/read/limits.js';
import { readRows } from '../../../src/fit/read/read.js';

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-row-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of `n` good rows, then `after` (more lines, written after them). */
const csv = (n: number, after = '') => `model,n_in,n_out,energy_j\n${Array.from({ length: n }, (_, k) => `m,${k + 1},2,3.5\n`).join('')}${after}`;

function errorOf(fn: () => unknown): SweetspotInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SweetspotInputError);
    return error as SweetspotInputError;
  }
  throw new Error('expected an error');
}

async function rejectionOf(p: Promise<unknown>): Promise<SweetspotInputError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SweetspotInputError);
  return error as SweetspotInputError;
}

describe('the limit on rows read as objects (MEASUREMENT_LIMITS.rows)', () => {
  it('is 5·10⁶ rows, about 1 GB of row objects', () => {
    expect(MEASUREMENT_LIMITS.rows).toBe(5_000_000);
  });

  it('says what was refused and where large files go', () => {
    expect(tooManyRows('big.csv', 5_000_000).message).toBe(
      'big.csv: more than 5000000 rows, the most read as row objects (MEASUREMENT_LIMITS.rows, which bounds their memory): read a file this large as CSV with loadMeasurementTable, which holds its rows as columns',
    );
  });

  it('reads a text of exactly the limit and refuses one row more, in CSV, JSON and JSON Lines', () => {
    expect(readRows(csv(4), { source: 'm.csv' }, 4).rows.map((r) => r.nIn)).toEqual([1, 2, 3, 4]);
    expect(errorOf(() => readRows(csv(5), { source: 'm.csv' }, 4)).message).toBe(tooManyRows('m.csv', 4).message);
    const objects = (n: number) => Array.from({ length: n }, (_, k) => ({ model: 'm', nIn: k + 1, nOut: 2, energyJ: 3 }));
    expect(readRows(JSON.stringify(objects(3)), { source: 'm.json' }, 3).rows).toHaveLength(3);
    expect(errorOf(() => readRows(JSON.stringify(objects(4)), { source: 'm.json' }, 3)).message).toBe(tooManyRows('m.json', 3).message);
    const lines = (n: number) => objects(n).map((o) => JSON.stringify(o)).join('\n');
    expect(readRows(lines(3), { source: 'm.jsonl' }, 3).rows).toHaveLength(3);
    expect(errorOf(() => readRows(lines(4), { source: 'm.jsonl' }, 3)).message).toBe(tooManyRows('m.jsonl', 3).message);
  });

  it('refuses a file as its rows are counted, before reading the rest (a bad value after the limit is never reached)', async () => {
    const path = join(dir, 'long.csv');
    // 30 000 rows cross the 1 MiB chunks the file is read in; the bad last row would otherwise be the error.
    writeFileSync(path, csv(30_000, 'm,x,2,3\n'));
    const refused = await rejectionOf(loadRows('long.csv', dir, {}, {}, 20_000));
    expect(refused.message).toBe(tooManyRows('long.csv', 20_000).message);
    expect(refused.message).toContain('loadMeasurementTable');
    // Without the limit the same file reads up to its bad row, which is then named.
    const bad = await rejectionOf(loadRows('long.csv', dir, {}, {}, Infinity));
    expect(bad.issues).toEqual(["line 30002: n_in: expected a number, got 'x'"]);
  });

  it('counts the rows in the file, before filters, and leaves loadMeasurementTable unbounded', async () => {
    const path = join(dir, 'six.csv');
    writeFileSync(path, csv(6));
    const kept = await loadRows('six.csv', dir, {}, {}, 6);
    expect(kept.read).toBe(6);
    expect(kept.rows.map((r) => r.nIn)).toEqual([1, 2, 3, 4, 5, 6]);
    // A filter that keeps one row does not make a file of six fit a limit of five.
    const filtered = await rejectionOf(loadRows('six.csv', dir, { where: ['n_in=1'] }, {}, 5));
    expect(filtered.message).toBe(tooManyRows('six.csv', 5).message);
    expect((await loadMeasurementTable('six.csv', dir)).table.length).toBe(6);
  });

  it('bounds JSON files too', async () => {
    writeFileSync(join(dir, 'four.jsonl'), Array.from({ length: 4 }, (_, k) => JSON.stringify({ model: 'm', nIn: k + 1, nOut: 2, energyJ: 3 })).join('\n'));
    expect((await loadRows('four.jsonl', dir, {}, {}, 4)).rows).toHaveLength(4);
    expect((await rejectionOf(loadRows('four.jsonl', dir, {}, {}, 3))).message).toBe(tooManyRows('four.jsonl', 3).message);
  });
});
