import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/fit/read/csv.js';
import { MEASUREMENT_COLUMNS } from '../../src/fit/data/measurement.js';
import {
  CAMPAIGN_COLUMNS,
  CampaignCsvWriter,
  completionsUrl,
  formatDurationS,
  formatProgress,
  promptTokenIds,
  readCampaignFile,
  remainingPoints,
} from '../../src/nvml/index.js';

describe('remainingPoints', () => {
  it('lists the grid with repeats innermost and skips what is done', () => {
    expect(remainingPoints([64, 256], [8], 2, new Map([['64x8', 1]]))).toEqual([
      { nIn: 64, nOut: 8, repeat: 2 },
      { nIn: 256, nOut: 8, repeat: 1 },
      { nIn: 256, nOut: 8, repeat: 2 },
    ]);
    expect(remainingPoints([1], [1], 1, new Map([['1x1', 5]]))).toEqual([]);
    expect(remainingPoints([4, 4], [2], 1)).toHaveLength(1);
  });
  it('rejects bad lengths and repeats naming them', () => {
    expect(() => remainingPoints([0], [1], 1)).toThrow('nIn must hold integers from 1 to 4194304 (CAMPAIGN_LIMITS.lengthTokens), got 0');
    expect(() => remainingPoints([1], [], 1)).toThrow('nOut must list at least one length');
    expect(() => remainingPoints([1], [1], 0)).toThrow('repeats must be an integer ≥ 1');
  });
});

describe('promptTokenIds', () => {
  it('has exactly n ids in range, deterministic per seed and different across seeds', () => {
    const a = promptTokenIds(1000, 42);
    expect(a).toHaveLength(1000);
    expect(a.every((id) => Number.isInteger(id) && id >= 1000 && id < 20000)).toBe(true);
    expect(promptTokenIds(1000, 42)).toEqual(a);
    expect(promptTokenIds(1000, 43)).not.toEqual(a);
    expect(promptTokenIds(3, 1, [5, 6])).toEqual([5, 5, 5]);
    expect(() => promptTokenIds(0, 1)).toThrow('prompt length');
  });
});

describe('completionsUrl', () => {
  it('accepts a base URL, the /v1 root or the full path', () => {
    expect(completionsUrl('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000/v1/completions');
    expect(completionsUrl('http://127.0.0.1:8000/v1/')).toBe('http://127.0.0.1:8000/v1/completions');
    expect(completionsUrl('https://h/x/v1/completions')).toBe('https://h/x/v1/completions');
    expect(() => completionsUrl('localhost:8000', '--endpoint')).toThrow("--endpoint must be an http(s) URL, got 'localhost:8000'");
    expect(() => completionsUrl('not a url', '--endpoint')).toThrow('--endpoint must be an http(s) URL');
  });
});

describe('campaign CSV', () => {
  it('starts with the measurement schema columns, in order', () => {
    expect(CAMPAIGN_COLUMNS.slice(0, MEASUREMENT_COLUMNS.length)).toEqual([...MEASUREMENT_COLUMNS]);
  });

  it('quotes cells and reads them back, counting done rows per model', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'csv-')), 'c.csv');
    const w = new CampaignCsvWriter(path);
    w.append({ model: 'm', n_in: 8, n_out: 4, energy_j: 1.5, notes: 'a, "b"\nc' });
    w.append({ model: 'm', n_in: 8, n_out: 4, energy_j: 2 });
    w.append({ model: 'other', n_in: 8, n_out: 4, energy_j: 2 });
    w.close();
    const { header, records } = parseCsv(readFileSync(path, 'utf8'));
    expect(header).toEqual([...CAMPAIGN_COLUMNS]);
    expect(records[0].fields[CAMPAIGN_COLUMNS.indexOf('notes')]).toBe('a, "b"\nc');
    const state = readCampaignFile(path, 'm');
    expect(state.done).toEqual(new Map([['8x4', 2]]));
    expect(state.rows).toBe(3);
    // A second writer on the same file appends without a second header.
    new CampaignCsvWriter(path).close();
    expect(parseCsv(readFileSync(path, 'utf8')).records).toHaveLength(3);
  });

  it('cuts off a half-written last row', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'csv-')), 'c.csv');
    const full = `${CAMPAIGN_COLUMNS.join(',')}\nm,8,4,1.5${','.repeat(CAMPAIGN_COLUMNS.length - 4)}\n`;
    writeFileSync(path, `${full}m,8,4,2.`);
    const state = readCampaignFile(path, 'm');
    expect(state.truncatedPartialRow).toBe(true);
    expect(state.done.get('8x4')).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe(full);
  });

  it('refuses a file with other columns', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'csv-')), 'c.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    expect(() => readCampaignFile(path, 'm')).toThrow('not those of a sweetspot campaign');
  });

  it('refuses a file with other columns without cutting its unterminated last line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'csv-')), 'c.csv');
    const foreign = 'model,n_in,n_out,energy_j\nm,8,4,1.5\nm,16,4,2.5';
    writeFileSync(path, foreign);
    expect(() => readCampaignFile(path, 'm')).toThrow('not those of a sweetspot campaign (model,n_in,n_out,energy_j…)');
    expect(readFileSync(path, 'utf8')).toBe(foreign);
  });

  it('treats a header cut short by a crash as an empty file, and a one-line foreign file as foreign', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    const torn = join(dir, 'torn.csv');
    writeFileSync(torn, CAMPAIGN_COLUMNS.join(',').slice(0, 20));
    expect(readCampaignFile(torn, 'm')).toEqual({ done: new Map(), rows: 0, truncatedPartialRow: true });
    expect(readFileSync(torn, 'utf8')).toBe('');
    const oneLine = join(dir, 'one.csv');
    writeFileSync(oneLine, 'x,y,z');
    expect(() => readCampaignFile(oneLine, 'm')).toThrow('not those of a sweetspot campaign');
    expect(readFileSync(oneLine, 'utf8')).toBe('x,y,z');
  });
});

describe('progress line', () => {
  it('shows done/total, the point, energy and ETA', () => {
    const line = formatProgress({
      done: 12,
      total: 48,
      point: { nIn: 256, nOut: 64, repeat: 2 },
      energyJ: 41.27,
      latencyS: 1.917,
      elapsedS: 30,
      etaS: 70,
      usageOk: false,
    });
    expect(line).toBe('[12/48] 25% n_in=256 n_out=64 #2  41.27 J  1.92 s  ETA 1m10s  (usage mismatch)');
    expect(formatDurationS(3725)).toBe('1h02m');
    expect(formatDurationS(NaN)).toBe('?');
  });
});
