import { listCalibrations, shelfEntry, type ShelfSummary } from '../../energy/calibration/shelf.js';
import { parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { visibleJson } from '../../visible-text.js';
import { tableLines, type TableColumn } from '../table.js';

const HELP = `Usage: sweetspot calibrations [--json] [--show NAME]

Lists the calibration shelf: named calibrations fitted to public measurements (and the H100
physics prior), with GPU, engine, regime, the rows each was fitted on, in-sample MAPE and
cross-validated MAPE. Pick the closest to your set-up and pass its name to --calibration
(predict, sweetspot, surface, advise, evaluate). '*' marks the built-in default.

Options:
  --json        print a JSON array of { name, release, title, gpu, profile, engine, regime,
                fitted, isDefault, rows, mape, crossValidation }
  --show NAME   print one calibration's whole shelf entry (method, data, caveats, folds, the
                calibration document) as JSON
  --help        show this text

Example:
  sweetspot calibrations
  sweetspot predict --model llama-3-8b --calibration h100-vllm --in 1024 --out 256
`;

const pct = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)}%`);

const SHELF_COLUMNS: readonly TableColumn[] = [
  { header: 'name' },
  { header: 'GPU' },
  { header: 'engine' },
  { header: 'regime' },
  { header: 'rows', align: 'right' },
  { header: 'MAPE', align: 'right' },
  { header: 'cross-validated MAPE' },
];

function table(rows: readonly ShelfSummary[]): string {
  const cells = rows.map((r) => [
    `${r.name}${r.isDefault ? ' *' : ''}`,
    // The data's GPU strings can be long descriptions: the profile id says the same in a column.
    r.gpu.length > 24 && r.profile ? r.profile : r.gpu,
    r.engine.replace(/\s*\(.*$/, ''),
    r.regime,
    String(r.rows),
    r.fitted ? pct(r.mape) : 'derived',
    r.crossValidation.map((c) => `${c.scheme.replace(/\s*\(.*$/, '')} ${pct(c.mape)}`).join('; ') || '-',
  ]);
  return [...tableLines(SHELF_COLUMNS, cells, { trimEnd: true }), '', '* the built-in default; docs/calibrations.md has each one\'s data, method and caveats',
    'another GPU: predict, sweetspot, surface and advise take --on-gpu NAME, which moves a hardware calibration there (docs/energy-models.md#other-gpus)',
    ''].join('\n');
}

/**
 * `sweetspot calibrations`: the calibration shelf.
 *
 * @example
 * await calibrationsCommand.run(['--json'], io);
 */
export const calibrationsCommand: Command = {
  name: 'calibrations',
  summary: 'list the named public calibrations (the shelf) with their cross-validated errors',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('calibrations', args, { json: { type: 'boolean', multiple: false }, show: { type: 'string', multiple: false } });
    if (typeof values.show === 'string') {
      io.stdout(`${visibleJson(shelfEntry(values.show), 2)}\n`);
      return 0;
    }
    const rows = listCalibrations();
    io.stdout(values.json ? `${visibleJson(rows, 2)}\n` : table(rows));
    return 0;
  },
};
