import { resolve } from 'node:path';
import { ATTENTION_SETTINGS, serializeCalibration, type AttentionSetting } from '../../energy/calibration/document.js';
import { engineSettings } from '../../fit/engine.js';
import type { EnergyForm } from '../../energy/form.js';
import { BUILT_IN_FORMS, energyForm } from '../../energy/forms/registry.js';
import { resolveProfile } from '../../energy/hardware/profiles.js';
import { SweetspotInputError } from '../../errors.js';
import { calibrateWith, type CalibrationReport } from '../../fit/calibrate.js';
import { crossValidateWith, type CvResult } from '../../fit/evaluate/cv.js';
import { CLI_REMEDIES } from '../flags.js';
import { groupByColumns } from '../../fit/evaluate/folds.js';
import { loadMeasurementTable } from '../../fit/read/load.js';
import { usedCodes } from '../../fit/data/table.js';
import { parsePins, pinParams } from '../../fit/solve/pin.js';
import { choiceOption, optionalIntOption, parseOptions, positiveOption, requireString } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputs, writeOutput } from '../output-files.js';
import { DATA_HELP, DATA_SPECS, dataFilter, dataJson, dataReport, dataWarnings, pct, perModelJson } from '../options/data-options.js';
import { visibleJson } from '../../visible-text.js';
import { tableLines, type TableColumn } from '../table.js';

const HELP = `Usage: sweetspot fit --data FILE --save calib.json [options]

Fits an energy form to measured energies by minimising relative error (pred - meas)/meas, and saves
the calibration. Forms linear in their parameters (sweetspot, linear, per-param) are solved exactly
(non-negative least squares); the others by bounded Levenberg-Marquardt from several starts. The
report gives parameters with standard errors, the solver's convergence, MAPE beside the noise floor
of repeated rows, and the linear and per-param baselines fitted on the same rows.

Options:
${DATA_HELP}
  --form F              sweetspot (default; one parameter set per model), hardware (one set for
                        every model, from the complexity terms), linear, per-param, or a formula
                        over nIn, nOut, batch and the terms, e.g. 'a*prefillFlops + b*decodeBytes + c'
  --formula-scope S     shared (default) or per-model, for a formula
  --prior P             physics (default): the hardware and SweetSpot forms are fitted maximum a
                        posteriori under a prior derived from the GPU's profile, so that data that
                        cannot separate some parameters (1-D sweeps, a 3x2 grid, a few rows) still
                        give a physical answer, and the report says for each parameter whether the
                        data or the prior determined it; none: the plain fit, which refuses such data
  --fix NAME=VALUE      pin a parameter (repeatable), e.g. --fix staticPowerW=55; never needed
                        for a fit to run under the physics prior
  --attention A         how the engine computes attention: auto (default: read from the rows'
                        engine, e.g. Hugging Face transformers -> transformers-sdpa, vLLM -> fused),
                        fused, masked (full score matrices, mask read per element), eager
                        (materialises the score matrices), or transformers-sdpa (per model, as
                        transformers 4.36-4.39 does: Llama masked, Falcon eager, others fused)
  --profile GPU         hardware profile for forms that need one (default: the rows' GPU), named as
                        nvidia-smi prints it or by id: A100 (SXM4/PCIe, 40/80GB), H100 (SXM, PCIe,
                        NVL), H200, GH200 (96/144GB), B200, L40S, L40, L4, A10G, A10, A40, RTX A6000,
                        RTX 6000 Ada, RTX 4090, RTX 3090, V100 (SXM2/PCIe, 16/32GB), T4
  --waves               the engine ran batches that exceed the GPU's memory in waves (vLLM,
                        TensorRT-LLM preempt sequences): the hardware form prices such a row as
                        w calls of batch/w sequences (docs/energy-models.md); other forms ignore it
  --weight-bytes X      bytes per weight (default 2)
  --kv-bytes X          bytes per KV-cache element (default 2)
  --cv K                also cross-validate: K-fold over configurations, and leave-one-model-out
                        for shared forms (K >= 2)
  --cv-group COL        with --cv: rows of one model with equal values in these columns are one
                        configuration and share a fold (repeatable), e.g. --cv-group n_in
                        --cv-group n_out_max when repeats came back with different n_out
  --save FILE           where to write the calibration (JSON); never one of the inputs
  --force               replace --save when it exists
  --json                print the report as one JSON object
  --help                show this text

Rows without a kv_cache value take --kv-cache; without it, the regime the engine column states
(use_cache=False -> off), reported as inferred; otherwise on.
`;

const SPECS = {
  ...DATA_SPECS,
  form: { type: 'string', multiple: false },
  'formula-scope': { type: 'string', multiple: false },
  fix: { type: 'string', multiple: true },
  prior: { type: 'string', multiple: false },
  profile: { type: 'string', multiple: false },
  attention: { type: 'string', multiple: false },
  waves: { type: 'boolean', multiple: false },
  'weight-bytes': { type: 'string', multiple: false },
  'kv-bytes': { type: 'string', multiple: false },
  cv: { type: 'string', multiple: false },
  'cv-group': { type: 'string', multiple: true },
  save: { type: 'string', multiple: false },
  force: { type: 'boolean', multiple: false },
  json: { type: 'boolean', multiple: false },
} as const;

