import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn } from './helpers.js';
import { SweetspotInputError } from '../../src/errors.js';
import { REFERENCE } from '../architecture/reference.js';

/** d 8, 2 layers, 2 heads, 1 KV head, head dim 4, gated MLP 16, vocabulary 10, 64 positions. */
const TINY = {
  model_type: 'llama', hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1,
  intermediate_size: 16, vocab_size: 10, max_position_embeddings: 64,
};
// By hand: P_blk = 2·(8·2·4 + 2·8·1·4 + 2·4·8 + 3·8·16) = 2·576 = 1152; d·V = 80; Wb = 2·(1152 + 80) = 2464;
// kv per layer per token = 2·1·4·2 = 16 bytes; attention per layer per key = 4·2·4 = 32 FLOPs.

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'sweetspot-terms-'));
  writeFileSync(join(cwd, 'config.json'), JSON.stringify(TINY));
  writeFileSync(join(cwd, 'gpt2.json'), JSON.stringify({ ...TINY, model_type: 'gpt2' }));
  writeFileSync(join(cwd, 'nohidden.json'), JSON.stringify({ ...TINY, hidden_size: undefined }));
});

const cli = (args: string[]) => cliIn(cwd, args);

async function json(args: string[]) {
  const { code, stdout } = await cli([...args, '--json']);
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('sweetspot terms', () => {
  it('a hand-computed request (5 in, 3 out) with the KV cache', async () => {
    const t = await json(['terms', '--model', './config.json', '--in', '5', '--out', '3']);
    // prefill: 2·1152·5 + 2·80 + 2 layers·32·(1+…+5) = 11520 + 160 + 960
    expect(t.prefill.flops).toBe(12640);
    // weights once + 2 layers·16 bytes·5 tokens
    expect(t.prefill.bytes).toBe(2464 + 160);
    // 2 steps with 6 and 7 keys: 2·(2304 + 160) + 64·(6 + 7)
    expect(t.decode.flops).toBe(5760);
    expect(t.decode.bytes).toBe(2 * 2464 + 32 * 13);
    expect(t.decode.steps).toBe(2);
    expect(t.kvCacheBytes).toEqual({ afterPrefill: 32 * 5, final: 32 * 7 });
    expect(t.total).toEqual({ flops: 12640 + 5760, bytes: 2624 + 5344 });
    // A local config without a repo id is named after its directory.
    expect(t.model).toEqual({ id: basename(cwd), hfId: null });
  });

  it('batch 2 doubles FLOPs and KV bytes but reads the weights once', async () => {
    const t = await json(['terms', '--model', 'config.json', '--in', '5', '--out', '3', '--batch', '2']);
    expect(t.prefill.flops).toBe(2 * 12640);
    expect(t.prefill.bytes).toBe(2464 + 2 * 160);
    expect(t.decode.bytes).toBe(2 * 2464 + 2 * 32 * 13);
  });

  it('--kv-cache off recomputes the prefix: each step rereads the weights and holds no cache', async () => {
    const t = await json(['terms', '--model', './config.json', '--in', '5', '--out', '3', '--kv-cache', 'off']);
    // steps over 6 and 7 tokens: 2·1152·n + 160 + 64·n(n+1)/2
    expect(t.decode.flops).toBe(2304 * 6 + 160 + 64 * 21 + 2304 * 7 + 160 + 64 * 28);
    expect(t.decode.bytes).toBe(2 * 2464);
    expect(t.kvCacheBytes).toEqual({ afterPrefill: 0, final: 0 });
  });

  it('--weight-bytes and --kv-bytes scale weights and cache separately', async () => {
    const t = await json(['terms', '--model', './config.json', '--in', '5', '--out', '1', '--weight-bytes', '0.5', '--kv-bytes', '1']);
    expect(t.prefill.bytes).toBe(0.25 * 2464 + 80);
    expect(t.decode).toMatchObject({ steps: 0, flops: 0, bytes: 0 });
  });

  it('resolves Hugging Face ids: decode steps are out − 1 and the cache matches the architecture', async () => {
    const t = await json(['terms', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--in', '1024', '--out', '256']);
    expect(t.model.id).toBe('llama-3.1-8b');
    expect(t.decode.steps).toBe(255);
    // 32 layers · 2 · 8 KV heads · 128 · 2 bytes per token, 1024 + 255 tokens held at the end
    expect(t.kvCacheBytes.final).toBe(32 * 2 * 8 * 128 * 2 * 1279);
    expect(t.total.flops).toBe(t.prefill.flops + t.decode.flops);
  });

  it('every reference model: step-by-step sums of the design contract from the reference shapes', async () => {
    const nIn = 5000;
    const nOut = 40;
    for (const r of REFERENCE) {
      const t = await json(['terms', '--model', r.id, '--in', String(nIn), '--out', String(nOut), '--allow-overflow']);
      const { hidden_size: d, num_attention_heads: h, num_key_value_heads: kv, head_dim: dh, intermediate_size: f } = r;
      const pBlk = r.num_hidden_layers * (d * h * dh + 2 * d * kv * dh + h * dh * d + (r.gated_mlp ? 3 : 2) * d * f);
      const wb = 2 * (pBlk + d * r.vocab_size);
      const windows = Array.from({ length: r.num_hidden_layers }, (_, l) =>
        r.sliding_window === null || (r.sliding_window_layers !== 'all' && l % 2 === 1) ? Infinity : r.sliding_window,
      );
      const kvHeld = (n: number) => windows.reduce((sum, w) => sum + 2 * kv * dh * 2 * Math.min(n, w), 0);
      let prefillAttention = 0;
      for (const w of windows) for (let q = 1; q <= nIn; q++) prefillAttention += 4 * h * dh * Math.min(q, w);
      let decodeFlops = 0;
      let decodeBytes = 0;
      for (let k = 1; k < nOut; k++) {
        const c = nIn + k;
        decodeFlops += 2 * pBlk + 2 * d * r.vocab_size + windows.reduce((sum, w) => sum + 4 * h * dh * Math.min(c, w), 0);
        decodeBytes += wb + kvHeld(c);
      }
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * b;
      expect(close(t.prefill.flops, 2 * pBlk * nIn + 2 * d * r.vocab_size + prefillAttention), r.id).toBe(true);
      expect(t.prefill.bytes, r.id).toBe(wb + kvHeld(nIn));
      expect(close(t.decode.flops, decodeFlops), r.id).toBe(true);
      expect(close(t.decode.bytes, decodeBytes), r.id).toBe(true);
      expect(t.decode.steps, r.id).toBe(nOut - 1);
      expect(t.kvCacheBytes, r.id).toEqual({ afterPrefill: kvHeld(nIn), final: kvHeld(nIn + nOut - 1) });
    }
  });

  it('prints a table in GFLOP and GB without --json', async () => {
    const { code, stdout } = await cli(['terms', '--model', 'gemma-2-2b', '--in', '100', '--out', '10']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^model\s+gemma-2-2b \(google\/gemma-2-2b\)$/m);
    expect(stdout).toMatch(/^phase\s+GFLOP\s+GB$/m);
    expect(stdout).toMatch(/^decode \(9 steps\)\s+[\d,]+\.\d{3}\s+[\d,]+\.\d{3}$/m);
    expect(stdout).toMatch(/^KV cache at the end\s+0\.\d{3} GB$/m);
  });

  describe('bad arguments are one-line input errors naming the argument', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--in', '5', '--out', '3'], /^terms: --model is required/],
      [['--model', 'opt-1.3b', '--out', '3'], /^terms: --in is required, an integer ≥ 1$/],
      [['--model', 'opt-1.3b', '--in', '0', '--out', '3'], /^terms: --in must be an integer ≥ 1, got '0'$/],
      [['--model', 'opt-1.3b', '--in', '5', '--out', '2.5'], /^terms: --out must be an integer ≥ 1, got '2.5'$/],
      [['--model', 'opt-1.3b', '--in', '5', '--out', '3', '--kv-cache', 'maybe'], /^terms: --kv-cache must be one of on, off, got 'maybe'$/],
      [['--model', 'opt-1.3b', '--in', '5', '--out', '3', '--weight-bytes=-1'], /^terms: --weight-bytes must be a positive number, got '-1'$/],
      [['--model', 'opt-1.3b', '--in', '2000', '--out', '100'], /^terms: --in \+ --out - 1 = 2099 exceeds opt-1\.3b's context of 2048 tokens \(add --allow-overflow/],
      [['--model', 'gpt-5', '--in', '5', '--out', '3'], /^terms: --model: unknown model 'gpt-5'; nearest presets: /],
      [['--model', './nope.json', '--in', '5', '--out', '3'], /^terms: --model: cannot read .*nope\.json: no such file/],
      [['--model', './gpt2.json', '--in', '5', '--out', '3'], /^terms: --model: .*gpt2\.json: model_type 'gpt2' is not supported \(supported: llama, /],
      [['--model', './nohidden.json', '--in', '5', '--out', '3'], /^terms: --model: .*nohidden\.json: hidden_size is missing$/],
      [['--model', 'opt-1.3b', '--in', '5', '--out', '3', '--bogus'], /^terms: .*--bogus/],
      [['--model', 'opt-1.3b', '--in', '5', '--out', '3', '--weight-bytes', '1e308'], /^terms: request: the terms exceed double precision .*check --weight-bytes \(1e\+308\), --kv-bytes \(2\) and --batch \(1\)$/],
    ];
    for (const [args, message] of cases) {
      it(args.join(' '), async () => {
        const attempt = cli(['terms', ...args]);
        await expect(attempt).rejects.toBeInstanceOf(SweetspotInputError);
        await expect(cli(['terms', ...args])).rejects.toThrow(message);
      });
    }
    it('messages are one line', async () => {
      for (const [args] of cases) {
        const error = await cli(['terms', ...args]).catch((e: Error) => e);
        expect((error as Error).message).not.toContain('\n');
      }
    });
  });

  it('--allow-overflow computes a request longer than the context', async () => {
    const t = await json(['terms', '--model', 'opt-1.3b', '--in', '2000', '--out', '100', '--allow-overflow']);
    expect(t.decode.steps).toBe(99);
  });

  it('--help lists every option', async () => {
    const { code, stdout } = await cli(['terms', '--help']);
    expect(code).toBe(0);
    for (const option of ['--model', '--in', '--out', '--batch', '--weight-bytes', '--kv-bytes', '--kv-cache', '--allow-overflow', '--json']) {
      expect(stdout).toContain(option);
    }
  });
});
