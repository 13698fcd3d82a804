import { SweetspotInputError } from '../../errors.js';
import { optionKeys, optionsObject } from '../../options.js';
import { MAX_TIMER_S } from '../monitor/timer-limit.js';
import { measureIdlePower, sleepS, type IdleMeasurement } from '../monitor/idle.js';
import type { EnergyMonitor } from '../monitor/monitor.js';
import type { WindowMeasurement } from '../monitor/monitor-types.js';
import { WindowEnergyError } from '../errors.js';
import { CompletionError, completionsUrl, requestCompletion, type CompletionResult } from './client.js';
import { CampaignCsvWriter, readCampaignFile, type CampaignRow } from './csv.js';
import { lockCampaignFile } from './lock.js';
import { gridSize, remainingPoints, type CampaignPoint } from './grid.js';
import type { CampaignProgress } from './progress.js';
import { DEFAULT_TOKEN_ID_RANGE, promptTokenIds, requestSeed } from './prompt.js';
import { shownValue } from '../../arguments.js';

/** Options of {@link runCampaign}. */
export interface CampaignOptions {
  /** Server base URL, `/v1` root or full `/v1/completions` URL. */
  readonly endpoint: string;
  /** Model id the server serves; also written to the `model` column. */
  readonly model: string;
  readonly nIn: readonly number[];
  readonly nOut: readonly number[];
  /** Measured requests per grid point (default 3). */
  readonly repeats?: number;
  /** Unrecorded requests before measuring, to warm up the server and GPU (default 2). */
  readonly warmup?: number;
  /** Seconds of idle measurement before the grid; 0 skips it (default 5). */
  readonly idleS?: number;
  /** Per-request timeout, seconds (default 600). */
  readonly timeoutS?: number;
  /** Extra attempts after a failed request (default 2). */
  readonly retries?: number;
  /** Pause before retry k is k × this, seconds (default 1). */
  readonly retryDelayS?: number;
  /** CSV file; rows already in it for this model are skipped (resume). */
  readonly csvPath: string;
  /** Measures each request; build it over `openNvml()` devices (tests use the fake library). */
  readonly monitor: EnergyMonitor;
  /** Written to the `gpu` column, e.g. the NVML device name. */
  readonly gpu?: string;
  /** Written to the `engine` column, e.g. `vllm`. */
  readonly engine?: string;
  /** Token ids for prompts are drawn from [min, max). */
  readonly tokenIdRange?: readonly [number, number];
  /** Seed of the synthetic prompts (default 0). */
  readonly seed?: number;
  /** Merged into every request body. */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  readonly onProgress?: (progress: CampaignProgress) => void;
  /** Called with a line of news (idle power, resume, retries). */
  readonly onLog?: (line: string) => void;
  /** @internal */
  readonly fetch?: typeof fetch;
  /** @internal */
  readonly sleep?: (seconds: number) => Promise<void>;
}

// A misspelt key (`repeat: 5`) would run the defaults silently (docs/measuring.md#from-code).
const CAMPAIGN_KEYS = optionKeys<CampaignOptions>()(
  'endpoint', 'model', 'nIn', 'nOut', 'repeats', 'warmup', 'idleS', 'timeoutS', 'retries', 'retryDelayS', 'csvPath',
  'monitor', 'gpu', 'engine', 'tokenIdRange', 'seed', 'extraBody', 'onProgress', 'onLog', 'fetch', 'sleep',
);

/** Summary of {@link runCampaign}. */
export interface CampaignResult {
  readonly csvPath: string;
  readonly total: number;
  /** Requests found done in the CSV before this run. */
  readonly skipped: number;
  /** Requests measured by this run. */
  readonly measured: number;
  /** Rows of this run whose `usage` did not match the requested lengths. */
  readonly usageMismatches: number;
  /**
   * What the rows' energies should be read with: windows measured by a fallback (a stuck or reset
   * counter), by method and count. Empty when every window used the monitor's method.
   */
  readonly warnings: readonly string[];
  readonly idle?: IdleMeasurement;
}

/**
 * The campaign stopped: a request kept failing. Rows written so far stay; rerun to resume.
 *
 * @example
 * ```ts
 * try { await runCampaign(options); } catch (e) { if (e instanceof CampaignError) console.error(e.message); }
 * ```
 */
export class CampaignError extends SweetspotInputError {
  constructor(message: string) {
    super(message);
    this.name = 'CampaignError';
  }
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new SweetspotInputError(`${name} must be an integer ≥ 0, got ${shownValue(value)}`);
  return value;
}

