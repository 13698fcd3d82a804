import { FEATURE_NAMES } from '../../complexity/features.js';
import { SweetspotInputError } from '../../errors.js';
import type { EnergyForm, ParamSpec } from '../form.js';
import { checkFormulaText } from './formula-limits.js';
import { NODE_PATTERNS, at, constantPattern, operatorPattern, positionOf } from './formula-positions.js';
import { optionKeys, optionsObject } from '../../options.js';
import { kindOf } from '../../arguments.js';

/**
 * Options of {@link compileFormula}.
 *
 * @example
 * const options: FormulaOptions = { bounds: { c: [-10, 10] }, units: { a: 'J/token' } };
 */
export interface FormulaOptions {
  /** `shared` (default): one parameter set for all LLMs; `per-model`: one per LLM. */
  readonly scope?: 'per-model' | 'shared';
  /** Bounds per parameter, `[lower, upper]`; every parameter not named here gets `[0, ∞)`. */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Units per parameter, for reports; default `unspecified`. */
  readonly units?: Readonly<Record<string, string>>;
}

/**
 * Functions a formula may call. `min`, `max` may not have parameters inside (mathjs cannot
 * differentiate them); the others may.
 *
 * @example
 * FORMULA_FUNCTIONS.includes('sqrt') // true
 */
export const FORMULA_FUNCTIONS = ['sqrt', 'cbrt', 'exp', 'log', 'log2', 'log10', 'abs', 'pow', 'min', 'max'] as const;

// How many arguments each formula function takes: [fewest, most].
const ARITY: Readonly<Record<(typeof FORMULA_FUNCTIONS)[number], readonly [number, number]>> = {
  sqrt: [1, 1],
  cbrt: [1, 1],
  exp: [1, 1],
  log: [1, 2],
  log2: [1, 1],
  log10: [1, 1],
  abs: [1, 1],
  pow: [2, 2],
  min: [1, Infinity],
  max: [1, Infinity],
};

// What generated code may call: the user's functions plus those mathjs's derivative emits.
const JS_FUNCTIONS: Readonly<Record<string, string>> = {
  sqrt: 'Math.sqrt',
  cbrt: 'Math.cbrt',
  exp: 'Math.exp',
  log2: 'Math.log2',
  log10: 'Math.log10',
  abs: 'Math.abs',
  sign: 'Math.sign',
  pow: 'Math.pow',
  min: 'Math.min',
  max: 'Math.max',
  sin: 'Math.sin',
  cos: 'Math.cos',
  tan: 'Math.tan',
  sinh: 'Math.sinh',
  cosh: 'Math.cosh',
  tanh: 'Math.tanh',
};

const BINARY_OPS: Readonly<Record<string, string>> = { add: '+', subtract: '-', multiply: '*', divide: '/' };
const FEATURES: ReadonlySet<string> = new Set(FEATURE_NAMES);
const CONSTANTS: Readonly<Record<string, string>> = { pi: 'Math.PI' };

