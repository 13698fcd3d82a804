import type { z } from 'zod';
import { lazySchema } from '../../zod.js';
import { checkString } from '../../errors.js';
import { MAX_GPUS } from '../../energy/limits.js';
// Types only: the value is built on first use below; schemas.ts holds the layer entry's copy.
import type { MeasurementSchema } from './schemas.js';

/**
 * The energies per call a measurement may hold, joules (docs/fitting.md). Fits weigh each row by
 * 1/energy and square energies: outside this range a row turns them into Infinity or NaN (1e-320 J
 * has an infinite reciprocal, 1e300 J an infinite square). A nanojoule is below any GPU call and a
 * petajoule above any data centre's day, so only unit mistakes and tampered files fall outside.
 *
 * @example
 * ENERGY_RANGE_J // [1e-9, 1e15]
 */
export const ENERGY_RANGE_J = Object.freeze([1e-9, 1e15] as const);

/**
 * The measurement schema's rules on single values, for the paths that check well-formed rows
 * without a schema parse per row (the CSV reader's direct path, whole rows passed to `calibrate`).
 * A rule lives here once; `measurementSchema` states the same rules with their messages, and
 * test/fit/read/read.test.ts and test/fit/data/rows.test.ts hold these to it at every bound.
 *
 * @example
 * MEASUREMENT_RULES.count(0) // false: lengths, batch and repeats are integers ≥ 1
 */
