/**
 * Helpers of the fit layer that the filters, the folds and the fitter call per row or per
 * iteration, as `sweetspot/fit` exports them: each checks its arguments, then calls the
 * unchecked function the library calls inside (docs/fitting.md, docs/conventions.md#trusted-arguments).
 */
import { checkShape, shownValue } from '../arguments.js';
import { SweetspotInputError } from '../errors.js';
import type { Measurement } from './data/measurement.js';
import * as tables from './data/table.js';
import type { MeasurementTable } from './data/table.js';
import * as priors from './solve/prior.js';
import type { ParamPrior } from './solve/prior.js';

/**
 * Row `i` of a table as a measurement object (absent optional fields left out, as the schema
 * leaves them).
 *
 * @throws {SweetspotInputError} when `t` is not a measurement table or `i` not a row index of it.
 * @example
 * tableRow(tableFromRows(rows), 0) // deep-equals rows[0]
 */
export function tableRow(t: MeasurementTable, i: number): Measurement {
  tables.checkTableShape(t, 'tableRow(table)');
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0 || i >= t.length) {
    throw new SweetspotInputError(`tableRow(i): expected a row index in 0..${t.length - 1}, got ${shownValue(i)}`);
  }
  return tables.tableRow(t, i);
}

/**
 * The width of a prior in the parameter's own unit (a log-scale width w at centre c becomes w·c).
 *
 * @throws {SweetspotInputError} when `p` is not a prior with a finite centre, a finite width ≥ 0
 *   and a scale of `'log'` or `'linear'`.
 * @example
 * linearWidth({ center: 200, width: 0.5, scale: 'log', source: '' }) // 100
 */
export function linearWidth(p: ParamPrior): number {
  checkShape('linearWidth(prior)', p, 'a ParamPrior', { center: 'finite', width: 'finite', scale: 'string' });
  if (p.scale !== 'log' && p.scale !== 'linear') throw new SweetspotInputError(`linearWidth(prior): scale must be 'log' or 'linear', got ${shownValue(p.scale)}`);
  if (p.width < 0) throw new SweetspotInputError(`linearWidth(prior): width must be ≥ 0, got ${p.width}`);
  const width = priors.linearWidth(p);
  if (!Number.isFinite(width)) throw new SweetspotInputError(`linearWidth(prior): the width overflows (${shownValue(width)}): center ${p.center} × width ${p.width}`);
  return width;
}