// Own keys only: `'constructor' in CONSTANTS` is true through Object.prototype, and a symbol of
// that name must be a parameter, not an inherited function spliced into the generated code.
function lookup(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

// The parts of mathjs's node objects this file reads (mathjs's own types are only loaded lazily).
interface MathNode {
  type: string;
  name?: string;
  value?: unknown;
  op?: string;
  fn?: string | { name: string };
  args?: MathNode[];
  content?: MathNode;
  traverse(callback: (node: MathNode) => void): void;
}

/** The name a FunctionNode calls. */
function functionName(node: MathNode): string {
  return typeof node.fn === 'object' ? node.fn.name : String(node.name);
}

function fail(text: string, message: string): never {
  throw new SweetspotInputError(`formula '${text}': ${message}`);
}

/** Translates a mathjs node into a JS expression over `t[k]` (parameters) and `x.name` (features). */
function toJs(node: MathNode, paramIndex: ReadonlyMap<string, number>, text: string): string {
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value;
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(text, `constant ${String(v)}${at(text, constantPattern(v))} is not a finite number`);
      return `(${String(v)})`;
    }
    case 'SymbolNode': {
      const name = node.name as string;
      if (FEATURES.has(name)) return `x.${name}`;
      const constant = lookup(CONSTANTS, name);
      if (constant !== undefined) return constant;
      const k = paramIndex.get(name);
      if (k === undefined) fail(text, `unknown symbol '${name}'`);
      return `t[${k}]`;
    }
    case 'ParenthesisNode':
      return toJs(node.content as MathNode, paramIndex, text);
    case 'OperatorNode': {
      const args = (node.args ?? []).map((a) => toJs(a, paramIndex, text));
      const fn = node.fn as string;
      if (args.length === 1 && fn === 'unaryMinus') return `(-${args[0]})`;
      if (args.length === 1 && fn === 'unaryPlus') return `(+${args[0]})`;
      const binary = lookup(BINARY_OPS, fn);
      if (args.length === 2 && binary !== undefined) return `(${args[0]} ${binary} ${args[1]})`;
      if (args.length === 2 && fn === 'pow') return `Math.pow(${args[0]}, ${args[1]})`;
      return fail(text, `operator '${node.op}'${at(text, operatorPattern(node.op ?? fn))} is not supported (use + - * / ^)`);
    }
    case 'FunctionNode': {
      const name = functionName(node);
      const args = (node.args ?? []).map((a) => toJs(a, paramIndex, text));
      if (name === 'log') {
        if (args.length === 1) return `Math.log(${args[0]})`;
        if (args.length === 2) return `(Math.log(${args[0]}) / Math.log(${args[1]}))`;
      }
      const js = lookup(JS_FUNCTIONS, name);
      if (js === undefined) fail(text, `unknown function '${name}' at character ${positionOf(text, name)} (allowed: ${FORMULA_FUNCTIONS.join(', ')})`);
      return `${js}(${args.join(', ')})`;
    }
    default:
      return fail(text, `${node.type}${at(text, NODE_PATTERNS[node.type])} is not supported in an energy formula (use numbers, features, parameters, + - * / ^ and ${FORMULA_FUNCTIONS.join(', ')})`);
  }
}

/** Checks the user's tree: allowed node types and functions only; returns parameter names in order of appearance. */
function collectParams(root: MathNode, text: string): string[] {
  const params: string[] = [];
  const functionNames = new Set<string>();
  root.traverse((node) => {
    if (node.type === 'FunctionNode') {
      const name = functionName(node);
      functionNames.add(name);
      if (!(FORMULA_FUNCTIONS as readonly string[]).includes(name)) {
        fail(text, `unknown function '${name}' at character ${positionOf(text, name)} (allowed: ${FORMULA_FUNCTIONS.join(', ')})`);
      }
      // Extra arguments would be ignored by Math.* but not by mathjs's derivative (sqrt(x, n) is an nth root there).
      const [fewest, most] = ARITY[name as keyof typeof ARITY];
      const count = node.args?.length ?? 0;
      if (count < fewest || count > most) {
        const takes = fewest === most ? `${fewest}` : most === Infinity ? `at least ${fewest}` : `${fewest} or ${most}`;
        fail(text, `function '${name}' at character ${positionOf(text, name)} takes ${takes} argument${fewest === 1 && (most === 1 || most === Infinity) ? '' : 's'}, got ${count}`);
      }
    }
  });
  root.traverse((node) => {
    if (node.type !== 'SymbolNode') return;
    const name = node.name as string;
    // A FunctionNode's own name is a SymbolNode child in mathjs's traversal: not a parameter.
    if (functionNames.has(name) || FEATURES.has(name) || Object.hasOwn(CONSTANTS, name)) return;
    if (!params.includes(name)) params.push(name);
  });
  return params;
}

