import { describe, expect, it } from 'vitest';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { jsonElementLines } from '../../../src/fit/read/json-lines.js';
import { SweetspotInputError } from '../../../src/errors.js';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SweetspotInputError);
    return [...(error as SweetspotInputError).issues];
  }
  throw new Error('expected an error');
}

describe('readMeasurements: CSV', () => {
  it('converts the schema columns, applies defaults and keeps unknown columns in extra', () => {
    const { rows, columns } = readMeasurements('model,n_in,n_out,energy_j,kv_cache,sweep\nllama,128,64,210.5,off,input\n');
    expect(columns).toEqual(['model', 'n_in', 'n_out', 'energy_j', 'kv_cache', 'sweep']);
    expect(rows).toEqual([
      { model: 'llama', nIn: 128, nOut: 64, energyJ: 210.5, batchSize: 1, kvCache: false, line: 2, extra: { sweep: 'input' } },
    ]);
  });

  it('accepts camelCase headers too', () => {
    const { rows } = readMeasurements('model,nIn,nOut,energyJ,batchSize\nm,1,2,3,4\n');
    expect(rows[0]).toMatchObject({ nIn: 1, nOut: 2, energyJ: 3, batchSize: 4 });
  });

  it('reports every bad field of every bad row with its line and column, and keeps none of them', () => {
    const text = [
      'model,n_in,n_out,energy_j,kv_cache',
      'a,10,5,100,on', // good
      'b,ten,5,100,on', // bad n_in
      ',10,5,-3,maybe', // empty model, negative energy, bad kv_cache
      'c,10,5.5,100,on', // non-integer n_out
      'd,10,5', // short row
    ].join('\n');
    const issues = issuesOf(() => readMeasurements(text, { source: 'm.csv' }));
    expect(issues).toEqual([
      "line 3: n_in: expected a number, got 'ten'",
      "line 4: kv_cache: expected on/off (or true/false), got 'maybe'",
      'line 4: model: missing value',
      "line 4: energy_j: out of range: energies from 1e-9 J to 1e15 J per call are accepted (got '-3')",
      "line 5: n_out: expected an integer, got '5.5'",
      'line 6: has 3 fields, the header has 5',
    ]);
  });

  it('reports schema violations (missing model, non-positive energy, n_in < 1) by line and column', () => {
    const issues = issuesOf(() => readMeasurements('model,n_in,n_out,energy_j\n,1,1,1\nm,0,1,1\nm,1,1,0\n'));
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(/^line 2: model: missing value$/);
    expect(issues[1]).toMatch(/^line 3: n_in: /);
    expect(issues[2]).toMatch(/^line 4: energy_j: /);
  });

  it('names missing required columns and duplicate columns', () => {
    expect(issuesOf(() => readMeasurements('model,n_in\nm,1\n'))).toEqual([
      'line 1: n_out: required column missing',
      'line 1: energy_j: required column missing',
    ]);
    expect(issuesOf(() => readMeasurements('model,n_in,nIn,n_out,energy_j\nm,1,1,1,1\n'))).toEqual(['line 1: nIn: duplicate column']);
  });

  it('names the header by its own line when blank lines precede it, and keeps every error message on one line', () => {
    expect(issuesOf(() => readMeasurements('\n\nmodel,n_in\nm,1\n'))).toEqual([
      'line 3: n_out: required column missing',
      'line 3: energy_j: required column missing',
    ]);
    // A quoted value holding a newline: the row is named by the line it starts on, and the
    // message shows the newline escaped (the CLI prints one line per error).
    const issues = issuesOf(() => readMeasurements('model,n_in,n_out,energy_j\nm,"1\n2",1,1\nm,1,1,1\nm,0,1,1\n'));
    expect(issues).toEqual(["line 2: n_in: expected a number, got '1\\n2'", "line 5: n_in: Too small: expected number to be >=1 (got '0')"]);
    expect(issues.every((i) => !i.includes('\n'))).toBe(true);
    expect(issuesOf(() => readMeasurements('model,n_in,n_out,energy_j,,\nm,1,1,1,,\n'))).toEqual([
      'line 1: column 5: empty column name',
      'line 1: column 6: empty column name',
    ]);
  });

  it('counts rows that took a default and leaves rows with a value alone', () => {
    const r = readMeasurements('model,n_in,n_out,energy_j,kv_cache\nm,1,1,1,\nm,2,1,1,on\n', { defaults: { kvCache: false } });
    expect(r.rows.map((x) => x.kvCache)).toEqual([false, true]);
    expect(r.defaulted).toEqual([
      { field: 'kvCache', value: false, rows: 1, source: 'given' },
      { field: 'batchSize', value: 1, rows: 2, source: 'schema' },
    ]);
  });

  it('lists what the schema assumed for rows that say nothing: the KV-cache regime, batch 1', () => {
    const r = readMeasurements('model,n_in,n_out,energy_j,batch_size\nm,1,1,1,4\nm,2,1,1,\nm,3,1,1,2\n');
    expect(r.rows.map((x) => [x.kvCache, x.batchSize])).toEqual([[true, 4], [true, 1], [true, 2]]);
    expect(r.defaulted).toEqual([
      { field: 'kvCache', value: true, rows: 3, source: 'schema' },
      { field: 'batchSize', value: 1, rows: 1, source: 'schema' },
    ]);
    const json = readMeasurements(JSON.stringify([{ model: 'm', nIn: 1, nOut: 1, energyJ: 1, kvCache: false, batchSize: 1 }]));
    expect(json.defaulted).toEqual([]);
  });

  it('reads quoted notes with commas and CRLF', () => {
    const r = readMeasurements('\uFEFFmodel,n_in,n_out,energy_j,notes\r\nm,1,1,1,"cold, first"\r\n');
    expect(r.rows[0].notes).toBe('cold, first');
  });
});

