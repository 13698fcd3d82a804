import { SweetspotInputError } from '../../errors.js';
import { checkString } from '../../errors.js';

/**
 * Limits of the regular expressions users give (`--exclude-notes`, `excludeNotes`): JavaScript's
 * engine backtracks, and a pattern such as `^(a+)+$` takes time exponential in the length of the
 * text it fails on. {@link checkSafeRegex} admits a subset whose matching time is at most
 * polynomial of low degree (docs/fitting.md#limits-on-untrusted-input):
 * - no backreferences (`\1`, `\k<name>`) and no lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`);
 * - star height 1: a repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) may not apply to
 *   a group that holds, at any depth, a quantifier or an alternation (`(a+)+`, `(a|aa)*`, `((a|aa))+`,
 *   `(\s*x)*` are refused); under the `v` flag a class holding strings (`[\q{a|aa}]`) counts as an
 *   alternation;
 * - at most `maxUnbounded` (2) wide quantifiers in all: unbounded (`*`, `+`, `{n,}`) or with
 *   `wideRange` (16) or more counts to choose from (`{1,3000}` backtracks as `+` does);
 * - the other choices, multiplied, at most `maxBranching` (256): 2 for each `?`, m − n + 1 for
 *   each `{n,m}`, b for a group of b alternatives (`a?a?…a?` 30 times, or `(a|a)(a|a)…`, would
 *   otherwise take 2³⁰ steps); alternatives at the top level are tried one after another and are free;
 * - at most `maxChars` (256) characters.
 * The patterns admitted take at most about branching × (L + 1)^(wide + 1) steps on a text of L
 * characters, where `wide` leaves out a wide quantifier that ends the pattern (see
 * {@link RegexCost}); `maxSteps` bounds that sum over the distinct texts a pattern is run on.
 *
 * @example
 * SAFE_REGEX_LIMITS.maxUnbounded // 2
 */
export const SAFE_REGEX_LIMITS = Object.freeze({ maxChars: 256, maxUnbounded: 2, wideRange: 16, maxBranching: 256, maxSteps: 1e9 });

/** What a pattern admitted by {@link checkSafeRegex} may cost: its wide quantifiers and its other choices. */
export interface RegexCost {
  /**
   * Wide quantifiers (unbounded, or with `wideRange` or more counts) that can be backtracked into:
   * one that ends the pattern at the top level, with at most one required repeat and no top-level
   * alternation, is left out, since reaching it is a match.
   */
  readonly wide: number;
  /** The other choices, multiplied. */
  readonly branching: number;
}

/**
 * The most steps a pattern of `cost` may take on a text of `length` characters (every start
 * position, every choice): branching × (length + 1)^(wide + 1).
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per value a filter matches, on a cost `checkSafeRegex` made. It checks
 * nothing; junk fails inside it.
 * @example
 * regexSteps({ wide: 2, branching: 1 }, 9) // 1000
 */
export function regexSteps(cost: RegexCost, length: number): number {
  return cost.branching * (length + 1) ** (cost.wide + 1);
}

// A `{n}`, `{n,}` or `{n,m}` quantifier where `lastIndex` points.
const COUNT = /\{(\d+)(,(\d*))?\}/y;

interface Group {
  quantified: boolean;
  alternation: boolean;
  /** Alternatives so far (1 + the `|` at this level). */
  branches: number;
}

/**
 * Refuses a regular expression outside the safe subset of {@link SAFE_REGEX_LIMITS}, naming the
 * option and the character; one linear pass over the pattern, which is never run to find out.
 * Returns what the pattern may cost (see {@link regexSteps}). `flags` are the RegExp's (`v` reads
 * classes nested).
 *
 * @throws {SweetspotInputError} `${what}: …` saying which rule the pattern breaks.
 * @example
 * checkSafeRegex('iteration 0|cold', '--exclude-notes') // { wide: 0, branching: 1 }
 * checkSafeRegex('^(a+)+$', '--exclude-notes') // throws: a repeated group holds a quantifier
 */
