import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CsvRecords, eachCsvRecord } from '../../src/fit/read/csv.js';
import { MEASUREMENT_LIMITS } from '../../src/fit/read/limits.js';
import { loadMeasurementTable, loadMeasurements } from '../../src/fit/read/load.js';
import { readMeasurements } from '../../src/fit/read/read.js';
import { tableRows } from '../../src/fit/data/table.js';
import { inputError, tempDir } from './helpers.js';

const HEADER = 'model,n_in,n_out,energy_j';
let dir: string;
beforeEach(() => {
  dir = tempDir('adversarial-measurements-');
});
const file = (name: string, content: string | Buffer) => {
  writeFileSync(join(dir, name), content);
  return name;
};
// Both file readers: rows (the whole text) and the table (a chunk at a time).
const loaders = [
  ['loadMeasurements', (name: string) => loadMeasurements(name, dir)],
  ['loadMeasurementTable', (name: string) => loadMeasurementTable(name, dir)],
] as const;

describe('measurement files: records, columns and issues are bounded', () => {
  it('refuses a quoted field left open over 4 MB of lines at once, naming its line (it re-read the record with every 1 MiB chunk)', async () => {
    const name = file('open.csv', `${HEADER},notes\nm,1,1,1,"${'x\n'.repeat(2_000_000)}`);
    for (const [, load] of loaders) {
      const error = await inputError(load(name), ['open.csv: line 2: a record of more than 1048576 characters']);
      expect(error.message.length).toBeLessThan(300);
    }
  });

  it('refuses a 3 MB line without quoting it (the message held the 3 MB value)', async () => {
    const name = file('long.csv', `${HEADER}\nm,1,1,${'9'.repeat(3_000_000)}\n`);
    for (const [, load] of loaders) {
      const error = await inputError(load(name), ['long.csv: line 2: a record of more than']);
      expect(error.message.length).toBeLessThan(300);
    }
  });

  it('cuts a long bad value in a message to its first characters and gives its length', () => {
    const value = 'x'.repeat(10_000);
    const error = (() => {
      try {
        readMeasurements(`${HEADER}\nm,1,1,${value}\n`);
      } catch (e) {
        return e as Error;
      }
    })()!;
    expect(error.message).toContain(`got '${'x'.repeat(MEASUREMENT_LIMITS.shownChars)}… (10000 characters)'`);
    expect(error.message.length).toBeLessThan(300);
  });

  it('refuses 10⁵ columns by their count before reading rows (it took minutes, or ran out of memory, on 2000 rows)', async () => {
    const header = `${HEADER},${Array.from({ length: 100_000 }, (_, k) => `c${k}`).join(',')}`;
    const name = file('wide.csv', `${header}\n${`m,1,1,1${','.repeat(100_000)}\n`.repeat(50)}`);
    for (const [, load] of loaders) await inputError(load(name), ['wide.csv: line 1: 100004 columns, more than the limit of 1024']);
    // At the limit the file is read, every extra column kept.
    const atLimit = Array.from({ length: MEASUREMENT_LIMITS.columns - 4 }, (_, k) => `c${k}`);
    const ok = file('ok.csv', `${HEADER},${atLimit.join(',')}\nm,1,1,1,${atLimit.map((_, k) => k).join(',')}\n`);
    const { table } = await loadMeasurementTable(ok, dir);
    expect(table.extra.size).toBe(MEASUREMENT_LIMITS.columns - 4);
    expect(table.extra.get('c1019')!.texts).toEqual(['1019']);
  });

  it('refuses JSON objects whose keys number over the limit, counted over the whole file', async () => {
    const rows = Array.from({ length: 3 }, (_, r) => {
      const o: Record<string, unknown> = { model: 'm', n_in: 1, n_out: 1, energy_j: 1 };
      for (let k = 0; k < 400; k++) o[`r${r}k${k}`] = k;
      return o;
    });
    await inputError(() => readMeasurements(JSON.stringify(rows), { source: 'keys.json' }), ['keys.json: line 1: 1204 columns, more than the limit of 1024']);
  });

  it('stops at the 1000th bad value and says where (it listed all 10⁵ and took the time of each)', async () => {
    const name = file('bad.csv', `${HEADER}\n${'m,1,1,x\n'.repeat(100_000)}`);
    for (const [, load] of loaders) {
      const error = await inputError(load(name), ['bad.csv: 1000+ bad value(s) (reading stopped at line 1001, after 1000 issues): line 2: energy_j: expected a number']);
      expect(error.issues).toHaveLength(MEASUREMENT_LIMITS.issues);
      expect(error.issues[999]).toBe("line 1001: energy_j: expected a number, got 'x'");
    }
    const json = JSON.stringify(Array.from({ length: 5000 }, () => ({ model: 'm', n_in: 0, n_out: 1, energy_j: 1 })));
    const error = await inputError(() => readMeasurements(json, { source: 'bad.json' }), ['bad.json: 1000+ bad value(s) (reading stopped at line 1, after 1000 issues)']);
    expect(error.issues).toHaveLength(1000);
  });

  it('counts exactly when a file ends at the limit (it said 1000+ for a file of exactly 1000 bad values)', async () => {
    const limit = MEASUREMENT_LIMITS.issues;
    // Exactly the limit, with and without a final newline and with blank lines after: every issue is counted, no '+'.
    for (const tail of ['\n', '', '\n\n\n']) {
      const name = file('exact.csv', `${HEADER}\n${Array.from({ length: limit }, () => 'm,1,1,x').join('\n')}${tail}`);
      for (const [, load] of loaders) {
        const error = await inputError(load(name), [`exact.csv: ${limit} bad value(s): line 2: energy_j: expected a number`]);
        expect(error.message).not.toContain('+');
        expect(error.message).not.toContain('reading stopped');
        expect(error.issues).toHaveLength(limit);
      }
    }
    // Exactly the limit followed by good rows: reading stops at the limit, the rest unread.
    const more = file('more.csv', `${HEADER}\n${'m,1,1,x\n'.repeat(limit)}m,1,1,1\n`);
    for (const [, load] of loaders) {
      await inputError(load(more), [`more.csv: ${limit}+ bad value(s) (reading stopped at line ${limit + 1}, after ${limit} issues)`]);
    }
    // JSON: the last element bringing the count to the limit is exact; one element more is not.
    const element = { model: 'm', n_in: 0, n_out: 1, energy_j: 1 };
    const exact = inputError(() => readMeasurements(JSON.stringify(Array.from({ length: limit }, () => element)), { source: 'e.json' }), [`e.json: ${limit} bad value(s): line 1`]);
    expect((await exact).issues).toHaveLength(limit);
    await inputError(() => readMeasurements(JSON.stringify(Array.from({ length: limit + 1 }, () => element)), { source: 'e.json' }), [`e.json: ${limit}+ bad value(s) (reading stopped at line 1`]);
  });

  it('reads CR line ends (old Mac files) as LF ones, wherever the chunks are cut (it took the file for one header line of duplicate columns)', () => {
    const lf = `${HEADER},notes\nm,1,2,3,"a\nb"\n\nm,4,5,6,plain\n`;
    const cr = lf.replace(/\n/g, '\r');
    // The same rows; only the quoted line break in the notes is the file's own.
    const withoutNotes = (text: string) => readMeasurements(text).rows.map(({ notes: _, ...r }) => r);
    expect(withoutNotes(cr)).toEqual(withoutNotes(lf));
    expect(readMeasurements(cr).rows.map((r) => r.line)).toEqual([2, 5]);
    const whole: [number, string[]][] = [];
    eachCsvRecord(cr, 'x.csv', (line, fields) => void whole.push([line, fields]));
    for (const step of [1, 2, 5]) {
      const pieces: [number, string[]][] = [];
      const records = new CsvRecords('x.csv', (line, fields) => void pieces.push([line, fields]));
      for (let k = 0; k < cr.length; k += step) records.push(cr.slice(k, k + step));
      records.end();
      expect(pieces).toEqual(whole);
    }
    // A quoted CR stays in the value, as a quoted LF does.
    expect(readMeasurements(cr).rows[0].notes).toBe('a\rb');
  });
});

