import { describe, expect, it } from 'vitest';
import { tableLines } from '../../src/cli/table.js';

describe('tableLines', () => {
  it('gives the example of its doc comment', () => {
    expect(tableLines([{ header: 'phase' }, { header: 'GB', align: 'right' }], [['prefill', '1.5'], ['decode', '12.25']])).toEqual([
      'phase       GB',
      'prefill    1.5',
      'decode   12.25',
    ]);
  });

  it('pads each column to its widest cell or header, text left and numbers right, two spaces apart', () => {
    const lines = tableLines(
      [{ header: 'id' }, { header: 'n', align: 'right' }, { header: 'note' }],
      [
        ['a', '1000', 'x'],
        ['longer-id', '7', ''],
      ],
    );
    // Written out by hand: widths 9, 4, 4.
    expect(lines).toEqual(['id            n  note', 'a          1000  x   ', 'longer-id     7      ']);
  });

  it('trims the ends of lines only when asked', () => {
    const lines = tableLines([{ header: 'id' }, { header: 'note' }], [['a', 'x'], ['b', '']], { trimEnd: true });
    expect(lines).toEqual(['id  note', 'a   x', 'b']);
  });

  it('keeps a fixed width even when a cell is longer, and leaves a width-0 column unpadded', () => {
    const lines = tableLines([{ width: 4 }, { align: 'right', width: 3, gap: ' ' }, { width: 0, gap: ' | ' }], [
      ['ab', '1', 'free text'],
      ['abcdef', '12345', 'z'],
    ]);
    expect(lines).toEqual(['ab     1 | free text', 'abcdef 12345 | z']);
  });

  it('writes no header row when no column has one, or when told not to', () => {
    expect(tableLines([{}, {}], [['a', 'b']])).toEqual(['a  b']);
    // Without a header row, the headers do not widen the columns.
    expect(tableLines([{ header: 'long header' }, { header: 'h' }], [['a', 'b']], { header: false })).toEqual(['a  b']);
  });

  it('indents every line and writes only the cells a short row has', () => {
    const lines = tableLines([{ header: 'p', width: 3 }, { header: 'v', align: 'right', width: 4, gap: ' ' }, { header: 'why', width: 0, gap: ' ' }], [['x', '1.5'], ['y', '2', 'data']], { indent: '  ' });
    expect(lines).toEqual(['  p      v why', '  x    1.5', '  y      2 data']);
  });

  it('is the header alone for no rows', () => {
    expect(tableLines([{ header: 'id' }, { header: 'value', align: 'right' }], [])).toEqual(['id  value']);
  });
});
