import { SweetspotInputError } from '../../errors.js';
import type { MeasurementFilter } from '../../fit/data/filter.js';
import type { LoadedMeasurements, LoadedTable } from '../../fit/read/load.js';
import type { DefaultedField } from '../../fit/data/rows.js';
import { choiceOption, type ParsedOptions } from '../args.js';

/**
 * Options shared by `fit` and `evaluate` to select measurement rows.
 *
 * @example
 * const SPECS = { ...DATA_SPECS, json: { type: 'boolean', multiple: false } } as const;
 */
export const DATA_SPECS = {
  data: { type: 'string', multiple: false },
  model: { type: 'string', multiple: false },
  gpu: { type: 'string', multiple: false },
  engine: { type: 'string', multiple: false },
  'kv-cache': { type: 'string', multiple: false },
  where: { type: 'string', multiple: true },
  'exclude-notes': { type: 'string', multiple: false },
} as const;

/**
 * Help text of {@link DATA_SPECS}, for a command's usage.
 *
 * @example
 * const HELP = `Options:\n${DATA_HELP}\n`;
 */
export const DATA_HELP = `  --data FILE           measurements, CSV (header row), JSON (array of objects) or JSON Lines: columns model,
                        n_in, n_out, energy_j, optional batch_size, gpu, engine, kv_cache, latency_s,
                        repeats, notes; other columns are kept for --where
  --model ID            keep rows of this model (a preset id matches its Hugging Face ids)
  --gpu NAME            keep rows of this GPU (a profile id matches the names that resolve to it)
  --engine NAME         keep rows of this engine
  --kv-cache on|off     keep rows of this regime; rows without a kv_cache value are taken as this
  --where COL=VALUE     keep rows whose column equals the value (any column; repeatable)
  --exclude-notes RE    drop rows whose notes match the regular expression (e.g. 'iteration 0');
                        patterns that could backtrack catastrophically, such as (a+)+, are refused`;

/**
 * The filter the data options describe.
 *
 * @throws {SweetspotInputError} for a bad `--kv-cache` or an option given without a value.
 * @example
 * dataFilter('fit', { 'kv-cache': 'off', where: ['system=argonne-swing'] }) // { kvCache: false, where: [...] , … }
 */
export function dataFilter(command: string, values: ParsedOptions): MeasurementFilter {
  const kv = values['kv-cache'] === undefined ? undefined : choiceOption(command, values, 'kv-cache', ['on', 'off'] as const, 'on') === 'on';
  const str = (name: string) => {
    const v = values[name];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new SweetspotInputError(`${command}: --${name} needs a value`);
    return v as string | undefined;
  };
  return {
    model: str('model'),
    gpu: str('gpu'),
    engine: str('engine'),
    kvCache: kv,
    where: (values.where as string[] | undefined) ?? [],
    excludeNotes: str('exclude-notes'),
  };
}

/**
 * Lines that account for every row read: defaults taken, and what each filter kept and dropped.
 *
 * @example
 * dataReport(await loadMeasurements('m.csv', cwd, { excludeNotes: 'cold' })) // ['data      m.csv: 50 rows', 'filter    notes!~/cold/: kept 48 of 50, dropped 2', …]
 */
export function dataReport(d: LoadedMeasurements | LoadedTable): string[] {
  const lines = [`data      ${d.path}: ${d.read} rows`];
  for (const x of d.defaulted) {
    if (x.source === 'given') lines.push(`default   ${columnOf(x.field)}: ${x.rows} rows had no value and were taken as ${valueText(x)}`);
  }
  for (const s of d.steps) lines.push(`filter    ${s.filter}: kept ${s.kept} of ${s.before}, dropped ${s.dropped}`);
  lines.push(`using     ${usedRows(d)} rows`);
  for (const w of dataWarnings(d)) lines.push(`warning   ${w}`);
  return lines;
}

/** Rows kept after the filters. */
const usedRows = (d: LoadedMeasurements | LoadedTable): number => ('table' in d ? d.table.length : d.rows.length);

