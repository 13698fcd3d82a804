import type { RequestFeatures } from '../../complexity/features.js';
import { emptyFeatures, fillFeatures } from '../../complexity/features.js';
import type { TermsKernel } from '../../complexity/terms.js';
import type { EnergyForm, FormContext } from '../../energy/form.js';
import type { MemoryLimit } from '../../energy/hardware/memory-limit.js';
import { SweetspotInputError } from '../../errors.js';
import { FeatureTable, type FeatureSettings, TABLE_CAP } from './feature-table.js';
import { checkFunction, checkShape, kindOf, shownValue, type Shape } from '../../arguments.js';


/**
 * The six coefficients of the SweetSpot form, per request:
 * `E(i,o) = θ1·i² + θ2·i + θ3·i·o + θ4·o² + θ5·o + θ6` (docs/energy-models.md), in joules.
 *
 * @example
 * const theta: PolynomialCoefficients = [1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5];
 */
export type PolynomialCoefficients = readonly [number, number, number, number, number, number];

/**
 * Names that go into plot titles and reports.
 *
 * @example
 * const labels: EnergyLabels = { model: 'llama-3.1-8b', gpu: 'NVIDIA H100 SXM5 80GB', calibration: 'calib.json' };
 */
export interface EnergyLabels {
  /** The LLM, e.g. `llama-3.1-8b`. */
  readonly model: string;
  /** The GPU, e.g. `NVIDIA H100 SXM5 80GB`. */
  readonly gpu?: string;
  /** Where the parameters come from, e.g. `built-in H100 default` or a file name. */
  readonly calibration?: string;
}

/**
 * What surfaces, sweet spots and advice need of an energy model: the energy of one request at
 * (nIn, nOut), fast, and the context limit. Build one with {@link polynomialEnergy},
 * {@link formEnergy} or {@link functionEnergy} (or `surfaceEnergy` from a calibration).
 *
 * @example
 * const energy: SurfaceEnergy = polynomialEnergy([1e-7, 1e-3, 2e-6, 1e-6, 0.2, 5], { model: 'm' });
 * energy.energyJ(1024, 256) // joules of one request
 * @category Surfaces
 */
export interface SurfaceEnergy extends EnergyLabels {
  /** `nIn + nOut − 1` may not exceed this (`Infinity`: no limit). Longer points are masked. */
  readonly maxPositions: number;
  /**
   * The GPUs' memory as a second limit on `nIn + nOut − 1` (weights + KV cache must fit;
   * docs/surface.md#memory). Points beyond it are masked and left out of searches like points
   * beyond the context, and counted apart. Absent: not checked (no GPU profile, or `ignoreMemory`).
   */
  readonly memory?: MemoryLimit;
  /** Energy of one request in joules (the call's energy divided by its batch). No checks. */
  energyJ(nIn: number, nOut: number): number;
  /**
   * `out[offset + k] = energyJ(nIn, nOut[from + k])` for `from ≤ from + k < to`: one row of a
   * surface without a call per point. No checks, no allocation.
   */
  fillRowJ(nIn: number, nOut: ArrayLike<number>, from: number, to: number, out: Float64Array, offset: number): void;
  /**
   * Optional fast path for surfaces of J per output token: a row filler for the output axis
   * `nOut`, with the terms of that axis hoisted once per grid (1/o, and whatever else depends on
   * o alone) so that a row is a few multiply-adds per point and no division. See
   * {@link PerOutputRowFill}. Agrees with `energyJ(nIn, o)/o` to a few ulps, not to the bit.
   */
  perOutputRows?(nOut: ArrayLike<number>): PerOutputRowFill;
  /** Present when the energy is the SweetSpot polynomial: sweet spots then have closed forms. */
  readonly polynomial?: PolynomialCoefficients;
  /**
   * True when every row `o ↦ energyJ(i, o)` is convex and nondecreasing (the hardware form: its
   * decode terms are sums of per-step costs that never shrink as the context grows; see
   * docs/surface.md). Per-token costs are then unimodal along a row, and sweet spots and regions
   * are found per row from a few evaluations instead of a scan.
   */
  readonly convexRows?: boolean;
}

