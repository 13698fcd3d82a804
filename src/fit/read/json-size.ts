import { SweetspotInputError } from '../../errors.js';
import { tooManyRows } from './limits.js';

/**
 * Refuses JSON or JSON Lines measurement text whose parse alone would exhaust the memory, in one
 * pass over its characters before `JSON.parse` sees it (docs/fitting.md#limits-on-untrusted-input).
 * `JSON.parse` holds every value at once, before any row is counted: 64 MB of `[{},{},…]` took
 * 19 s and 2.9 GB, and the 256 MiB a measurement file may have did not finish in 5 minutes. A
 * measurement file is an array of flat objects, one a row, so it never holds more than `maxRows`
 * rows and `maxRows + 1` objects and arrays; beyond them the file is refused as too many rows.
 *
 * @throws {SweetspotInputError} for more than `maxRows` elements of the top-level array or lines of
 *   JSON Lines, or more than `maxRows + 1` objects and arrays at any depth.
 * @example
 * checkJsonSize('[{"model": "m"}]', 'json', 'rows.json', 5_000_000) // passes
 * checkJsonSize('[{},{},{}]', 'json', 'rows.json', 2) // throws: more than 2 rows
 */
export function checkJsonSize(text: string, format: 'json' | 'json-lines', source: string, maxRows: number): void {
  let containers = 0;
  let elements = 0;
  let depth = 0;
  let inString = false;
  // JSON: whether the top-level value is an array, whose commas at depth 1 separate rows.
  let topArray = false;
  // JSON Lines: whether the current line holds anything but white space (it is then a row).
  let lineUsed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      else if (c === NEWLINE) {
        // JSON strings hold no raw newline: the parse will name the line; the count goes on.
        inString = false;
        lineUsed = false;
      }
      continue;
    }
    if (c === NEWLINE) {
      lineUsed = false;
      continue;
    }
    if (c === SPACE || c === TAB || c === RETURN) continue;
    if (format === 'json-lines' && !lineUsed) {
      lineUsed = true;
      if (++elements > maxRows) throw tooManyRows(source, maxRows);
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++containers > maxRows + 1) throw tooManyContainers(source, maxRows);
      if (++depth === 1 && containers === 1) topArray = c === OPEN_BRACKET;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    // n commas separate n + 1 elements.
    else if (c === COMMA && depth === 1 && topArray && format === 'json' && ++elements >= maxRows) throw tooManyRows(source, maxRows);
  }
}

function tooManyContainers(source: string, maxRows: number): SweetspotInputError {
  return new SweetspotInputError(
    `${source}: more than ${maxRows + 1} JSON objects and arrays, more than a file of ${maxRows} rows holds (MEASUREMENT_LIMITS.rows, one flat object a row); JSON.parse would hold them all at once: read a file this large as CSV with loadMeasurementTable`,
  );
}

const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
