import { checkShape, checkWhere } from '../../arguments.js';
import { SweetspotInputError, quoteInput } from '../../errors.js';
import { MAX_TIMER_S } from '../monitor/timer-limit.js';
import { checkKeys, optionKeys } from '../../options.js';
import { CAMPAIGN_LIMITS } from './limits.js';

/** What one completion request returned. */
export interface CompletionResult {
  readonly latencyS: number;
  /** `usage.prompt_tokens`, when the server returned it. */
  readonly promptTokens?: number;
  /** `usage.completion_tokens`, when the server returned it. */
  readonly completionTokens?: number;
}

/**
 * A request failed; `retryable` is false for client errors that repeating cannot fix.
 *
 * @example
 * ```ts
 * try { await requestCompletion(req); } catch (e) { if (e instanceof CompletionError && !e.retryable) throw e; }
 * ```
 */
export class CompletionError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'CompletionError';
    this.retryable = retryable;
  }
}

/**
 * The `/v1/completions` URL of an OpenAI-compatible server from what a user types: a base URL
 * (`http://127.0.0.1:8000`), the `/v1` root, or the full completions URL.
 *
 * @example
 * ```ts
 * completionsUrl('http://127.0.0.1:8000'); // → 'http://127.0.0.1:8000/v1/completions'
 * ```
 */
export function completionsUrl(endpoint: string, argName = 'endpoint'): string {
  argName = checkWhere('completionsUrl', argName);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SweetspotInputError(`${argName} must be an http(s) URL such as http://127.0.0.1:8000, got ${quoteInput(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SweetspotInputError(`${argName} must be an http(s) URL, got ${quoteInput(endpoint)}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/v1/completions') ? path : path.endsWith('/v1') ? `${path}/completions` : `${path}/v1/completions`;
  return url.toString();
}

/** One request: exact prompt ids and exact output length. */
export interface CompletionRequest {
  readonly url: string;
  readonly model: string;
  readonly promptIds: readonly number[];
  readonly nOut: number;
  readonly timeoutS: number;
  /** Merged into the JSON body last (engine-specific switches). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  readonly fetch?: typeof fetch;
}

const REQUEST_KEYS = optionKeys<CompletionRequest>()('url', 'model', 'promptIds', 'nOut', 'timeoutS', 'extraBody', 'fetch');

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/**
 * Sends one non-streaming completion that must produce exactly `nOut` tokens: `max_tokens` and
 * `min_tokens` are both `nOut` and `ignore_eos` is set (vLLM, SGLang and trtllm-serve honour
 * these). Returns the latency and the server's `usage` counts for the caller to check.
 *
 * @example
 * ```ts
 * const r = await requestCompletion({ url: completionsUrl('http://127.0.0.1:8000'), model: 'facebook/opt-1.3b',
 *   promptIds: promptTokenIds(64, 1), nOut: 64, timeoutS: 60 });
 * console.log(r.latencyS, r.completionTokens);
 * ```
 */
export async function requestCompletion(request: CompletionRequest): Promise<CompletionResult> {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw new SweetspotInputError(`requestCompletion(request): the request must be an object, got ${request === null ? 'null' : Array.isArray(request) ? 'an array' : typeof request}`);
  }
  // A misspelt key (`timeout: 5`) would send a request without it.
  checkKeys('requestCompletion(request)', request, REQUEST_KEYS);
  // What runCampaign checks of its plan, checked here for a caller that sends its own requests:
  // a missing timeoutS became an abort signal of NaN ms, a TypeError reported as a network failure.
  checkShape('requestCompletion(request)', request, 'a CompletionRequest', { url: 'string', model: 'string', promptIds: 'array', nOut: 'number', timeoutS: 'number', extraBody: 'object?', fetch: 'function?' });
  const { nOut, timeoutS, promptIds } = request;
  if (!Number.isInteger(nOut) || nOut < 1 || nOut > CAMPAIGN_LIMITS.lengthTokens) throw new SweetspotInputError(`requestCompletion(request): nOut must be an integer in 1..${CAMPAIGN_LIMITS.lengthTokens}, got ${nOut}`);
  if (!(timeoutS > 0 && timeoutS <= MAX_TIMER_S)) throw new SweetspotInputError(`requestCompletion(request): timeoutS must be a positive number of seconds ≤ ${MAX_TIMER_S} (the longest a timer waits), got ${timeoutS}`);
  if (promptIds.length > CAMPAIGN_LIMITS.lengthTokens) throw new SweetspotInputError(`requestCompletion(request): promptIds holds ${promptIds.length} tokens, more than CAMPAIGN_LIMITS.lengthTokens (${CAMPAIGN_LIMITS.lengthTokens})`);
  const body = {
    model: request.model,
    prompt: request.promptIds,
    max_tokens: request.nOut,
    min_tokens: request.nOut,
    ignore_eos: true,
    temperature: 0,
    stream: false,
    ...request.extraBody,
  };
  const startMs = performance.now();
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(Math.round(request.timeoutS * 1000)),
    });
  } catch (error) {
    const e = error as Error & { cause?: Error };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new CompletionError(`timed out after ${request.timeoutS} s`, true);
    throw new CompletionError(`${e.message}${e.cause?.message ? ` (${e.cause.message})` : ''}`, true);
  }
  let text: string;
  try {
    text = await boundedText(response, CAMPAIGN_LIMITS.responseBytes);
  } catch (error) {
    if (error instanceof CompletionError) throw error;
    const e = error as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new CompletionError(`timed out after ${request.timeoutS} s`, true);
    throw new CompletionError(`reading the response failed: ${e.message}`, true);
  }
  const latencyS = (performance.now() - startMs) / 1000;
  if (!response.ok) {
    // 4xx (bad model name, prompt too long…) will fail the same way again; 408/429 and 5xx may not.
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw new CompletionError(`HTTP ${response.status}: ${text.slice(0, 300)}`, retryable);
  }
  let json: { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
  try {
    json = JSON.parse(text);
  } catch {
    throw new CompletionError(`response is not JSON: ${text.slice(0, 200)}`, true);
  }
  return { latencyS, promptTokens: count(json?.usage?.prompt_tokens), completionTokens: count(json?.usage?.completion_tokens) };
}

/**
 * The body of a response as text, read until `maxBytes` and refused beyond: a server that streams
 * without end must not fill the measuring process's memory. Not retried: it would answer the same.
 */
async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = (what: string) => new CompletionError(`the response is larger than ${maxBytes} bytes (CAMPAIGN_LIMITS.responseBytes; ${what})`, false);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(`content-length ${declared}`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`over ${maxBytes} bytes read`);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