async function formOf(spec: string, scope: 'shared' | 'per-model'): Promise<{ form: EnergyForm; formula?: string }> {
  if (BUILT_IN_FORMS.includes(spec)) return { form: energyForm(spec) };
  if (/^[a-z-]+$/.test(spec)) {
    throw new SweetspotInputError(`fit: --form '${spec}' is not a form (built-in: ${BUILT_IN_FORMS.join(', ')}; or a formula such as 'a*nIn + b*nOut')`);
  }
  // Loaded only here: mathjs is heavy and only formulas need it.
  const { compileFormula } = await import('../../energy/forms/formula.js');
  return { form: await compileFormula(spec, { scope }), formula: spec };
}

// Fixed widths: each fit's parameters are a table of their own, and those of several models line up.
// A parameter without a prior writes its first four columns only.
const PARAM_COLUMNS: readonly TableColumn[] = [
  { header: 'parameter', width: 13 },
  { header: 'value', align: 'right', width: 13, gap: ' ' },
  { header: 'unit', width: 16, gap: ' ' },
  { header: '± sd', width: 12, gap: ' ' },
  { header: 'prior', align: 'right', width: 11, gap: ' ' },
  { header: 'moved', align: 'right', width: 7, gap: ' ' },
  { header: 'narrowed', align: 'right', width: 8, gap: ' ' },
  { header: 'determined by', width: 0 },
];

