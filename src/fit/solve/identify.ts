import { kindOf } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { norm2, svd } from './linalg.js';

/** Columns of one matrix: Float64Arrays of one length. O(columns), against an O(rows·columns²) SVD. */
function checkColumns(where: string, cols: readonly Float64Array[]): void {
  if (!Array.isArray(cols)) throw new SweetspotInputError(`${where}: expected an array of Float64Array columns, got ${kindOf(cols)}`);
  cols.forEach((c, k) => {
    if (!(c instanceof Float64Array) || c.length !== cols[0].length) {
      throw new SweetspotInputError(`${where}: column ${k} must be a Float64Array as long as column 0, got ${c instanceof Float64Array ? `length ${c.length}` : kindOf(c)}`);
    }
  });
}

/**
 * The parameters that the data cannot determine: those taking part in a (numerical) null vector of
 * the whitened basis or Jacobian. Columns are scaled to unit norm first, so that terms of very
 * different size (i² next to 1) are compared fairly; a zero column is undetermined on its own.
 *
 * @param tol relative singular value below which a direction counts as undetermined
 * @example
 * // the second column is twice the first: neither coefficient is determined
 * undeterminedParams([Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 6), Float64Array.of(1, 0, 0)], ['a', 'b', 'c']) // ['a', 'b']
 */
export function undeterminedParams(cols: readonly Float64Array[], names: readonly string[], tol = 1e-9): string[] {
  checkColumns('undeterminedParams(cols)', cols);
  if (!Array.isArray(names) || names.length !== cols.length || names.some((n) => typeof n !== 'string')) {
    throw new SweetspotInputError(`undeterminedParams(cols, names): expected ${cols.length} names (one per column), got ${kindOf(names)}${Array.isArray(names) ? ` of length ${names.length}` : ''}`);
  }
  if (!(tol >= 0 && tol < 1)) throw new SweetspotInputError(`undeterminedParams(cols, names, tol): expected a number in [0, 1), got ${kindOf(tol)}`);
  const out = new Set<number>();
  const scaled: Float64Array[] = [];
  const index: number[] = [];
  cols.forEach((c, k) => {
    const s = norm2(c);
    if (!(s > 0) || !Number.isFinite(s)) out.add(k);
    else {
      scaled.push(c.map((v) => v / s));
      index.push(k);
    }
  });
  if (scaled.length > 0) {
    const { s, v } = svd(scaled);
    const top = s[0];
    s.forEach((value, j) => {
      if (value > tol * top) return;
      v[j].forEach((component, k) => {
        if (Math.abs(component) > 0.05) out.add(index[k]);
      });
    });
  }
  return [...out].sort((a, b) => a - b).map((k) => names[k]);
}

/**
 * Condition number of the column-scaled matrix (largest / smallest singular value): how strongly
 * the data ties the parameters together. Large values mean large standard errors.
 *
 * @example
 * conditionNumber([Float64Array.of(1, 0), Float64Array.of(0, 1)]) // 1
 */
export function conditionNumber(cols: readonly Float64Array[]): number {
  checkColumns('conditionNumber(cols)', cols);
  const scaled = cols.map((c) => {
    const s = norm2(c);
    return c.map((v) => v / s);
  });
  const { s } = svd(scaled);
  return s[0] / s[s.length - 1];
}
