import { describe, expect, it } from 'vitest';
import { resolveArchitecture } from '../../../src/architecture/resolve.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { loadMeasurements } from '../../../src/fit/read/load.js';
import { dataFile } from '../../data-files.js';

// data/chuyishang_vllm_serving.csv (provenance in data/README.md): the figures below are typed from
// the source's printed summaries (results_paste.md), so each row of the file is checked against the
// source, not against itself.
const SOURCE = [
  // system, model, window energy J (M1), completion tokens (M2), requests, mean latency s, mean power W (M6)
  ['DGX4 (A100-80GB)', 'Qwen/Qwen2.5-3B-Instruct', 183155.23, 523341, 4135, 1.161, 290.74],
  ['DGX4 (A100-80GB)', 'Qwen/Qwen2.5-7B-Instruct', 213326.31, 278378, 2744, 1.751, 338.6],
  ['DGX4 (A100-80GB)', 'meta-llama/Meta-Llama-3-8B-Instruct', 228681.8, 161649, 7792, 0.616, 362.98],
  ['D4 (NVIDIA RTX 6000 Ada - 48GB)', 'Qwen/Qwen2.5-3B-Instruct', 164779.23, 349279, 2772, 1.733, 261.55],
  ['D4 (NVIDIA RTX 6000 Ada - 48GB)', 'Qwen/Qwen2.5-7B-Instruct', 175647.83, 152209, 1514, 3.177, 278.8],
  ['D4 (NVIDIA RTX 6000 Ada - 48GB)', 'meta-llama/Meta-Llama-3-8B-Instruct', 177819.26, 85489, 4106, 1.169, 282.25],
  ['D1 (NVIDIA GeForce RTX 3090 - 24GB)', 'Qwen/Qwen2.5-3B-Instruct', 211063.8, 254098, 2011, 2.391, 335.01],
  ['D1 (NVIDIA GeForce RTX 3090 - 24GB)', 'Qwen/Qwen2.5-7B-Instruct', 212502.43, 117483, 1168, 4.116, 337.31],
  ['D1 (NVIDIA GeForce RTX 3090 - 24GB)', 'meta-llama/Meta-Llama-3-8B-Instruct', 213198.62, 58227, 2775, 1.732, 338.39],
] as const;

/** E[max(1, int(X))] for X ~ N(μ, σ): Python's `int(random.gauss(256, 64))` words per prompt, by a fine sum. */
function meanTruncatedGauss(mu: number, sigma: number): number {
  // Φ by the Abramowitz–Stegun erf (error below 1.5e-7), enough for a mean to 0.01 word.
  const erf = (x: number) => {
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  };
  const cdf = (x: number) => 0.5 * (1 + erf((x - mu) / (sigma * Math.SQRT2)));
  let mean = cdf(2); // every draw below 2 becomes 1 word
  for (let k = 2; k < mu + 12 * sigma; k++) mean += k * (cdf(k + 1) - cdf(k));
  return mean;
}

describe('data/chuyishang_vllm_serving.csv', async () => {
  const { rows } = await loadMeasurements(dataFile('chuyishang_vllm_serving.csv'), '/');

  it('loads as measurements: one row per run of the source with a preset and a built-in GPU profile', () => {
    expect(rows).toHaveLength(SOURCE.length);
    const ids = rows.map((r) => `${resolveProfile(r.gpu!).id} ${resolveArchitecture(r.model).id}`);
    expect(ids).toEqual(
      ['a100-sxm4-80gb', 'rtx-6000-ada-48gb', 'rtx-3090-24gb'].flatMap((g) => ['qwen2.5-3b', 'qwen2.5-7b', 'llama-3-8b'].map((m) => `${g} ${m}`)),
    );
    for (const r of rows) expect({ batch: r.batchSize, kvCache: r.kvCache, engine: r.engine?.startsWith('vLLM') }).toEqual({ batch: 8, kvCache: true, engine: true });
  });

  it('each row is the source run: energy per 8 requests, the mean completion length, the mean latency', () => {
    rows.forEach((r, k) => {
      const [system, model, windowJ, completion, requests, latencyS] = SOURCE[k];
      expect([r.extra!.system, r.model]).toEqual([system, model]);
      expect(r.energyJ).toBeCloseTo((8 * windowJ) / requests, 2);
      expect(Number(r.extra!.energy_per_request_j)).toBeCloseTo(windowJ / requests, 3);
      expect(r.nOut).toBe(Math.round(completion / requests));
      expect(r.latencyS).toBe(latencyS);
    });
  });

  it('ran 8 requests at a time all through the window (Little’s law: requests × latency / 600 s ≈ 8)', () => {
    for (const [, , , , requests, latencyS] of SOURCE) expect(Math.abs((requests * latencyS) / 600 - 8)).toBeLessThan(0.05);
  });

  it('n_in is the prompt generator’s mean through each tokenizer and chat template', () => {
    // Words: ' tok' + an integer in 0..5000. Llama 3 splits digits in groups of three, Qwen2.5 one by one;
    // ' tok' is one token in both (cl100k-derived vocabularies).
    let llama = 0;
    let qwen = 0;
    for (let n = 0; n <= 5000; n++) {
      const digits = String(n).length;
      llama += 1 + Math.ceil(digits / 3);
      qwen += 1 + digits;
    }
    const words = meanTruncatedGauss(256, 64);
    expect(words).toBeCloseTo(255.5, 1);
    // Chat templates: Llama 3 adds 10 tokens; Qwen2.5 29, with its default system prompt.
    const nIn = { llama: Math.round((words * llama) / 5001 + 10), qwen: Math.round((words * qwen) / 5001 + 29) };
    expect(nIn).toEqual({ llama: 725, qwen: 1250 });
    for (const r of rows) expect(r.nIn).toBe(r.model.startsWith('meta-llama') ? nIn.llama : nIn.qwen);
  });
});
