import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import type { Architecture } from '../../src/architecture/schema.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { SweetspotMemoryError } from '../../src/errors.js';
import { surfaceEnergy } from '../../src/surface/energy/from-model.js';
import { sweetSpot } from '../../src/surface/search/sweet-spot.js';
import { cli } from '../cli/helpers.js';

const llama8 = preset('llama-3.1-8b');
const llama70: Architecture = { ...llama8, id: 'llama-3.1-70b', hfId: 'meta-llama/Llama-3.1-70B', hiddenSize: 8192, numLayers: 80, numHeads: 64, intermediateSize: 28672 };

describe('surfaces on GPUs', () => {
  it('refuse a model whose weights do not fit, and agree with estimate on as many GPUs as it needs', () => {
    expect(() => surfaceEnergy(H100_DEFAULT_CALIBRATION, llama70)).toThrow(SweetspotMemoryError);
    expect(() => surfaceEnergy(H100_DEFAULT_CALIBRATION, llama70)).toThrow(/^surfaceEnergy: llama-3.1-70b needs 141\.1 GB for its weights alone \(at 2 bytes\/parameter\), more than the 80\.0 GB of one NVIDIA H100 SXM5 80GB; the weights alone do not fit: give \{ gpus: 2 \}/);
    const energy = surfaceEnergy(H100_DEFAULT_CALIBRATION, llama70, { gpus: 2 });
    for (const [i, o] of [[64, 64], [1024, 256], [4000, 90]]) {
      const want = estimate(llama70, { nIn: i, nOut: o }, { gpus: 2 }).energyJ;
      expect(Math.abs(energy.energyJ(i, o) / want - 1)).toBeLessThan(1e-12);
    }
    expect(sweetSpot(energy, { nIn: [64, 512], nOut: [64, 512] }).best.value).toBeGreaterThan(0);
  });

  it('the CLI says --gpus', async () => {
    await expect(cli(process.cwd(), ['sweetspot', '--model', 'llama-3.1-8b', '--gpus', '0'])).rejects.toThrow(/--gpus must be an integer in 1\.\.4096/);
    const one = JSON.parse((await cli(process.cwd(), ['sweetspot', '--model', 'llama-3.1-8b', '--in', '64:128', '--out', '64:128', '--json'])).stdout);
    const four = JSON.parse((await cli(process.cwd(), ['sweetspot', '--model', 'llama-3.1-8b', '--in', '64:128', '--out', '64:128', '--gpus', '4', '--json'])).stdout);
    // Each of the 4 GPUs pays 0.1 J per forward step: the request at (i, o) costs 3·0.1·o J more.
    const at = (j: { best: { nIn: number; nOut: number } }) => estimate('llama-3.1-8b', { nIn: j.best.nIn, nOut: j.best.nOut }, { gpus: 4 }).energyJ;
    expect(four.best.energyJ).toBeCloseTo(at(four), 9);
    expect(four.best.energyJ).toBeGreaterThan(one.best.energyJ);
  });
});
