import { SweetspotInputError, checkString } from '../../errors.js';
import { MEASUREMENT_LIMITS } from './limits.js';
import { checkFunction } from '../../arguments.js';

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
 * and newlines, LF, CRLF or CR line ends, an optional UTF-8 BOM. Blank lines are skipped. Each record
 * keeps the line it starts on, so that errors can name it. Field counts are not checked here (the
 * caller reports a short or long row with its line).
 *
 * @throws {SweetspotInputError} on an unterminated quote, a quote inside an unquoted field, or a
 * record longer than `MEASUREMENT_LIMITS.recordChars`.
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
  checkString('eachCsvRecord(text)', text);
  checkString('eachCsvRecord(text, source)', source);
  checkFunction('eachCsvRecord(text, source, visit)', visit);
  const records = new CsvRecords(source, visit);
  records.push(text);
  records.end();
}

/**
 * CSV records parsed from text that arrives in pieces (a file read a chunk at a time), as
 * {@link eachCsvRecord} parses it whole: `push` each piece, then `end`. Only the unfinished last
 * record of a piece is held until the next one; the file is never one string.
 *
 * @example
 * const r = new CsvRecords('x.csv', (line, fields) => console.log(line, fields));
 * r.push('a,b\n1,');
 * r.push('2\n');
 * r.end(); // 1 ['a', 'b'], then 2 ['1', '2']
 */
export class CsvRecords {
  private carry = '';
  private line = 1;
  private started = false;

  constructor(
    private readonly source: string,
    private readonly visit: (line: number, fields: string[]) => void,
  ) {}

  /** Parses the records that `text` completes; the text after its last line end waits for more. */
  push(text: string): void {
    let s = this.carry + text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    // A CR last in the text may be the first half of a CRLF: it waits for the next piece.
    // (lastIndexOf reads a negative start as 0: a text that is only a CR has no line end yet.)
    const end = Math.max(s.lastIndexOf('\n'), s.length < 2 ? -1 : s.lastIndexOf('\r', s.length - 2)) + 1;
    this.carry = end === 0 ? s : s.slice(this.parse(s, end, false));
    // What waits is one unfinished record: bounded, so that it is never re-read without end.
    if (this.carry.length > MEASUREMENT_LIMITS.recordChars) this.tooLong(this.line);
  }

  private tooLong(line: number): never {
    throw new SweetspotInputError(`${this.source}: line ${line}: a record of more than ${MEASUREMENT_LIMITS.recordChars} characters (the limit; is a quote left open?)`);
  }

  /** Parses what is left: the last record needs no newline. */
  end(): void {
    const s = this.carry;
    this.carry = '';
    this.parse(s, s.length, true);
  }

  /**
   * Visits the records of `s` before `n`, and returns where the unvisited rest starts: a record
   * whose quoted field runs past `n` waits for more text unless this is the end (`final`).
   */
  private parse(s: string, n: number, final: boolean): number {
    const { source } = this;
    let line = this.line;
    let i = 0;
    while (i < n) {
      const startLine = line;
      const start = i;
      const fields: string[] = [];
      let blank = true;
      // One record: fields separated by commas, ended by a newline or the end of the text.
      for (;;) {
        let value = '';
        if (s.charCodeAt(i) === QUOTE) {
          blank = false;
          const quoteLine = line;
          i++;
          // The text between quotes is taken in slices, not a character at a time.
          let from = i;
          for (;;) {
            if (i - start > MEASUREMENT_LIMITS.recordChars) this.tooLong(startLine);
            if (i >= n) {
              if (final) throw new SweetspotInputError(`${source}: line ${quoteLine}: unterminated quoted field`);
              this.line = startLine;
              return start;
            }
            const c = s.charCodeAt(i);
            if (c === QUOTE) {
              value += s.slice(from, i);
              if (s.charCodeAt(i + 1) === QUOTE) {
                value += '"';
                i += 2;
                from = i;
                continue;
              }
              i++;
              break;
            }
            if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) line++;
            i++;
          }
          if (i < n && s.charCodeAt(i) !== COMMA && s.charCodeAt(i) !== LF && s.charCodeAt(i) !== CR) {
            throw new SweetspotInputError(`${source}: line ${line}: characters after a closing quote`);
          }
        } else {
          const from = i;
          for (; i < n; i++) {
            const c = s.charCodeAt(i);
            if (c === COMMA || c === LF || c === CR) break;
            if (i - start > MEASUREMENT_LIMITS.recordChars) this.tooLong(startLine);
            if (c === QUOTE) throw new SweetspotInputError(`${source}: line ${line}: quote inside an unquoted field`);
          }
          value = s.slice(from, i);
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
      // LF, CRLF or a lone CR (old Mac files) ends the record.
      if (s.charCodeAt(i) === CR) {
        i++;
        if (s.charCodeAt(i) === LF) i++;
        line++;
      } else if (s.charCodeAt(i) === LF) {
        i++;
        line++;
      }
      if (i - start > MEASUREMENT_LIMITS.recordChars) this.tooLong(startLine);
      if (!blank) this.visit(startLine, fields);
    }
    this.line = line;
    return n;
  }
}
