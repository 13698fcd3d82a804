import { describe, expect, it } from 'vitest';
import { fromHfConfig } from '../../src/architecture/hf-config.js';
import { preset } from '../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { createEstimator } from '../../src/energy/predict/estimator.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { predictInterval } from '../../src/energy/predict/interval.js';
import { energyModel, predictEnergy } from '../../src/energy/predict/predict.js';
import { surfaceEnergy } from '../../src/surface/energy/from-model.js';
import { axisRange } from '../../src/surface/grid/grid.js';
import { computeSurface } from '../../src/surface/grid/surface.js';
import { heatmapSvg } from '../../src/surface/plot/heatmap.js';
import { linePlotSvg } from '../../src/surface/plot/lines.js';
import { createAdvisor } from '../../src/surface/search/advice.js';
import { sweetRegion } from '../../src/surface/search/box-region.js';
import { DEFAULT_BOX } from '../../src/surface/search/box.js';
import { sweetSpot } from '../../src/surface/search/sweet-spot.js';
import { inputError } from './helpers.js';

// A misplaced or misspelt key used to be ignored: the answer came back computed without it.
describe('unknown keys in options and requests are refused by name', () => {
  const arch = preset('llama-3.1-8b');
  const calib = H100_DEFAULT_CALIBRATION;

  it('estimate: a batch among the options is named and sent to the request, where it changes the answer', async () => {
    await inputError(() => estimate('llama-3.1-8b', { nIn: 512, nOut: 128 }, { batch: 8 } as never), ['options: unknown key "batch"', 'batch belongs in the request']);
    // What the refused call would have returned: the batch-1 answer, not the batch-8 one.
    const one = estimate('llama-3.1-8b', { nIn: 512, nOut: 128 }).energyJ;
    const eight = estimate('llama-3.1-8b', { nIn: 512, nOut: 128, batch: 8 }).energyJ;
    expect(Math.abs(eight / one - 1)).toBeGreaterThan(0.2);
  });

  it('estimate: an option in the request, and a misspelt option, are named', async () => {
    await inputError(() => estimate('llama-3.1-8b', { nIn: 512, nOut: 128, gpus: 2 } as never), ['request: unknown key "gpus"', 'gpus belongs in the options']);
    await inputError(() => estimate('llama-3.1-8b', { nIn: 512, nOut: 128 }, { ignorememory: true } as never), ['unknown key "ignorememory"', 'did you mean ignoreMemory?']);
    await inputError(() => estimate('llama-3.1-8b', { n_in: 512, nOut: 128 } as never), ['unknown key "n_in"', 'did you mean nIn?']);
  });

  it('estimate: keys set to undefined pass and change nothing', () => {
    expect(estimate('llama-3.1-8b', { nIn: 512, nOut: 128, batch: undefined }, { gpus: undefined, ...({ extra: undefined } as object) }).energyJ).toBe(
      estimate('llama-3.1-8b', { nIn: 512, nOut: 128 }).energyJ,
    );
  });

  it('createEstimator, predictEnergy, predictInterval and energyModel name the key', async () => {
    await inputError(() => createEstimator('llama-3.1-8b', { batch: 8 } as never), ['unknown key "batch"', 'estimator.estimate(nIn, nOut, batch)']);
    await inputError(() => predictEnergy(calib, arch, { nIn: 1, nOut: 1, gpu: 2 } as never), ['predictEnergy', 'unknown key "gpu"', 'did you mean gpus?']);
    await inputError(() => predictInterval(calib, arch, { nIn: 1, nOut: 1, interval: 0.9 } as never), ['predictInterval', 'unknown key "interval"']);
    await inputError(() => energyModel(calib, arch, { gpus: 2 } as never), ['energyModel options: unknown key "gpus"']);
  });

  it('surfaceEnergy, sweetSpot, sweetRegion, createAdvisor and advise name the key', async () => {
    await inputError(() => surfaceEnergy(calib, arch, { batchSize: 8 } as never), ['surfaceEnergy options: unknown key "batchSize"']);
    const energy = surfaceEnergy(calib, arch);
    await inputError(() => sweetSpot(energy, DEFAULT_BOX, { metrics: 'j-per-token' } as never), ['sweetSpot options: unknown key "metrics"', 'did you mean metric?']);
    await inputError(() => sweetRegion(energy, DEFAULT_BOX, { within: 5 } as never), ['sweetRegion options: unknown key "within"']);
    await inputError(() => createAdvisor(energy, { withinPct: 5 } as never), ['createAdvisor options: unknown key "withinPct"']);
    const advisor = createAdvisor(energy);
    await inputError(() => advisor.advise(4096, 64, { truncateTo: 1024 } as never), ['advise options: unknown key "truncateTo"']);
  });

  it('heatmapSvg, linePlotSvg and fromHfConfig name the key', async () => {
    const energy = surfaceEnergy(calib, arch);
    const surface = computeSurface(energy, { nIn: axisRange(64, 96), nOut: axisRange(64, 96) });
    await inputError(() => heatmapSvg(surface, { colourScale: 'log' } as never), ['heatmap options: unknown key "colourScale"', 'did you mean colorScale?']);
    await inputError(() => linePlotSvg(energy, { nout: [64, 128] } as never), ['linePlot options: unknown key "nout"', 'did you mean nOut?']);
    const config = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100, max_position_embeddings: 128 };
    await inputError(() => fromHfConfig(config, { name: 'x' } as never), ['fromHfConfig options: unknown key "name"']);
    expect(fromHfConfig(config, { id: 'tiny' }).id).toBe('tiny');
  });
});