/**
 * Compiles a user formula into an {@link EnergyForm}. The formula is an expression over the
 * request features ({@link FEATURE_NAMES}: `nIn`, `nOut`, `batch`, `prefillFlops`, `decodeBytes`,
 * `decodeSteps`, `kvCacheBytes`, …) in which every other symbol is a parameter, lower bound 0
 * unless `bounds` says otherwise. `pi` is the constant. Its Jacobian is analytic (mathjs
 * `derivative`); both are compiled to plain JS functions, so evaluation costs what the
 * arithmetic costs. mathjs is loaded here, on first use, never by the main entry.
 *
 * @throws {SweetspotInputError} naming the formula and the character (1-based) for syntax errors, unknown
 *   functions, unsupported syntax, and bounds for parameters the formula does not have.
 * @example
 * const form = await compileFormula('e1 * prefillFlops + e2 * decodeBytes + p0 * nOut');
 * form.params.map((p) => p.name) // ['e1', 'e2', 'p0']
 */
export async function compileFormula(text: string, options: FormulaOptions = {}): Promise<EnergyForm> {
  if (typeof text !== 'string' || text.trim() === '') throw new SweetspotInputError('formula: must be a non-empty string');
  // Before mathjs sees the text: bounded size, depth and parameters, no reserved names.
  checkFormulaText(text, isKnownName);
  try {
    return await compileChecked(text, checkFormulaOptions(options));
  } catch (error) {
    // A stack overflow or allocation failure inside mathjs or the generated code is the
    // formula's doing, whatever the limits let through: an input error, never a crash.
    if (error instanceof RangeError) throw new SweetspotInputError(`formula '${text}': too complex to compile (${error.message})`);
    throw error;
  }
}

const FORMULA_OPTION_KEYS = optionKeys<FormulaOptions>()('scope', 'bounds', 'units');

/**
 * The options of {@link compileFormula}, checked before any work: known keys, a known scope, each
 * bound a `[lower, upper]` pair of numbers (infinite ends allowed, NaN not) and each unit a string.
 * Unchecked, `bounds: { a: 5 }` failed inside as a TypeError, and `bounds: { a: 'xy' }` or
 * `units: { a: 5 }` went into the form as its parameters' bounds and units.
 */
function checkFormulaOptions(given: FormulaOptions): FormulaOptions {
  const where = 'compileFormula(text, options)';
  const options = optionsObject(where, given, FORMULA_OPTION_KEYS);
  const bad = (message: string): never => {
    throw new SweetspotInputError(`${where}: ${message}`);
  };
  if (options.scope !== undefined && options.scope !== 'shared' && options.scope !== 'per-model') bad(`scope must be 'shared' or 'per-model', got ${kindOf(options.scope)}`);
  const table = (name: string, value: unknown): Record<string, unknown> => {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(`${name} must be an object keyed by parameter, got ${kindOf(value)}`);
    return value as Record<string, unknown>;
  };
  const bounds = table('bounds', options.bounds);
  for (const name of Object.keys(bounds)) {
    const pair = bounds[name];
    const isBound = (v: unknown) => typeof v === 'number' && !Number.isNaN(v);
    if (!Array.isArray(pair) || pair.length !== 2 || !isBound(pair[0]) || !isBound(pair[1])) {
      bad(`bounds.${name} must be [lower, upper], two numbers (±Infinity for no bound), got ${Array.isArray(pair) ? `[${pair.map(kindOf).join(', ')}]` : kindOf(pair)}`);
    }
  }
  const units = table('units', options.units);
  for (const name of Object.keys(units)) {
    if (typeof units[name] !== 'string') bad(`units.${name} must be a string, got ${kindOf(units[name])}`);
  }
  return options;
}

// mathjs reads these words as operators or constants, not symbols: its own errors name them.
const MATHJS_WORDS: ReadonlySet<string> = new Set(['mod', 'and', 'or', 'xor', 'not', 'to', 'in', 'true', 'false', 'null', 'undefined']);

