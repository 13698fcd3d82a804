import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const GPU = 'NVIDIA A100-SXM4-40GB';

function formulaDocument(models: Record<string, number> | null, batch = 1): string {
  // A formula fitted with `bounds: { c: [-100, 100] }`: the document keeps the values, not the bounds.
  const params = { a: { value: 0.5, unit: 'J/token', stdErr: null }, c: { value: -20, unit: 'J', stdErr: null } };
  return JSON.stringify({
    version: 1,
    form: 'formula',
    formula: 'a * nOut + c',
    regime: 'kv-cache',
    gpu: GPU,
    profile: null,
    engine: 'hf',
    weightBytes: 2,
    kvBytes: 2,
    batch,
    params: models ? {} : params,
    models: models ? Object.fromEntries(Object.entries(models).map(([m, n]) => [m, { params, rows: n, mape: 0 }])) : {},
    fittedOn: null,
    fitted: false,
    note: 'written by hand',
    errors: null,
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sweetspot-formula-'));
  writeFileSync(join(dir, 'shared.json'), formulaDocument(null));
  writeFileSync(join(dir, 'per-model-b4.json'), formulaDocument({ 'llama-2-7b': 6 }, 4));
  const rows = ['model,n_in,n_out,energy_j,gpu,engine,kv_cache'];
  for (const i of [16, 256]) for (const o of [64, 128, 512]) rows.push(`meta-llama/Llama-2-7b-hf,${i},${o},${0.5 * o - 20},${GPU},hf,on`);
  writeFileSync(join(dir, 'rows.csv'), `${rows.join('\n')}\n`);
});

describe('formula calibrations in the CLI (the library path: calibrationForm)', () => {
  it('predicts a formula calibration whose stored value is negative', async () => {
    const { code, stdout } = await cli(dir, ['predict', '--calibration', 'shared.json', '--model', 'llama-2-7b', '--in', '100', '--out', '100', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.energyJ).toBe(0.5 * 100 - 20);
    expect(out.jPerToken).toBe(30 / 200);
  });

  it('evaluates a formula calibration whose stored value is negative', async () => {
    const { code, stdout } = await cli(dir, ['evaluate', '--calibration', 'shared.json', '--data', 'rows.csv', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.n).toBe(6);
    expect(out.mape).toBeLessThan(1e-9);
  });

  it('a per-model formula predicts at its calibrated batch only', async () => {
    const ok = JSON.parse((await cli(dir, ['predict', '--calibration', 'per-model-b4.json', '--model', 'llama-2-7b', '--in', '100', '--out', '100', '--json'])).stdout);
    expect(ok).toMatchObject({ batch: 4, energyJ: 30, energyPerRequestJ: 7.5 });
    await expect(cli(dir, ['predict', '--calibration', 'per-model-b4.json', '--model', 'llama-2-7b', '--in', '100', '--out', '100', '--batch', '1'])).rejects.toThrow(
      /batch 1: a per-model formula calibration was fitted at batch 4 only.*cannot predict another batch/,
    );
    // Rows at batch 1 are not predicted by a calibration of batch-4 calls either.
    await expect(cli(dir, ['evaluate', '--calibration', 'per-model-b4.json', '--data', 'rows.csv'])).rejects.toThrow(/fitted at batch 4 only/);
  });
});
