import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { predictEnergy } from '../../../src/energy/predict/predict.js';
import { preset } from '../../../src/architecture/registry.js';
import { wavesEffect } from '../../../scripts/waves-effect.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the H100 default in waves on the public H100 rows (docs/energy-models.md, "with waves")', () => {
  const effect = wavesEffect(ROOT);

  it('evaluates the 16 trusted single-GPU rows; only the two Llama-2-7B batch-64 rows (82.2 GB) change, to twice batch 32', () => {
    expect(effect.rows).toHaveLength(16);
    const changed = effect.rows.filter((r) => r.inWavesJ !== r.atOnceJ);
    expect(changed.map((r) => [r.model, r.batch])).toEqual([
      ['meta-llama/Llama-2-7b-hf', 64],
      ['meta-llama/Llama-2-7b-hf', 64],
    ]);
    // An independent prediction: 2 waves of 32 sequences each.
    const twoOf32 = 2 * predictEnergy(H100_DEFAULT_CALIBRATION, preset('llama-2-7b'), { nIn: 1024, nOut: 1024, batch: 32 }).energyJ;
    for (const r of changed) expect(Math.abs(r.inWavesJ / twoOf32 - 1)).toBeLessThan(1e-12);
  });

  it('the figures of the docs: MAPE 7.25% at once, 7.53% in waves; Llama-2-7B batch 64 −22.2% → −8.3% (vLLM), +3.2% → +21.5% (TensorRT-LLM)', () => {
    expect(effect.mapeAtOnce).toBeCloseTo(7.25, 2);
    expect(effect.mapeInWaves).toBeCloseTo(7.53, 2);
    const err = (engine: string, which: 'atOnceJ' | 'inWavesJ') => {
      const r = effect.rows.find((x) => x.batch === 64 && x.model.includes('Llama-2') && x.engine === engine)!;
      return (r[which] / r.measuredJ - 1) * 100;
    };
    expect(err('vLLM', 'atOnceJ')).toBeCloseTo(-22.2, 1);
    expect(err('vLLM', 'inWavesJ')).toBeCloseTo(-8.3, 1);
    expect(err('TensorRT-LLM', 'atOnceJ')).toBeCloseTo(3.2, 1);
    expect(err('TensorRT-LLM', 'inWavesJ')).toBeCloseTo(21.5, 1);
    // The step from batch 32 to 64 in the data (1.86 and 2.03) against 1.70 at once and 2 in waves.
    const ratio = (engine: string, which: 'measuredJ' | 'atOnceJ' | 'inWavesJ') => {
      const at = (b: number) => effect.rows.find((x) => x.batch === b && x.model.includes('Llama-2') && x.engine === engine)![which];
      return at(64) / at(32);
    };
    expect(ratio('vLLM', 'measuredJ')).toBeCloseTo(1.857, 3);
    expect(ratio('TensorRT-LLM', 'measuredJ')).toBeCloseTo(2.035, 3);
    expect(ratio('vLLM', 'atOnceJ')).toBeCloseTo(1.698, 3);
    expect(ratio('vLLM', 'inWavesJ')).toBeCloseTo(2, 9);
  });
});
