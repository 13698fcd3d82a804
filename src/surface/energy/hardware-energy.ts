import type { EnergyForm, FormContext } from '../../energy/form.js';
import { bandwidthOf, hardwarePhaseJ, peakFlopsOf } from '../../energy/forms/hardware.js';
import type { TermsKernel } from '../../complexity/terms.js';
import type { MemoryLimit } from '../../energy/hardware/memory-limit.js';
import type { EnergyLabels, SurfaceEnergy } from './energy.js';
import { FeatureTable, type FeatureSettings, TABLE_CAP } from './feature-table.js';
import { checkShape } from '../../arguments.js';
import { checkFormEnergyInput } from './energy.js';
import { checkSurfaceEnergy } from './check.js';


/**
 * The hardware form (`src/energy/forms/hardware.ts`) specialised for surfaces:
 * `E = eFlop·FLOPs + eByte·bytes + P·Σ_phase max(F/(ηc·peak), B/(ηm·bw)) + eStep·(steps + 1)`,
 * each phase by the form's own `hardwarePhaseJ`.
 * The prefill half depends on nIn only and is hoisted out of a row; the decode half needs two
 * table differences, a max and four multiply-adds per point (and no division in the surface's
 * per-output-token fill). Agrees with the form's `predictJ` to rounding (tested).
 *
 * @example
 * hardwareEnergy({ model: 'llama-3.1-8b', form: hardwareFormBase, theta, kernel, settings, context: { profile } })
 */
