import { SweetspotInputError, checkString, quoteInput } from '../../errors.js';
import { optionKeys, optionsObject } from '../../options.js';
import { MAX_AXIS_POINTS, MAX_AXIS_TOKENS, type TokenAxis, axisLog, axisPoints, axisRange, defaultLogPoints } from './grid.js';
import { shownValue } from '../../arguments.js';

const INTEGER = /^\+?\d+$/;

/**
 * What a range spec asks for, before any array is built: explicit points, every `step`-th integer
 * of `from…to`, or `points` log-spaced values of `from…to`. `count` is the number of values the
 * axis will hold at most (lists and log axes may lose duplicates), so that a caller can refuse a
 * grid that is too large before allocating it.
 *
 * @example
 * const plan: AxisPlan = axisPlan('64:4096:64', '--in'); // { kind: 'range', from: 64, to: 4096, step: 64, count: 64 }
 */
export type AxisPlan =
  | { readonly kind: 'points'; readonly values: readonly number[]; readonly count: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly step: number; readonly count: number }
  | { readonly kind: 'log'; readonly from: number; readonly to: number; readonly points: number; readonly count: number };

function allowedForms(log: boolean): string {
  return log
    ? `A:B (logarithmic from A to B), A:B:K (K log-spaced points) or a comma list a,b,c`
    : `A:B (every integer), A:B:S (step S), or a comma list a,b,c`;
}

/**
 * Parses the range syntax of the CLI without building the axis (see {@link parseAxisSpec}):
 * cheap for any size, so `1:536870912` can be refused before 2 GiB are allocated.
 *
 * @throws {SweetspotInputError} naming `name` and the allowed forms.
 * @example
 * axisPlan('64:4096', '--in').count // 4033
 * axisPlan('64:4096', '--in', { log: true }).count // 97
 */
export function axisPlan(text: string, name: string, { log = false }: { log?: boolean } = {}): AxisPlan {
  const spec = text.trim();
  const bad = (why: string): never => {
    throw new SweetspotInputError(`${name}: ${why} in ${quoteInput(text)}; allowed: ${allowedForms(log)} with integer token counts ≥ 1`);
  };
  const toInt = (part: string, what: string, tokens = true): number => {
    const p = part.trim();
    if (!INTEGER.test(p)) bad(`${what} ${quoteInput(part)} is not a positive integer`);
    const v = Number(p);
    if (v < 1) bad(`${what} must be ≥ 1`);
    if (tokens && v > MAX_AXIS_TOKENS) bad(`${what} ${p.length <= 100 ? p : `${p.slice(0, 100)}… (${p.length} digits)`} is above the largest token count ${MAX_AXIS_TOKENS}`);
    return v;
  };
  if (spec === '') bad('empty range');
  if (spec.includes(',')) {
    const values = spec.split(',').map((p, k) => toInt(p, `point ${k + 1}`));
    return { kind: 'points', values, count: values.length };
  }
  const parts = spec.split(':');
  if (parts.length > 3) bad('too many colons');
  if (parts.length === 1) return { kind: 'points', values: [toInt(parts[0], 'value')], count: 1 };
  const from = toInt(parts[0], 'start');
  const to = toInt(parts[1], 'end');
  if (to < from) bad(`end ${to} is below start ${from}`);
  if (log) {
    const points = parts.length === 3 ? toInt(parts[2], 'point count', false) : defaultLogPoints(from, to);
    return { kind: 'log', from, to, points, count: from === to ? 1 : points };
  }
  const step = parts.length === 3 ? toInt(parts[2], 'step', false) : 1;
  const steps = Math.floor((to - from) / step);
  return { kind: 'range', from, to, step, count: steps + 1 + (from + steps * step === to ? 0 : 1) };
}

/**
 * Builds the axis of a plan from {@link axisPlan}.
 *
 * @throws {SweetspotInputError} naming `name` (bounds beyond {@link MAX_AXIS_TOKENS}, a log axis of one point).
 * @example
 * buildAxis(axisPlan('64:256:64', '--in'), '--in') // Int32Array [64, 128, 192, 256]
 */
export function buildAxis(plan: AxisPlan, name: string): TokenAxis {
  try {
    if (plan.kind === 'points') return axisPoints(plan.values, name);
    if (plan.kind === 'log') return axisLog(plan.from, plan.to, plan.points, name);
    return axisRange(plan.from, plan.to, plan.step, name);
  } catch (error) {
    // Errors from the axis builders name the argument already; add what is allowed.
    if (error instanceof SweetspotInputError && !error.message.includes('allowed:')) {
      throw new SweetspotInputError(`${error.message}; allowed: ${allowedForms(plan.kind === 'log')}`);
    }
    throw error;
  }
}

const AXIS_SPEC_KEYS = optionKeys<{ log?: boolean; maxPoints?: number }>()('log', 'maxPoints');

/**
 * Parses the range syntax of the CLI into an axis:
 * `A:B` every integer from A to B (`A:A` one point), `A:B:S` every S-th from A (B included),
 * `a,b,c` explicit points, a single `N` one point. With `log`, `A:B` is a logarithmic axis of
 * {@link defaultLogPoints} points and `A:B:K` one of K points. `name` (e.g. `--in`) is put in
 * every error message. `maxPoints` refuses, before allocating, an axis of more points.
 *
 * @throws {SweetspotInputError} naming `name` and the allowed forms.
 * @example
 * parseAxisSpec('64:4096', '--in', { log: true }).length // 97
 * parseAxisSpec('128,64,256', '--out') // Int32Array [64, 128, 256]
 */
export function parseAxisSpec(text: string, name: string, options: { log?: boolean; maxPoints?: number } = {}): TokenAxis {
  checkString('parseAxisSpec(text)', text);
  checkString('parseAxisSpec(text, name)', name);
  const { log = false, maxPoints = MAX_AXIS_POINTS } = optionsObject('parseAxisSpec(text, name, options)', options, AXIS_SPEC_KEYS);
  if (typeof log !== 'boolean') throw new SweetspotInputError(`parseAxisSpec(text, name, options): log must be true or false, got ${shownValue(log)}`);
  if (!(Number.isSafeInteger(maxPoints) && maxPoints >= 1)) throw new SweetspotInputError(`parseAxisSpec(text, name, options): maxPoints must be an integer ≥ 1, got ${shownValue(maxPoints)}`);
  const plan = axisPlan(text, name, { log });
  if (plan.count > maxPoints) {
    throw new SweetspotInputError(`${name}: ${quoteInput(text)} has ${plan.count} points, more than the ${maxPoints} allowed; use a step (A:B:S) or a logarithmic axis (axisLog)`);
  }
  return buildAxis(plan, name);
}
