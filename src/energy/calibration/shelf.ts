import { SweetspotInputError, quoteInput } from '../../errors.js';
import { deepFreeze } from '../../freeze.js';
import type { Calibration } from './document.js';
import type { ShelfEntry } from './shelf-entry.js';
// The shelf is data: JSON documents built from data/ by `npm run calibrations` (docs/calibrations.md).
import a100Kv from './shelf/a100-kv.json' with { type: 'json' };
import a100Mii from './shelf/a100-deepspeed-mii.json' with { type: 'json' };
import a100Pcie from './shelf/a100-pcie-hf-recompute.json' with { type: 'json' };
import a100Sxm4 from './shelf/a100-sxm4-hf-recompute.json' with { type: 'json' };
import gh200Trtllm from './shelf/gh200-trtllm.json' with { type: 'json' };
import gh200Vllm from './shelf/gh200-vllm.json' with { type: 'json' };
import h100 from './shelf/h100.json' with { type: 'json' };
import h100Physics from './shelf/h100-physics.json' with { type: 'json' };
import h100Trtllm from './shelf/h100-trtllm.json' with { type: 'json' };
import h100Vllm from './shelf/h100-vllm.json' with { type: 'json' };

/**
 * Name of the shelf calibration that is the built-in default (`H100_DEFAULT_CALIBRATION`).
 *
 * @example
 * calibrationByName(DEFAULT_CALIBRATION_NAME).fitted // true
 */
export const DEFAULT_CALIBRATION_NAME = 'h100';

// Shelf order (the default first). The documents are trusted data, written as the schema's output
// by `npm run calibrations`; the tests check each against `ShelfEntrySchema`
// (docs/conventions.md#built-in-data). Each is frozen on first use.
const RAW: ReadonlyMap<string, unknown> = new Map(
  [h100, h100Vllm, h100Trtllm, h100Physics, a100Kv, a100Mii, gh200Vllm, gh200Trtllm, a100Sxm4, a100Pcie].map((e) => [e.name, e] as const),
);
const PARSED = new Map<string, ShelfEntry>();

function entry(name: string): ShelfEntry | undefined {
  let e = PARSED.get(name);
  if (!e && RAW.has(name)) {
    e = deepFreeze(RAW.get(name) as ShelfEntry);
    PARSED.set(name, e);
  }
  return e;
}

/**
 * One line of {@link listCalibrations}: what a shelf calibration is for and how well it transfers.
 *
 * @example
 * const best: ShelfSummary | undefined = listCalibrations().find((c) => c.engine.includes('vLLM'));
 * @category Calibrations
 */
export interface ShelfSummary {
  readonly name: string;
  readonly release: number;
  readonly title: string;
  readonly gpu: string;
  readonly profile: string | null;
  readonly engine: string;
  readonly regime: Calibration['regime'];
  readonly fitted: boolean;
  /** Whether this is the built-in default. */
  readonly isDefault: boolean;
  /** Rows fitted on (0 for a derived calibration). */
  readonly rows: number;
  /** In-sample MAPE, %; null for a derived calibration. */
  readonly mape: number | null;
  /** Cross-validated MAPE per scheme, %. */
  readonly crossValidation: readonly { readonly scheme: string; readonly mape: number }[];
}

/**
 * The named public calibrations shipped with the library (the shelf), in a fixed order: the
 * default first. Pick the one closest to your GPU, engine and regime before measuring anything.
 *
 * @example
 * listCalibrations().map((c) => c.name) // ['h100', 'h100-vllm', 'h100-trtllm', 'h100-physics', …]
 * @category Calibrations
 */
export function listCalibrations(): ShelfSummary[] {
  return [...RAW.keys()].map((name) => entry(name)!).map((e) => ({
    name: e.name,
    release: e.release,
    title: e.title,
    gpu: e.calibration.gpu,
    profile: e.calibration.profile,
    engine: e.calibration.engine,
    regime: e.calibration.regime,
    fitted: e.calibration.fitted,
    isDefault: e.name === DEFAULT_CALIBRATION_NAME,
    rows: e.calibration.fittedOn?.rows ?? 0,
    mape: e.calibration.errors?.mape ?? null,
    crossValidation: e.crossValidation.map((c) => ({ scheme: c.scheme, mape: c.mape })),
  }));
}

/**
 * Whether a name is one of the shelf's.
 *
 * @example
 * isCalibrationName('h100-vllm') // true
 */
export function isCalibrationName(name: string): boolean {
  return RAW.has(name);
}

/**
 * The whole shelf entry of a name: the calibration with its method, data, caveats and
 * cross-validated errors. Frozen (every caller shares it).
 *
 * @throws {SweetspotInputError} for an unknown name, listing the known ones.
 * @example
 * shelfEntry('h100').crossValidation[0].scheme // 'leave-one-engine-out …'
 */
export function shelfEntry(name: string): ShelfEntry {
  const e = typeof name === 'string' ? entry(name) : undefined;
  if (!e) throw new SweetspotInputError(`unknown calibration ${quoteInput(name)}: the shelf has ${[...RAW.keys()].join(', ')}`);
  return e;
}

/**
 * The calibration of a shelf name (frozen; `structuredClone` it to change it).
 *
 * @throws {SweetspotInputError} for an unknown name, listing the known ones.
 * @example
 * estimate('llama-3-8b', { nIn: 1024, nOut: 1024 }, { calibration: calibrationByName('h100-vllm') }).energyJ
 * @category Calibrations
 */
export function calibrationByName(name: string): Calibration {
  return shelfEntry(name).calibration;
}
