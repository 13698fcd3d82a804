// How much of the fitted H100 level comes from the data and how much from the prior: the pooled
// H100 procedure re-run with every prior width multiplied by a factor, with its in-sample and
// cross-validated errors and its level against the physics prior. `npm run calibrations:sensitivity`
// prints the table quoted in docs/energy-models.md#the-built-in-h100-default.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preset } from '../../src/architecture/registry.js';
import { H100_PHYSICS_PRIOR } from '../../src/energy/calibration/physics-prior.js';
import { predictEnergy } from '../../src/energy/predict/predict.js';
import { crossValidation, engineOf, h100Procedure, h100Rows, modelOf } from './build.js';

/** One prior-width factor: the pooled fit's errors and its energy against the prior's. */
export interface SensitivityRow {
  readonly widthScale: number;
  readonly inSampleMape: number;
  readonly leaveOneEngineOutMape: number;
  readonly leaveOneModelOutMape: number;
  /** Least and greatest fitted/prior energy ratio over {@link LEVEL_REQUESTS}. */
  readonly levelRatio: readonly [number, number];
}

/** The requests the level is read on: 7–8B presets, batch 1–32, prompts of 128–2048 tokens. */
export const LEVEL_REQUESTS = ['llama-2-7b', 'mistral-7b', 'qwen2-7b', 'llama-3.1-8b'].flatMap((model) =>
  [1, 8, 32].flatMap((batch) =>
    [
      [128, 128],
      [2048, 256],
      [512, 512],
    ].map(([nIn, nOut]) => ({ model, batch, nIn, nOut })),
  ),
);

export function priorSensitivity(root: string, widthScales: readonly number[]): SensitivityRow[] {
  const rows = h100Rows(root);
  return widthScales.map((widthScale) => {
    const procedure = h100Procedure('vLLM or TensorRT-LLM (fp16, pooled)', 'prior sensitivity', widthScale);
    const calibration = procedure(rows);
    const ratios = LEVEL_REQUESTS.map(({ model, ...request }) => {
      const arch = preset(model);
      return predictEnergy(calibration, arch, request).energyJ / predictEnergy(H100_PHYSICS_PRIOR, arch, request).energyJ;
    });
    return {
      widthScale,
      inSampleMape: calibration.errors!.mape,
      leaveOneEngineOutMape: crossValidation('leave-one-engine-out', rows, engineOf, procedure).mape,
      leaveOneModelOutMape: crossValidation('leave-one-model-out', rows, modelOf, procedure).mape,
      levelRatio: [Math.min(...ratios), Math.max(...ratios)],
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  console.log('| prior widths | in-sample MAPE | leave-one-engine-out | leave-one-model-out | fitted / prior energy |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of priorSensitivity(root, [1 / 8, 1 / 4, 1 / 2, 1, 2, 4])) {
    const scale = r.widthScale < 1 ? `×1/${1 / r.widthScale}` : `×${r.widthScale}`;
    console.log(
      `| ${scale} | ${r.inSampleMape.toFixed(1)}% | ${r.leaveOneEngineOutMape.toFixed(1)}% | ${r.leaveOneModelOutMape.toFixed(1)}% | ` +
        `${r.levelRatio[0].toFixed(2)}–${r.levelRatio[1].toFixed(2)} |`,
    );
  }
}
