import { readFileSync } from 'node:fs';
import { fixtureFile } from '../data-files.js';

/** One entry of test/fixtures/reference/architectures.json (the fields the tests read). */
export interface ReferenceEntry {
  id: string;
  model_type: string;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  head_dim_explicit: boolean;
  intermediate_size: number;
  vocab_size: number;
  max_position_embeddings: number;
  tie_word_embeddings: boolean;
  gated_mlp: boolean;
  sliding_window: number | null;
  sliding_window_layers: string | null;
  reported_params: string;
  unique_params_computed: number;
}

/** The independent reference facts (test/fixtures/reference, each value with its sources). */
export const REFERENCE: readonly ReferenceEntry[] = JSON.parse(
  readFileSync(fixtureFile('reference/architectures.json'), 'utf8'),
);

/** The reference entry whose Hugging Face id is `hfId`; Meta-Llama-3-8B has none of its own. */
export function referenceFor(hfId: string): ReferenceEntry | undefined {
  return REFERENCE.find((r) => r.id === hfId);
}