// Every duration here ends up in a timer, which cannot wait longer than MAX_TIMER_S.
function positiveNumber(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value > MAX_TIMER_S) {
    throw new SweetspotInputError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds ≤ ${MAX_TIMER_S} (the longest a timer waits), got ${shownValue(value)}`);
  }
  return value;
}

/** Describes how `usage` differs from the request; `undefined` when it matches. */
function usageMismatch(point: CampaignPoint, r: CompletionResult): string | undefined {
  const problems: string[] = [];
  if (r.promptTokens === undefined) problems.push('no usage.prompt_tokens');
  else if (r.promptTokens !== point.nIn) problems.push(`prompt_tokens=${r.promptTokens}≠n_in=${point.nIn}`);
  if (r.completionTokens === undefined) problems.push('no usage.completion_tokens');
  else if (r.completionTokens !== point.nOut) problems.push(`completion_tokens=${r.completionTokens}≠n_out=${point.nOut}`);
  return problems.length ? `usage mismatch: ${problems.join('; ')}` : undefined;
}

/**
 * Measures an OpenAI-compatible `/v1/completions` server (vLLM, trtllm-serve, SGLang) over a grid
 * of prompt and output lengths, one request at a time, each inside an energy window. Every result
 * is appended to the CSV and flushed as soon as it completes; a rerun with the same file skips the
 * requests already there (counting repeats) and measures the rest. Requests that keep failing
 * stop the campaign with a {@link CampaignError}.
 *
 * @example
 * ```ts
 * import { openNvml, EnergyMonitor, runCampaign, formatProgress } from 'sweetspot/nvml';
 * const nvml = await openNvml();
 * const gpu = nvml.device(0);
 * const result = await runCampaign({
 *   endpoint: 'http://127.0.0.1:8000', model: 'facebook/opt-1.3b',
 *   nIn: [64, 256, 1024], nOut: [64, 256], repeats: 3, csvPath: 'opt.csv',
 *   monitor: new EnergyMonitor({ devices: [gpu] }), gpu: gpu.name, engine: 'vllm',
 *   onProgress: (p) => process.stderr.write(`\r${formatProgress(p)}`),
 * });
 * nvml.close();
 * console.log(`${result.measured} measured, ${result.skipped} already done`);
 * ```
 */
export async function runCampaign(campaignOptions: CampaignOptions): Promise<CampaignResult> {
  // Checked before the lock and the file are touched: a refused plan leaves nothing behind.
  const options = optionsObject('runCampaign', campaignOptions, CAMPAIGN_KEYS) as CampaignOptions;
  const url = completionsUrl(options.endpoint);
  if (typeof options.model !== 'string' || options.model.trim() === '') throw new SweetspotInputError('model must be a non-empty string');
  const repeats = options.repeats ?? 3;
  const warmup = nonNegativeInt('warmup', options.warmup ?? 2);
  const retries = nonNegativeInt('retries', options.retries ?? 2);
  const idleS = positiveNumber('idleS', options.idleS ?? 5, true);
  const timeoutS = positiveNumber('timeoutS', options.timeoutS ?? 600);
  const retryDelayS = positiveNumber('retryDelayS', options.retryDelayS ?? 1, true);
  const range = options.tokenIdRange ?? DEFAULT_TOKEN_ID_RANGE;
  const seed = options.seed ?? 0;
  const sleep = options.sleep ?? sleepS;
  const log = options.onLog ?? (() => {});
  const monitor = options.monitor;
  const total = gridSize(options.nIn, options.nOut, repeats);

  // Before the file is read: a second run on the same CSV is refused, not interleaved.
  const release = lockCampaignFile(options.csvPath, log);
  try {
    return await locked(options, { url, repeats, total, warmup, retries, idleS, timeoutS, retryDelayS, range, seed, sleep, log, monitor });
  } finally {
    release();
  }
}

interface Settings {
  readonly url: string;
  readonly repeats: number;
  /** Requests in the plan, checked before the lock. */
  readonly total: number;
  readonly warmup: number;
  readonly retries: number;
  readonly idleS: number;
  readonly timeoutS: number;
  readonly retryDelayS: number;
  readonly range: readonly [number, number];
  readonly seed: number;
  readonly sleep: (seconds: number) => Promise<void>;
  readonly log: (line: string) => void;
  readonly monitor: EnergyMonitor;
}

async function locked(options: CampaignOptions, settings: Settings): Promise<CampaignResult> {
  const { url, repeats, total, warmup, retries, idleS, timeoutS, retryDelayS, range, seed, sleep, log, monitor } = settings;
  const state = readCampaignFile(options.csvPath, options.model);
  if (state.truncatedPartialRow) log(`${options.csvPath}: cut off a half-written last row left by an interrupted run`);
  const todo = remainingPoints(options.nIn, options.nOut, repeats, state.done);
  const skipped = total - todo.length;
  if (skipped > 0) log(`resuming: ${skipped} of ${total} requests already in ${options.csvPath}`);
  if (todo.length === 0) return { csvPath: options.csvPath, total, skipped, measured: 0, usageMismatches: 0, warnings: [] };

  // Retries a request; the window wraps only the HTTP exchange, and is dropped when it fails.
  let windowId = 0;
  const attempt = async (point: CampaignPoint, what: string, measure: boolean) => {
    for (let k = 0; ; k++) {
      const promptIds = promptTokenIds(point.nIn, requestSeed(seed, point.nIn, point.nOut, point.repeat, k, measure ? 1 : 0), range);
      const name = `request-${++windowId}`;
      if (measure) monitor.beginWindow(name);
      try {
        const result = await requestCompletion({ url, model: options.model, promptIds, nOut: point.nOut, timeoutS, extraBody: options.extraBody, fetch: options.fetch });
        let window: WindowMeasurement | undefined;
        try {
          window = measure ? monitor.endWindow(name) : undefined;
        } catch (failed) {
          // A window the GPU could not measure (0 J, a bad reading) is retried like a failed request.
          if (failed instanceof WindowEnergyError) throw new CompletionError(failed.message, true);
          throw failed;
        }
        return { result, window };
      } catch (error) {
        monitor.cancelWindow(name);
        const retryable = error instanceof CompletionError ? error.retryable : false;
        if (!(error instanceof CompletionError)) throw error;
        if (!retryable || k >= retries) {
          throw new CampaignError(
            `${what} (n_in=${point.nIn}, n_out=${point.nOut}) to ${url} failed after ${k + 1} attempt(s): ${error.message}. ` +
              `Rows measured so far are in ${options.csvPath}; rerun the same command to resume.`,
          );
        }
        log(`${what} failed (${error.message}); retry ${k + 1} of ${retries}`);
        await sleep(Math.min(retryDelayS * (k + 1), MAX_TIMER_S));
      }
    }
  };

  // Opened first so that an unwritable file fails before minutes of warm-up and idle measurement.
  const writer = new CampaignCsvWriter(options.csvPath);
  let measured = 0;
  let usageMismatches = 0;
  // Windows whose energy did not come from the monitor's method, by the method used instead.
  const fallbacks = new Map<string, number>();
  let idle: IdleMeasurement | undefined;
  let idleWarning: string | undefined;
  try {
    const first = todo[0];
    for (let w = 1; w <= warmup; w++) await attempt({ ...first, repeat: -w }, `warm-up request ${w}`, false);
    if (idleS > 0) {
      idle = await measureIdlePower(monitor, idleS);
      log(`idle power ${idle.totalPowerW.toFixed(1)} W over ${idle.durationS.toFixed(1)} s (${idle.window.method})`);
      if (idle.window.method !== monitor.method) idleWarning = `idle power measured by ${idle.window.method}, not the ${monitor.method}`;
    }
    const startedMs = performance.now();
    for (const point of todo) {
      const startedAt = new Date().toISOString();
      const { result, window } = await attempt(point, `request #${point.repeat}`, true);
      const m = window!;
      const mismatch = usageMismatch(point, result);
      if (mismatch) usageMismatches++;
      const fallback = m.method !== monitor.method ? `energy by ${m.method}: power at the window's ends × its duration, not the counter` : undefined;
      if (fallback) fallbacks.set(m.method, (fallbacks.get(m.method) ?? 0) + 1);
      const notes = [mismatch, fallback, m.flags.length ? `window flags: ${m.flags.join(' ')}` : undefined].filter(Boolean).join('; ');
      const row: CampaignRow = {
        model: options.model,
        n_in: point.nIn,
        n_out: point.nOut,
        energy_j: m.totalEnergyJ,
        batch_size: 1,
        gpu: options.gpu,
        engine: options.engine,
        kv_cache: true,
        latency_s: result.latencyS,
        repeats,
        notes: notes || undefined,
        repeat: point.repeat,
        gpu_indices: Object.keys(m.energyJ).join(' '),
        energy_method: m.method,
        window_s: m.durationS,
        sampling_period_s: m.samplingPeriodS,
        idle_power_w: idle?.totalPowerW,
        active_energy_j: m.totalActiveEnergyJ,
        usage_prompt_tokens: result.promptTokens,
        usage_completion_tokens: result.completionTokens,
        usage_ok: !mismatch,
        flags: m.flags.join(' ') || undefined,
        started_at: startedAt,
      };
      writer.append(row);
      measured++;
      const elapsedS = (performance.now() - startedMs) / 1000;
      const left = todo.length - measured;
      options.onProgress?.({
        done: skipped + measured,
        total,
        point,
        energyJ: m.totalEnergyJ,
        latencyS: result.latencyS,
        elapsedS,
        etaS: (elapsedS / measured) * left,
        usageOk: !mismatch,
      });
    }
  } finally {
    writer.close();
  }
  const warnings = [
    ...(idleWarning ? [idleWarning] : []),
    ...[...fallbacks].map(([method, n]) => `${n} of ${measured} request(s) measured by ${method}: power at the window's ends × its duration, not the ${monitor.method} (see the energy_method and notes columns)`),
  ];
  for (const w of warnings) log(`warning: ${w}`);
  return { csvPath: options.csvPath, total, skipped, measured, usageMismatches, warnings, ...(idle ? { idle } : {}) };
}