export function hardwareEnergy(input: EnergyLabels & {
  readonly form: EnergyForm;
  readonly theta: ArrayLike<number>;
  readonly kernel: TermsKernel;
  readonly settings: FeatureSettings;
  readonly context: FormContext;
  readonly maxPositions: number;
  readonly memory?: MemoryLimit | undefined;
  /** The general path, for lengths past the table. */
  readonly fallback: SurfaceEnergy;
}): SurfaceEnergy {
  checkFormEnergyInput('hardwareEnergy(input)', input);
  checkShape('hardwareEnergy(input)', input, 'a hardware FormEnergyInput', { context: 'object', maxPositions: 'number', fallback: 'object' });
  checkSurfaceEnergy('hardwareEnergy(input).fallback', input.fallback);
  const { theta: t, settings, fallback } = input;
  const perRequest = 1 / settings.batch;
  const eFlop = t[0] * perRequest;
  const eByte = t[1] * perRequest;
  const power = t[2] * perRequest;
  const eStep = t[5] * perRequest;
  const computeRate = t[3] * peakFlopsOf(input.context);
  const memoryRate = t[4] * bandwidthOf(input.context);
  const table = new FeatureTable(input.kernel, settings);
  const fits = (last: number): boolean => {
    if (last > table.covered) {
      if (last > TABLE_CAP) return false;
      table.ensure(last);
    }
    return true;
  };
  // The form's own phase energy (per request: θ divided by the batch), so that both compute one formula.
  const prefillJ = (i: number): number => hardwarePhaseJ(eFlop, eByte, power, computeRate, memoryRate, table.prefillFlops[i], table.prefillBytes[i]);
  // One expression for points and rows, so that both give the same bits.
  const decodeJ = (df: number, db: number, o: number): number => hardwarePhaseJ(eFlop, eByte, power, computeRate, memoryRate, df, db) + eStep * o;
  return {
    model: input.model,
    gpu: input.gpu,
    calibration: input.calibration,
    maxPositions: input.maxPositions,
    ...(input.memory ? { memory: input.memory } : {}),
    // Decode FLOPs and bytes are sums of per-step terms that grow with the context, so each row is
    // convex and nondecreasing in o, and so are the max and the positive combination taken here.
    convexRows: true,
    energyJ(i, o) {
      const last = i + o - 1;
      if (!fits(last)) return fallback.energyJ(i, o);
      const F = table.decodeFlops;
      const B = table.decodeBytes;
      return prefillJ(i) + decodeJ(F[last] - F[i], B[last] - B[i], o);
    },
    fillRowJ(i, outs, from, to, out, offset) {
      if (to <= from) return;
      if (!fits(i + outs[to - 1] - 1)) {
        fallback.fillRowJ(i, outs, from, to, out, offset);
        return;
      }
      const rowJ = prefillJ(i);
      const F = table.decodeFlops;
      const B = table.decodeBytes;
      const f0 = F[i];
      const b0 = B[i];
      for (let k = from, j = offset; k < to; k++, j++) {
        const o = outs[k];
        const last = i + o - 1;
        out[j] = rowJ + decodeJ(F[last] - f0, B[last] - b0, o);
      }
    },
    perOutputRows(outs) {
      const count = outs.length;
      const inverse = new Float64Array(count);
      for (let k = 0; k < count; k++) inverse[k] = 1 / outs[k];
      const perComputeS = 1 / computeRate;
      const perMemoryS = 1 / memoryRate;
      // Each row is checked once (docs/surface.md): its least value must be > 0 and its sum
      // finite, which fails on a NaN or an infinity anywhere in it.
      return (i, end, out, offset) => {
        let lowest = Infinity;
        let sum = 0;
        if (end <= 0) return lowest;
        if (!fits(i + outs[end - 1] - 1)) {
          fallback.fillRowJ(i, outs, 0, end, out, offset);
          for (let k = 0, j = offset; k < end; k++, j++) {
            const v = out[j] * inverse[k];
            out[j] = v;
            lowest = v < lowest ? v : lowest;
            sum += v;
          }
          return lowest > 0 && sum < Infinity ? lowest : NaN;
        }
        // (prefill + decode + eStep·o)/o = (prefill + decode)·(1/o) + eStep, with the roofline
        // times as products by hoisted reciprocal rates: no division per point. The max takes
        // one branch and then the other at most once along a row (docs/surface.md), so it is
        // predicted.
        const rowJ = prefillJ(i);
        const F = table.decodeFlops;
        const B = table.decodeBytes;
        const f0 = F[i];
        const b0 = B[i];
        const first = i - 1;
        // Locals, not captured variables, inside the loop: the optimiser then keeps them in
        // registers instead of reloading them from the closure at every point.
        const flopJ = eFlop;
        const byteJ = eByte;
        const powerW = power;
        const stepJ = eStep;
        const perFlopS = perComputeS;
        const perByteS = perMemoryS;
        const inv = inverse;
        const lengths = outs;
        // Two points per iteration, with two sums: half the chain of dependent additions.
        let sum2 = 0;
        let k = 0;
        let j = offset;
        for (; k + 1 < end; k += 2, j += 2) {
          const last = first + lengths[k];
          const df = F[last] - f0;
          const db = B[last] - b0;
          const tc = df * perFlopS;
          const tm = db * perByteS;
          const v = (rowJ + flopJ * df + byteJ * db + powerW * (tc > tm ? tc : tm)) * inv[k] + stepJ;
          const last2 = first + lengths[k + 1];
          const df2 = F[last2] - f0;
          const db2 = B[last2] - b0;
          const tc2 = df2 * perFlopS;
          const tm2 = db2 * perByteS;
          const w = (rowJ + flopJ * df2 + byteJ * db2 + powerW * (tc2 > tm2 ? tc2 : tm2)) * inv[k + 1] + stepJ;
          out[j] = v;
          out[j + 1] = w;
          lowest = v < lowest ? v : lowest;
          lowest = w < lowest ? w : lowest;
          sum += v;
          sum2 += w;
        }
        if (k < end) {
          const last = first + lengths[k];
          const df = F[last] - f0;
          const db = B[last] - b0;
          const tc = df * perFlopS;
          const tm = db * perByteS;
          const v = (rowJ + flopJ * df + byteJ * db + powerW * (tc > tm ? tc : tm)) * inv[k] + stepJ;
          out[j] = v;
          lowest = v < lowest ? v : lowest;
          sum += v;
        }
        sum += sum2;
        return lowest > 0 && sum < Infinity ? lowest : NaN;
      };
    },
  };
}
