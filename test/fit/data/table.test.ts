import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hardwareForm } from '../../../src/energy/forms/hardware.js';
import { linearForm } from '../../../src/energy/forms/linear.js';
import { sweetspotForm } from '../../../src/energy/forms/sweetspot.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { calibrate, type CalibrateOptions, type CalibrationReport } from '../../../src/fit/calibrate.js';
import { CsvRecords, eachCsvRecord } from '../../../src/fit/read/csv.js';
import { filterMeasurements, filterTable, type MeasurementFilter } from '../../../src/fit/data/filter.js';
import { loadMeasurements, loadMeasurementTable } from '../../../src/fit/read/load.js';
import type { Measurement } from '../../../src/fit/data/measurement.js';
import { configKey } from '../../../src/fit/evaluate/repeats.js';
import { selectRows, tableFromRows, tableRow, tableRows, usedTexts } from '../../../src/fit/data/table.js';
import { dataFile } from '../../data-files.js';
import { noise } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A CSV of `n` rows that exercises the reader: a BOM, CRLF line ends, quoted notes holding
 * commas, doubled quotes and newlines, blank lines, blank optional values, two models, an extra
 * column, and a texts column whose values repeat in runs.
 */
function messyCsv(n: number): string {
  const lines = ['\uFEFFmodel,n_in,n_out,energy_j,gpu,engine,kv_cache,latency_s,repeats,notes,site'];
  for (let i = 0; i < n; i++) {
    const model = i % 3 === 0 ? 'llama-2-7b' : 'meta-llama/Llama-2-13b-hf';
    const nIn = 16 + ((i * 37) % 2000);
    const nOut = 8 + ((i * 11) % 500);
    const energy = (0.02 * nIn + 0.4 * nOut + 1e-6 * nIn * nOut + 3) * noise(i, 0.02) * (model === 'llama-2-7b' ? 1 : 1.8);
    const notes = i % 5 === 0 ? `"run ${i}, ""warm""\nsecond line"` : i % 7 === 0 ? '' : `iteration ${i % 4}`;
    const latency = i % 4 === 0 ? '' : (nOut * 0.02).toFixed(3);
    const repeats = i % 6 === 0 ? '' : String(1 + (i % 3));
    lines.push(`${model},${nIn},${nOut},${energy.toPrecision(9)},NVIDIA H100 80GB HBM3,vLLM 0.6,on,${latency},${repeats},${notes},site-${Math.floor(i / 1000)}`);
    if (i % 997 === 0) lines.push('');
  }
  return `${lines.join('\r\n')}\r\n`;
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// About 2.6 MB: the reader's 1 MiB chunks end inside records and inside quoted notes.
const messyPath = write('messy.csv', messyCsv(30_000));

/** SHA-256 of the rows' canonical lines built the plain way: JSON of each row's fields, sorted. */
function plainSha256(rows: readonly Measurement[]): string {
  const lines = rows.map((r) => JSON.stringify([r.model, r.nIn, r.nOut, r.energyJ, r.batchSize, r.gpu, r.engine, r.kvCache, r.latencyS, r.repeats, r.notes]));
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/** The noise floor by brute force: groups by configKey, MAPE of repeats against their mean. */
function plainNoiseFloor(rows: readonly Measurement[]): number | null {
  const groups = new Map<string, number[]>();
  for (const r of rows) (groups.get(configKey(r)) ?? groups.set(configKey(r), []).get(configKey(r))!).push(r.energyJ);
  let sum = 0;
  let count = 0;
  for (const es of groups.values()) {
    if (es.length < 2) continue;
    const mean = es.reduce((a, b) => a + b, 0) / es.length;
    for (const e of es) sum += Math.abs(e - mean) / e;
    count += es.length;
  }
  return count ? (100 * sum) / count : null;
}

function expectSameReport(a: CalibrationReport, b: CalibrationReport): void {
  expect(a.calibration).toEqual(b.calibration);
  expect(a.errors).toEqual(b.errors);
  expect(a.perModel).toEqual(b.perModel);
  expect(a.noiseFloor).toEqual(b.noiseFloor);
  for (const id of Object.keys(b.baselines)) {
    expect(a.baselines[id].errors).toEqual(b.baselines[id].errors);
    expect(a.baselines[id].skipped).toEqual(b.baselines[id].skipped);
  }
  expect([...a.fits.keys()]).toEqual([...b.fits.keys()]);
}

describe('CsvRecords', () => {
  it('gives the records eachCsvRecord gives, wherever the text is cut', () => {
    const text = messyCsv(60);
    const whole: [number, string[]][] = [];
    eachCsvRecord(text, 'x.csv', (line, fields) => void whole.push([line, fields]));
    expect(whole.length).toBe(61);
    for (const step of [1, 2, 3, 7, 64, 1000]) {
      const pieces: [number, string[]][] = [];
      const records = new CsvRecords('x.csv', (line, fields) => void pieces.push([line, fields]));
      for (let k = 0; k < text.length; k += step) records.push(text.slice(k, k + step));
      records.end();
      expect(pieces).toEqual(whole);
    }
  });

  it('names an unterminated quote by its line only at the end of the text', () => {
    const records = new CsvRecords('x.csv', () => undefined);
    records.push('a,b\n1,"open\n');
    records.push('still open\n');
    expect(() => records.end()).toThrow(/x\.csv: line 2: unterminated quoted field/);
  });
});

describe('loadMeasurementTable', () => {
  it('reads a CSV read a chunk at a time into the rows loadMeasurements reads, with the same account', async () => {
    for (const path of [messyPath, dataFile('wilkins_a100_1d_sweeps.csv'), dataFile('argonne_hopper_diag.csv')]) {
      const rows = await loadMeasurements(path, '/');
      const table = await loadMeasurementTable(path, '/');
      expect(table.table.length).toBe(rows.rows.length);
      expect(tableRows(table.table)).toEqual(rows.rows);
      expect({ read: table.read, steps: table.steps, defaulted: table.defaulted }).toEqual({ read: rows.read, steps: rows.steps, defaulted: rows.defaulted });
    }
    // Each text once: 30 000 rows of two models hold two model strings.
    const { table } = await loadMeasurementTable(messyPath, '/');
    expect(table.model.texts).toEqual(['llama-2-7b', 'meta-llama/Llama-2-13b-hf']);
    expect(table.extra.get('site')!.texts.length).toBe(30);
  });

  it('reads JSON and JSON Lines files too, as loadMeasurements does', async () => {
    const rows = [
      { model: 'llama-2-7b', n_in: 8, n_out: 4, energy_j: 12.5, notes: 'a' },
      { model: 'llama-2-7b', n_in: 16, n_out: 4, energy_j: 14.5, kv_cache: 'off', site: 'x' },
    ];
    const json = write('rows.json', JSON.stringify(rows, null, 1));
    const lines = write('rows.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'));
    for (const path of [json, lines]) expect(tableRows((await loadMeasurementTable(path, '/')).table)).toEqual((await loadMeasurements(path, '/')).rows);
  });

  it('names every bad row by line and column, as loadMeasurements does, however far into the file', async () => {
    const text = messyCsv(30_000).split('\r\n');
    text[3] = text[3].replace(/,vLLM 0\.6,on,/, ',vLLM 0.6,maybe,');
    text[20_001] = text[20_001].replace(/^([^,]*),(\d+),/, '$1,-3,');
    const path = write('bad.csv', text.join('\r\n'));
    const fromRows = await loadMeasurements(path, '/').catch((e: unknown) => e);
    const fromTable = await loadMeasurementTable(path, '/').catch((e: unknown) => e);
    expect(fromTable).toBeInstanceOf(SweetspotInputError);
    expect((fromTable as SweetspotInputError).message).toBe((fromRows as SweetspotInputError).message);
    expect((fromTable as SweetspotInputError).issues).toEqual((fromRows as SweetspotInputError).issues);
    expect((fromTable as SweetspotInputError).issues.map((m) => m.split(':').slice(0, 2).join(':'))).toEqual(['line 5: kv_cache', expect.stringMatching(/^line \d+: n_in$/)]);
  });

  it('filters as filterMeasurements does, step by step', async () => {
    const { rows } = await loadMeasurements(dataFile('wilkins_a100_1d_sweeps.csv'), '/');
    const table = tableFromRows(rows);
    const filters: MeasurementFilter[] = [
      {},
      { where: ['system=argonne-swing'], excludeNotes: 'iteration 0|exceeds' },
      { model: 'llama-2-7b', kvCache: false },
      { gpu: 'A100 40GB', engine: 'nothing' },
    ];
    for (const f of filters) {
      const a = filterMeasurements(rows, f);
      const b = filterTable(table, f);
      expect(b.steps).toEqual(a.steps);
      expect(tableRows(b.table)).toEqual(a.rows);
    }
  });
});

describe('calibrate on a table', () => {
  const cases: [string, MeasurementFilter, CalibrateOptions][] = [
    ['wilkins_a100_1d_sweeps.csv', { where: ['system=argonne-swing'], excludeNotes: 'iteration 0' }, { form: sweetspotForm }],
    ['wilkins_a100_1d_sweeps.csv', { where: ['system=argonne-swing'], excludeNotes: 'iteration 0' }, { form: hardwareForm() }],
    ['wilkins_a100_1d_sweeps.csv', { where: ['system=Palmetto Intel+A100'] }, { form: linearForm, prior: 'none' }],
  ];

  it('gives the report the row objects give, and the SHA-256 and noise floor of their plain definitions (public data)', async () => {
    for (const [file, filter, options] of cases) {
      const { rows } = await loadMeasurements(dataFile(file), '/', filter);
      const { table } = await loadMeasurementTable(dataFile(file), '/', filter);
      const fromTable = calibrate(table, options);
      const fromRows = calibrate(rows, options);
      expectSameReport(fromTable, fromRows);
      expect(fromTable.calibration.fittedOn?.sha256).toBe(plainSha256(rows));
      expect(fromTable.noiseFloor.mapePct).toBeCloseTo(plainNoiseFloor(rows) ?? NaN, 12);
    }
  });

  it('gives the report the row objects give on a synthetic file of two models, read across chunks', async () => {
    const filter = { excludeNotes: 'iteration 3' };
    const { rows } = await loadMeasurements(messyPath, '/', filter);
    const { table } = await loadMeasurementTable(messyPath, '/', filter);
    const options: CalibrateOptions = { form: sweetspotForm, prior: 'none' };
    const fromTable = calibrate(table, options);
    expectSameReport(fromTable, calibrate(rows, options));
    expect(Object.keys(fromTable.calibration.models)).toEqual(['llama-2-7b', 'llama-2-13b']);
    expect(fromTable.calibration.fittedOn?.sha256).toBe(plainSha256(rows));
    // The repeats share a configuration (same lengths, same model): the floor is not empty.
    expect(fromTable.noiseFloor.mapePct).toBeCloseTo(plainNoiseFloor(rows)!, 12);
  });

  it('refuses an empty table by name', () => {
    const empty = selectRows(tableFromRows([{ model: 'm', nIn: 1, nOut: 1, energyJ: 1, batchSize: 1, kvCache: true, extra: {} }]), []);
    expect(() => calibrate(empty, { form: sweetspotForm })).toThrow(/calibrate\(rows\): no rows left to use/);
  });
});

describe('tables', () => {
  const rows: Measurement[] = [
    { model: 'a', nIn: 1, nOut: 2, energyJ: 3, batchSize: 1, kvCache: true, gpu: 'g', extra: { site: 'x' }, line: 2 },
    { model: 'b', nIn: 4, nOut: 5, energyJ: 6, batchSize: 2, kvCache: false, latencyS: 0, repeats: 3, notes: '', extra: {} },
    { model: 'a', nIn: 7, nOut: 8, energyJ: 9, batchSize: 1, kvCache: true, engine: 'e', extra: { other: 'y' }, line: 4 },
  ];

  it('hold rows as columns and give them back as they were (absent fields absent)', () => {
    const t = tableFromRows(rows);
    expect(tableRows(t)).toStrictEqual(rows);
    expect(t.model).toEqual({ texts: ['a', 'b'], codes: Int32Array.of(0, 1, 0) });
    expect(Array.from(t.latencyS)).toEqual([NaN, 0, NaN]);
    expect(usedTexts(t.gpu)).toEqual(['g', undefined]);
  });

  it('select rows by index, keeping the texts, and say which texts the rows still use', () => {
    const t = selectRows(tableFromRows(rows), [2, 0]);
    expect(tableRow(t, 0)).toStrictEqual(rows[2]);
    expect(tableRow(t, 1)).toStrictEqual(rows[0]);
    expect(usedTexts(t.model)).toEqual(['a']);
    expect(t.model.texts).toEqual(['a', 'b']);
  });
});