describe('readMeasurements: JSON', () => {
  it('reads an array of snake_case or camelCase objects, with the line each starts on', () => {
    const text = '[\n  {"model": "m", "n_in": 8, "n_out": 4, "energy_j": 12.5, "kv_cache": false},\n  {"model": "m", "nIn": 9, "nOut": 4, "energyJ": 13, "site": 3}\n]';
    const { rows } = readMeasurements(text);
    expect(rows[0]).toMatchObject({ nIn: 8, kvCache: false, line: 2 });
    expect(rows[1]).toMatchObject({ nIn: 9, kvCache: true, line: 3, extra: { site: '3' } });
  });

  it('reports every bad element with its line and field', () => {
    const text = '[\n {"model": "m", "n_in": "x", "n_out": 1, "energy_j": 1},\n 7,\n {"model": "m", "n_in": 1, "n_out": 1}\n]';
    expect(issuesOf(() => readMeasurements(text))).toEqual([
      "line 2: n_in: expected a number, got 'x'",
      'line 3: element 1: expected an object',
      'line 4: energy_j: missing value',
    ]);
  });

  it('refuses an object that gives one field twice (n_in and nIn), naming both keys', () => {
    const text = '[\n {"model": "m", "n_in": 8, "nIn": 9, "n_out": 1, "energy_j": 1}\n]';
    expect(issuesOf(() => readMeasurements(text))).toEqual(['line 2: nIn: the same field as n_in']);
  });

  it('refuses JSON that is not an array, or not JSON', () => {
    expect(() => readMeasurements('{"model": 1}', { format: 'json' })).toThrow(/array/);
    expect(() => readMeasurements('[1,', { format: 'json' })).toThrow(/not valid JSON/);
  });

  it('finds element lines past strings holding brackets and escaped quotes', () => {
    expect(jsonElementLines('[{"a": "[\\"{"},\n\n {"b": 1}]')).toEqual([1, 3]);
    expect(jsonElementLines('[]')).toEqual([]);
  });
});

