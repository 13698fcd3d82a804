import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterMeasurements, filterTable } from '../../../src/fit/data/filter.js';
import { tableFromRows } from '../../../src/fit/data/table.js';
import { loadMeasurementTable, loadMeasurements } from '../../../src/fit/read/load.js';
import { readMeasurements } from '../../../src/fit/read/read.js';
import { inputError, tempDir } from '../../adversarial/helpers.js';

const CSV = 'model,n_in,n_out,energy_j\nm,1,1,1\n';

// JavaScript callers pass anything: each wrong argument is named, never a TypeError, never written into rows.
describe('arguments of the measurement readers and filters', () => {
  it('refuses text that is not a string (TypeError: text.replace is not a function)', async () => {
    await inputError(() => readMeasurements(Buffer.from(CSV) as unknown as string), ['readMeasurements(text): text is required, got bytes (a Buffer or Uint8Array) (decode it first']);
    await inputError(() => readMeasurements(undefined as unknown as string), ['readMeasurements(text): text is required, got undefined']);
  });

  it("refuses defaults of the wrong kind (kvCache: 'no' was written into every row, and the table read it as the KV-cache regime)", async () => {
    await inputError(() => readMeasurements(CSV, { defaults: { kvCache: 'no' as unknown as boolean } }), ['readMeasurements(text, options).defaults.kvCache: true or false is required, got a string (no)']);
    await inputError(() => readMeasurements(CSV, { defaults: { gpu: 5 as unknown as string } }), ['defaults.gpu: text is required, got a number (5)']);
    await inputError(() => readMeasurements(CSV, { defaults: { batchSize: 1.5 } }), ['defaults.batchSize: an integer ≥ 1 is required, got a number (1.5)']);
    await inputError(() => readMeasurements(CSV, { defaults: { kv_cache: false } as never }), ['readMeasurements(text, options).defaults: unknown key "kv_cache" (did you mean kvCache?); known: kvCache, batchSize, gpu, engine']);
    // Right kinds still default the rows.
    expect(readMeasurements(CSV, { defaults: { kvCache: false, gpu: 'H100' } }).rows[0]).toMatchObject({ kvCache: false, gpu: 'H100' });
  });

  it('refuses a misspelt option by name with the nearest known one (formt was ignored and the format guessed)', async () => {
    await inputError(() => readMeasurements(CSV, { formt: 'json' } as never), ['readMeasurements(text, options): unknown key "formt" (did you mean format?); known: source, format, defaults']);
    // A key given as undefined carries nothing and passes, as for every other option.
    expect(readMeasurements(CSV, { formt: undefined } as never).rows).toHaveLength(1);
  });

  it("refuses an unknown format (it was read as JSON: 'not valid JSON')", async () => {
    await inputError(() => readMeasurements(CSV, { format: 'xml' as never }), ["readMeasurements(text, options).format: 'csv', 'json' or 'json-lines' is required, got a string (xml)"]);
  });

  it("refuses filters of the wrong kind (where: 'a=b' was read a character at a time; kvCache: 'no' dropped every row)", async () => {
    const rows = readMeasurements(CSV).rows;
    await inputError(() => filterMeasurements(rows, { where: 'a=b' as unknown as string[] }), ['filterMeasurements(rows, filter).where: an array of texts is required, got a string (a=b)']);
    await inputError(() => filterTable(tableFromRows(rows), { kvCache: 'no' as unknown as boolean }), ['filterTable(table, filter).kvCache: true or false is required, got a string (no)']);
    await inputError(() => filterMeasurements(rows, { exclude_notes: 'x' } as never), ['filterMeasurements(rows, filter): unknown key "exclude_notes" (did you mean excludeNotes?); known: model, gpu, engine, kvCache, where, excludeNotes']);
    await inputError(() => filterMeasurements(rows, null as never), ['filterMeasurements(rows, filter): an object is required, got null']);
    expect(filterMeasurements(rows, { kvCache: true, where: ['n_in=1'] }).rows).toHaveLength(1);
  });

  it('refuses a path that is not text (TypeError from node:path) and bad filters or defaults of the loaders', async () => {
    const dir = tempDir('arguments-');
    writeFileSync(join(dir, 'm.csv'), CSV);
    for (const [name, load] of [['loadMeasurements', loadMeasurements], ['loadMeasurementTable', loadMeasurementTable]] as const) {
      await inputError(load(undefined as unknown as string, dir), [`${name}(path, cwd): path must be a non-empty text, got undefined`]);
      await inputError(load('m.csv', 3 as unknown as string), [`${name}(path, cwd): cwd must be a directory path as text, got number`]);
      await inputError(load('m.csv', dir, { kvCache: 'off' as unknown as boolean }), [`${name}(path, cwd, filter).kvCache: true or false is required`]);
      await inputError(load('m.csv', dir, {}, { batchSize: 0 }), [`${name}(path, cwd, filter, defaults).batchSize: an integer ≥ 1 is required, got a number (0)`]);
      expect((await load('m.csv', dir, { kvCache: true })).read).toBe(1);
    }
  });
});
