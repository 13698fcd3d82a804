import { resolve } from 'node:path';
import { SweetspotInputError } from '../../errors.js';
// Only the URL check: it imports no FFI code, so bad arguments fail before NVML is loaded.
import { completionsUrl } from '../../nvml/campaign/client.js';
import { MAX_TIMER_S } from '../../nvml/monitor/timer-limit.js';
import { choiceOption, intOption, parseOptions, positiveOption, requireString, type ParsedOptions } from '../args.js';
import type { CliIo, Command } from '../command.js';

const NAME = 'measure';

const HELP = `Usage: sweetspot measure --endpoint URL --model ID --in N,N,... --out N,N,... --csv FILE [options]

Measures the GPU energy of an OpenAI-compatible /v1/completions server (vLLM, trtllm-serve,
SGLang) over a grid of prompt and output lengths, one request at a time, with NVML. Prompts are
token-id arrays of exact length; outputs are forced to exact length (max_tokens = min_tokens = n_out,
ignore_eos). Each result is appended to FILE at once; rerunning the same command resumes.

Options:
  --endpoint URL         server base URL (http://127.0.0.1:8000), its /v1 root, or the full URL
  --model ID             model id the server serves (also the CSV's model column)
  --in N,N,...           prompt lengths, integers >= 1
  --out N,N,...          output lengths, integers >= 1
  --csv FILE             measurements file (created, or resumed when it exists); locked by
                         FILE.lock while this run records, so a second run on it is refused
  --repeats R            measured requests per (in, out) point (default 3)
  --warmup W             unrecorded requests before measuring (default 2)
  --gpu I[,I...]         NVML index of the GPU(s) serving the model (default 0); energies add up
  --idle-s S             seconds of idle measurement before the grid, 0 to skip (default 5)
  --timeout-s S          per-request timeout (default 600, at most 2147483.647)
  --retries K            extra attempts for a failed request (default 2)
  --engine NAME          written to the engine column (e.g. vllm, trtllm, sglang)
  --method M             auto (default: the energy counter where every GPU has one), counter,
                         or power-integration
  --sampling-period-s S  power sampling period for power integration (default 0.1)
  --nvml-lib PATH        libnvidia-ml.so.1 to load (default: SWEETSPOT_NVML_LIB, then system paths)
  --seed N               seed of the synthetic prompts (default 0)
  --help                 show this text

Needs the optional package koffi (npm install koffi) and the NVIDIA driver's NVML library.
Disable the server's prefix caching for clean prefill energy (vLLM: --no-enable-prefix-caching).
Next: sweetspot fit --data FILE --form sweetspot --save calib.json
`;

const SPECS = {
  endpoint: { type: 'string', multiple: false },
  model: { type: 'string', multiple: false },
  in: { type: 'string', multiple: false },
  out: { type: 'string', multiple: false },
  csv: { type: 'string', multiple: false },
  repeats: { type: 'string', multiple: false },
  warmup: { type: 'string', multiple: false },
  gpu: { type: 'string', multiple: false },
  'idle-s': { type: 'string', multiple: false },
  'timeout-s': { type: 'string', multiple: false },
  retries: { type: 'string', multiple: false },
  engine: { type: 'string', multiple: false },
  method: { type: 'string', multiple: false },
  'sampling-period-s': { type: 'string', multiple: false },
  'nvml-lib': { type: 'string', multiple: false },
  seed: { type: 'string', multiple: false },
} as const;

/** A comma-separated list of integers ≥ min, or an error naming the option. */
function intList(values: ParsedOptions, name: string, min: number): number[] {
  const text = requireString(NAME, values, name);
  const parts = text.split(',').map((p) => p.trim());
  const numbers = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  const bad = parts.find((p, i) => !Number.isSafeInteger(numbers[i]) || numbers[i] < min);
  if (bad !== undefined) {
    throw new SweetspotInputError(`${NAME}: --${name} must be a comma-separated list of integers ≥ ${min}, got '${bad}' in '${text}'`);
  }
  return numbers;
}

