import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../src/index.js';

// estimate() keeps the model it bound for each (calibration, architecture, options), so that a
// service calling it per request binds once. The options' key holds the GPU name as given: a
// service passing its users' spellings of a GPU bound and kept one model per spelling, for ever
// (20 000 spellings of one H100: 147 MB held). The cache is bounded; this measures the heap.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A spelling of the H100 SXM that resolves to its profile: letter case and trailing spaces vary. */
function spelling(k: number): string {
  const base = 'nvidia h100 sxm5 80gb';
  let out = '';
  for (let i = 0; i < base.length; i++) out += (k >> i) & 1 ? base[i].toUpperCase() : base[i];
  return `${out}${' '.repeat(k % 7)}`;
}

describe('estimate({ onGpu }) with many spellings of one GPU', () => {
  it('holds a bounded memory, and every spelling gives the same answer', () => {
    const first = estimate('llama-3.1-8b', { nIn: 64, nOut: 64 }, { onGpu: spelling(0) }).energyJ;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 1; k <= 20_000; k++) {
      const e = estimate('llama-3.1-8b', { nIn: 64, nOut: 64 }, { onGpu: spelling(k) });
      if (e.energyJ !== first) throw new Error(`spelling ${spelling(k)} gave ${e.energyJ} J, not ${first}`);
    }
    gc();
    const heldMb = (process.memoryUsage().heapUsed - before) / 1e6;
    // Unbounded it held 1.3 KB a spelling here (26 MB); bounded, about 1 MB.
    expect(heldMb).toBeLessThan(10);
  });
});
