// Where in a formula's text an error lies. mathjs's nodes carry no positions, so each helper finds
// the first token of the offending kind; positions are 1-based, as mathjs counts characters.

/**
 * Character (1-based, as mathjs counts) of the call `name(` in the text, for error messages; 0 if not found.
 *
 * @example
 * positionOf('a * foo(nIn)', 'foo') // 5
 */
export function positionOf(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\b${escaped}\\s*\\(`).exec(text);
  return match ? match.index + 1 : 0;
}

/**
 * Where the syntax a mathjs node type stands for starts, by node type.
 *
 * @example
 * at('a ? b : c', NODE_PATTERNS.ConditionalNode) // ' at character 3'
 */
export const NODE_PATTERNS: Readonly<Record<string, RegExp>> = {
  AssignmentNode: /=/,
  FunctionAssignmentNode: /=/,
  ArrayNode: /\[/,
  IndexNode: /\[/,
  ObjectNode: /\{/,
  ConditionalNode: /\?/,
  AccessorNode: /(?<![0-9\s])\.(?![0-9])/,
  BlockNode: /[;\n]/,
  RangeNode: /:/,
  RelationalNode: /[<>=!]=?/,
};

/**
 * The pattern of an operator's text: words (`mod`, `and`, `to`) as whole words.
 *
 * @example
 * at('band * nIn and c', operatorPattern('and')) // ' at character 12'
 */
export function operatorPattern(op: string): RegExp {
  const escaped = op.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /^\w+$/.test(op) ? new RegExp(`\\b${escaped}\\b`) : new RegExp(escaped);
}

/**
 * The text of a constant that is not a finite number: a string literal, a word, or an overflowing number.
 *
 * @example
 * at('a * 1e400', constantPattern(Infinity)) // ' at character 5'
 */
export function constantPattern(value: unknown): RegExp {
  if (typeof value === 'number') return /\b(?:Infinity|NaN)\b|(?<![\w.])(?:\d+\.?\d*|\.\d+)e\+?\d+/i;
  const escaped = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return typeof value === 'string' ? new RegExp(`(["'])${escaped}\\1`) : new RegExp(`\\b${escaped}\\b`);
}

/**
 * ` at character N` (1-based) of the first match of `pattern` in the text, or '' when there is none.
 *
 * @example
 * at('a = nIn', /=/) // ' at character 3'
 */
export function at(text: string, pattern: RegExp | undefined): string {
  const match = pattern?.exec(text);
  return match ? ` at character ${match.index + 1}` : '';
}
