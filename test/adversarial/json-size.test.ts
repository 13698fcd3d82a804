import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRows } from '../../src/fit/read/read.js';
import { checkJsonSize } from '../../src/fit/read/json-size.js';
import { inputError } from './helpers.js';

// JSON.parse holds every value of a file at once, before any row is counted: 64 MB of [{},{},…]
// took 19 s and 2.9 GB, and a 256 MiB file did not finish in 5 minutes. The values are counted
// first, in one pass, against the rows a file may have (docs/fitting.md#limits-on-untrusted-input).

const row = (k: number) => `{"model": "llama-2-7b", "n_in": ${k + 1}, "n_out": 8, "energy_j": 1.5}`;

afterEach(() => vi.restoreAllMocks());

describe('JSON measurement files are counted before they are parsed', () => {
  it('refuses more top-level elements than rows, without parsing (a 256 MiB [{},{},…] ran for minutes)', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    await inputError(() => readRows('[{},{},{}]', { source: 'r.json' }, 2), ['r.json: more than 2 rows, the most read as row objects']);
    await inputError(() => readRows('[1, 2, 3]', { source: 'r.json' }, 2), ['r.json: more than 2 rows']);
    expect(parse).not.toHaveBeenCalled();
  });

  it('refuses more objects and arrays than rows + 1 at any depth, without parsing', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    await inputError(() => readRows(`[${row(0)}, {"model": [[{}], {}]}]`, { source: 'r.json' }, 2), ['r.json: more than 3 JSON objects and arrays, more than a file of 2 rows holds']);
    await inputError(() => readRows(`${row(0)}\n[{}, {}, {}]\n`, { source: 'r.jsonl', format: 'json-lines' }, 2), ['r.jsonl: more than 3 JSON objects and arrays']);
    expect(parse).not.toHaveBeenCalled();
  });

  it('refuses more JSON Lines than rows; blank lines and braces inside strings are not counted', async () => {
    await inputError(() => readRows(`${row(0)}\n${row(1)}\n${row(2)}\n`, { source: 'r.jsonl' }, 2), ['r.jsonl: more than 2 rows']);
    const read = readRows(`${row(0)}\n\n\n\n${row(1)}\n\n`, { source: 'r.jsonl' }, 2);
    expect(read.rows.map((r) => r.line)).toEqual([1, 5]);
    const braces = `[{"model": "llama-2-7b", "notes": "{[{[ \\"{[", "n_in": 1, "n_out": 8, "energy_j": 1.5}]`;
    expect(readRows(braces, { source: 'r.json' }, 1).rows[0].notes).toBe('{[{[ "{[');
  });

  it('reads a file of exactly the most rows, as before', () => {
    const text = `[\n${Array.from({ length: 5 }, (_, k) => row(k)).join(',\n')}\n]`;
    const read = readRows(text, { source: 'r.json' }, 5);
    expect(read.rows.map((r) => [r.line, r.nIn])).toEqual([[2, 1], [3, 2], [4, 3], [5, 4], [6, 5]]);
    expect(() => checkJsonSize(text, 'json', 'r.json', 5)).not.toThrow();
    expect(() => checkJsonSize(text, 'json', 'r.json', 4)).toThrow('more than 4 rows');
  });
});
