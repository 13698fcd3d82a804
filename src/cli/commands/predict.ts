import { MAX_BATCH } from '../../energy/limits.js';
import { loadArchitecture } from '../../architecture/load.js';
import { callMetrics } from '../../energy/metrics.js';
import { energyModel } from '../../energy/predict.js';
import { SweetspotInputError } from '../../errors.js';
import { intervalOf, type EnergyInterval } from '../../energy/interval.js';
import { lengthOnlyEnergyJ, predictsWithoutArchitecture } from '../../fit/length-only.js';
import { intOption, optionalIntOption, parseOptions, requireString } from '../args.js';
import type { Command } from '../command.js';
import { readCalibrationFile } from './calibration-file.js';

const HELP = `Usage: sweetspot predict --calibration calib.json --model M --in N --out N [options]

Energy of one call predicted by a saved calibration, and its per-token metrics.

Options:
  --calibration FILE  a calibration written by 'sweetspot fit'
  --model M           preset id, Hugging Face repo id, or a path to a config.json (a per-model
                      calibration knows only its own models; a hardware one predicts any)
  --in N              prompt tokens, an integer >= 1
  --out N             output tokens, an integer >= 1
  --batch B           identical requests run together (default: the calibration's batch)
  --allow-overflow    predict requests longer than the model's context
  --json              print one JSON object: energyJ (the whole call), energyPerRequestJ,
                      jPerOutputToken, jPerToken, outputTokensPerJ, model, nIn, nOut, batch
  --help              show this text
`;

const SPECS = {
  calibration: { type: 'string', multiple: false },
  model: { type: 'string', multiple: false },
  in: { type: 'string', multiple: false },
  out: { type: 'string', multiple: false },
  batch: { type: 'string', multiple: false },
  'allow-overflow': { type: 'boolean', multiple: false },
  json: { type: 'boolean', multiple: false },
} as const;

/** `sweetspot predict`: energy of one request from a saved calibration. */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'energy of one request from a saved calibration (J, J/token, tokens/J)',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('predict', args, SPECS);
    const path = requireString('predict', values, 'calibration');
    const modelSpec = requireString('predict', values, 'model');
    const nIn = intOption('predict', values, 'in');
    const nOut = intOption('predict', values, 'out');
    const batch = optionalIntOption('predict', values, 'batch', { max: MAX_BATCH });
    const { calibration, form } = await readCalibrationFile(path, io.cwd);
    let energyJ: number;
    let b: number;
    let modelId: string;
    let interval: EnergyInterval | undefined;
    try {
      const arch = await loadArchitecture(modelSpec, io.cwd).catch((error: unknown) => {
        // Calibrated under a name no architecture is known for: the lengths are all it needs.
        if (error instanceof SweetspotInputError && predictsWithoutArchitecture(calibration, modelSpec)) return undefined;
        throw error;
      });
      if (arch) {
        const model = energyModel(calibration, arch, { batch, allowOverflow: values['allow-overflow'] === true, form });
        energyJ = model.energyJ(nIn, nOut);
        if (model.uncertainty) interval = intervalOf(model, nIn, nOut, 0.9);
        b = model.batch;
        modelId = arch.id;
      } else {
        b = batch ?? calibration.batch;
        energyJ = lengthOnlyEnergyJ(calibration, modelSpec, nIn, nOut, b);
        modelId = modelSpec;
      }
    } catch (error) {
      if (error instanceof SweetspotInputError) throw new SweetspotInputError(`predict: ${error.message}`, error.issues);
      throw error;
    }
    const out = {
      model: modelId,
      nIn,
      nOut,
      batch: b,
      ...callMetrics(energyJ, nIn, nOut, b),
      interval: interval ? { level: interval.level, lowJ: interval.lowJ, highJ: interval.highJ } : null,
    };
    if (values.json) {
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    io.stdout(
      [
        `model     ${modelId}, ${nIn} in, ${nOut} out, batch ${b} (${calibration.form} calibration, ${calibration.gpu})`,
        `energy    ${energyJ.toPrecision(6)} J for the call (${out.energyPerRequestJ.toPrecision(6)} J per request)`,
        interval
          ? `interval  ${interval.lowJ.toPrecision(4)} to ${interval.highJ.toPrecision(4)} J for the call (90%, from the calibration's residual scatter and parameter covariance)`
          : 'interval  none: the calibration carries no uncertainty',
        `per token ${out.jPerOutputToken.toPrecision(4)} J/output token, ${out.jPerToken.toPrecision(4)} J/token, ${out.outputTokensPerJ.toPrecision(4)} output tokens/J`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