export function checkSafeRegex(source: string, what: string, flags = ''): RegexCost {
  checkString('checkSafeRegex(source)', source);
  checkString('checkSafeRegex(source, what)', what);
  checkString('checkSafeRegex(source, what, flags)', flags);
  const fail = (message: string): never => {
    throw new SweetspotInputError(`${what}: the regular expression is refused: ${message} (patterns that could backtrack catastrophically are not run)`);
  };
  if (source.length > SAFE_REGEX_LIMITS.maxChars) fail(`${source.length} characters, more than ${SAFE_REGEX_LIMITS.maxChars}`);
  const stack: Group[] = [{ quantified: false, alternation: false, branches: 1 }];
  let branching = 1;
  const choose = (options: number) => {
    branching *= options;
    if (branching > SAFE_REGEX_LIMITS.maxBranching) fail(`its choices (each ?, {n,m}, and alternatives in a group) multiply to more than ${SAFE_REGEX_LIMITS.maxBranching}`);
  };
  // What the next quantifier applies to: a group (with what it holds) or a single atom.
  let previous: Group | 'atom' | undefined;
  let unbounded = 0;
  // Where the last wide quantifier at the top level with at most one required repeat ends: if the
  // pattern ends there, reaching it means the match has succeeded (`test` needs nothing after it),
  // so it is run at most once per text and never backtracked into: `warm-up.*` costs what
  // `warm-up` does.
  let freeTailEnd = -1;
  const unicode = flags.includes('u') || flags.includes('v');
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) fail(`backreference at character ${i + 1}`);
      // Under `u` or `v`, \u{…} and \p{…} are single atoms: skip their braces so they are not read
      // as quantifiers. Without them `\u{` is a letter and a brace, and what follows is read on.
      if (unicode && (next === 'u' || next === 'p' || next === 'P') && source[i + 2] === '{') i = Math.max(i + 1, source.indexOf('}', i + 2));
      else i++;
      previous = 'atom';
      continue;
    }
    if (c === '[') {
      // As JavaScript reads it: `[]` (nothing) and `[^]` (anything) end at their first `]`; with
      // the `v` flag classes nest.
      let j = i + 1;
      if (source[j] === '^') j++;
      let depth = 1;
      // Under `v` a class may hold strings (`\q{a|aa}`): it then matches texts of several lengths
      // and backtracks as the alternation `(a|aa)` does.
      let strings = false;
      while (j < source.length) {
        const d = source[j];
        if (d === '\\') {
          if (source[j + 1] === 'q' && flags.includes('v')) strings = true;
          j += 2;
        } else if (d === ']' && --depth === 0) break;
        else {
          if (d === '[' && flags.includes('v')) depth++;
          j++;
        }
      }
      i = j;
      if (strings) top.alternation = true;
      previous = strings ? { quantified: false, alternation: true, branches: 1 } : 'atom';
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?=', i) || source.startsWith('(?!', i) || source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) fail(`lookaround at character ${i + 1}`);
      stack.push({ quantified: false, alternation: false, branches: 1 });
      previous = undefined;
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : top;
      const parent = stack[stack.length - 1];
      // What a group holds at any depth counts for the groups around it: `((a|aa))+` repeats an
      // alternation as `(a|aa)+` does.
      if (group.quantified) parent.quantified = true;
      if (group.alternation) parent.alternation = true;
      // A group's alternatives multiply with every choice around it (the top level's do not).
      if (group !== stack[0] && group.branches > 1) choose(group.branches);
      previous = group;
      continue;
    }
    if (c === '|') {
      top.alternation = true;
      top.branches++;
      previous = undefined;
      continue;
    }
    let quantifier: { repeats: boolean; unbounded: boolean; options: number; length: number; lower: number } | undefined;
    if (c === '*' || c === '+') quantifier = { repeats: true, unbounded: true, options: Infinity, length: 1, lower: c === '*' ? 0 : 1 };
    else if (c === '?') quantifier = { repeats: false, unbounded: false, options: 2, length: 1, lower: 0 };
    else if (c === '{') {
      // The whole count, however many digits it is written with (`{0001,}` is `{1,}`).
      COUNT.lastIndex = i;
      const m = COUNT.exec(source);
      if (m) {
        const lower = Number(m[1]);
        const upper = m[2] === undefined ? lower : m[3] === '' ? Infinity : Number(m[3]);
        const options = upper - lower + 1;
        // A count too large for a number (NaN options) is read as unbounded.
        quantifier = { repeats: upper > 1, unbounded: !(options < SAFE_REGEX_LIMITS.wideRange), options, length: m[0].length, lower };
      }
    }
    if (quantifier && previous !== undefined) {
      if (quantifier.repeats && previous !== 'atom' && (previous.quantified || previous.alternation)) {
        fail(`a repeated group at character ${i + 1} holds ${previous.quantified ? 'a quantifier' : 'an alternation'} (nested repetition)`);
      }
      if (quantifier.unbounded && ++unbounded > SAFE_REGEX_LIMITS.maxUnbounded) {
        fail(`more than ${SAFE_REGEX_LIMITS.maxUnbounded} unbounded quantifiers (*, +, {n,}, or {n,m} with ${SAFE_REGEX_LIMITS.wideRange} or more counts)`);
      }
      if (!quantifier.unbounded && quantifier.options > 1) choose(quantifier.options);
      top.quantified = true;
      i += quantifier.length - 1;
      // A lazy or possessive-looking suffix belongs to the quantifier.
      if (source[i + 1] === '?') i++;
      if (quantifier.unbounded && quantifier.lower <= 1 && stack.length === 1) freeTailEnd = i;
      previous = undefined;
      continue;
    }
    previous = 'atom';
  }
  const freeTail = freeTailEnd === source.length - 1 && !stack[0].alternation;
  return { wide: freeTail ? unbounded - 1 : unbounded, branching };
}
