import { optionKeys, optionsObject } from '../../options.js';
import { SweetspotInputError, SweetspotMemoryError } from '../../errors.js';
import { DEFAULT_BOX, type TokenBox, contextOutLimit, memoryText } from './box.js';
import { type BoxRegion, inBoxRegion, sweetRegion } from './box-region.js';
import { type SurfaceEnergy, checkEnergyJ } from '../energy/energy.js';
import { type MetricId, costOf, metricFromCost, metricInfo } from '../metrics.js';
import { checkSurfaceEnergy } from '../energy/check.js';
import { WAVES_HINT } from '../../energy/hardware/memory.js';
import { MAX_GPUS } from '../../energy/limits.js';
import { shownValue } from '../../arguments.js';

/**
 * One way to run a request: its lengths, energy, metric value, and what it saves against the request.
 *
 * @example
 * const capped: AdviceOption | null = advisor.advise(3000, 400, { capOutTo: 200 }).capped;
 * capped?.savedPercent // joules saved by capping, in percent
 */
export interface AdviceOption {
  readonly nIn: number;
  readonly nOut: number;
  /** Energy of one request, J. */
  readonly energyJ: number;
  /** The advisor's metric here. */
  readonly value: number;
  /** Energy per request saved against the request as asked (negative: it costs more), J. */
  readonly savedJ: number;
  /** `savedJ` as a percentage of the request's energy. */
  readonly savedPercent: number;
  /** The request's energy cost over this option's (> 1: this option is more efficient by the metric). */
  readonly efficiencyGain: number;
}

/**
 * Advice for one request.
 *
 * @example
 * const a: Advice = advisor.advise(3000, 64);
 * a.nearestSweet.logDistance // 0 when the request is already in the sweet region
 * @category Surfaces
 */
export interface Advice {
  readonly metric: MetricId;
  readonly unit: string;
  readonly request: AdviceOption;
  /** The request's cost relative to the sweet spot of the box (best = 1, lower is worse). */
  readonly relativeEfficiency: number;
  /** Whether the request already lies in the sweet region. */
  readonly inSweetRegion: boolean;
  /** The prompt truncated to `truncateInTo` tokens, when asked. */
  readonly truncated: AdviceOption | null;
  /** The output capped at `capOutTo` tokens, when asked. */
  readonly capped: AdviceOption | null;
  /**
   * The point of the sweet region nearest to the request, measured in log tokens
   * (√(ln²(i/i₀) + ln²(o/o₀)), so halving either length counts the same anywhere).
   */
  readonly nearestSweet: AdviceOption & { readonly logDistance: number };
}

/**
 * What an advisor is built for: a box, a metric and the sweet region's tolerance.
 *
 * @example
 * const options: AdvisorOptions = { box: { nIn: [64, 8192], nOut: [16, 2048] }, metric: 'j-per-token', withinPercent: 5 };
 */
export interface AdvisorOptions {
  /** Box of lengths the sweet spot and region are taken over (default 64…4096 on both axes). */
  readonly box?: TokenBox;
  readonly metric?: MetricId;
  /** The sweet region: points within this percent of the best (default 10). */
  readonly withinPercent?: number;
}

/**
 * Per-request advice over a precomputed sweet region (see {@link createAdvisor}).
 *
 * @example
 * const advisor: Advisor = createAdvisor(energy);
 * advisor.advise(3000, 64).request.energyJ
 * @category Surfaces
 */
export interface Advisor {
  readonly energy: SurfaceEnergy;
  readonly region: BoxRegion;
  /**
   * Advice for a request of `nIn` prompt tokens and about `nOut` output tokens. Costs a handful of
   * energy evaluations and a search over the region's precomputed runs: microseconds.
   *
   * @throws {SweetspotInputError} for lengths that are not integers ≥ 1, beyond the context, or a
   *   truncation/cap that is not between 1 and the request's own length.
   * @throws {SweetspotMemoryError} when the request's weights + KV cache exceed the GPUs' memory
   *   (`energy.memory`). Every option returned fits: truncating or capping only shortens the
   *   cache, and the sweet region holds only points that fit.
   */
  advise(nIn: number, nOut: number, options?: { truncateInTo?: number; capOutTo?: number }): Advice;
}

const ADVISOR_KEYS = optionKeys<AdvisorOptions>()('box', 'metric', 'withinPercent');
const ADVISE_KEYS = new Set(['truncateInTo', 'capOutTo']);

/**
 * Builds an advisor once (the sweet spot and the sweet region of the box, which may take a full
 * scan for forms without closed forms), then answers per request in microseconds.
 *
 * @example
 * const advisor = createAdvisor(surfaceEnergy(H100_DEFAULT_CALIBRATION, resolveArchitecture('llama-3.1-8b')));
 * const a = advisor.advise(3000, 64, { truncateInTo: 1500 });
 * a.truncated?.savedPercent // energy saved by halving the prompt
 * a.nearestSweet // the closest efficient (nIn, nOut)
 * @category Surfaces
 */
