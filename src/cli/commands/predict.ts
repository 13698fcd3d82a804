import { MAX_BATCH, MAX_GPUS } from '../../energy/limits.js';
import { loadArchitecture } from '../../architecture/load.js';
import { callMetrics } from '../../energy/predict/metrics.js';
import { bindEstimator } from '../../energy/predict/estimator.js';
import { checkTensorParallel } from '../../energy/hardware/tensor-parallel.js';
import { energyModel } from '../../energy/predict/predict.js';
import { SweetspotInputError } from '../../errors.js';
import { intervalOf, isCoverage, nearOne, type EnergyInterval } from '../../energy/predict/interval.js';
import { lengthOnlyEnergyJ, predictsWithoutArchitecture } from '../../fit/length-only.js';
import { intOption, optionalIntOption, parseOptions, requireString } from '../args.js';
import type { Command } from '../command.js';
import { ON_GPU_HELP, calibrationOption, onGpuOption, readCalibrationFile } from '../options/calibration-file.js';
import { visibleJson } from '../../visible-text.js';
import { movedErrorText, offHbm } from '../options/surface-options.js';
import { outsideFit } from '../../energy/calibration/outside-fit.js';

const HELP = `Usage: sweetspot predict --model M --in N --out N [--calibration C] [options]

Energy of one call predicted by a calibration (a shelf name or a saved file), and its per-token
metrics.

Options:
  --calibration C     a shelf name ('sweetspot calibrations' lists them: h100-vllm, …) or a
                      calibration file written by 'sweetspot fit' (default: h100, the built-in
                      H100 SXM default)
  --model M           preset id, Hugging Face repo id, or a path to a config.json (a per-model
                      calibration knows only its own models; a hardware one predicts any)
  --in N              prompt tokens, an integer >= 1
  --out N             output tokens, an integer >= 1
  --batch B           identical requests run together (default: the calibration's batch)
  --allow-overflow    predict requests longer than the model's context
  --gpus G            GPUs the model is split over (tensor parallel; default 1; a count whose
                      GPUs can each take whole heads): a request whose weights and KV cache
                      exceed the memory of the calibration's GPUs is refused
${ON_GPU_HELP.replace(/^ {2}(--on-gpu NAME) {8}/, '  $1       ').replace(/\n {23}/g, '\n                      ')}
  --waves             price such a batch as engines that preempt sequences run it: in w waves
                      of batch/w sequences, w = ceil(batch / the largest batch that fits)
                      (docs/energy-models.md); refused when not even one sequence fits
  --ignore-memory     predict it anyway, as if the batch were held at once
  --interval P        coverage of the prediction interval, between 0 and 1 (default 0.9)
  --json              print one JSON object: energyJ (the whole call), energyPerRequestJ,
                      jPerOutputToken, jPerToken, outputTokensPerJ, model, nIn, nOut, batch,
                      interval (null on several GPUs or without uncertainty), fitted, moved (true
                      with --on-gpu), outsideFit (the axes beyond the fitted rows), gpus, memoryBytes, gpuMemoryBytes (null: no memory check
                      without a GPU profile), and waves with --waves
  --help              show this text
`;

const SPECS = {
  calibration: { type: 'string', multiple: false },
  model: { type: 'string', multiple: false },
  in: { type: 'string', multiple: false },
  out: { type: 'string', multiple: false },
  batch: { type: 'string', multiple: false },
  'allow-overflow': { type: 'boolean', multiple: false },
  gpus: { type: 'string', multiple: false },
  'on-gpu': { type: 'string', multiple: false },
  'ignore-memory': { type: 'boolean', multiple: false },
  waves: { type: 'boolean', multiple: false },
  json: { type: 'boolean', multiple: false },
  interval: { type: 'string', multiple: false },
} as const;

// Sequences per wave with at most two decimals: the equal split may be fractional
// (docs/energy-models.md#batches-that-exceed-memory); a fixed number of decimals keeps an
// integer's zeros (2000) and never turns to exponent form (21845.33).
function waveSize(batch: number, waves: number): string {
  return String(Number((batch / waves).toFixed(2)));
}