function isKnownName(name: string): boolean {
  return FEATURES.has(name) || Object.hasOwn(CONSTANTS, name) || (FORMULA_FUNCTIONS as readonly string[]).includes(name) || MATHJS_WORDS.has(name);
}

async function compileChecked(text: string, options: FormulaOptions): Promise<EnergyForm> {
  const math = await import('mathjs');
  let root: MathNode;
  try {
    root = math.parse(text) as unknown as MathNode;
  } catch (e) {
    if (e instanceof RangeError) throw e;
    const err = e as Error & { char?: number };
    const at = typeof err.char === 'number' ? ` at character ${err.char}` : '';
    throw new SweetspotInputError(`formula '${text}': syntax error${at}: ${err.message}`);
  }
  const names = collectParams(root, text);
  const paramIndex = new Map(names.map((n, k) => [n, k] as const));
  // Units as bounds: a name the formula does not have is a typo, never ignored.
  for (const option of ['bounds', 'units'] as const) {
    for (const name of Object.keys(options[option] ?? {})) {
      if (!paramIndex.has(name)) fail(text, `${option} name '${name}', which is not a parameter (parameters: ${names.join(', ') || 'none'})`);
    }
  }
  const params: ParamSpec[] = names.map((name) => {
    const own = <T>(table: Readonly<Record<string, T>> | undefined): T | undefined => (table && Object.hasOwn(table, name) ? table[name] : undefined);
    const [lower, upper] = own(options.bounds) ?? [0, Infinity];
    if (!(lower <= upper) || Number.isNaN(lower) || Number.isNaN(upper)) fail(text, `bounds of '${name}' must satisfy lower ≤ upper, got [${lower}, ${upper}]`);
    return { name, unit: own(options.units) ?? 'unspecified', lower, upper, description: `parameter of the formula ${text}` };
  });

  const valueJs = toJs(root, paramIndex, text);
  // mathjs cannot differentiate log2: give derivative() the same value as log(x, 2).
  const differentiable = (root as unknown as { transform(f: (node: MathNode) => unknown): unknown }).transform((node) =>
    node.type === 'FunctionNode' && functionName(node) === 'log2' && node.args?.length === 1
      ? new math.FunctionNode('log', [node.args[0] as never, new math.ConstantNode(2)])
      : node,
  );
  const gradientLines = names.map((name, k) => {
    let d: MathNode;
    try {
      // No simplify(): it reads the symbols e, i, phi, tau, … as mathematical constants, while here
      // they are parameters (d/da of e^a would come out as e^a, not e^a·ln e).
      d = math.derivative(differentiable as never, name, { simplify: false }) as unknown as MathNode;
    } catch (e) {
      const message = (e as Error).message;
      const fn = /function "(\w+)"/.exec(message)?.[1];
      const where = fn ? ` inside '${fn}' at character ${positionOf(text, fn)} (min and max may not have parameters inside)` : '';
      return fail(text, `cannot differentiate with respect to '${name}'${where}: ${message}`);
    }
    return `out[${k}] = ${toJs(d, paramIndex, text)};`;
  });
  // Generated from a validated tree whose leaves are numbers, t[k] and x.<feature>: nothing of the user's text is spliced in verbatim.
  const predict = new Function('t', 'x', `return ${valueJs};`) as (t: ArrayLike<number>, x: object) => number;
  const gradient = new Function('t', 'x', 'out', gradientLines.join('\n')) as (t: ArrayLike<number>, x: object, out: Float64Array) => void;

  return {
    id: 'formula',
    expression: text,
    scope: options.scope ?? 'shared',
    needsProfile: false,
    params,
    predictJ: (t, x) => predict(t, x),
    gradient: (t, x, _ctx, out) => gradient(t, x, out),
  };
}