/** A number ≥ 0 (so 0 can switch a step off). */
function nonNegativeOption(values: ParsedOptions, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > MAX_TIMER_S) throw new SweetspotInputError(`${NAME}: --${name} must be a number ≥ 0 and ≤ ${MAX_TIMER_S} (seconds a timer can wait), got '${String(v)}'`);
  return n;
}

function parse(args: readonly string[], cwd: string) {
  const values = parseOptions(NAME, args, SPECS);
  const endpoint = requireString(NAME, values, 'endpoint');
  completionsUrl(endpoint, `${NAME}: --endpoint`);
  const seed = values.seed === undefined ? 0 : intOption(NAME, values, 'seed', { min: 0, max: 2 ** 32 - 1 });
  return {
    endpoint,
    model: requireString(NAME, values, 'model'),
    nIn: intList(values, 'in', 1),
    nOut: intList(values, 'out', 1),
    csvPath: resolve(cwd, requireString(NAME, values, 'csv')),
    repeats: intOption(NAME, values, 'repeats', { min: 1, fallback: 3 }),
    warmup: intOption(NAME, values, 'warmup', { min: 0, fallback: 2 }),
    gpus: values.gpu === undefined ? [0] : intList(values, 'gpu', 0),
    idleS: nonNegativeOption(values, 'idle-s', 5),
    timeoutS: positiveOption(NAME, values, 'timeout-s', 600, MAX_TIMER_S),
    retries: intOption(NAME, values, 'retries', { min: 0, fallback: 2 }),
    engine: typeof values.engine === 'string' ? values.engine : undefined,
    method: choiceOption(NAME, values, 'method', ['auto', 'counter', 'power-integration'] as const, 'auto'),
    samplingPeriodS: positiveOption(NAME, values, 'sampling-period-s', 0.1, MAX_TIMER_S),
    nvmlLib: typeof values['nvml-lib'] === 'string' ? values['nvml-lib'] : undefined,
    seed,
  };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const o = parse(args, io.cwd);
  // NVML (and koffi behind it) loads only here, so every other command runs without it.
  const nvmlApi = await import('../../nvml/index.js');
  const nvml = await nvmlApi.openNvml({ libraryPath: o.nvmlLib });
  try {
    const devices = [...new Set(o.gpus)].map((i) => nvml.device(i));
    const monitor = new nvmlApi.EnergyMonitor({ devices, method: o.method, samplingPeriodS: o.samplingPeriodS });
    const names = [...new Set(devices.map((d) => d.name))];
    const gpu = devices.length === 1 ? devices[0].name : names.length === 1 ? `${devices.length}x ${names[0]}` : names.join(' + ');
    io.stderr(`measuring ${gpu} (GPU ${devices.map((d) => d.index).join(', ')}) with the ${monitor.method === 'counter' ? 'energy counter' : `power integration every ${monitor.samplingPeriodS} s`}\n`);
    const result = await nvmlApi.runCampaign({
      endpoint: o.endpoint,
      model: o.model,
      nIn: o.nIn,
      nOut: o.nOut,
      repeats: o.repeats,
      warmup: o.warmup,
      idleS: o.idleS,
      timeoutS: o.timeoutS,
      retries: o.retries,
      csvPath: o.csvPath,
      monitor,
      gpu,
      engine: o.engine,
      seed: o.seed,
      onProgress: (p) => io.stderr(`${nvmlApi.formatProgress(p)}\n`),
      onLog: (line) => io.stderr(`${line}\n`),
    });
    monitor.close();
    const mismatch = result.usageMismatches ? `; ${result.usageMismatches} with a usage mismatch (see the notes column)` : '';
    io.stdout(
      `${result.measured} request(s) measured, ${result.skipped} already done, ${result.total} in the grid${mismatch}\n` +
        result.warnings.map((w) => `warning: ${w}\n`).join('') +
        `wrote ${result.csvPath}\nnext: sweetspot fit --data ${result.csvPath} --form sweetspot --save calib.json\n`,
    );
    return 0;
  } finally {
    nvml.close();
  }
}

/** `sweetspot measure`: an NVML measurement campaign against an inference server. */
export const measureCommand: Command = {
  name: NAME,
  summary: 'measure GPU energy of a /v1/completions server over an (in, out) grid into a CSV',
  help: HELP,
  run,
};