describe('readMeasurements: the direct path for well-formed CSV rows equals the schema path', () => {
  it('gives the rows the schema gives for the same values read from JSON (every field, extras, defaults, blanks)', () => {
    const header = ['model', 'n_in', 'n_out', 'energy_j', 'batch_size', 'gpu', 'engine', 'kv_cache', 'latency_s', 'repeats', 'notes', 'system'];
    const records = [
      ['llama-2-7b', '128', '64', '210.5', '2', 'NVIDIA A100', 'vLLM', 'off', '1.25', '3', 'warm', 'swing'],
      [' llama-2-7b ', '1', '1', '1e-3', '', '', '', '', '', '', '', ''],
      ['m', '+4096', '2048', '.5', '1', ' H100 ', 'trt', 'YES', '0', '1', 'a note', ' x '],
      ['m', '7', '9', '3.0E2', '', 'H100', '', 'on', '', '', '', ''],
    ];
    const csv = [header, ...records].map((r) => r.join(',')).join('\n');
    const json = JSON.stringify(records.map((r) => Object.fromEntries(r.flatMap((v, k) => (v === '' && k !== 11 ? [] : [[header[k], v]])))));
    const defaults = { kvCache: false, gpu: 'default-gpu' };
    const fromCsv = readMeasurements(csv, { defaults });
    const fromJson = readMeasurements(json, { defaults });
    const strip = (rows: readonly object[]) => rows.map((r) => ({ ...r, line: undefined }));
    expect(strip(fromCsv.rows)).toEqual(strip(fromJson.rows));
    expect(fromCsv.defaulted).toEqual(fromJson.defaulted);
    expect(fromCsv.rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    // And a row the direct path refuses still gets every field named by the schema path.
    // Rows on and past every bound the schema sets: each path accepts and refuses the same ones.
    const edges = ['1e-9', '9.99e-10', '1e15', '1.001e15', '0', '-1'].map((e) => `m,5,5,${e}`);
    for (const bound of ['n_in', 'n_out'].flatMap((c) => [`${c}=1`, `${c}=0`])) edges.push(bound.endsWith('=1') ? 'm,1,1,2' : 'm,0,1,2');
    // zod's int() is the safe range: 2^53 − 1 is a count, 2^53 is not.
    edges.push(`m,${2 ** 53 - 1},1,2`, `m,${2 ** 53},1,2`, `m,1,${2 ** 53},2`);
    for (const line of edges) {
      const viaCsv = (() => {
        try {
          return readMeasurements(`model,n_in,n_out,energy_j\n${line}\n`).rows.map((r) => ({ ...r, line: undefined }));
        } catch (error) {
          return (error as SweetspotInputError).issues.map((m) => m.replace(/^line \d+: /, ''));
        }
      })();
      const [model, nIn, nOut, energyJ] = line.split(',');
      const viaJson = (() => {
        try {
          return readMeasurements(JSON.stringify([{ model, n_in: nIn, n_out: nOut, energy_j: energyJ }])).rows.map((r) => ({ ...r, line: undefined }));
        } catch (error) {
          return (error as SweetspotInputError).issues.map((m) => m.replace(/^line \d+: /, ''));
        }
      })();
      expect(viaCsv).toEqual(viaJson);
    }
    expect(() => readMeasurements('model,n_in,n_out,energy_j\nm,5,5,1e-12\n')).toThrow(/energy_j: out of range/);
    let issues: readonly string[] = [];
    try {
      readMeasurements(`${header.join(',')}\nm,0,x,-1,1.5,g,e,maybe,-2,0,n,s\n`);
    } catch (error) {
      issues = (error as SweetspotInputError).issues;
    }
    expect(issues.map((m) => m.split(':').slice(0, 2).join(':')).sort()).toEqual(
      ['n_in', 'n_out', 'energy_j', 'batch_size', 'kv_cache', 'latency_s', 'repeats'].map((c) => `line 2: ${c}`).sort(),
    );
  });
});
