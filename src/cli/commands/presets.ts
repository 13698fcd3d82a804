import { paramCount } from '../../architecture/params.js';
import { PRESETS } from '../../architecture/registry.js';
import { kvBytesPerToken } from '../../complexity/weights.js';
import { parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { visibleJson } from '../../visible-text.js';
import { tableLines, type TableColumn } from '../table.js';

const HELP = `Usage: sweetspot presets [--json]

Lists the built-in architectures: id, Hugging Face id, unique parameter count (each tensor once,
a tied LM head not twice), and KV-cache bytes per token over all layers at 16-bit precision.

Options:
  --json   print a JSON array of { id, hfId, params, kvBytesPerToken }
  --help   show this text
`;

/**
 * One row of the catalogue, as `--json` prints it.
 *
 * @example
 * const row: PresetRow = { id: 'falcon-7b', hfId: 'tiiuae/falcon-7b', params: 6_921_720_704, kvBytesPerToken: 8192 };
 */
export interface PresetRow {
  readonly id: string;
  readonly hfId: string | null;
  readonly params: number;
  readonly kvBytesPerToken: number;
}

/**
 * The catalogue as rows, 16-bit KV cache.
 *
 * @example
 * presetRows().find((r) => r.id === 'llama-3.1-8b')?.kvBytesPerToken // 131072
 */
export function presetRows(): PresetRow[] {
  return PRESETS.map((p) => ({ id: p.id, hfId: p.hfId ?? null, params: paramCount(p), kvBytesPerToken: kvBytesPerToken(p, 2) }));
}

const PRESET_COLUMNS: readonly TableColumn[] = [
  { header: 'id' },
  { header: 'Hugging Face id' },
  { header: 'parameters', align: 'right' },
  { header: 'KV bytes/token', align: 'right' },
];

function table(rows: readonly PresetRow[]): string {
  const cells = rows.map((r) => [r.id, r.hfId ?? '-', r.params.toLocaleString('en-US'), r.kvBytesPerToken.toLocaleString('en-US')]);
  return tableLines(PRESET_COLUMNS, cells, { trimEnd: true }).join('\n') + '\n';
}

/**
 * `sweetspot presets`: the built-in architectures.
 *
 * @example
 * await presetsCommand.run(['--json'], io);
 */
export const presetsCommand: Command = {
  name: 'presets',
  summary: 'list the built-in architectures with parameter counts and KV bytes per token',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('presets', args, { json: { type: 'boolean', multiple: false } });
    const rows = presetRows();
    io.stdout(values.json ? `${visibleJson(rows, 2)}\n` : table(rows));
    return 0;
  },
};
