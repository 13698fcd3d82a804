import { describe, expect, it } from 'vitest';
import { preset } from '../../src/architecture/registry.js';
import { H100_DEFAULT_CALIBRATION } from '../../src/energy/calibration/defaults.js';
import { energyForm } from '../../src/energy/forms/registry.js';
import { estimate } from '../../src/energy/predict/estimate.js';
import { predictInterval } from '../../src/energy/predict/interval.js';
import { energyModel } from '../../src/energy/predict/predict.js';
import { polynomialEnergy } from '../../src/surface/energy/energy.js';
import { axisRange } from '../../src/surface/grid/grid.js';
import { computeSurface } from '../../src/surface/grid/surface.js';
import { metricInfo } from '../../src/surface/metrics.js';
import { sweetSpot } from '../../src/surface/search/sweet-spot.js';
import { inputError } from './helpers.js';

// Names of Object.prototype's members: a lookup in a plain object finds them although no table lists them.
const INHERITED = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'];

describe('lookups by name find only what the tables list', () => {
  const energy = polynomialEnergy([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], { model: 'toy' });
  const grid = { nIn: axisRange(64, 65), nOut: axisRange(64, 65) };

  it("refuses metric '__proto__' and the other inherited names (computeSurface and sweetSpot computed a surface labelled '__proto__')", async () => {
    for (const name of INHERITED) {
      await inputError(() => metricInfo(name as never), [`metric: must be one of j-per-output-token, j-per-token, j-per-request, tokens-per-j, relative, got '${name}'`]);
      await inputError(() => computeSurface(energy, grid, name as never), ['metric: must be one of']);
      await inputError(() => sweetSpot(energy, { nIn: [64, 65], nOut: [64, 65] }, { metric: name as never }), ['metric: must be one of']);
    }
    expect(metricInfo('tokens-per-j').unit).toBe('output tokens/J');
  });

  it("refuses energyForm('__proto__') (it returned Object.prototype as a form)", async () => {
    for (const name of INHERITED) await inputError(() => energyForm(name), [`unknown energy form '${name}'`]);
    expect(energyForm('linear').id).toBe('linear');
  });

  it('refuses a form given by name to estimate (TypeError "Invalid value used as weak map key")', async () => {
    await inputError(() => estimate('llama-3.1-8b', { nIn: 1, nOut: 1 }, { form: 'hardware' as never }), ['estimate({ form }): expected an energy form object', 'got string']);
  });

  it('names null options of energyModel and a null request of predictInterval (both threw TypeError)', async () => {
    const arch = preset('llama-3.1-8b');
    await inputError(() => energyModel(H100_DEFAULT_CALIBRATION, arch, null as never), ['energyModel: options must be an object, got null']);
    await inputError(() => predictInterval(H100_DEFAULT_CALIBRATION, arch, null as never), ['predictInterval(calibration, arch, request): request must be { nIn, nOut, batch?, level? }, got null']);
  });
});
