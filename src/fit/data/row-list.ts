import type { RequestFeatures } from '../../complexity/features.js';
import { FEATURE_NAMES } from '../../complexity/features.js';
import { checkShape, kindOf } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';

/**
 * A read-only list of per-row values read by index: an array, or a view that computes each
 * element when asked (the features or `line N` labels of a {@link MeasurementTable} row), so that
 * 10⁶ rows need not be 10⁶ stored objects. Arrays are row lists as they are.
 *
 * @example
 * const labels: RowList<string> = ['line 2', 'line 3'];
 * labels.at(1) // 'line 3'
 */
export interface RowList<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/**
 * `list` when it is a {@link RowList} (an array, or an object with `length` and `at`), else an
 * error naming the argument. O(1).
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkRowList('rowsAt(list)', ['a', 'b']) // ['a', 'b']
 */
export function checkRowList<T>(where: string, list: RowList<T>): RowList<T> {
  if (Array.isArray(list)) return list;
  return checkShape(where, list, 'a row list (an array, or { length, at })', { length: 'finite', at: 'function' });
}

/**
 * The features of measurement rows, one record per row (docs/complexity.md): what fits read.
 *
 * @example
 * const x: FeatureList = measurementFeatures(rows);
 */
export type FeatureList = RowList<RequestFeatures>;

/**
 * The elements of a row list at the given indices, as a view (nothing is copied); the list itself
 * when the indices are every row in order.
 *
 * @example
 * rowsAt(['a', 'b', 'c'], [2, 0]).at(0) // 'c'
 */
export function rowsAt<T>(list: RowList<T>, indices: ArrayLike<number>): RowList<T> {
  checkRowList('rowsAt(list)', list);
  checkShape('rowsAt(list, indices)', { indices }, 'an array of row indices', { indices: 'array-like' });
  if (indices.length === list.length && isIdentity(indices)) return list;
  return { length: indices.length, at: (k) => (k >= 0 && k < indices.length ? list.at(indices[k]) : undefined) };
}

function isIdentity(indices: ArrayLike<number>): boolean {
  for (let k = 0; k < indices.length; k++) if (indices[k] !== k) return false;
  return true;
}

/**
 * One numeric field of every element, as an array.
 *
 * @example
 * featureColumn(measurementFeatures(rows), 'nIn') // [128, 256, …]: each row's prompt length
 */
export function featureColumn(features: FeatureList, name: Exclude<keyof RequestFeatures, 'gpus' | 'waves'>): number[] {
  checkRowList('featureColumn(features)', features);
  if (!(FEATURE_NAMES as readonly string[]).includes(name)) throw new SweetspotInputError(`featureColumn(features, name): expected one of ${FEATURE_NAMES.join(', ')}, got ${kindOf(name)}`);
  const out = new Array<number>(features.length);
  for (let i = 0; i < features.length; i++) out[i] = features.at(i)![name];
  return out;
}
