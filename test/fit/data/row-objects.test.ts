import { describe, expect, it } from 'vitest';
import { ownText, rowMakers } from '../../../src/fit/data/row-objects.js';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { parseCsv } from '../../../src/fit/read/csv.js';

describe('rowMakers', () => {
  it('makes plain objects with the schema keys in order, absent fields left out', () => {
    const make = rowMakers();
    const extra = make.extra();
    extra.site = 'x';
    const row = make.row('m', 1, 2, 3.5, 4, 'g', undefined, false, 0.25, undefined, 'n', 7, extra);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(row.extra)).toBe(Object.prototype);
    expect(row.constructor).toBe(Object);
    expect(Object.keys(row)).toEqual(['model', 'nIn', 'nOut', 'energyJ', 'batchSize', 'gpu', 'kvCache', 'latencyS', 'notes', 'line', 'extra']);
    // toStrictEqual compares types and undefined keys: a literal written by hand is the same row.
    expect(row).toStrictEqual({ model: 'm', nIn: 1, nOut: 2, energyJ: 3.5, batchSize: 4, gpu: 'g', kvCache: false, latencyS: 0.25, notes: 'n', line: 7, extra: { site: 'x' } });
    expect('engine' in row).toBe(false);
    expect(JSON.stringify(row)).toBe('{"model":"m","nIn":1,"nOut":2,"energyJ":3.5,"batchSize":4,"gpu":"g","kvCache":false,"latencyS":0.25,"notes":"n","line":7,"extra":{"site":"x"}}');
  });

  it('keeps every number as given: beyond 32 bits, fractions, zero signs', () => {
    const make = rowMakers();
    const big = 2 ** 40 + 1;
    const row = make.row('m', big, 2 ** 31, 1e-9, 2 ** 31 - 1, undefined, undefined, true, -0, Number.MAX_SAFE_INTEGER, undefined, 1.5, make.extra());
    expect([row.nIn, row.nOut, row.energyJ, row.batchSize, row.repeats, row.line]).toEqual([big, 2 ** 31, 1e-9, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER, 1.5]);
    expect(Object.is(row.latencyS, -0)).toBe(true);
  });

  it('gives every row its own extra object', () => {
    const make = rowMakers();
    const a = make.row('m', 1, 1, 1, 1, undefined, undefined, true, undefined, undefined, undefined, undefined, make.extra());
    const b = make.row('m', 1, 1, 1, 1, undefined, undefined, true, undefined, undefined, undefined, undefined, make.extra());
    a.extra.x = 'y';
    expect(b.extra).toEqual({});
  });
});

describe('ownText', () => {
  it('gives the same characters, long or short, odd ones included', () => {
    const chunk = `${'x'.repeat(100)}NVIDIA H100 80GB HBM3 "quoted" \\ é ☃ 𝔸${'y'.repeat(100)}`;
    const long = chunk.slice(100, chunk.length - 100);
    expect(ownText(long)).toBe('NVIDIA H100 80GB HBM3 "quoted" \\ é ☃ 𝔸');
    expect(ownText('short')).toBe('short');
    expect(ownText('')).toBe('');
  });
});

describe('readMeasurements rows built from columns', () => {
  it('equal, key for key and in order, what the schema makes of the same values given as JSON', () => {
    // Blank optional values, quoted commas, regime words, an extra column, numbers written several ways.
    const text = [
      'model,n_in,n_out,energy_j,batch_size,gpu,engine,kv_cache,latency_s,repeats,notes,sweep',
      'a,1,2,3.5,,H100,,on,,,,input',
      '"b,c",10,20,1e2,4,,vllm,off,0.5,3,iteration 0,',
      'a,7,8,.25,2,,,,-0,,a note longer than thirteen characters,output',
    ].join('\n');
    const csvRows = readMeasurements(text).rows;
    const { header, records } = parseCsv(text);
    // JSON elements one per line, from line 2 on: each on the CSV line of its record.
    const json = `[\n${records.map((r) => JSON.stringify(Object.fromEntries(header.map((h, k) => [h, r.fields[k]])))).join(',\n')}\n]`;
    const schemaRows = readMeasurements(json).rows;
    expect(csvRows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(schemaRows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(csvRows.map((r) => Object.keys(r))).toEqual(schemaRows.map((r) => Object.keys(r)));
    expect(csvRows).toStrictEqual(schemaRows);
    expect(Object.is(csvRows[2].latencyS, -0)).toBe(true);
  });
});
