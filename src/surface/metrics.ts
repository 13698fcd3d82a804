import { SweetspotInputError, quoteInput } from '../errors.js';

/**
 * The efficiency metrics a surface can show (docs/conventions.md).
 *
 * @example
 * METRICS.includes('tokens-per-j') // true
 */
export const METRICS = ['j-per-output-token', 'j-per-token', 'j-per-request', 'tokens-per-j', 'relative'] as const;

/**
 * One of {@link METRICS}.
 *
 * @example
 * const metric: MetricId = 'tokens-per-j';
 */
export type MetricId = (typeof METRICS)[number];

/**
 * What a metric divides the energy by: nothing, the output tokens, or all tokens (i + o).
 *
 * @example
 * metricInfo('tokens-per-j').basis // 'output-token'
 */
export type CostBasis = 'request' | 'output-token' | 'token';

/**
 * How a metric is read: its unit, whether higher is better, and the energy cost it is built on.
 *
 * @example
 * const info: MetricInfo = metricInfo('j-per-token'); // { unit: 'J/token', higherIsBetter: false, basis: 'token', … }
 */
export interface MetricInfo {
  readonly id: MetricId;
  readonly label: string;
  readonly unit: string;
  /** True for tokens per joule and relative efficiency, where the best point is the maximum. */
  readonly higherIsBetter: boolean;
  /**
   * The lower-is-better energy cost behind the metric: every search minimises this cost, so that
   * `tokens-per-j` (its inverse) and `relative` (best cost / cost) share one code path.
   */
  readonly basis: CostBasis;
}

const INFO: Record<MetricId, MetricInfo> = {
  // Units say which tokens they count: 'J/token' alone would read the same for both per-token metrics.
  'j-per-output-token': { id: 'j-per-output-token', label: 'energy per output token', unit: 'J/output token', higherIsBetter: false, basis: 'output-token' },
  'j-per-token': { id: 'j-per-token', label: 'energy per token (prompt + output)', unit: 'J/token', higherIsBetter: false, basis: 'token' },
  'j-per-request': { id: 'j-per-request', label: 'energy per request', unit: 'J', higherIsBetter: false, basis: 'request' },
  'tokens-per-j': { id: 'tokens-per-j', label: 'output tokens per joule', unit: 'output tokens/J', higherIsBetter: true, basis: 'output-token' },
  relative: { id: 'relative', label: 'efficiency relative to the best point (J per output token)', unit: '1', higherIsBetter: true, basis: 'output-token' },
};

/**
 * Unit, direction and cost basis of a metric.
 *
 * @example
 * metricInfo('tokens-per-j').unit // 'output tokens/J'
 */
export function metricInfo(metric: MetricId): MetricInfo {
  // Own keys only: INFO['toString'] or INFO['__proto__'] would be Object.prototype's members.
  const info = typeof metric === 'string' && Object.hasOwn(INFO, metric) ? INFO[metric] : undefined;
  if (!info) throw new SweetspotInputError(`metric: must be one of ${METRICS.join(', ')}, got ${quoteInput(metric)}`);
  return info;
}

/**
 * Energy cost of one request under a basis: `E`, `E/o` or `E/(i+o)`.
 *
 * @example
 * costOf('token', 300, 100, 200) // 1 (J per token)
 */
export function costOf(basis: CostBasis, energyJ: number, nIn: number, nOut: number): number {
  return basis === 'request' ? energyJ : basis === 'output-token' ? energyJ / nOut : energyJ / (nIn + nOut);
}

/**
 * The metric's value for a cost (see {@link MetricInfo.basis}); `bestCost` is the lowest cost of
 * the grid or box and is only read by `relative`.
 *
 * @example
 * metricFromCost('tokens-per-j', 0.25, 0.25) // 4
 * metricFromCost('relative', 0.5, 0.25) // 0.5
 */
export function metricFromCost(metric: MetricId, cost: number, bestCost: number): number {
  switch (metric) {
    case 'tokens-per-j':
      return 1 / cost;
    case 'relative':
      return bestCost / cost;
    default:
      return cost;
  }
}
