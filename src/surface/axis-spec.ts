import { SweetspotInputError } from '../errors.js';
import { type TokenAxis, axisLog, axisPoints, axisRange } from './grid.js';

const INTEGER = /^\+?\d+$/;

/**
 * Parses the range syntax of the CLI into an axis:
 * `A:B` every integer from A to B (`A:A` one point), `A:B:S` every S-th from A (B included),
 * `a,b,c` explicit points, a single `N` one point. With `log`, `A:B` is a logarithmic axis of
 * {@link defaultLogPoints} points and `A:B:K` one of K points. `name` (e.g. `--in`) is put in
 * every error message.
 *
 * @throws {SweetspotInputError} naming `name` and the allowed forms.
 * @example
 * parseAxisSpec('64:4096', '--in', { log: true }).length // 97
 * parseAxisSpec('128,64,256', '--out') // Int32Array [64, 128, 256]
 */
export function parseAxisSpec(text: string, name: string, { log = false }: { log?: boolean } = {}): TokenAxis {
  const spec = text.trim();
  const allowed = log
    ? `A:B (logarithmic from A to B), A:B:K (K log-spaced points) or a comma list a,b,c`
    : `A:B (every integer), A:B:S (step S), or a comma list a,b,c`;
  const bad = (why: string): never => {
    throw new SweetspotInputError(`${name}: ${why} in '${text}'; allowed: ${allowed} with integer token counts ≥ 1`);
  };
  const toInt = (part: string, what: string): number => {
    const p = part.trim();
    if (!INTEGER.test(p)) bad(`${what} '${part}' is not a positive integer`);
    const v = Number(p);
    if (v < 1) bad(`${what} must be ≥ 1`);
    return v;
  };
  if (spec === '') bad('empty range');
  try {
    if (spec.includes(',')) return axisPoints(spec.split(',').map((p, k) => toInt(p, `point ${k + 1}`)), name);
    const parts = spec.split(':');
    if (parts.length > 3) bad('too many colons');
    if (parts.length === 1) return axisPoints([toInt(parts[0], 'value')], name);
    const from = toInt(parts[0], 'start');
    const to = toInt(parts[1], 'end');
    if (to < from) bad(`end ${to} is below start ${from}`);
    if (log) return parts.length === 3 ? axisLog(from, to, toInt(parts[2], 'point count'), name) : axisLog(from, to, undefined, name);
    return axisRange(from, to, parts.length === 3 ? toInt(parts[2], 'step') : 1, name);
  } catch (error) {
    // Errors from the axis builders name the argument already; add what is allowed.
    if (error instanceof SweetspotInputError && !error.message.includes('allowed:')) {
      throw new SweetspotInputError(`${error.message}; allowed: ${allowed}`);
    }
    throw error;
  }
}