export function createAdvisor(energy: SurfaceEnergy, advisorOptions?: AdvisorOptions): Advisor {
  checkSurfaceEnergy('createAdvisor(energy)', energy);
  const options = optionsObject('createAdvisor', advisorOptions, ADVISOR_KEYS);
  const metric = options.metric ?? 'j-per-output-token';
  const info = metricInfo(metric);
  const region = sweetRegion(energy, options.box ?? DEFAULT_BOX, { metric, withinPercent: options.withinPercent ?? 10 });
  const best = region.spot.best;
  const bestCost = costOf(info.basis, best.energyJ, best.nIn, best.nOut);
  // Logs of the runs, once, so that a query does arithmetic only.
  const count = region.runs.length / 3;
  const lnIn = new Float64Array(count);
  const lnLo = new Float64Array(count);
  const lnHi = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    lnIn[k] = Math.log(region.runs[3 * k]);
    lnLo[k] = Math.log(region.runs[3 * k + 1]);
    lnHi[k] = Math.log(region.runs[3 * k + 2]);
  }

  const checkLength = (name: string, v: number, max = Infinity) => {
    if (!Number.isSafeInteger(v) || v < 1 || v > max) {
      throw new SweetspotInputError(`advise: ${name} must be an integer in 1..${max}, got ${shownValue(v)}`);
    }
  };

  const option = (nIn: number, nOut: number, reference: { energyJ: number; cost: number } | null): AdviceOption => {
    const energyJ = energy.energyJ(nIn, nOut);
    checkEnergyJ(energy, energyJ, nIn, nOut);
    const cost = costOf(info.basis, energyJ, nIn, nOut);
    const refE = reference ? reference.energyJ : energyJ;
    const refCost = reference ? reference.cost : cost;
    return {
      nIn,
      nOut,
      energyJ,
      value: metricFromCost(metric, cost, bestCost),
      savedJ: refE - energyJ,
      savedPercent: (100 * (refE - energyJ)) / refE,
      efficiencyGain: refCost / cost,
    };
  };

  const nearest = (nIn: number, nOut: number): { nIn: number; nOut: number; d2: number } => {
    const li = Math.log(nIn);
    const lo = Math.log(nOut);
    // Start at the first run of the query's row (or the next row) and walk outwards both ways;
    // stop a direction once its row distance alone exceeds the best distance found.
    let a = 0;
    let b = count;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (region.runs[3 * mid] < nIn) a = mid + 1;
      else b = mid;
    }
    let bestD2 = Infinity;
    let bestK = -1;
    let bestOut = 0;
    const visit = (k: number): boolean => {
      const di = lnIn[k] - li;
      const di2 = di * di;
      if (di2 > bestD2) return false;
      const dl = lo < lnLo[k] ? lnLo[k] - lo : lo > lnHi[k] ? lo - lnHi[k] : 0;
      const d2 = di2 + dl * dl;
      if (d2 < bestD2) {
        bestD2 = d2;
        bestK = k;
        bestOut = lo < lnLo[k] ? region.runs[3 * k + 1] : lo > lnHi[k] ? region.runs[3 * k + 2] : nOut;
      }
      return true;
    };
    for (let k = a; k < count && visit(k); k++);
    for (let k = a - 1; k >= 0 && visit(k); k--);
    return { nIn: region.runs[3 * bestK], nOut: bestOut, d2: bestD2 };
  };

  return {
    energy,
    region,
    advise(nIn, nOut, adviseOptions) {
      const opts = optionsObject('advise', adviseOptions, ADVISE_KEYS);
      checkLength('nIn', nIn);
      checkLength('nOut', nOut);
      if (nOut > contextOutLimit(nIn, energy.maxPositions)) {
        throw new SweetspotInputError(`advise: nIn + nOut - 1 = ${nIn + nOut - 1} exceeds ${energy.model}'s context of ${energy.maxPositions} tokens`);
      }
      const memory = energy.memory;
      if (memory && nIn + nOut - 1 > memory.maxPositions) {
        const needed = memory.neededBytes(nIn + nOut - 1);
        // A GPU count the model splits over (whole heads on each GPU) that holds it, within the limit, or none.
        const atLeast = Math.ceil(needed / (memory.availableBytes / memory.gpus));
        const gpus = memory.gpusToFit ? memory.gpusToFit(nIn + nOut - 1) : memory.gpuCounts ? memory.gpuCounts.find((g) => g >= atLeast) : atLeast;
        const more = gpus !== undefined && gpus <= MAX_GPUS ? `give { gpus: ${gpus} }, ` : '';
        throw new SweetspotMemoryError(
          `advise: ${energy.model} at nIn=${nIn}, nOut=${nOut} needs ${(needed / 1e9).toFixed(1)} GB (weights + KV cache), more than the ${memoryText(memory)}; ` +
            `${more}a smaller batch or shorter lengths` + (memory.batch > 1 ? `, or ${WAVES_HINT}` : ''),
          needed,
          memory.availableBytes,
          memory.gpus,
        );
      }
      const request = option(nIn, nOut, null);
      const ref = { energyJ: request.energyJ, cost: costOf(info.basis, request.energyJ, nIn, nOut) };
      let truncated: AdviceOption | null = null;
      if (opts.truncateInTo !== undefined) {
        checkLength('truncateInTo', opts.truncateInTo, nIn);
        truncated = option(opts.truncateInTo, nOut, ref);
      }
      let capped: AdviceOption | null = null;
      if (opts.capOutTo !== undefined) {
        checkLength('capOutTo', opts.capOutTo, nOut);
        capped = option(nIn, opts.capOutTo, ref);
      }
      const near = nearest(nIn, nOut);
      return {
        metric,
        unit: info.unit,
        request,
        relativeEfficiency: bestCost / ref.cost,
        inSweetRegion: inBoxRegion(region, nIn, nOut),
        truncated,
        capped,
        nearestSweet: { ...option(near.nIn, near.nOut, ref), logDistance: Math.sqrt(near.d2) },
      };
    },
  };
}
