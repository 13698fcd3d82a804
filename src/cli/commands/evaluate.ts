import { evaluateWith } from '../../fit/evaluate/evaluate.js';
import { loadMeasurementTable } from '../../fit/read/load.js';
import { parseOptions, requireString } from '../args.js';
import type { Command } from '../command.js';
import { calibrationOption, readCalibrationFile } from '../options/calibration-file.js';
import { DATA_HELP, DATA_SPECS, dataFilter, dataJson, dataReport, dataWarnings, pct, perModelJson } from '../options/data-options.js';
import { visibleJson } from '../../visible-text.js';
import { tableLines, type TableColumn } from '../table.js';
import { CLI_REMEDIES, cliMessage } from '../flags.js';

const HELP = `Usage: sweetspot evaluate --data FILE [--calibration C] [options]

Predicts measured rows with a saved calibration and reports MAPE overall, per model and per measured
configuration, beside the noise floor of repeated rows and the linear and per-param baselines
(fitted on these same rows, which favours them). A per-model calibration only predicts its own
models; a hardware calibration predicts any model whose architecture is known.

Options:
  --calibration C       a shelf name ('sweetspot calibrations' lists them: h100-vllm, …) or a
                        calibration file written by 'sweetspot fit' (default: h100, the built-in
                        H100 SXM default, as for 'sweetspot predict')
${DATA_HELP}
  --waves               the rows' engine ran batches that exceed the GPU's memory in waves: a
                        hardware calibration predicts such a row as w calls of batch/w sequences
                        (docs/energy-models.md); other forms ignore it
  --no-transfer         price rows measured on another GPU on the calibration's own GPU (by
                        default a hardware calibration is moved to each row's GPU by ratios to
                        physics, docs/energy-models.md#other-gpus)
  --json                print one JSON object: mape, maxApe, r2, n, perModel (id -> {mape, n}),
                        perPoint, noiseFloor, baselines, intervals ({level, coverage, n}: how many
                        rows fell inside their 90% prediction interval)
  --help                show this text

Rows without a kv_cache value are taken to be in the calibration's regime.
`;

const SPECS = {
  ...DATA_SPECS,
  calibration: { type: 'string', multiple: false },
  waves: { type: 'boolean', multiple: false },
  'no-transfer': { type: 'boolean', multiple: false },
  json: { type: 'boolean', multiple: false },
} as const;

// Fixed widths, so that the parameters of several models line up: name, value, unit, what determined it.
const PARAM_COLUMNS: readonly TableColumn[] = [{ width: 13 }, { align: 'right', width: 11, gap: ' ' }, { width: 9, gap: ' ' }, { width: 0, gap: ' ' }];
// A model's line: its key, 'MAPE', the figure, its row count.
const MODEL_COLUMNS: readonly TableColumn[] = [{ width: 24 }, { width: 0, gap: ' ' }, { align: 'right', width: 8, gap: ' ' }, { width: 0, gap: '  ' }];

/** `sweetspot evaluate`: the errors of a calibration on measurements. */
export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'MAPE of a calibration (shelf name or file) on measurements, per model, beside baselines',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('evaluate', args, SPECS);
    const path = calibrationOption(values);
    const data = requireString('evaluate', values, 'data');
    const { calibration, form } = await readCalibrationFile(path, io.cwd);
    // Read into columns: 10⁶ rows without an object per row (docs/fitting.md#measurement-tables).
    const loaded = await loadMeasurementTable(data, io.cwd, dataFilter('evaluate', values), { kvCache: calibration.regime === 'kv-cache' });
    for (const w of dataWarnings(loaded)) io.stderr(`sweetspot: warning: ${w}\n`);
    const ev = evaluateWith(calibration, loaded.table, { form, transfer: values['no-transfer'] !== true, waves: values.waves === true }, CLI_REMEDIES);
    if (values.json) {
      io.stdout(
        `${visibleJson(
          {
            calibration: path,
            form: calibration.form,
            data: dataJson(data, loaded),
            n: ev.n,
            mape: ev.mape,
            maxApe: ev.maxApe,
            r2: ev.r2,
            perModel: perModelJson(ev.perModel),
            perPoint: ev.perPoint,
            noiseFloor: ev.noiseFloor,
            baselines: ev.baselines,
            intervals: ev.intervals ? { level: ev.intervals.level, coverage: ev.intervals.coverage, n: ev.intervals.n } : null,
            warnings: ev.warnings,
          },
          2,
        )}\n`,
      );
      return 0;
    }
    const lines = [...dataReport(loaded), `calibration ${path}: ${calibration.form}, ${calibration.regime}, attention ${calibration.attention}, GPU ${calibration.gpu}`, ''];
    // What determined each parameter, as the fit reported it (docs/fitting.md#priors).
    const sets: [string, Record<string, { value: number; unit: string; stdErr: number | null; prior?: { determinedBy: string; shift: number; narrowing: number | null } }>][] =
      Object.keys(calibration.params).length > 0 ? [['all models', calibration.params]] : Object.entries(calibration.models).map(([k, m]) => [k, m.params]);
    for (const [key, params] of sets) {
      if (!Object.values(params).some((p) => p.prior)) continue;
      lines.push(`${key}: parameters and what determined them at the fit`);
      const rows = Object.entries(params).map(([name, p]) => {
        const why = p.prior ? `${p.prior.determinedBy} (moved ${p.prior.shift >= 0 ? '+' : ''}${p.prior.shift.toFixed(2)}, narrowed ${p.prior.narrowing === null ? '—' : p.prior.narrowing.toFixed(2)})` : 'no prior';
        return [name, p.value.toPrecision(4), p.unit, why];
      });
      lines.push(...tableLines(PARAM_COLUMNS, rows, { indent: '  ' }));
    }
    lines.push(`MAPE ${pct(ev.mape)} over ${ev.n} rows (max APE ${pct(ev.maxApe)}, R² ${ev.r2.toFixed(4)}); noise floor ${pct(ev.noiseFloor.mapePct)}`);
    lines.push(...tableLines(MODEL_COLUMNS, Object.entries(ev.perModel).map(([id, e]) => [id, 'MAPE', pct(e.mape), `(${e.n} rows)`]), { indent: '  ' }));
    for (const [id, b] of Object.entries(ev.baselines)) lines.push(`baseline ${id}: ${cliMessage(b.mape === undefined ? b.note : `MAPE ${pct(b.mape)} (${b.note})`)}`);
    if (ev.intervals) {
      lines.push(
        `${Math.round(ev.intervals.level * 100)}% prediction intervals: ${(100 * ev.intervals.coverage).toFixed(1)}% of ${ev.intervals.n} rows inside (nominal ${Math.round(ev.intervals.level * 100)}%)`,
      );
    } else lines.push('prediction intervals: the calibration carries no uncertainty (refit it to get them)');
    for (const w of ev.warnings) lines.push(`warning: ${cliMessage(w)}`);
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