function textReport(rep: CalibrationReport, cv: CvResult[], head: string[]): string {
  const c = rep.calibration;
  const lines = [
    ...head,
    `form      ${c.form}${c.formula ? ` (${c.formula})` : ''}, ${c.regime}, attention ${c.attention}, GPU ${c.gpu}${c.profile ? ` [${c.profile}]` : ''}, engine ${c.engine}`,
    '',
  ];
  for (const [key, fit] of rep.fits) {
    const s = fit.solver;
    lines.push(`${key === '*' ? 'all models' : key}: ${fit.errors.n} rows, MAPE ${pct(fit.errors.mape)}, max APE ${pct(fit.errors.maxApe)}, R² ${fit.errors.r2.toFixed(4)}`);
    lines.push(`  solver ${s.method}: ${s.converged ? 'converged' : 'NOT converged'} (${s.reason}), ${s.iterations} iterations, ${s.starts} start(s), objective Σr² = ${s.objective.toPrecision(6)}`);
    const withPrior = fit.params.some((p) => p.prior);
    const rows = fit.params.map((p) => {
      const se = p.pinned ? 'pinned' : p.stdErr === null ? (p.atBound ? 'at bound' : 'n/a') : `± ${p.stdErr.toPrecision(3)}`;
      const prior = p.prior
        ? [p.prior.center.toPrecision(3), `${p.prior.shift >= 0 ? '+' : ''}${p.prior.shift.toFixed(2)}`, p.prior.narrowing === null ? '—' : p.prior.narrowing.toFixed(2), p.prior.determinedBy]
        : [];
      return [p.name, p.value.toPrecision(6), p.unit, se, ...prior];
    });
    lines.push(...tableLines(PARAM_COLUMNS, rows, { indent: '  ', header: withPrior }));
    if (withPrior) {
      lines.push(`  (moved: (value − prior centre)/prior sd; narrowed: posterior sd / prior sd, log scale where the prior is; data scatter σ = ${fit.priorSigma?.toPrecision(3)})`);
    }
    if (fit.residualSigma !== null) lines.push(`  prediction intervals: relative scatter σ = ${fit.residualSigma.toPrecision(3)}${fit.covariance ? ' and the parameter covariance' : ''} go into the calibration`);
    for (const w of fit.warnings) lines.push(`  warning: ${w}`);
  }
  lines.push('', `in-sample MAPE ${pct(rep.errors.mape)}; noise floor of repeats ${pct(rep.noiseFloor.mapePct)} (${rep.noiseFloor.groups} repeated configurations)`);
  for (const [id, b] of Object.entries(rep.baselines)) lines.push(`baseline  ${id}: ${b.errors ? `MAPE ${pct(b.errors.mape)}` : `not fitted: ${b.skipped}`}`);
  for (const r of cv) {
    lines.push(`cv        ${r.scheme}: ${Object.values(r.results).map((x) => `${x.form} ${pct(x.mape)}${x.failedFolds ? ` (${x.failedFolds} fold(s) failed)` : ''}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `sweetspot fit`: fit an energy form to measurements and save the calibration. */
export const fitCommand: Command = {
  name: 'fit',
  summary: 'fit an energy form to measured energies and save a calibration',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('fit', args, SPECS);
    const data = requireString('fit', values, 'data');
    const save = requireString('fit', values, 'save');
    const scope = choiceOption('fit', values, 'formula-scope', ['shared', 'per-model'] as const, 'shared');
    const weightBytes = positiveOption('fit', values, 'weight-bytes', 2);
    const kvBytes = positiveOption('fit', values, 'kv-bytes', 2);
    const k = optionalIntOption('fit', values, 'cv', { min: 2 });
    const cvGroup = (values['cv-group'] as string[] | undefined) ?? [];
    if (cvGroup.length > 0 && k === undefined) throw new SweetspotInputError('fit: --cv-group needs --cv K');
    const { form: base, formula } = await formOf(typeof values.form === 'string' ? values.form : 'sweetspot', scope);
    const form = pinParams(base, parsePins((values.fix as string[] | undefined) ?? []), 'calibrate({ fix })');
    const profile = typeof values.profile === 'string' ? resolveProfile(values.profile) : undefined;
    const output = { option: 'save', path: resolve(io.cwd, save) };
    const force = values.force === true;
    // Before any work: the calibration may never replace the measurements, nor a file without --force.
    await checkOutputs('fit', [output], [{ option: 'data', path: data }], io.cwd, force);
    const filter = dataFilter('fit', values);
    // Read into columns: 10⁶ rows fit in memory proportional to the columns (docs/fitting.md#measurement-tables).
    let loaded = await loadMeasurementTable(data, io.cwd, filter);
    const engine = engineSettings(loaded.table);
    const inferred: string[] = [];
    if (values['kv-cache'] === undefined && engine.kvCache === false) {
      // The engine says the cache was off: rows without a kv_cache value take that, not 'on'.
      loaded = await loadMeasurementTable(data, io.cwd, filter, { kvCache: false });
      const took = loaded.defaulted.find((d) => d.field === 'kvCache' && d.source === 'given')?.rows ?? 0;
      if (took > 0) inferred.push(`${engine.notes.find((n) => n.startsWith('kv_cache'))!} for ${took} row(s) without a value`);
    }
    for (const w of dataWarnings(loaded)) io.stderr(`sweetspot: warning: ${w}\n`);
    const attentionChoice = choiceOption('fit', values, 'attention', ['auto', ...ATTENTION_SETTINGS] as const, 'auto');
    let attention: AttentionSetting = attentionChoice === 'auto' ? 'fused' : attentionChoice;
    if (attentionChoice === 'auto' && engine.attention !== undefined) {
      attention = engine.attention;
      inferred.push(engine.notes.find((n) => n.startsWith('attention'))!);
    }
    const prior = choiceOption('fit', values, 'prior', ['physics', 'none'] as const, 'physics');
    const waves = values.waves === true;
    // The refusals name the command and the flags that remedy them (--fix, --profile, --where).
    const rep = calibrateWith(loaded.table, { form, formula, profile, weightBytes, kvBytes, prior, attention, waves }, CLI_REMEDIES, 'fit');
    const cv: CvResult[] = [];
    if (k !== undefined) {
      const options = { form, profile, weightBytes, kvBytes, prior, attention, waves };
      // The table as loaded: folds are index arrays over its columns (docs/fitting.md#calibrations-evaluation-cross-validation).
      const table = loaded.table;
      const groupBy = cvGroup.length > 0 ? groupByColumns(table, cvGroup) : undefined;
      const kFold = crossValidateWith(table, { kind: 'k-fold', k, groupBy }, options, CLI_REMEDIES);
      cv.push(groupBy ? { ...kFold, scheme: `${kFold.scheme} grouped by ${cvGroup.join(', ')}` } : kFold);
      if (form.scope === 'shared' && usedCodes(table.model).length > 1) cv.push(crossValidateWith(table, { kind: 'leave-one-model-out' }, options, CLI_REMEDIES));
    }
    const path = output.path;
    const text = serializeCalibration(rep.calibration);
    // The report first: a file that cannot be written costs the file, not the results.
    if (values.json) {
      const out = {
        saved: path,
        data: dataJson(data, loaded),
        inferred,
        calibration: rep.calibration,
        fits: Object.fromEntries(
          [...rep.fits].map(([key, f]) => [key, { params: f.params, solver: f.solver, errors: f.errors, conditionNumber: f.conditionNumber, warnings: f.warnings }]),
        ),
        mape: rep.errors.mape,
        maxApe: rep.errors.maxApe,
        r2: rep.errors.r2,
        perModel: perModelJson(rep.perModel),
        noiseFloor: rep.noiseFloor,
        baselines: Object.fromEntries(Object.entries(rep.baselines).map(([id, b]) => [id, b.errors ? { mape: b.errors.mape, maxApe: b.errors.maxApe, r2: b.errors.r2 } : { skipped: b.skipped }])),
        cv: cv.map((r) => ({ scheme: r.scheme, results: Object.fromEntries(Object.entries(r.results).map(([id, x]) => [id, { mape: x.mape, n: x.n, failedFolds: x.failedFolds, folds: x.folds }])) })),
      };
      io.stdout(`${visibleJson(out, 2)}\n`);
    } else {
      io.stdout(textReport(rep, cv, [...dataReport(loaded), ...inferred.map((n) => `inferred  ${n}`)]));
    }
    await writeOutput('fit', output, text, force);
    if (!values.json) io.stdout(`saved     ${path}\n`);
    return 0;
  },
};
