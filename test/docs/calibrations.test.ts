import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCalibrations } from '../../src/energy/calibration/shelf.js';
import { ROOT } from '../data-files.js';

// docs/calibrations.md tabulates the shelf by hand; `npm run calibrations` rewrites the shelf's
// documents, not the page. Each line of the table is held to its entry: rows, in-sample MAPE and
// every cross-validated MAPE, in the entry's order, at the one decimal the page prints.

/** The rows of the page's shelf table, as trimmed cells. */
function shelfTable(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| name | GPU, engine, regime |'));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

const percents = (cell: string) => [...cell.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => m[1]);
const oneDecimal = (x: number) => x.toFixed(1);

describe('docs/calibrations.md', () => {
  const table = shelfTable(readFileSync(join(ROOT, 'docs/calibrations.md'), 'utf8'));

  it('reads the table (self-check)', () => {
    expect(table.length).toBeGreaterThan(5);
    expect(percents('leave-one-engine-out (= leave-one-source-out) 11.2%; leave-one-model-out 7.9%')).toEqual(['11.2', '7.9']);
  });

  it('lists every shelf entry once, in the shelf order, with its rows and errors', () => {
    const shelf = listCalibrations();
    expect(table.map((r) => /^`([^`]+)`/.exec(r[0]!)![1])).toEqual(shelf.map((s) => s.name));
    for (const [k, s] of shelf.entries()) {
      const [name, , rows, mape, cv] = table[k]!;
      expect(name!.includes('(default)'), s.name).toBe(s.isDefault);
      expect([s.name, Number(rows)]).toEqual([s.name, s.rows]);
      expect([s.name, mape]).toEqual([s.name, s.fitted ? `${oneDecimal(s.mape!)}%` : '—']);
      expect([s.name, percents(cv!)]).toEqual([s.name, s.crossValidation.map((c) => oneDecimal(c.mape))]);
    }
  });
});
