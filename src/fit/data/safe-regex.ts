import { SweetspotInputError } from '../../errors.js';

/**
 * Limits of the regular expressions users give (`--exclude-notes`, `excludeNotes`): JavaScript's
 * engine backtracks, and a pattern such as `^(a+)+$` takes time exponential in the length of the
 * text it fails on. {@link checkSafeRegex} admits a subset whose matching time is at most
 * polynomial of low degree (docs/fitting.md#limits-on-untrusted-input):
 * - no backreferences (`\1`, `\k<name>`) and no lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`);
 * - star height 1: a repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) may not apply to
 *   a group that holds a quantifier or an alternation (`(a+)+`, `(a|aa)*`, `(\s*x)*` are refused);
 * - at most `maxUnbounded` (2) unbounded quantifiers in all (`.*x.*` is fine);
 * - at most `maxChars` (256) characters.
 *
 * @example
 * SAFE_REGEX_LIMITS.maxUnbounded // 2
 */
export const SAFE_REGEX_LIMITS = Object.freeze({ maxChars: 256, maxUnbounded: 2 });

interface Group {
  quantified: boolean;
  alternation: boolean;
}

/**
 * Refuses a regular expression outside the safe subset of {@link SAFE_REGEX_LIMITS}, naming the
 * option and the character; one linear pass over the pattern, which is never run to find out.
 *
 * @throws {SweetspotInputError} `${what}: …` saying which rule the pattern breaks.
 * @example
 * checkSafeRegex('iteration 0|cold', '--exclude-notes') // passes
 * checkSafeRegex('^(a+)+$', '--exclude-notes') // throws: a repeated group holds a quantifier
 */
export function checkSafeRegex(source: string, what: string): void {
  const fail = (message: string): never => {
    throw new SweetspotInputError(`${what}: the regular expression is refused: ${message} (patterns that could backtrack catastrophically are not run)`);
  };
  if (source.length > SAFE_REGEX_LIMITS.maxChars) fail(`${source.length} characters, more than ${SAFE_REGEX_LIMITS.maxChars}`);
  const stack: Group[] = [{ quantified: false, alternation: false }];
  // What the next quantifier applies to: a group (with what it holds) or a single atom.
  let previous: Group | 'atom' | undefined;
  let unbounded = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) fail(`backreference at character ${i + 1}`);
      // \u{…}, \x.., \p{…} are single atoms: skip their braces so they are not read as quantifiers.
      if ((next === 'u' || next === 'p' || next === 'P') && source[i + 2] === '{') i = Math.max(i + 1, source.indexOf('}', i + 2));
      else i++;
      previous = 'atom';
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j;
      previous = 'atom';
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?=', i) || source.startsWith('(?!', i) || source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) fail(`lookaround at character ${i + 1}`);
      stack.push({ quantified: false, alternation: false });
      previous = undefined;
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : top;
      const parent = stack[stack.length - 1];
      if (group.quantified) parent.quantified = true;
      previous = group;
      continue;
    }
    if (c === '|') {
      top.alternation = true;
      previous = undefined;
      continue;
    }
    let quantifier: { repeats: boolean; unbounded: boolean; length: number } | undefined;
    if (c === '*' || c === '+') quantifier = { repeats: true, unbounded: true, length: 1 };
    else if (c === '?') quantifier = { repeats: false, unbounded: false, length: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (m) {
        const upper = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
        quantifier = { repeats: upper > 1, unbounded: upper === Infinity, length: m[0].length };
      }
    }
    if (quantifier && previous !== undefined) {
      if (quantifier.repeats && previous !== 'atom' && (previous.quantified || previous.alternation)) {
        fail(`a repeated group at character ${i + 1} holds ${previous.quantified ? 'a quantifier' : 'an alternation'} (nested repetition)`);
      }
      if (quantifier.unbounded && ++unbounded > SAFE_REGEX_LIMITS.maxUnbounded) fail(`more than ${SAFE_REGEX_LIMITS.maxUnbounded} unbounded quantifiers (*, +, {n,})`);
      top.quantified = true;
      i += quantifier.length - 1;
      // A lazy or possessive-looking suffix belongs to the quantifier.
      if (source[i + 1] === '?') i++;
      previous = undefined;
      continue;
    }
    previous = 'atom';
  }
}
