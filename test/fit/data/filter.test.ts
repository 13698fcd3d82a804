import { describe, expect, it } from 'vitest';
import { filterMeasurements } from '../../../src/fit/data/filter.js';
import { readMeasurements } from '../../../src/fit/read/read.js';

const TEXT = [
  'model,n_in,n_out,energy_j,gpu,engine,kv_cache,notes,system',
  'a,1,1,1,G1,E1,on,,s1',
  'a,1,1,1,G1,E1,off,iteration 0 (cold),s1',
  'b,2,1,1,g1,E2,off,,s2',
  'b,2,1,1,G2,E1,on,n_in+n_out exceeds model context 2048,s2',
  'c,3,1,1,G1,E1,on,,s1',
].join('\n');
const rows = readMeasurements(TEXT).rows;

describe('filterMeasurements', () => {
  it('applies each filter in turn and reports kept and dropped counts', () => {
    const r = filterMeasurements(rows, { gpu: 'G1', kvCache: true, excludeNotes: 'iteration 0|exceeds' });
    expect(r.rows.map((x) => x.line)).toEqual([2, 6]);
    expect(r.steps).toEqual([
      { filter: 'gpu=G1', before: 5, kept: 4, dropped: 1 },
      { filter: 'kv_cache=on', before: 4, kept: 2, dropped: 2 },
      { filter: 'notes!~/iteration 0|exceeds/', before: 2, kept: 2, dropped: 0 },
    ]);
  });

  it('filters by model and engine (case-insensitive) and by --where on schema and extra columns', () => {
    expect(filterMeasurements(rows, { model: 'B' }).rows.map((x) => x.line)).toEqual([4, 5]);
    expect(filterMeasurements(rows, { engine: 'e2' }).rows.map((x) => x.line)).toEqual([4]);
    expect(filterMeasurements(rows, { where: ['system=s2', 'n_in=2', 'kv_cache=off'] }).rows.map((x) => x.line)).toEqual([4]);
    expect(filterMeasurements(rows, { where: ['nIn=3'] }).rows.map((x) => x.line)).toEqual([6]);
  });

  it('matches a model by its preset and a GPU by its hardware profile', () => {
    const more = readMeasurements(
      'model,n_in,n_out,energy_j,gpu\nmeta-llama/Llama-2-7b-chat-hf,1,1,1,NVIDIA A100-SXM4-40GB\nmistralai/Mistral-7B-v0.1,1,1,1,A100-PCIE-40GB\n',
    ).rows;
    expect(filterMeasurements(more, { model: 'llama-2-7b' }).rows.map((x) => x.line)).toEqual([2]);
    expect(filterMeasurements(more, { gpu: 'a100-pcie-40gb' }).rows.map((x) => x.line)).toEqual([3]);
  });

  it('drops rows by a notes pattern and keeps rows without notes', () => {
    const r = filterMeasurements(rows, { excludeNotes: /cold/g });
    expect(r.rows.map((x) => x.line)).toEqual([2, 4, 5, 6]);
    // A sticky flag is stateful too (lastIndex): without dropping it, the second cold row would pass.
    const twice = readMeasurements('model,n_in,n_out,energy_j,notes\na,1,1,1,cold\na,2,1,1,cold\na,3,1,1,warm\n').rows;
    expect(filterMeasurements(twice, { excludeNotes: /cold/y }).rows.map((x) => x.line)).toEqual([4]);
  });

  it('refuses a malformed or unknown --where and a bad regex, naming them', () => {
    expect(() => filterMeasurements(rows, { where: ['system'] })).toThrow(/filterMeasurements\(\{ where: \['system'\] \}\): expected column=value/);
    expect(() => filterMeasurements(rows, { where: ['colour=red'] })).toThrow(/unknown column 'colour'.*system/);
    expect(() => filterMeasurements(rows, { excludeNotes: '(' })).toThrow(/filterMeasurements\(\{ excludeNotes \}\): bad regular expression/);
  });

  it('reports nothing when no filter is given and keeps every row', () => {
    expect(filterMeasurements(rows, {})).toEqual({ rows, steps: [] });
  });
});