/**
 * Fills one row of a surface of J per output token, made by {@link SurfaceEnergy.perOutputRows}
 * for one output axis: `out[offset + k] = energyJ(nIn, nOut[k]) / nOut[k]` for `0 ≤ k < end`.
 * Returns the smallest value written (Infinity when `end` is 0), or NaN when the row's quick check
 * fails: some value is not a finite positive number (or, harmlessly, the row's sum overflows).
 * The check is one per row, not one per point (docs/surface.md): the caller then checks the row
 * point by point and names the first bad point. No allocation.
 *
 * @example
 * const fill = energy.perOutputRows!(grid.nOut);
 * const lowest = fill(1024, grid.nOut.length, values, r * grid.nOut.length); // NaN: a bad point in the row
 */
export type PerOutputRowFill = (nIn: number, end: number, out: Float64Array, offset: number) => number;

/**
 * Throws unless `energyJ` is a finite positive number: a model that predicts 0, a negative or a
 * non-finite energy somewhere (a user formula, all-zero parameters) must not turn into a silent
 * 0 J/token sweet spot or an infinite tokens-per-joule.
 *
 * @remarks Takes trusted arguments (docs/conventions.md#trusted-arguments): called per point of a search, on the search's own energy. It checks
 * nothing; junk fails inside it.
 * @example
 * checkEnergyJ(model, 12.5, 1024, 256) // fine; checkEnergyJ(model, 0, 1, 1) throws
 */
export function checkEnergyJ(energy: { readonly model: string }, energyJ: number, nIn: number, nOut: number): void {
  if (!(energyJ > 0 && energyJ < Infinity)) {
    throw new SweetspotInputError(`energy of ${energy.model} at nIn=${nIn}, nOut=${nOut} is ${energyJ} J: the model must predict a finite positive energy`);
  }
}

/**
 * Labels and limits a {@link SurfaceEnergy} is built with: the context (`maxPositions`) and the
 * memory limit (`memory`, from `memoryLimit`).
 *
 * @example
 * const labels: EnergyLimits = { model: 'llama-3.1-8b', maxPositions: 131072, memory: memoryLimit(arch, calibration, run) };
 */
export type EnergyLimits = EnergyLabels & { readonly maxPositions?: number; readonly memory?: MemoryLimit | undefined };

/** The labels every {@link SurfaceEnergy} constructor takes: checked once, when the energy is built. */
const LABEL_SHAPE: Shape = { model: 'string', gpu: 'string?', calibration: 'string?', maxPositions: 'number?', memory: 'object?' };

/** `labels` when they are labels (and limits), else an error naming `where`. */
function checkLabels<T>(where: string, labels: T): T {
  return checkShape(where, labels, '{ model, gpu?, calibration?, maxPositions?, memory? }', LABEL_SHAPE);
}

/**
 * `input` when it has the fields {@link formEnergy} and `hardwareEnergy` read, else an error
 * naming `where` and each bad field. Shallow and once per surface, never per point.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkFormEnergyInput('formEnergy(input)', { model: arch.id, form, theta, kernel: termsKernel(arch), settings })
 */
export function checkFormEnergyInput<T extends FormEnergyInput>(where: string, input: T): T {
  checkShape(where, input, 'a FormEnergyInput', { ...LABEL_SHAPE, form: 'object', theta: 'array-like', kernel: 'object', settings: 'object', context: 'object?' });
  checkShape(`${where}.form`, input.form, 'an energy form', { id: 'string', params: 'array', predictJ: 'function' });
  checkShape(`${where}.kernel`, input.kernel, 'a terms kernel (from termsKernel)', { arch: 'object', groups: 'array', linearFlopsPerToken: 'finite', headFlops: 'finite' });
  checkShape(`${where}.settings`, input.settings, '{ batch, regime, weightBytesPerStep, params, attention? }', {
    batch: 'finite',
    regime: 'string',
    weightBytesPerStep: 'finite',
    params: 'finite',
    attention: 'string?',
  });
  if (input.theta.length !== input.form.params.length) {
    throw new SweetspotInputError(`${where}.theta: the form ${input.form.id} has ${input.form.params.length} parameters, got ${input.theta.length} values`);
  }
  return input;
}