/** `sweetspot predict`: energy of one request from a calibration (the built-in default unless `--calibration`). */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'energy of one request from a calibration (J, J/output token, J/token, output tokens/J; default h100)',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('predict', args, SPECS);
    // The built-in default unless told otherwise, as `estimate` and the surface commands do.
    const path = calibrationOption(values);
    const modelSpec = requireString('predict', values, 'model');
    const nIn = intOption('predict', values, 'in');
    const nOut = intOption('predict', values, 'out');
    const batch = optionalIntOption('predict', values, 'batch', { max: MAX_BATCH });
    const gpus = optionalIntOption('predict', values, 'gpus', { min: 1, max: MAX_GPUS });
    const level = values.interval === undefined ? 0.9 : Number(values.interval);
    if (!(typeof values.interval !== 'string' || (values.interval.trim() !== '' && isCoverage(level)))) {
      throw new SweetspotInputError(`predict: --interval must be a coverage between 0 and 1 such as 0.9, got '${String(values.interval)}'${nearOne(level)}`);
    }
    const given = await readCalibrationFile(path, io.cwd);
    const form = given.form;
    const calibration = onGpuOption('predict', values, given.calibration);
    const moved = calibration !== given.calibration;
    let energyJ: number;
    let b: number;
    let modelId: string;
    let memory: { gpus: number; memoryBytes: number | null; gpuMemoryBytes: number | null } = { gpus: gpus ?? 1, memoryBytes: null, gpuMemoryBytes: null };
    let interval: EnergyInterval | undefined;
    const waves = values.waves === true;
    let waveCount: number | undefined;
    try {
      const arch = await loadArchitecture(modelSpec, io.cwd).catch((error: unknown) => {
        // Calibrated under a name no architecture is known for: the lengths are all it needs.
        if (error instanceof SweetspotInputError && predictsWithoutArchitecture(calibration, modelSpec)) return undefined;
        throw error;
      });
      if (arch) {
        if (gpus !== undefined) checkTensorParallel('predict: --gpus', arch, gpus);
        const ignoreMemory = values['ignore-memory'] === true;
        const estimator = bindEstimator(arch, { calibration, form, allowOverflow: values['allow-overflow'] === true, ignoreMemory, gpus, ...(waves ? { waves } : {}) }, 'predict');
        const e = estimator.estimate(nIn, nOut, batch);
        energyJ = e.energyJ;
        b = e.batch;
        waveCount = e.waves;
        // The interval of the energy printed, in waves when it was priced in waves. Intervals are for
        // one GPU (the stored covariance is of the one-GPU parameters), as estimate({ interval }) says.
        if (e.gpus === 1) {
          const model = energyModel(calibration, arch, { batch: b, allowOverflow: values['allow-overflow'] === true, form, ...(waves ? { waves } : {}) });
          if (model.uncertainty) interval = intervalOf(model, nIn, nOut, level);
        }
        modelId = arch.id;
        memory = { gpus: e.gpus, memoryBytes: e.memoryBytes, gpuMemoryBytes: e.gpuMemoryBytes };
      } else {
        b = batch ?? calibration.batch;
        energyJ = lengthOnlyEnergyJ(calibration, modelSpec, nIn, nOut, b);
        modelId = modelSpec;
      }
    } catch (error) {
      if (error instanceof SweetspotInputError && !error.message.startsWith('predict')) throw new SweetspotInputError(`predict: ${error.message}`, error.issues);
      throw error;
    }
    const outside = outsideFit(calibration, { nIn, nOut, batch: b });
    const out = {
      model: modelId,
      nIn,
      nOut,
      batch: b,
      ...callMetrics(energyJ, nIn, nOut, b),
      interval: interval ? { level: interval.level, lowJ: interval.lowJ, highJ: interval.highJ } : null,
      fitted: calibration.fitted,
      moved,
      outsideFit: outside,
      ...memory,
      ...(waves ? { waves: waveCount ?? 1 } : {}),
    };
    if (values.json) {
      io.stdout(`${visibleJson(out, 2)}\n`);
      return 0;
    }
    io.stdout(
      [
        `model     ${modelId}, ${nIn} in, ${nOut} out, batch ${b} (${calibration.form} calibration, ${calibration.gpu})`,
        `energy    ${energyJ.toPrecision(6)} J for the call (${out.energyPerRequestJ.toPrecision(6)} J per request)`,
        interval
          ? `interval  ${interval.lowJ.toPrecision(4)} to ${interval.highJ.toPrecision(4)} J for the call (${percentText(interval.level)}, from the calibration's residual scatter and parameter covariance${moved ? ', widened for the move to another GPU' : ''})`
          : memory.gpus !== 1
            ? 'interval  none: intervals are for one GPU'
            : 'interval  none: the calibration carries no uncertainty',
        `per token ${out.jPerOutputToken.toPrecision(4)} J/output token, ${out.jPerToken.toPrecision(4)} J/token, ${out.outputTokensPerJ.toPrecision(4)} output tokens/J`,
        memory.memoryBytes === null || memory.gpuMemoryBytes === null
          ? 'memory    not checked (the calibration names no known GPU)'
          : `memory    ${(memory.memoryBytes / 1e9).toFixed(1)} GB of weights and KV cache on ${memory.gpus} GPU(s) of ${((memory.gpuMemoryBytes ?? NaN) / 1e9).toFixed(1)} GB in all` +
            (waveCount !== undefined && waveCount > 1
              ? `: run in ${waveCount} waves of ${waveSize(b, waveCount)} sequences (--waves)`
              : memory.memoryBytes > memory.gpuMemoryBytes
                ? ': does not fit, priced as if held at once (--ignore-memory)'
                : ''),
        ...(outside.length > 0 ? [`note      outside the rows it was fitted on: ${outside.join(', ')}; the interval does not cover extrapolation`] : []),
        ...(moved ? [`note      the calibration was fitted on ${given.calibration.gpu} and moved to this GPU by ratios to physics; ${movedErrorText(offHbm(given.calibration, calibration))}`] : []),
        '',
      ].join('\n'),
    );
    return 0;
  },
};

/** A coverage as people write it: 0.9 → 90%, 0.975 → 97.5%. */
function percentText(level: number): string {
  return `${Number((100 * level).toPrecision(6))}%`;
}
