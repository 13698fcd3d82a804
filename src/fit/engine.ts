import { checkString } from '../errors.js';
import type { AttentionSetting } from '../energy/calibration/document.js';
import { inferAttention } from '../energy/attention.js';
import type { Measurement } from './data/measurement.js';
import { isMeasurementTable, usedTexts, type MeasurementTable } from './data/table.js';
import { checkRowsOrTable } from './data/check.js';

/**
 * The KV-cache regime an engine string states, or undefined when it says nothing:
 * `use_cache=False` (Hugging Face `generate`) → false, the recompute regime; `use_cache=True`
 * → true.
 *
 * @example
 * kvCacheFromEngine('HF transformers pipeline, bf16, use_cache=False (KV cache OFF)') // false
 */
export function kvCacheFromEngine(engine: string): boolean | undefined {
  checkString('kvCacheFromEngine(engine)', engine);
  const m = /use_cache\s*=\s*(true|false)/i.exec(engine);
  if (m) return m[1].toLowerCase() === 'true';
  if (/kv[ _-]?cache\s*(off|disabled)/i.test(engine)) return false;
  return undefined;
}

/** What {@link engineSettings} read from the rows' engine strings, with the reasons to report. */
export interface EngineSettings {
  /** The regime every row's engine states (undefined when they do not all state the same). */
  readonly kvCache?: boolean;
  /** The attention setting the engine implies (undefined when the rows name no engine, several, or one that says nothing). */
  readonly attention?: AttentionSetting;
  /** One line per inference, saying what was inferred from what. */
  readonly notes: string[];
}

/**
 * Reads the regime and the attention implementation from the rows' engine strings
 * (docs/fitting.md#engines-the-regime-and-the-attention-implementation): what a user who gave neither `--kv-cache` nor `--attention` gets.
 *
 * @example
 * engineSettings(rows) // { kvCache: false, attention: 'transformers-sdpa', notes: [...] } for the Wilkins sweeps
 */
export function engineSettings(rows: readonly Measurement[] | MeasurementTable): EngineSettings {
  checkRowsOrTable('engineSettings(rows)', rows);
  const named = isMeasurementTable(rows) ? usedTexts(rows.engine) : rows.map((r) => r.engine);
  const engines = [...new Set(named.filter((e): e is string => e !== undefined && e !== ''))];
  const notes: string[] = [];
  if (engines.length === 0) return { notes };
  const regimes = new Set(engines.map(kvCacheFromEngine));
  let kvCache: boolean | undefined;
  if (regimes.size === 1 && !regimes.has(undefined)) {
    kvCache = [...regimes][0];
    notes.push(`kv_cache ${kvCache ? 'on' : 'off'} inferred from the engine ('use_cache=${kvCache ? 'True' : 'False'}'${kvCache ? '' : ': every step recomputes the prefix'}); --kv-cache overrides it`);
  }
  let attention: AttentionSetting | undefined;
  if (engines.length === 1) {
    attention = inferAttention(engines[0]);
    if (attention === 'transformers-sdpa') {
      notes.push(
        "attention transformers-sdpa inferred from the engine (Hugging Face transformers: Llama-family models run a masked kernel over full score matrices, Falcon materialises its scores, others run FlashAttention; docs/complexity.md); --attention overrides it",
      );
    } else if (attention !== undefined) notes.push(`attention ${attention} inferred from the engine; --attention overrides it`);
  }
  return { kvCache, attention, notes };
}
