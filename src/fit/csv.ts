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
  const rows: CsvRecord[] = [];
  eachCsvRecord(text, source, (line, fields) => void rows.push({ line, fields }));
  if (rows.length === 0) throw new SweetspotInputError(`${source}: empty file (a header row is required)`);
  const [head, ...records] = rows;
  return { header: head.fields.map((h) => h.trim()), headerLine: head.line, records };
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * The records of CSV text one at a time, as {@link parseCsv} reads them (the header is the first
 * record): `visit(line, fields)` is called per non-blank record, so that a reader holds one
 * record at a time instead of the whole table. `fields` is fresh for every call.
 *
 * @throws {SweetspotInputError} on an unterminated quote or a quote inside an unquoted field.
 * @example
 * eachCsvRecord('a,b\n1,2\n', 'x.csv', (line, fields) => console.log(line, fields)); // 1 ['a', 'b'], then 2 ['1', '2']
 */
export function eachCsvRecord(text: string, source: string, visit: (line: number, fields: string[]) => void): void {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
      if (s.charCodeAt(i) === QUOTE) {
        blank = false;
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new SweetspotInputError(`${source}: line ${quoteLine}: unterminated quoted field`);
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            if (s.charCodeAt(i + 1) === QUOTE) {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === LF) line++;
          value += s[i];
          i++;
        }
        if (i < n && s.charCodeAt(i) !== COMMA && s.charCodeAt(i) !== LF && !(s.charCodeAt(i) === CR && s.charCodeAt(i + 1) === LF)) {
          throw new SweetspotInputError(`${source}: line ${line}: characters after a closing quote`);
        }
      } else {
        const start = i;
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c === COMMA || c === LF || (c === CR && s.charCodeAt(i + 1) === LF)) break;
          if (c === QUOTE) throw new SweetspotInputError(`${source}: line ${line}: quote inside an unquoted field`);
        }
        value = s.slice(start, i);
        if (value.length > 0) blank = false;
      }
      fields.push(value);
      if (i < n && s.charCodeAt(i) === COMMA) {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    if (s.charCodeAt(i) === CR) i++;
    if (s.charCodeAt(i) === LF) {
      i++;
      line++;
    }
    if (!blank) visit(startLine, fields);
  }
}
