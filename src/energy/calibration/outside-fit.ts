import { checkObject } from '../../arguments.js';
import type { Calibration } from './document.js';

/**
 * Where a request lies outside the rows a calibration was fitted on (`fittedOn.ranges`): one entry
 * per axis, e.g. `batch 64 (rows: 1)` or `prompt 8000 (rows: 256–2048)`. Empty inside the span, or
 * when the calibration does not record it (derived calibrations, documents written before).
 * The prediction intervals cover the rows' scatter and the parameters' uncertainty, not the error
 * of extrapolating (docs/fitting.md#prediction-intervals).
 *
 * @example
 * outsideFit(calibrationByName('h100'), { nIn: 4096, nOut: 64, batch: 8 }) // ['prompt 4096 (rows: 1024)', 'output 64 (rows: 1024)']
 */
export function outsideFit(calibration: Calibration, request: { readonly nIn: number; readonly nOut: number; readonly batch?: number }): string[] {
  checkObject('outsideFit(calibration)', calibration);
  checkObject('outsideFit(calibration, request)', request);
  const ranges = calibration.fittedOn?.ranges;
  if (!ranges) return [];
  const span = ([lo, hi]: readonly [number, number]) => (lo === hi ? `${lo}` : `${lo}–${hi}`);
  const out: string[] = [];
  const check = (what: string, v: number, r: readonly [number, number]) => {
    if (v < r[0] || v > r[1]) out.push(`${what} ${v} (rows: ${span(r)})`);
  };
  check('prompt', request.nIn, ranges.nIn);
  check('output', request.nOut, ranges.nOut);
  check('batch', request.batch ?? calibration.batch, ranges.batch);
  return out;
}
