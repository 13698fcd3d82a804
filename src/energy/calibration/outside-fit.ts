import { checkObject, kindOf } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
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
  for (const k of ['nIn', 'nOut', 'batch'] as const) {
    const v = request[k];
    if (!(k === 'batch' && v === undefined) && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new SweetspotInputError(`outsideFit(calibration, request): ${k} must be a finite number, got ${kindOf(v)}`);
    }
  }
  const fittedOn = (calibration as { fittedOn?: unknown }).fittedOn;
  const ranges = typeof fittedOn === 'object' && fittedOn !== null ? (fittedOn as { ranges?: unknown }).ranges : undefined;
  if (ranges === undefined) return [];
  if (!isRanges(ranges)) {
    throw new SweetspotInputError('outsideFit(calibration): fittedOn.ranges must be { nIn, nOut, batch }, each [least, greatest] (a calibration from parseCalibration)');
  }
  const span = ([lo, hi]: Span) => (lo === hi ? `${lo}` : `${lo}–${hi}`);
  const out: string[] = [];
  const check = (what: string, v: number, r: Span) => {
    if (v < r[0] || v > r[1]) out.push(`${what} ${v} (rows: ${span(r)})`);
  };
  check('prompt', request.nIn, ranges.nIn);
  check('output', request.nOut, ranges.nOut);
  check('batch', request.batch ?? (calibration as { batch?: number }).batch ?? 1, ranges.batch);
  return out;
}

type Span = readonly [number, number];
function isRanges(v: unknown): v is { nIn: Span; nOut: Span; batch: Span } {
  const span = (x: unknown) => Array.isArray(x) && x.length === 2 && x.every((n) => typeof n === 'number' && Number.isFinite(n));
  return typeof v === 'object' && v !== null && ['nIn', 'nOut', 'batch'].every((k) => span((v as Record<string, unknown>)[k]));
}