/** The labels and limits every {@link SurfaceEnergy} carries, with the limits checked. */
function labelled(labels: EnergyLabels & { readonly memory?: MemoryLimit | undefined }, maxPositions = Infinity): EnergyLabels & { readonly maxPositions: number; readonly memory?: MemoryLimit } {
  if (!(maxPositions >= 1)) throw new SweetspotInputError(`maxPositions must be ≥ 1 (or Infinity), got ${shownValue(maxPositions)}`);
  const memory = labels.memory;
  if (memory === undefined) return { model: labels.model, gpu: labels.gpu, calibration: labels.calibration, maxPositions };
  if (!(memory.maxPositions >= 0)) throw new SweetspotInputError(`memory.maxPositions must be ≥ 0 (or Infinity), got ${shownValue(memory.maxPositions)}`);
  return { model: labels.model, gpu: labels.gpu, calibration: labels.calibration, maxPositions, memory };
}

/**
 * The SweetSpot polynomial as a {@link SurfaceEnergy}, evaluated directly (a few multiply-adds).
 *
 * @throws {SweetspotInputError} when a coefficient is negative or not finite.
 * @example
 * const e = polynomialEnergy([1e-7, 1e-3, 1e-6, 1e-7, 0.2, 5], { model: 'llama-3.1-8b', maxPositions: 131072 });
 * e.energyJ(1024, 256) // ≈ 57.6
 */