export const MEASUREMENT_RULES = Object.freeze({
  /** Lengths, batch size, repeats, line: safe integers ≥ 1 (zod's `int()` is the safe range). */
  count: (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1,
  /** Energy per call within `ENERGY_RANGE_J` (which excludes NaN and ±Infinity). */
  energyJ: (v: unknown): v is number => typeof v === 'number' && v >= ENERGY_RANGE_J[0] && v <= ENERGY_RANGE_J[1],
  /** A duration: finite and ≥ 0. */
  durationS: (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  /** GPUs a call ran on (tensor parallel): an integer from 1 to `MAX_GPUS`. */
  gpus: (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_GPUS,
  /** A model name: non-empty text. */
  model: (v: unknown): v is string => typeof v === 'string' && v.length > 0,
});

/** Which rule each numeric field of the schema obeys. */
export const NUMBER_FIELD_RULES = Object.freeze({
  nIn: MEASUREMENT_RULES.count,
  nOut: MEASUREMENT_RULES.count,
  batchSize: MEASUREMENT_RULES.count,
  repeats: MEASUREMENT_RULES.count,
  gpus: MEASUREMENT_RULES.gpus,
  energyJ: MEASUREMENT_RULES.energyJ,
  latencyS: MEASUREMENT_RULES.durationS,
} as const);

/**
 * The zod schema of a measurement row, built on first use (zod loads only when input is checked);
 * `sweetspot/fit` exports it as `MeasurementSchema`.
 *
 * @example
 * measurementSchema().parse({ model: 'llama-2-7b', nIn: 128, nOut: 64, energyJ: 210.5 }).kvCache // true
 */
export const measurementSchema = lazySchema((z) =>
  z
    .object({
      /** Preset id or Hugging Face repo id. */
      model: z.string().min(1),
      nIn: z.number().int().min(1),
      nOut: z.number().int().min(1),
      energyJ: z
        .number()
        .finite()
        .refine((e) => e >= ENERGY_RANGE_J[0] && e <= ENERGY_RANGE_J[1], {
          message: `out of range: energies from ${ENERGY_RANGE_J[0]} J to ${ENERGY_RANGE_J[1].toExponential().replace('+', '')} J per call are accepted`,
        }),
      batchSize: z.number().int().min(1).default(1),
      gpu: z.string().optional(),
      /**
       * GPUs the call ran on, tensor parallel (absent: 1; docs/conventions.md#measurements).
       * `energyJ` is the energy of all of them.
       */
      gpus: z.number().int().min(1).max(MAX_GPUS).optional(),
      engine: z.string().optional(),
      /** KV cache on (production engines) or off (recompute regime). */
      kvCache: z.boolean().default(true),
      latencyS: z.number().nonnegative().finite().optional(),
      /** How many rows in the source share this configuration (informational). */
      repeats: z.number().int().min(1).optional(),
      notes: z.string().optional(),
      /** 1-based line of the source file (data lines after the header start at 2). */
      line: z.number().int().min(1).optional(),
      /** Columns beyond the schema, kept verbatim for filtering (`--where column=value`). */
      extra: z.record(z.string(), z.string()).default({}),
    })
    .strict(),
);

/**
 * A validated measurement row (defaults applied: `batchSize` 1, `kvCache` true, `extra` {}).
 *
 * @example
 * const rows: Measurement[] = readMeasurements(text).rows;
 * @category Fitting
 */
export type Measurement = z.output<typeof MeasurementSchema>;
/**
 * A measurement row as a caller writes it (a database row, JSON): what `calibrate`, `evaluate`
 * and `crossValidate` accept; they validate it and list the defaults they took.
 *
 * @example
 * const row: MeasurementInput = { model: 'llama-2-7b', nIn: 128, nOut: 64, energyJ: 210.5, kvCache: true };
 * @category Fitting
 */
export type MeasurementInput = z.input<typeof MeasurementSchema>;

/**
 * CSV columns of the measurement schema, in the order writers use. Readers accept any order and
 * keep unknown columns in `extra`.
 *
 * @example
 * MEASUREMENT_COLUMNS.join(',') // the header line a writer emits
 */
export const MEASUREMENT_COLUMNS = [
  'model',
  'n_in',
  'n_out',
  'energy_j',
  'batch_size',
  'gpu',
  'engine',
  'kv_cache',
  'latency_s',
  'repeats',
  'notes',
] as const;

/**
 * Maps a CSV column of the schema to its field. `gpus` is read but not written by the measurement
 * writers (`measure` states a count as `Nx NAME` in `gpu`, which readers split; docs/measuring.md).
 *
 * @example
 * COLUMN_TO_FIELD.energy_j // 'energyJ'
 */
export const COLUMN_TO_FIELD = {
  model: 'model',
  n_in: 'nIn',
  n_out: 'nOut',
  energy_j: 'energyJ',
  batch_size: 'batchSize',
  gpu: 'gpu',
  gpus: 'gpus',
  engine: 'engine',
  kv_cache: 'kvCache',
  latency_s: 'latencyS',
  repeats: 'repeats',
  notes: 'notes',
} as const satisfies Record<(typeof MEASUREMENT_COLUMNS)[number] | 'gpus', keyof Measurement>;

// `Nx NAME` (what `sweetspot measure --gpu 0,1` writes), `N x NAME`, `N× NAME`.
const COUNT_PREFIX = /^(\d+)\s*(?:[xX]\s+|×\s*)(\S.*)$/;

/**
 * A GPU text that states a count, split into the count and the GPU's name; undefined for a text
 * without one (docs/conventions.md#measurements).
 *
 * @example
 * splitGpuCount('2x NVIDIA L40S') // { gpus: 2, gpu: 'NVIDIA L40S' }
 * splitGpuCount('NVIDIA L40S') // undefined
 */
export function splitGpuCount(gpu: string): { gpus: number; gpu: string } | undefined {
  checkString('splitGpuCount(gpu)', gpu);
  return splitCount(gpu);
}

/**
 * A GPU and its count as `measure` writes them, the inverse of {@link splitGpuCount}: the name
 * alone on one GPU, `Nx NAME` on N (`Nx` when no name is given).
 *
 * @example
 * gpuLabel('NVIDIA L40S', 2) // '2x NVIDIA L40S'
 */
export function gpuLabel(gpu: string | undefined, gpus: number): string | undefined {
  return gpus === 1 ? gpu : gpu === undefined ? `${gpus}x` : `${gpus}x ${gpu}`;
}

/** {@link splitGpuCount} without the argument check, for the readers' per-row path. */
function splitCount(gpu: string): { gpus: number; gpu: string } | undefined {
  const c = gpu.charCodeAt(0);
  if (!(c >= 48 && c <= 57)) return undefined;
  const m = COUNT_PREFIX.exec(gpu);
  return m ? { gpus: Number(m[1]), gpu: m[2].trimEnd() } : undefined;
}

/**
 * A measurement whose `gpu` states a count (`2x NVIDIA L40S`) as the GPU's name and `gpus`, or a
 * message saying why it cannot be read: a count outside 1…MAX_GPUS, or a `gpus` value that
 * disagrees with it. Other rows come back as they are.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): a valid measurement, from the readers and `measurementRows`.
 * @example
 * withGpuCount({ model: 'm', nIn: 1, nOut: 1, energyJ: 1, batchSize: 1, kvCache: true, extra: {}, gpu: '2x NVIDIA L40S' }) // { …, gpu: 'NVIDIA L40S', gpus: 2 }
 */
export function withGpuCount(row: Measurement): Measurement | { error: string } {
  if (row.gpu === undefined) return row;
  const split = splitCount(row.gpu);
  if (split === undefined) return row;
  if (split.gpus < 1 || split.gpus > MAX_GPUS) return { error: `gpu: '${row.gpu}' states ${split.gpus} GPUs; a count from 1 to ${MAX_GPUS} is required` };
  if (row.gpus !== undefined && row.gpus !== split.gpus) {
    return { error: `gpus: ${row.gpus} disagrees with gpu '${row.gpu}' (${split.gpus} GPUs); give one count` };
  }
  return { ...row, gpu: split.gpu, gpus: split.gpus };
}
