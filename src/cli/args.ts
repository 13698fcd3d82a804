import { parseArgs } from 'node:util';
import { SweetspotInputError } from '../errors.js';
import { nearestName } from '../options.js';

/** Declares one option of a command: `--name value` (string) or a bare `--name` flag (boolean). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** May be given several times (collected in order). */
  readonly multiple?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed options: strings (or string lists), booleans; absent options are `undefined`. */
export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses `args` against `specs`, adding `--help`. Unknown options, missing values and stray
 * positionals become a {@link SweetspotInputError} that names the argument.
 */
export function parseOptions(command: string, args: readonly string[], specs: OptionSpecs): ParsedOptions {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(specs)) {
    // parseArgs rejects `multiple: undefined`: set the key only when asked for.
    options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  }
  try {
    const { values, positionals, tokens } = parseArgs({ args: joinNegativeValues(args, specs), options, strict: true, allowPositionals: true, tokens: true });
    if (positionals.length > 0) {
      throw new SweetspotInputError(`${command}: unexpected argument '${positionals[0]}' (see sweetspot ${command} --help)`);
    }
    // parseArgs keeps the last of a repeated option: which one the user meant is not ours to guess.
    const seen = new Set<string>();
    for (const token of tokens ?? []) {
      if (token.kind !== 'option' || options[token.name]?.multiple) continue;
      if (seen.has(token.name)) throw new SweetspotInputError(`${command}: --${token.name} is given more than once (see sweetspot ${command} --help)`);
      seen.add(token.name);
    }
    return values as ParsedOptions;
  } catch (error) {
    if (error instanceof SweetspotInputError) throw error;
    // Keep node's explanation to one line: the CLI prints exactly one line per error.
    const message = (error as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .split('\n')[0]
      .trim();
    const unknown = /^Unknown option '--?([^'=]*)/.exec(message)?.[1];
    const hint = unknown === undefined ? undefined : optionHint(unknown, Object.keys(options));
    throw new SweetspotInputError(`${command}: ${message}${hint ? `; did you mean --${hint}?` : ''} (see sweetspot ${command} --help)`);
  }
}

/**
 * Spellings of an option taken from elsewhere: the measurement files' column names (`n_in`,
 * `batch_size`) and the API's request keys (`nIn`), which users reach for on the command line.
 */
const OPTION_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  in: ['n-in', 'n_in', 'nin', 'prompt', 'input', 'prompt-tokens', 'input-tokens'],
  out: ['n-out', 'n_out', 'nout', 'output', 'output-tokens', 'max-tokens'],
  batch: ['batch-size', 'batch_size', 'batchsize'],
  gpus: ['gpu-count', 'num-gpus', 'tp', 'tensor-parallel'],
};

/** The option a user probably meant by an unknown `--name`: a known other spelling, else the nearest name. */
function optionHint(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  for (const [option, spellings] of Object.entries(OPTION_SPELLINGS)) {
    if (known.includes(option) && spellings.includes(lower)) return option;
  }
  // A one- or two-letter name (`-m`) is within two edits of too much to be a typo of any one option.
  return name.length < 3 ? undefined : nearestName(name, known.filter((k) => k !== 'help'));
}

/**
 * `--name -5` → `--name=-5` for string options: parseArgs treats a value starting with a dash as a
 * possible option and refuses it, but a negative number is plainly a value (the command then
 * checks its range and says what is allowed).
 */
function joinNegativeValues(args: readonly string[], specs: OptionSpecs): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const name = args[k].startsWith('--') ? args[k].slice(2) : '';
    const next = args[k + 1];
    if (specs[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${args[k]}=${next}`);
      k++;
    } else {
      out.push(args[k]);
    }
  }
  return out;
}

/** A required string option, or an error naming it. */
export function requireString(command: string, values: ParsedOptions, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) {
    throw new SweetspotInputError(`${command}: --${name} is required (see sweetspot ${command} --help)`);
  }
  return v;
}

/** An integer option within [min, max]; `fallback` when absent. */
export function intOption(
  command: string,
  values: ParsedOptions,
  name: string,
  { min = 1, max = Number.MAX_SAFE_INTEGER, fallback }: { min?: number; max?: number; fallback?: number } = {},
): number {
  const v = values[name];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new SweetspotInputError(`${command}: --${name} is required, an integer ≥ ${min}`);
  }
  const n = typeof v === 'string' && /^[+]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`;
    throw new SweetspotInputError(`${command}: --${name} must be ${range}, got '${String(v)}'`);
  }
  return n;
}

/** An integer option within [min, max] (as {@link intOption}), or `undefined` when absent. */
export function optionalIntOption(
  command: string,
  values: ParsedOptions,
  name: string,
  bounds: { min?: number; max?: number } = {},
): number | undefined {
  return values[name] === undefined ? undefined : intOption(command, values, name, bounds);
}

/** A positive finite number option, at most `max` when given; `fallback` when absent. */
export function positiveOption(command: string, values: ParsedOptions, name: string, fallback: number, max = Infinity): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    const range = max === Infinity ? 'a positive number' : `a positive number ≤ ${max}`;
    throw new SweetspotInputError(`${command}: --${name} must be ${range}, got '${String(v)}'`);
  }
  return n;
}

/** One of `allowed`; `fallback` when absent. */
export function choiceOption<T extends string>(
  command: string,
  values: ParsedOptions,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new SweetspotInputError(`${command}: --${name} must be one of ${allowed.join(', ')}, got '${String(v)}'`);
}
