import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/fit/read/csv.js';
import { SweetspotInputError } from '../../../src/errors.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, and keeps the starting line', () => {
    const t = parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,2,3\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.records).toEqual([
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 4, fields: ['plain', '2', '3'] },
    ]);
  });

  it('accepts CRLF line ends and a UTF-8 BOM', () => {
    const t = parseCsv('\uFEFFmodel,n_in\r\nm,3\r\n"q\r\nr",4\r\n');
    expect(t.header).toEqual(['model', 'n_in']);
    expect(t.records).toEqual([
      { line: 2, fields: ['m', '3'] },
      { line: 3, fields: ['q\r\nr', '4'] },
    ]);
  });

  it('skips blank lines but counts them, and reads a last line without a newline', () => {
    const t = parseCsv('a,b\n\n1,2\n\n3,4');
    expect(t.records.map((r) => r.line)).toEqual([3, 5]);
    expect(t.records[1].fields).toEqual(['3', '4']);
  });

  it('keeps empty fields', () => {
    expect(parseCsv('a,b,c\n,,\n').records[0].fields).toEqual(['', '', '']);
  });

  it('reports an unterminated quote with the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', 'f.csv')).toThrow(/f\.csv: line 2: unterminated quoted field/);
  });

  it('reports a stray quote inside an unquoted field, and text after a closing quote', () => {
    expect(() => parseCsv('a\nab"c\n')).toThrow(SweetspotInputError);
    expect(() => parseCsv('a\n"ab"c\n')).toThrow(/line 2: characters after a closing quote/);
  });

  it('refuses an empty file', () => {
    expect(() => parseCsv('\n\n')).toThrow(/empty file/);
  });
});
