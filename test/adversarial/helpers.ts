import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { run } from '../../src/cli/run.js';

/**
 * Runs `attempt` and returns the error it throws (or rejects with), after checking it is a
 * {@link SweetspotInputError} of the class named `name` (default the base class) whose message
 * matches every pattern: the adversarial cases assert the exact type and that the field or
 * argument is named.
 */
export async function inputError(attempt: (() => unknown) | Promise<unknown>, patterns: Array<RegExp | string>, name = 'SweetspotInputError'): Promise<SweetspotInputError> {
  let caught: unknown;
  try {
    await (typeof attempt === 'function' ? attempt() : attempt);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an error').toBeDefined();
  expect(caught).toBeInstanceOf(SweetspotInputError);
  const error = caught as SweetspotInputError;
  expect(error.name, error.message).toBe(name);
  // One line: the CLI prints the message as is.
  expect(error.message).not.toContain('\n');
  for (const p of patterns) {
    if (typeof p === 'string') expect(error.message).toContain(p);
    else expect(error.message).toMatch(p);
  }
  return error;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'adversarial-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the CLI in `cwd`; resolves with the exit code and both streams, or rejects as `run` does. */
export async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** The CLI's output so far, for a run that is expected to reject. */
export function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd }, out, err };
}

/** A Llama-type config.json small enough to read by eye; each case changes one field. */
export const LLAMA_CONFIG = {
  model_type: 'llama',
  hidden_size: 4096,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  intermediate_size: 14336,
  vocab_size: 128256,
  max_position_embeddings: 8192,
};

/**
 * The functions documented as taking trusted typed data (docs/conventions.md#trusted-arguments),
 * by entry, each with an `@remarks` saying so: the per-point kernels of the complexity layer and
 * the surface searches, the fitter's inner pieces and table plumbing that only take what another
 * library function produced. No other function may fail on junk.
 */
export const TRUSTED: Readonly<Record<string, readonly string[]>> = {
  complexity: ['featuresFromTerms', 'fillFeatures', 'termsWithKernel'],
  fit: [
    'defaultStarts',
    'fitForm',
    'fitRows',
    'linearPriorRows',
    'preparedAt',
    'priorDerivative',
    'priorResidual',
    'regexSteps',
    'relativeProblem',
    'subset',
    'whitenedBasis',
    'withPriorRows',
  ],
  surface: ['inBoxRegion', 'rowExtremes', 'rowRuns'],
};

/**
 * Values the combinatorial junk test does not try: a BigInt (throws where arithmetic mixes it with
 * numbers), a symbol (where a template or comparison meets it), a cycle (where JSON writes it) and
 * an object without a prototype (no toString: String(value) throws).
 */
export const EXOTIC_JUNK: readonly (readonly [string, () => unknown])[] = [
  ['10n', () => 10n],
  ["Symbol('s')", () => Symbol('s')],
  [
    'a cycle',
    () => {
      const cycle: Record<string, unknown> = { nIn: 1 };
      cycle.self = cycle;
      return cycle;
    },
  ],
  ['Object.create(null)', () => Object.create(null)],
];
