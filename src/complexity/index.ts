/**
 * The complexity layer in full: closed-form prefill and decode FLOPs, bytes and KV-cache terms
 * (docs/complexity.md), the precomputed kernel the fast paths use, and the feature records the
 * energy forms read. The main entry re-exports `requestTerms`.
 *
 * @example
 * import { termsKernel, fillFeatures, emptyFeatures } from 'sweetspot/complexity';
 * @module sweetspot/complexity
 * @category Subpath entries
 */
export { EAGER_SCORE_BYTES, MASKED_SCORE_BYTES, requestTerms, termsKernel, termsWithKernel } from './terms.js';
export { RequestSchema } from './schemas.js';
export { MAX_BATCH } from './limits.js';
export type { AttentionImpl, Regime, Request, RequestInput, RequestTerms, PhaseTerms, TermsKernel } from './terms.js';
export { FEATURE_NAMES, emptyFeatures, featuresFromTerms, fillFeatures } from './features.js';
export type { RequestFeatures } from './features.js';
export { causalPairs, sumCausalPairs, sumMin, sumSquares } from './checked-sums.js';
export { blockMatmulParams, kvBytesPerToken, kvBytesPerTokenPerLayer, lmHeadParams, weightBytesPerStep } from './weights.js';
