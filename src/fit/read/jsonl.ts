import { SweetspotInputError } from '../../errors.js';
import { jsonErrorText, stripBom } from '../../text-input.js';

/**
 * Reads JSON Lines text (one JSON object per line, blank lines skipped) into its elements and the
 * 1-based line of each, so that a measurement file written one object per line is read as such
 * rather than taken for CSV. A single object spread over several lines is named for what it is.
 *
 * @throws {SweetspotInputError} naming the line that is not valid JSON.
 * @example
 * readJsonLines('{"a": 1}\n\n{"a": 2}\n', 'm.jsonl') // { data: [{ a: 1 }, { a: 2 }], lines: [1, 3] }
 */
export function readJsonLines(text: string, source: string): { data: unknown[]; lines: number[] } {
  const body = stripBom(text);
  const data: unknown[] = [];
  const lines: number[] = [];
  // Line by line without split: a file of 2²⁸ blank lines would make an array of 2²⁸ strings.
  for (let k = 0, from = 0; from <= body.length; k++) {
    const end = body.indexOf('\n', from);
    const to = end < 0 ? body.length : end;
    const line = body.slice(from, to).trim();
    from = to + 1;
    if (line === '') continue;
    try {
      data.push(JSON.parse(line));
    } catch (error) {
      const whole = stripBom(text).trim();
      if (data.length === 0 && whole.endsWith('}')) {
        let one: unknown;
        try {
          one = JSON.parse(whole);
        } catch {
          one = undefined;
        }
        if (one !== undefined) throw new SweetspotInputError(`${source}: a single JSON object; measurements are an array of objects ([{…}, {…}]) or JSON Lines (one object per line)`);
      }
      throw new SweetspotInputError(`${source}: line ${k + 1}: not valid JSON Lines (one object per line): ${jsonErrorText(line, error as Error)}`);
    }
    lines.push(k + 1);
  }
  return { data, lines };
}
