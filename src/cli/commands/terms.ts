import { loadArchitecture } from '../../architecture/load.js';
import type { Architecture } from '../../architecture/schema.js';
import { requestTerms, type RequestTerms } from '../../complexity/terms.js';
import { MAX_BATCH } from '../../complexity/limits.js';
import { SweetspotInputError } from '../../errors.js';
import { choiceOption, intOption, parseOptions, positiveOption, requireString } from '../args.js';
import type { Command } from '../command.js';
import { visibleJson } from '../../visible-text.js';
import { tableLines, type TableColumn } from '../table.js';

const HELP = `Usage: sweetspot terms --model <preset | hf-id | path/to/config.json> --in N --out N [options]

Complexity terms of one request (closed forms, docs/complexity.md): FLOPs and bytes of the
prefill and of the decode steps, KV-cache size after the prefill and at the end, and totals.

Options:
  --model M          preset id, Hugging Face repo id (chat/instruct variants resolve to their base),
                     or a path to a config.json file or to a directory holding one
  --in N             prompt tokens, an integer >= 1
  --out N            output tokens, an integer >= 1
  --batch B          identical requests run together, 1..${MAX_BATCH} (default 1)
  --weight-bytes X   bytes per weight (default 2; 1 for 8-bit, 0.5 for 4-bit)
  --kv-bytes X       bytes per KV-cache element (default 2)
  --kv-cache on|off  on: engines with a KV cache (default); off: every token recomputes the prefix
  --allow-overflow   compute requests longer than the model's context
  --json             print one JSON object (prefill, decode, kvCacheBytes, total, ...)
  --help             show this text

Units: GFLOP = 10^9 floating-point operations (a multiply-add counts 2), GB = 10^9 bytes.
`;

// `multiple: false` is spelled out: parseOptions passes it on to node's parseArgs, which rejects undefined.
const SPECS = {
  model: { type: 'string', multiple: false },
  in: { type: 'string', multiple: false },
  out: { type: 'string', multiple: false },
  batch: { type: 'string', multiple: false },
  'weight-bytes': { type: 'string', multiple: false },
  'kv-bytes': { type: 'string', multiple: false },
  'kv-cache': { type: 'string', multiple: false },
  'allow-overflow': { type: 'boolean', multiple: false },
  json: { type: 'boolean', multiple: false },
} as const;

/** The option that sets each request field. */
const OPTION_OF: Record<string, string> = {
  weightBytes: '--weight-bytes', kvBytes: '--kv-bytes', batch: '--batch', nIn: '--in', nOut: '--out',
};

const gflop = (flops: number) => (flops / 1e9).toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const gb = (bytes: number) => (bytes / 1e9).toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

const TERMS_COLUMNS: readonly TableColumn[] = [{ header: 'phase' }, { header: 'GFLOP', align: 'right' }, { header: 'GB', align: 'right' }];

function table(arch: Architecture, t: RequestTerms): string {
  const r = t.request;
  const name = arch.hfId && arch.hfId !== arch.id ? `${arch.id} (${arch.hfId})` : arch.id;
  const rows: Array<[string, string, string]> = [
    ['prefill', gflop(t.prefill.flops), gb(t.prefill.bytes)],
    [`decode (${t.decode.steps} steps)`, gflop(t.decode.flops), gb(t.decode.bytes)],
    ['total', gflop(t.total.flops), gb(t.total.bytes)],
  ];
  return [
    `model    ${name}`,
    `request  ${r.nIn} in, ${r.nOut} out, batch ${r.batch}, ${r.weightBytes}-byte weights, ${r.kvBytes}-byte KV, ${r.regime}`,
    '',
    ...tableLines(TERMS_COLUMNS, rows),
    '',
    `KV cache after prefill  ${gb(t.kvCacheBytes.afterPrefill)} GB`,
    `KV cache at the end     ${gb(t.kvCacheBytes.final)} GB`,
    '',
  ].join('\n');
}

/**
 * `sweetspot terms`: the complexity terms of one request.
 *
 * @example
 * await termsCommand.run(['--model', 'llama-3.1-8b', '--in', '1024', '--out', '256', '--json'], io);
 */
export const termsCommand: Command = {
  name: 'terms',
  summary: 'FLOPs, bytes and KV-cache size of one request for a model',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('terms', args, SPECS);
    const model = requireString('terms', values, 'model');
    const nIn = intOption('terms', values, 'in');
    const nOut = intOption('terms', values, 'out');
    const batch = intOption('terms', values, 'batch', { fallback: 1, max: MAX_BATCH });
    const weightBytes = positiveOption('terms', values, 'weight-bytes', 2);
    const kvBytes = positiveOption('terms', values, 'kv-bytes', 2);
    const kvCache = choiceOption('terms', values, 'kv-cache', ['on', 'off'] as const, 'on');
    const allowOverflow = values['allow-overflow'] === true;
    const arch = await loadArchitecture(model, io.cwd).catch((error: unknown) => {
      // Say which argument the message is about: the loader only knows the name or the path.
      if (error instanceof SweetspotInputError) throw new SweetspotInputError(`terms: --model: ${error.message}`, error.issues);
      throw error;
    });
    const length = nIn + nOut - 1;
    if (!allowOverflow && length > arch.maxPositions) {
      throw new SweetspotInputError(
        `terms: --in + --out - 1 = ${length} exceeds ${arch.id}'s context of ${arch.maxPositions} tokens (add --allow-overflow to compute it anyway)`,
      );
    }
    let terms: RequestTerms;
    try {
      terms = requestTerms(arch, {
        nIn, nOut, batch, weightBytes, kvBytes, regime: kvCache === 'on' ? 'kv-cache' : 'recompute', allowOverflow,
      });
    } catch (error) {
      if (!(error instanceof SweetspotInputError)) throw error;
      // The library names its fields; the user typed options.
      const message = error.message.replace(/\b(weightBytes|kvBytes|batch|nIn|nOut)\b/g, (field) => OPTION_OF[field]);
      throw new SweetspotInputError(`terms: ${message}`);
    }
    if (values.json) {
      io.stdout(`${visibleJson({ model: { id: arch.id, hfId: arch.hfId ?? null }, ...terms }, 2)}\n`);
    } else {
      io.stdout(table(arch, terms));
    }
    return 0;
  },
};
