import { describe, expect, it } from 'vitest';
import { linearForm } from '../../../src/energy/forms/linear.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { calibrate } from '../../../src/fit/calibrate.js';
import type { Measurement } from '../../../src/fit/data/measurement.js';
import { checkTable, selectRows, tableFromRows, tableRow, type MeasurementTable } from '../../../src/fit/data/table.js';
import { readMeasurements } from '../../../src/fit/read/read.js';

// Eight valid rows of one model over a 2-D design, so that a linear fit runs when nothing is wrong.
function rows(): Measurement[] {
  const out: Measurement[] = [];
  let line = 2;
  for (const nIn of [100, 400, 1600]) {
    for (const nOut of [50, 200, 800]) out.push({ line: line++, extra: {}, model: 'llama-2-7b', nIn, nOut, energyJ: 0.002 * nIn + 0.3 * nOut + 5, batchSize: 1, kvCache: true });
  }
  return out;
}

function thrown(attempt: () => unknown): SweetspotInputError {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(SweetspotInputError);
    return error as SweetspotInputError;
  }
  throw new Error('expected an error');
}

describe('calibrate(table) checks a table as it checks rows', () => {
  it('fits a valid table, and the same table as rows gives the same parameters', () => {
    const t = tableFromRows(rows());
    const a = calibrate(t, { form: linearForm });
    const b = calibrate(rows(), { form: linearForm });
    expect(a.calibration.models).toEqual(b.calibration.models);
  });

  it('accepts what valid rows hold: empty extra texts, absent GPU and notes', () => {
    const withExtra = rows().map((r, k) => ({ ...r, extra: { site: k % 2 === 0 ? '' : 'a' } }));
    expect(() => checkTable(tableFromRows(withExtra), 'checkTable')).not.toThrow();
    expect(calibrate(tableFromRows(withExtra), { form: linearForm }).errors.n).toBe(9);
  });

  it.each([
    ['nIn', 0, /line 2: nIn: an integer ≥ 1 is required, got 0/],
    ['nOut', 2.5, /line 2: nOut: an integer ≥ 1 is required, got 2.5/],
    ['batchSize', Number.NaN, /line 2: batchSize: an integer ≥ 1 is required, got NaN/],
    ['energyJ', 0, /line 2: energyJ: energies from 1e-9 J to 1000000000000000 J per call are accepted, got 0/],
    ['energyJ', -5, /line 2: energyJ: .* got -5/],
    ['energyJ', Number.NaN, /line 2: energyJ: .* got NaN/],
    ['latencyS', Number.POSITIVE_INFINITY, /line 2: latencyS: a finite duration ≥ 0/],
    ['repeats', 0, /line 2: repeats: an integer ≥ 1/],
  ] as const)('names %s = %s by line and field', (field, value, pattern) => {
    const t = tableFromRows(rows());
    (t[field] as Float64Array)[0] = value;
    const error = thrown(() => calibrate(t, { form: linearForm }));
    expect(error.message).toMatch(/^calibrate\(table\): 1 bad value\(s\)/);
    expect(error.message).toMatch(pattern);
  });

  it('names the regime, a text code outside its texts, and rows without a line by index', () => {
    const t = tableFromRows(rows());
    t.kvCache[1] = 2;
    t.model.codes[2] = 5;
    t.line[2] = Number.NaN;
    const error = thrown(() => calibrate(t, { form: linearForm }));
    expect(error.issues).toEqual([
      'calibrate(table): line 3: kvCache: 1 (KV cache) or 0 (recompute) is required, got 2',
      'calibrate(table): rows[2]: model: a code of one of its 1 non-empty texts is required, got 5',
    ]);
  });

  it('refuses columns of the wrong length or type, naming them', () => {
    const t = tableFromRows(rows());
    const short: MeasurementTable = { ...t, nOut: t.nOut.subarray(1) };
    expect(thrown(() => calibrate(short, { form: linearForm })).message).toBe('calibrate(table): nOut: a Float64Array of length 9 is required');
    const plain = { ...t, energyJ: Array.from(t.energyJ) } as unknown as MeasurementTable;
    expect(thrown(() => checkTable(plain, 'checkTable')).message).toContain('energyJ: a Float64Array of length 9 is required');
  });

  it('lists at most 20 bad cells and counts the rest', () => {
    const many: Measurement[] = [];
    for (let k = 0; k < 30; k++) many.push(...rows());
    const t = tableFromRows(many);
    t.nIn.fill(0);
    const error = thrown(() => checkTable(t, 'checkTable'));
    expect(error.message).toMatch(/^checkTable: 270 bad value\(s\)/);
    expect(error.issues).toHaveLength(21);
    expect(error.issues[20]).toBe('checkTable: … and 250 more');
  });
});

describe('selectRows', () => {
  it('keeps the rows asked for, in that order', () => {
    const t = tableFromRows(rows());
    const s = selectRows(t, [4, 0]);
    expect([tableRow(s, 0).nIn, tableRow(s, 0).nOut, tableRow(s, 1).nIn]).toEqual([400, 200, 100]);
  });

  it.each([[9], [-1], [1.5], [Number.NaN]])('refuses index %s instead of making a row up', (index) => {
    const t = tableFromRows(rows());
    expect(thrown(() => selectRows(t, [0, index])).message).toBe(`selectRows(table, indices): indices[1] = ${index} is not a row of the table (0 … 8)`);
  });
});

describe('column names that are members of every object', () => {
  it('keeps a column named constructor or toString as an extra column', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const [row] = readMeasurements(`model,n_in,n_out,energy_j,${name}\nm,1,2,3,x\n`).rows;
      expect(Object.hasOwn(row.extra, name)).toBe(true);
      expect(row.extra[name]).toBe('x');
    }
  });

  it('refuses a __proto__ column or key by name (its value would be lost)', () => {
    expect(thrown(() => readMeasurements('model,n_in,n_out,energy_j,__proto__\nm,1,2,3,x\n')).issues).toEqual([
      'line 1: __proto__: a reserved name, not accepted as a column or key (rename it)',
    ]);
    const json = '[{"model":"m","n_in":1,"n_out":2,"energy_j":3,"__proto__":"x"}]';
    expect(thrown(() => readMeasurements(json)).issues).toEqual(['line 1: __proto__: a reserved name, not accepted as a column or key (rename it)']);
  });

  it('refuses kv_cache values that are members of every object', () => {
    for (const word of ['constructor', '__proto__', 'toString']) {
      expect(thrown(() => readMeasurements(`model,n_in,n_out,energy_j,kv_cache\nm,1,2,3,${word}\n`)).issues).toEqual([`line 2: kv_cache: expected on/off (or true/false), got '${word}'`]);
    }
  });
});
