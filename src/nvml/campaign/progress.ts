import { checkShape } from '../../arguments.js';
import type { CampaignPoint } from './grid.js';

/** Where a campaign stands after a request (passed to `onProgress`). */
export interface CampaignProgress {
  /** Requests of the whole grid done, earlier runs included. */
  readonly done: number;
  readonly total: number;
  readonly point: CampaignPoint;
  readonly energyJ: number;
  readonly latencyS: number;
  /** Seconds this run has spent measuring. */
  readonly elapsedS: number;
  /** Estimated seconds left, from this run's pace. */
  readonly etaS: number;
  readonly usageOk: boolean;
}

/**
 * A duration for humans: `1h02m`, `3m05s`, `42s`; `?` when not finite.
 *
 * @example
 * ```ts
 * formatDurationS(185); // → '3m05s'
 * ```
 */
export function formatDurationS(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

const PROGRESS_SHAPE = { done: 'number', total: 'number', point: 'object', energyJ: 'number', latencyS: 'number', etaS: 'number', usageOk: 'boolean' } as const;

/**
 * One terminal line for a progress report.
 *
 * @example
 * ```ts
 * formatProgress(p); // → '[12/48] 25% n_in=256 n_out=64 #2  41.30 J  1.92 s  ETA 1m10s'
 * ```
 */
export function formatProgress(p: CampaignProgress): string {
  checkShape('formatProgress(p)', p, 'a CampaignProgress (from onProgress)', PROGRESS_SHAPE);
  checkShape('formatProgress(p.point)', p.point, 'a CampaignPoint', { nIn: 'number', nOut: 'number', repeat: 'number' });
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  const mismatch = p.usageOk ? '' : '  (usage mismatch)';
  return (
    `[${p.done}/${p.total}] ${pct}% n_in=${p.point.nIn} n_out=${p.point.nOut} #${p.point.repeat}  ` +
    `${p.energyJ.toPrecision(4)} J  ${p.latencyS.toFixed(2)} s  ETA ${formatDurationS(p.etaS)}${mismatch}`
  );
}
