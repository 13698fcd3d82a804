/**
 * What pricing in waves changes on public data (docs/energy-models.md#batches-that-exceed-memory):
 * the built-in H100 default evaluated on the single-GPU H100 rows of data/argonne_hopper_diag.csv
 * that are not `quality = suspect` (the 16 rows it was fitted on), without and with `waves`.
 * The shipped calibration is not changed. Run: `npx tsx scripts/waves-effect.ts [--json]`.
 */
import { fileURLToPath } from 'node:url';
import { H100_DEFAULT_CALIBRATION } from '../src/energy/calibration/defaults.js';
import { evaluate } from '../src/fit/evaluate/evaluate.js';
import type { Measurement } from '../src/fit/data/measurement.js';
import { h100Rows } from './calibrations/build.js';

/** One row's error without and with waves. */
export interface WavesRow {
  readonly line: number;
  readonly model: string;
  readonly engine: string;
  readonly batch: number;
  readonly measuredJ: number;
  readonly atOnceJ: number;
  readonly inWavesJ: number;
}

/** MAPE and per-row predictions of the default on the H100 rows, without and with waves. */
export function wavesEffect(root: string): { readonly rows: WavesRow[]; readonly mapeAtOnce: number; readonly mapeInWaves: number; readonly maxApeAtOnce: number; readonly maxApeInWaves: number } {
  const rows: Measurement[] = h100Rows(root);
  // Every batch is priced: rows that exceed 80 GB were measured, so they ran (docs/energy-models.md#memory).
  const atOnce = evaluate(H100_DEFAULT_CALIBRATION, rows, { baselines: [] });
  const inWaves = evaluate(H100_DEFAULT_CALIBRATION, rows, { baselines: [], waves: true });
  return {
    rows: rows.map((r, i) => ({
      line: r.line ?? NaN,
      model: r.model,
      engine: (r.engine ?? '').split(' ')[0],
      batch: r.batchSize,
      measuredJ: r.energyJ,
      atOnceJ: atOnce.predictedJ[i],
      inWavesJ: inWaves.predictedJ[i],
    })),
    mapeAtOnce: atOnce.mape,
    mapeInWaves: inWaves.mape,
    maxApeAtOnce: atOnce.maxApe,
    maxApeInWaves: inWaves.maxApe,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const effect = wavesEffect(root);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(effect, null, 2)}\n`);
  } else {
    const pct = (p: number, m: number) => `${p >= m ? '+' : '−'}${Math.abs((p / m - 1) * 100).toFixed(1)}%`;
    console.log('line  model                       engine        batch  measured J  at once          in waves');
    for (const r of effect.rows) {
      console.log(
        `${String(r.line).padEnd(5)} ${r.model.padEnd(27)} ${r.engine.padEnd(13)} ${String(r.batch).padStart(5)}  ${r.measuredJ.toFixed(0).padStart(10)}  ${`${r.atOnceJ.toFixed(0)} (${pct(r.atOnceJ, r.measuredJ)})`.padEnd(15)}  ${r.inWavesJ.toFixed(0)} (${pct(r.inWavesJ, r.measuredJ)})`,
      );
    }
    console.log(`MAPE ${effect.mapeAtOnce.toFixed(2)}% at once (max ${effect.maxApeAtOnce.toFixed(1)}%), ${effect.mapeInWaves.toFixed(2)}% in waves (max ${effect.maxApeInWaves.toFixed(1)}%)`);
    // Batch 64 of Llama-2-7B (82.2 GB) against batch 32 of the same model and engine: what the
    // data says of the step from one to two waves, beside what each pricing predicts.
    for (const r of effect.rows.filter((x) => x.batch === 64 && x.model.includes('Llama-2'))) {
      const half = effect.rows.find((x) => x.batch === 32 && x.model === r.model && x.engine === r.engine)!;
      console.log(
        `${r.engine} Llama-2-7B E(64)/E(32): measured ${(r.measuredJ / half.measuredJ).toFixed(3)}, at once ${(r.atOnceJ / half.atOnceJ).toFixed(3)}, in waves ${(r.inWavesJ / half.inWavesJ).toFixed(3)}`,
      );
    }
  }
}
