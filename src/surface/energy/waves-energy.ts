import { emptyFeatures, fillFeatures } from '../../complexity/features.js';
import type { MemoryLimit } from '../../energy/hardware/memory-limit.js';
import { waveCount } from '../../energy/hardware/waves.js';
import type { SurfaceEnergy } from './energy.js';
import { checkFormEnergyInput, type FormEnergyInput } from './energy.js';
import { checkSurfaceEnergy } from './check.js';
import { checkShape } from '../../arguments.js';
import { FeatureTable, TABLE_CAP } from './feature-table.js';

/**
 * A surface energy whose points beyond the memory of a whole batch are priced in waves
 * (docs/energy-models.md#batches-that-exceed-memory, docs/surface.md#memory): a point whose
 * `nIn + nOut − 1` is within `whole.maxPositions` (the whole batch fits) is the `fits` energy's,
 * any other is `w·E1(batch/w)` computed from its terms with `w` from `waveCount`, per request.
 * The result is nondecreasing along a row but not convex (a new wave adds a step), so it claims
 * no `convexRows` and the searches scan its rows; the rows' fitting runs keep the fast path.
 *
 * @example
 * wavesEnergy(general, input, memoryLimit(arch, calibration, { batch: 128, regime: 'kv-cache', gpus: 1, profile })).energyJ(4096, 64)
 */
export function wavesEnergy(fits: SurfaceEnergy, input: FormEnergyInput, whole: MemoryLimit): SurfaceEnergy {
  checkSurfaceEnergy('wavesEnergy(fits)', fits);
  checkFormEnergyInput('wavesEnergy(fits, input)', input);
  checkShape('wavesEnergy(fits, input, whole)', whole, 'a memory limit (from memoryLimit)', { maxPositions: 'number', availableBytes: 'finite', weightBytes: 'finite', batch: 'finite' });
  const { form, kernel, settings } = input;
  const theta = Float64Array.from(input.theta as ArrayLike<number>);
  const ctx = input.context ?? {};
  const x = emptyFeatures();
  x.params = settings.params;
  const perRequest = 1 / settings.batch;
  const limit = whole.maxPositions;
  // The copies of KV heads on more GPUs than heads take memory too (docs/energy-models.md#memory).
  const kvCopies = whole.kvCacheCopies ?? 1;
  // Terms from the per-length tables where they hold (fused attention, lengths up to their cap),
  // as formEnergy reads them: a point in waves then costs a few table reads.
  const table = settings.attention === undefined || settings.attention === 'fused' ? new FeatureTable(kernel, settings) : undefined;
  const inWaves = (i: number, o: number): number => {
    const last = i + o - 1;
    if (table && last <= TABLE_CAP) {
      if (last > table.covered) table.ensure(last);
      table.fill(i, o, x);
    } else fillFeatures(kernel, i, o, settings.batch, settings.regime, settings.weightBytesPerStep, x, settings.attention);
    // Points where not even one sequence fits are masked by the surface's memory limit; were one
    // asked for anyway, it is priced as one wave rather than as nothing.
    x.waves = Math.max(1, waveCount(whole.weightBytes, x.kvCacheBytes * kvCopies, settings.batch, whole.availableBytes));
    return form.predictJ(theta, x, ctx) * perRequest;
  };
  const point = (i: number, o: number): number => (i + o - 1 <= limit ? fits.energyJ(i, o) : inWaves(i, o));
  const { model, gpu, calibration, maxPositions, memory } = fits;
  return {
    model,
    gpu,
    calibration,
    maxPositions,
    ...(memory ? { memory } : {}),
    energyJ: point,
    fillRowJ(i, outs, from, to, out, offset) {
      // Runs of points that fit go to the fitting energy's row path; the rest are priced one by one.
      let k = from;
      while (k < to) {
        if (i + outs[k] - 1 > limit) {
          out[offset + k - from] = inWaves(i, outs[k]);
          k++;
          continue;
        }
        const start = k;
        while (k < to && i + outs[k] - 1 <= limit) k++;
        fits.fillRowJ(i, outs, start, k, out, offset + start - from);
      }
    },
  };
}