const COLUMN_OF: Record<string, string> = { kvCache: 'kv_cache', batchSize: 'batch_size', gpu: 'gpu', engine: 'engine' };
const columnOf = (field: string): string => COLUMN_OF[field] ?? field;
const valueText = (x: DefaultedField): string =>
  x.field === 'kvCache' ? (x.value ? 'on (the KV-cache regime)' : 'off (the recompute regime)') : String(x.value);
const HOW_TO_SAY: Record<string, string> = { kvCache: '--kv-cache on|off or a kv_cache column', batchSize: 'a batch_size column' };

/**
 * Warnings for the values the schema assumed because rows left them out (a missing `kv_cache` is
 * the KV-cache regime): part of {@link dataWarnings}, so that nothing is assumed silently.
 *
 * @example
 * defaultWarnings(loaded) // ['kv_cache: 36 rows had no value and were taken as on (the KV-cache regime); say which with --kv-cache on|off or a kv_cache column']
 */
export function defaultWarnings(d: Pick<LoadedMeasurements, 'defaulted'>): string[] {
  return d.defaulted
    .filter((x) => x.source === 'schema')
    .map((x) => `${columnOf(x.field)}: ${x.rows} rows had no value and were taken as ${valueText(x)}; say which with ${HOW_TO_SAY[x.field] ?? `a ${columnOf(x.field)} column`}`);
}

/**
 * Warnings about the rows used: values the schema assumed ({@link defaultWarnings}), and rows a
 * campaign measured without its energy counter (a stuck or reset counter; `energy_method`
 * column), whose energies are rougher than the rest (docs/measuring.md#limits-on-untrusted-input).
 * `fit` and `evaluate` print them in the report and on stderr, and list them in `--json`.
 *
 * @example
 * dataWarnings(loaded) // ["3 of 15 rows have energy_method 'power-endpoints (counter stuck)': …"]
 */
export function dataWarnings(d: LoadedMeasurements | LoadedTable): string[] {
  const counts = new Map<string, number>();
  const count = (method: string | undefined) => {
    if (method !== undefined && method.startsWith('power-endpoints')) counts.set(method, (counts.get(method) ?? 0) + 1);
  };
  if ('table' in d) {
    const column = d.table.extra.get('energy_method');
    if (column) for (let i = 0; i < d.table.length; i++) count(column.codes[i] < 0 ? undefined : column.texts[column.codes[i]]);
  } else for (const r of d.rows) count(r.extra.energy_method);
  return [
    ...defaultWarnings(d),
    ...[...counts].map(
    ([method, n]) => `${n} of ${usedRows(d)} rows have energy_method '${method}': the counter failed and their energy is power at the window's ends × its duration (rougher; consider --where energy_method=counter)`,
    ),
  ];
}

/**
 * The `data` field of a `--json` answer: the file, the rows read and used, defaults and filters.
 *
 * @example
 * dataJson('m.csv', loaded) // { path: 'm.csv', read: 50, used: 48, defaulted: {}, filters: [...] }
 */
export function dataJson(path: string, d: LoadedMeasurements | LoadedTable) {
  return { path, read: d.read, used: usedRows(d), defaulted: d.defaulted, filters: d.steps, warnings: dataWarnings(d) };
}

/**
 * The `perModel` field of a `--json` answer: MAPE and row count of each model.
 *
 * @example
 * perModelJson({ 'llama-2-7b': { mape: 2.1, maxApe: 7.5, n: 40 } }) // { 'llama-2-7b': { mape: 2.1, n: 40 } }
 */
export function perModelJson(perModel: Record<string, { readonly mape: number; readonly n: number }>): Record<string, { mape: number; n: number }> {
  return Object.fromEntries(Object.entries(perModel).map(([id, e]) => [id, { mape: e.mape, n: e.n }]));
}

/**
 * A percentage for the fit and evaluate reports: two decimals, or `n/a` when there is none (never
 * a made-up 0).
 *
 * @example
 * pct(4.857) // '4.86%'
 * pct(1.99e20) // '1.99e+20%'
 */
export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  // Past 10⁵ % a fixed-point figure is a wall of digits; the exponent says the same.
  return Math.abs(v) >= 1e5 ? `${v.toExponential(2)}%` : `${v.toFixed(2)}%`;
}