export function polynomialEnergy(
  theta: readonly number[],
  labels: EnergyLimits,
): SurfaceEnergy {
  if (!Array.isArray(theta)) throw new SweetspotInputError(`polynomialEnergy(theta): expected an array of 6 coefficients θ1…θ6, got ${kindOf(theta)}`);
  checkLabels('polynomialEnergy(theta, labels)', labels);
  if (theta.length !== 6) throw new SweetspotInputError(`polynomial: needs 6 coefficients θ1…θ6, got ${theta.length}`);
  theta.forEach((t, k) => {
    if (!Number.isFinite(t) || t < 0) throw new SweetspotInputError(`polynomial: θ${k + 1} must be a finite number ≥ 0, got ${shownValue(t)}`);
  });
  // All zero would make every request free: per-token metrics would divide by zero.
  if (theta.every((t) => t === 0)) throw new SweetspotInputError('polynomial: at least one of θ1…θ6 must be > 0');
  const [a, b, c, d, e, f] = theta;
  return {
    ...labelled(labels, labels.maxPositions),
    polynomial: [a, b, c, d, e, f],
    // Same operations in the same order as fillRowJ, so a point and its row agree to the last bit
    // (searches by closed form and by brute force then break ties identically).
    energyJ: (i, o) => (a * i + b) * i + f + (d * o + (c * i + e)) * o,
    fillRowJ(i, outs, from, to, out, offset) {
      // Hoist the terms that depend on i only: the row is then one multiply-add pair per point.
      const rowConst = (a * i + b) * i + f;
      const slope = c * i + e;
      for (let k = from, j = offset; k < to; k++, j++) {
        const o = outs[k];
        out[j] = rowConst + (d * o + slope) * o;
      }
    },
    perOutputRows(outs) {
      // E/o = C(i)·(1/o) + (θ4·o + (θ3·i + θ5)): the terms of o alone computed once per grid (a
      // product stored is the product recomputed, to the bit), then one multiply and two adds per
      // point. The two terms of a column sit side by side in one array, so that the loop reads
      // one array besides the row it writes.
      const count = outs.length;
      const terms = new Float64Array(2 * count);
      for (let k = 0; k < count; k++) {
        terms[2 * k] = 1 / outs[k];
        terms[2 * k + 1] = d * outs[k];
      }
      return (i, end, out, offset) => {
        const rowConst = (a * i + b) * i + f;
        const slope = c * i + e;
        // A local, not the captured variable, inside the loop: kept in a register, not reloaded.
        const t = terms;
        // The check is per row (docs/surface.md): the least value (a compare that rarely changes
        // it) must be > 0 and the sum finite, which fails on a NaN or an infinity anywhere in the
        // row. Two points per iteration, with two sums, halve the chain of dependent additions.
        let lowest = Infinity;
        let sum = 0;
        let sum2 = 0;
        let j = offset;
        let k = 0;
        const stop = 2 * end;
        for (; k + 3 < stop; k += 4, j += 2) {
          const v = rowConst * t[k] + (t[k + 1] + slope);
          const w = rowConst * t[k + 2] + (t[k + 3] + slope);
          out[j] = v;
          out[j + 1] = w;
          lowest = v < lowest ? v : lowest;
          lowest = w < lowest ? w : lowest;
          sum += v;
          sum2 += w;
        }
        if (k < stop) {
          const v = rowConst * t[k] + (t[k + 1] + slope);
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

/**
 * An energy function of (nIn, nOut) as a {@link SurfaceEnergy}: the general path, one call per point.
 *
 * @example
 * const e = functionEnergy((i, o) => 0.001 * i + 0.2 * o, { model: 'toy' });
 * e.energyJ(1000, 10) // 3
 */
export function functionEnergy(
  energyJ: (nIn: number, nOut: number) => number,
  labels: EnergyLimits,
): SurfaceEnergy {
  checkFunction('functionEnergy(energyJ)', energyJ);
  checkLabels('functionEnergy(energyJ, labels)', labels);
  return {
    ...labelled(labels, labels.maxPositions),
    energyJ,
    fillRowJ(i, outs, from, to, out, offset) {
      for (let k = from, j = offset; k < to; k++, j++) out[j] = energyJ(i, outs[k]);
    },
  };
}

/**
 * A form over complexity terms, its parameters and how the requests run.
 *
 * @example
 * const input: FormEnergyInput = { model: arch.id, form, theta, kernel: termsKernel(arch), settings, context: { profile } };
 */
export interface FormEnergyInput extends EnergyLabels {
  readonly form: EnergyForm;
  readonly theta: ArrayLike<number>;
  readonly kernel: TermsKernel;
  readonly settings: FeatureSettings;
  readonly context?: FormContext;
  /** Context limit; default the architecture's `maxPositions`. */
  readonly maxPositions?: number;
  /** Memory limit (see {@link SurfaceEnergy.memory}); absent: not checked. */
  readonly memory?: MemoryLimit | undefined;
}

/**
 * A form over the complexity terms (docs/complexity.md) (e.g. the hardware form) as a {@link SurfaceEnergy}.
 * Features come from a {@link FeatureTable} (prefill terms by `i`, decode terms as a difference of
 * a cumulative table at `i + o − 1` and `i`), refilled in one record: no allocation per point.
 *
 * @example
 * const e = formEnergy({ model: arch.id, form, theta, kernel: termsKernel(arch),
 *   settings: { batch: 1, regime: 'kv-cache', weightBytesPerStep: weightBytesPerStep(arch, 2), params: 0 } });
 * e.energyJ(1024, 1024)
 */
export function formEnergy(input: FormEnergyInput): SurfaceEnergy {
  checkFormEnergyInput('formEnergy(input)', input);
  const { form, kernel, settings } = input;
  const theta = Float64Array.from(input.theta as ArrayLike<number>);
  const ctx = input.context ?? {};
  const table = new FeatureTable(kernel, settings);
  const x: RequestFeatures = emptyFeatures();
  const perRequest = 1 / settings.batch;
  const direct = (i: number, o: number): number => {
    fillFeatures(kernel, i, o, settings.batch, settings.regime, settings.weightBytesPerStep, x, settings.attention);
    x.params = settings.params;
    return form.predictJ(theta, x, ctx) * perRequest;
  };
  const eager = settings.attention !== undefined && settings.attention !== 'fused';
  const point = (i: number, o: number): number => {
    if (eager) return direct(i, o);
    const last = i + o - 1;
    if (last > table.covered) {
      // Tables cost 72 bytes per length: past a million tokens, closed forms per point are cheaper.
      if (last > TABLE_CAP) return direct(i, o);
      table.ensure(last);
    }
    return form.predictJ(theta, table.fill(i, o, x), ctx) * perRequest;
  };
  return {
    ...labelled(input, input.maxPositions ?? kernel.arch.maxPositions),
    energyJ: point,
    fillRowJ(i, outs, from, to, out, offset) {
      for (let k = from, j = offset; k < to; k++, j++) out[j] = point(i, outs[k]);
    },
  };
}
