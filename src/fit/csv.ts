import { SweetspotInputError } from '../errors.js';

/** One CSV record: its fields and the 1-based line of the file where it starts. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A parsed CSV file: the header row and every data record after it. */
export interface CsvTable {
  readonly header: string[];
  /** 1-based line of the header row (after any blank lines that precede it). */
  readonly headerLine: number;
  readonly records: CsvRecord[];
}

/**
 * Parses CSV text (RFC 4180): a header row, `"`-quoted fields that may hold commas, doubled quotes
 * and newlines, LF or CRLF line ends, an optional UTF-8 BOM. Blank lines are skipped. Each record
 * keeps the line it starts on, so that errors can name it. Field counts are not checked here (the
 * caller reports a short or long row with its line).
 *
 * @throws {SweetspotInputError} on an unterminated quote or a quote inside an unquoted field.
 * @example
 * const t = parseCsv('model,n_in\r\n"a,b",3\r\n');
 * t.header // ['model', 'n_in']
 * t.records[0] // { line: 2, fields: ['a,b', '3'] }
 * t.headerLine // 1
 */
export function parseCsv(text: string, source = 'csv'): CsvTable {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let blank = true;
    // One record: fields separated by commas, ended by a newline or the end of the text.
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        blank = false;
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new SweetspotInputError(`${source}: line ${quoteLine}: unterminated quoted field`);
          const c = s[i];
          if (c === '"') {
            if (s[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        if (i < n && s[i] !== ',' && s[i] !== '\n' && !(s[i] === '\r' && s[i + 1] === '\n')) {
          throw new SweetspotInputError(`${source}: line ${line}: characters after a closing quote`);
        }
      } else {
        const start = i;
        while (i < n && s[i] !== ',' && s[i] !== '\n' && !(s[i] === '\r' && s[i + 1] === '\n')) {
          if (s[i] === '"') throw new SweetspotInputError(`${source}: line ${line}: quote inside an unquoted field`);
          i++;
        }
        value = s.slice(start, i);
        if (value.length > 0) blank = false;
      }
      fields.push(value);
      if (i < n && s[i] === ',') {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    if (s[i] === '\r') i++;
    if (s[i] === '\n') {
      i++;
      line++;
    }
    if (!blank) rows.push({ line: startLine, fields });
  }
  if (rows.length === 0) throw new SweetspotInputError(`${source}: empty file (a header row is required)`);
  const [head, ...records] = rows;
  return { header: head.fields.map((h) => h.trim()), headerLine: head.line, records };
}