describe('measurement files: text that is not what it seems', () => {
  it('refuses bytes that are not UTF-8, naming the file (the model name silently became m\\uFFFD\\uFFFD)', async () => {
    const name = file('latin1.csv', Buffer.concat([Buffer.from(`${HEADER}\nm`), Buffer.from([0xe9, 0xff]), Buffer.from(',1,1,1\n')]));
    for (const [, load] of loaders) await inputError(load(name), ["loadMeasurements('latin1.csv'): not UTF-8 text"]);
    // A character split between the 1 MiB chunks is still one character.
    const head = `${HEADER},notes\n${'m,1,1,1,aaaa\n'.repeat(80_656)}m,1,1,1,`;
    const text = `${head}${'b'.repeat((1 << 20) - 1 - head.length)}é€😀\n`;
    expect(Buffer.from(text).subarray((1 << 20) - 1, (1 << 20) + 1)).toEqual(Buffer.from('é'));
    const { table } = await loadMeasurementTable(file('split.csv', text), dir);
    expect(tableRows(table).at(-1)!.notes).toMatch(/^b+é€😀$/);
  });

  it('names a JSON value nested 10⁵ deep by line and key (RangeError: Maximum call stack size exceeded)', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const json = file('deep.json', `[{"model":"m","n_in":1,"n_out":1,"energy_j":1,"x":${deep}}]`);
    const jsonl = file('deep.jsonl', `{"model":"m","n_in":1,"n_out":1,"energy_j":1}\n{"model":"m","n_in":1,"n_out":1,"energy_j":1,"y":${deep}}\n`);
    for (const [, load] of loaders) {
      await inputError(load(json), ['deep.json: 1 bad value(s): line 1: x: a value nested too deeply to keep as text']);
      await inputError(load(jsonl), ['deep.jsonl: 1 bad value(s): line 2: y: a value nested too deeply to keep as text']);
    }
  });

  it('says Infinity for a JSON number beyond doubles (it said "got null")', () => {
    expect(() => readMeasurements('[{"model":"m","n_in":1,"n_out":1,"energy_j":1e400}]')).toThrow('line 1: energy_j: expected a number, got Infinity');
  });

  it('refuses odd numbers in CSV cells by line and column, never reading them as something else', () => {
    const error = (() => {
      try {
        readMeasurements(`${HEADER}\nm,1e400,1,1\nm,-0,1,1\nm,0x10,1,1\nm,1,1,1e-400\nm, 12 ,1,1\n`);
      } catch (e) {
        return e as { issues: string[] };
      }
    })()!;
    expect(error.issues).toEqual([
      "line 2: n_in: expected a number, got '1e400'",
      "line 3: n_in: Too small: expected number to be >=1 (got '-0')",
      "line 4: n_in: expected a number, got '0x10'",
      "line 5: energy_j: out of range: energies from 1e-9 J to 1e15 J per call are accepted (got '1e-400')",
    ]);
    // Spaces around a number are not part of it.
    expect(readMeasurements(`${HEADER}\nm, 12 ,1,1\n`).rows[0].nIn).toBe(12);
  });
});
