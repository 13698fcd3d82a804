import { SweetspotInputError } from '../../errors.js';
import { isReservedName } from '../../reserved-names.js';

/**
 * Limits on a formula's text, checked in one linear pass before mathjs
 * parses it (docs/energy-models.md#limits-on-untrusted-input). Parsing, differentiating and
 * compiling cost grows with the tree's size and depth (nested calls with a parameter at each level
 * cost about depth³), and mathjs recurses once per nesting level or unary sign: bounding the text
 * bounds both the work and the stack.
 *
 * @example
 * FORMULA_LIMITS.maxChars // 1000
 */
export const FORMULA_LIMITS = Object.freeze({
  /** Characters of formula text. */
  maxChars: 1000,
  /** Nesting of parentheses and function calls. */
  maxDepth: 8,
  /** Binary and unary operators (`+ - * / ^`) and commas, which bound the tree's size and depth. */
  maxOperators: 100,
  /** Operators in a row (`a*-b` is two): longer runs are only ever unary signs stacked up. */
  maxOperatorRun: 2,
  /** Distinct parameters (identifiers that are neither features, functions nor constants). */
  maxParams: 24,
});

const OPERATOR = /[+\-*/^]/;
// mathjs takes Latin-1 and Latin Extended letters, Greek, letter-like symbols and mathematical
// alphanumerics (surrogate pairs) into names as well as ASCII ones: every character beyond ASCII
// is read as part of a name here, so that `α β γ …` counts as parameters as `a b c …` does (the
// limit of parameters was not applied to them: 331 were compiled). Characters mathjs does not
// take are a syntax error there.
const IDENTIFIER_START = /[A-Za-z_$\u0080-\uffff]/;
const IDENTIFIER_PART = /[\w$\u0080-\uffff]/;

/**
 * Checks a formula's text against {@link FORMULA_LIMITS} and refuses identifiers that name
 * JavaScript globals or prototype members ({@link isReservedName}), in one pass over the
 * characters, so that no text can make the parser, the derivative or the compiler run long or
 * overflow the stack. `isKnown` tells feature, function and constant names from parameters.
 *
 * @throws {SweetspotInputError} naming the formula's limit, the count found and the character.
 * @example
 * checkFormulaText('a*nIn + b', (n) => n === 'nIn') // passes
 * checkFormulaText('sqrt('.repeat(20) + 'nIn' + ')'.repeat(20), () => true) // throws: nesting depth 20 > 8
 */
export function checkFormulaText(text: string, isKnown: (name: string) => boolean): void {
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  const fail = (message: string): never => {
    throw new SweetspotInputError(`formula '${short}': ${message}`);
  };
  if (text.length > FORMULA_LIMITS.maxChars) fail(`${text.length} characters, more than the limit of ${FORMULA_LIMITS.maxChars}`);
  let depth = 0;
  let operators = 0;
  let run = 0;
  const params = new Set<string>();
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      run = 0;
      if (depth > FORMULA_LIMITS.maxDepth) fail(`nesting deeper than ${FORMULA_LIMITS.maxDepth} levels at character ${i + 1}`);
      i++;
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
      run = 0;
      i++;
      continue;
    }
    if (OPERATOR.test(c) || c === ',') {
      operators++;
      run = c === ',' ? 0 : run + 1;
      if (run > FORMULA_LIMITS.maxOperatorRun) fail(`${run} operators in a row at character ${i + 1} (at most ${FORMULA_LIMITS.maxOperatorRun})`);
      if (operators > FORMULA_LIMITS.maxOperators) fail(`more than ${FORMULA_LIMITS.maxOperators} operators`);
      i++;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      // A number, with its exponent (`1e-5`): the exponent's sign is not an operator.
      let j = i;
      while (j < text.length && /[0-9.]/.test(text[j])) j++;
      if (j < text.length && /[eE]/.test(text[j]) && /[+\-]?[0-9]/.test(text.slice(j + 1, j + 3))) {
        j++;
        if (text[j] === '+' || text[j] === '-') j++;
        while (j < text.length && /[0-9]/.test(text[j])) j++;
      }
      run = 0;
      i = j;
      continue;
    }
    if (IDENTIFIER_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENTIFIER_PART.test(text[j])) j++;
      const name = text.slice(i, j);
      if (!isKnown(name)) {
        if (isReservedName(name)) fail(`'${name}' at character ${i + 1} is a reserved name (a JavaScript global, a prototype member or a name beginning with __); rename the parameter`);
        params.add(name);
        if (params.size > FORMULA_LIMITS.maxParams) fail(`more than ${FORMULA_LIMITS.maxParams} parameters`);
      }
      run = 0;
      i = j;
      continue;
    }
    if (c !== ' ' && c !== '\t') run = 0;
    i++;
  }
}
