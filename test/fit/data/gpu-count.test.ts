import { describe, expect, it } from 'vitest';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { measurementRows } from '../../../src/fit/data/rows.js';
import { splitGpuCount } from '../../../src/fit/data/measurement.js';
import { gpusAt, selectRows, tableFromRows, tableRow } from '../../../src/fit/data/table.js';
import { canonicalRows, rowsSha256 } from '../../../src/fit/data/canonical.js';
import { filterMeasurements } from '../../../src/fit/data/filter.js';
import { checkTable } from '../../../src/fit/data/table.js';
import { SweetspotInputError } from '../../../src/errors.js';

const HEAD = 'model,n_in,n_out,energy_j,gpu';

describe('GPU counts of measurements (docs/conventions.md#measurements)', () => {
  it('splits the spellings of a count off the GPU name, and leaves names without one alone', () => {
    expect(splitGpuCount('2x NVIDIA L40S')).toEqual({ gpus: 2, gpu: 'NVIDIA L40S' });
    expect(splitGpuCount('4 x NVIDIA H100 80GB HBM3')).toEqual({ gpus: 4, gpu: 'NVIDIA H100 80GB HBM3' });
    expect(splitGpuCount('8× H100')).toEqual({ gpus: 8, gpu: 'H100' });
    expect(splitGpuCount('8×H100')).toEqual({ gpus: 8, gpu: 'H100' });
    for (const name of ['NVIDIA L40S', 'H100', '4090', 'RTX 4090', '2xlarge', 'NVIDIA A100 + NVIDIA H100', '']) expect(splitGpuCount(name), name).toBeUndefined();
  });

  it('a CSV gpu of the form Nx NAME reads as NAME on N GPUs; a gpus column is read as it is; rows without either ran on one', () => {
    const text = [`${HEAD},gpus`, 'llama-2-7b,8,8,10,2x NVIDIA L40S,', 'llama-2-7b,8,8,10,NVIDIA L40S,4', 'llama-2-7b,8,8,10,2 × NVIDIA L40S,2', 'llama-2-7b,8,8,10,NVIDIA L40S,'].join('\n');
    const { rows } = readMeasurements(text);
    expect(rows.map((r) => [r.gpu, r.gpus])).toEqual([
      ['NVIDIA L40S', 2],
      ['NVIDIA L40S', 4],
      ['NVIDIA L40S', 2],
      ['NVIDIA L40S', undefined],
    ]);
    const table = tableFromRows(rows);
    expect(Array.from({ length: 4 }, (_, i) => gpusAt(table, i))).toEqual([2, 4, 2, 1]);
    // The table gives back the rows it was made of, and a selection keeps the counts.
    expect(tableRow(table, 1)).toEqual(rows[1]);
    expect(gpusAt(selectRows(table, [1, 3]), 0)).toBe(4);
    // Rows without a count make a table without the column; the first count fills the rows before it with NaN.
    expect(tableFromRows([rows[3], rows[3]]).gpus).toBeUndefined();
    expect(Array.from(tableFromRows([rows[3], rows[0]]).gpus!)).toEqual([NaN, 2]);
    // Rows read from a file are compact objects with the count after the GPU, as the schema orders them.
    expect(Object.keys(rows[0]).slice(5, 7)).toEqual(['gpu', 'gpus']);
    expect('gpus' in rows[3]).toBe(false);
    // JSON reads the same way.
    const json = readMeasurements(JSON.stringify([{ model: 'llama-2-7b', n_in: 8, n_out: 8, energy_j: 10, gpu: '3x H100' }])).rows;
    expect([json[0].gpu, json[0].gpus]).toEqual(['H100', 3]);
  });

  it('a gpus column that disagrees with the Nx prefix, a count out of range and a non-integer count are refused, naming the line', () => {
    const bad = [`${HEAD},gpus`, 'llama-2-7b,8,8,10,NVIDIA L40S,2', 'llama-2-7b,8,8,10,2x NVIDIA L40S,4'].join('\n');
    expect(() => readMeasurements(bad)).toThrow(/line 3: gpus: 4 disagrees with gpu '2x NVIDIA L40S' \(2 GPUs\)/);
    expect(() => readMeasurements([HEAD, 'llama-2-7b,8,8,10,0x H100'].join('\n'))).toThrow(/line 2: gpu: '0x H100' states 0 GPUs; a count from 1 to 4096 is required/);
    expect(() => readMeasurements([HEAD, 'llama-2-7b,8,8,10,5000x H100'].join('\n'))).toThrow(/line 2: gpu: '5000x H100' states 5000 GPUs/);
    expect(() => readMeasurements([`${HEAD},gpus`, 'llama-2-7b,8,8,10,H100,1.5'].join('\n'))).toThrow(/line 2: gpus: expected an integer, got '1.5'/);
    expect(() => readMeasurements([`${HEAD},gpus`, 'llama-2-7b,8,8,10,H100,0'].join('\n'))).toThrow(/line 2: gpus: /);
    expect(() => readMeasurements([`${HEAD},gpus`, 'llama-2-7b,8,8,10,H100,4097'].join('\n'))).toThrow(/line 2: gpus: /);
  });

  it('rows given as objects are read the same way, and a disagreement names the row and its line', () => {
    const { rows } = measurementRows([{ model: 'llama-2-7b', nIn: 8, nOut: 8, energyJ: 10, gpu: '2x NVIDIA L40S' }], 'calibrate');
    expect([rows[0].gpu, rows[0].gpus]).toEqual(['NVIDIA L40S', 2]);
    const complete = { model: 'llama-2-7b', nIn: 8, nOut: 8, energyJ: 10, batchSize: 1, kvCache: true, extra: {}, gpu: '4x H100', gpus: 2, line: 7 };
    expect(() => measurementRows([complete], 'calibrate')).toThrow(/rows\[0\] \(line 7\): gpus: 2 disagrees with gpu '4x H100' \(4 GPUs\)/);
    expect(() => measurementRows([{ model: 'm', nIn: 8, nOut: 8, energyJ: 10, gpus: 0 }], 'calibrate')).toThrow(SweetspotInputError);
  });

  it('a table whose gpus column was changed by hand is checked', () => {
    const table = tableFromRows(readMeasurements([`${HEAD},gpus`, 'llama-2-7b,8,8,10,H100,2'].join('\n')).rows);
    (table.gpus as Float64Array)[0] = 0.5;
    expect(() => checkTable(table, 'calibrate(table)')).toThrow(/line 2: gpus: an integer from 1 to 4096 \(or NaN: one\) is required, got 0.5/);
  });

  it('the count enters the canonical rows as measure writes it (Nx NAME), so one-GPU rows and old files hash as before', () => {
    const old = readMeasurements([HEAD, 'llama-2-7b,8,8,10,H100', 'llama-2-7b,8,8,12,2x H100'].join('\n')).rows;
    const given = readMeasurements([`${HEAD},gpus`, 'llama-2-7b,8,8,10,H100,1', 'llama-2-7b,8,8,12,H100,2'].join('\n')).rows;
    // Written out by hand: the rows' fields as JSON arrays, sorted.
    const expected = ['["llama-2-7b",8,8,10,1,"H100",null,true,null,null,null]', '["llama-2-7b",8,8,12,1,"2x H100",null,true,null,null,null]'].join('\n');
    expect(canonicalRows(old)).toBe(expected);
    expect(canonicalRows(given)).toBe(expected);
    expect(rowsSha256(given)).toBe(rowsSha256(old));
    // A count without a GPU name is kept too.
    const nameless = readMeasurements(['model,n_in,n_out,energy_j,gpus', 'llama-2-7b,8,8,10,4'].join('\n')).rows;
    expect(canonicalRows(nameless)).toBe('["llama-2-7b",8,8,10,1,"4x",null,true,null,null,null]');
  });

  it('--where gpus=N keeps the rows on N GPUs; rows without a count are on one', () => {
    const rows = readMeasurements([`${HEAD},gpus`, 'a,8,8,10,2x H100,', 'b,8,8,10,H100,', 'c,8,8,10,H100,1'].join('\n')).rows;
    expect(filterMeasurements(rows, { where: ['gpus=2'] }).rows.map((r) => r.model)).toEqual(['a']);
    expect(filterMeasurements(rows, { where: ['gpus=1'] }).rows.map((r) => r.model)).toEqual(['b', 'c']);
  });
});

describe('repeats on several GPUs', () => {
  it('calls on 1 and 2 GPUs of one name are different configurations, in the table and the rows alike', async () => {
    const { configKey, groupRepeats, tableRepeats } = await import('../../../src/fit/evaluate/repeats.js');
    const rows = readMeasurements([`${HEAD},gpus`, 'a,8,8,10,H100,', 'a,8,8,11,H100,1', 'a,8,8,20,2x H100,', 'a,8,8,21,H100,2'].join('\n')).rows;
    expect(rows.map((r) => configKey(r))).toEqual(['a|H100||on|1|8|8', 'a|H100||on|1|8|8', 'a|2x H100||on|1|8|8', 'a|2x H100||on|1|8|8']);
    expect(groupRepeats(rows).map((g) => g.indices)).toEqual([[0, 1], [2, 3]]);
    expect(tableRepeats(tableFromRows(rows)).count).toBe(2);
  });
});
