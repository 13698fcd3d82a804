import type { Measurement } from './measurement.js';

/** Rows that share one configuration, and their mean energy. */
export interface RepeatGroup {
  readonly key: string;
  /** Indices into the rows passed to {@link groupRepeats}. */
  readonly indices: number[];
  readonly meanEnergyJ: number;
}

/**
 * The configuration a row measures: model, gpu, engine, KV-cache regime, batch, n_in, n_out. Rows
 * with the same key are repeats of one another. `model` replaces the row's model name (e.g. by
 * its preset id, so that two spellings of one model are one configuration).
 *
 * @example
 * configKey({ model: 'm', nIn: 8, nOut: 4, batchSize: 1, kvCache: true, energyJ: 1, extra: {} }) // 'm|||on|1|8|4'
 */
export function configKey(r: Measurement, model: string = r.model): string {
  // Joined from an array: one flat string, which a Map hashes without flattening it first.
  return [model, r.gpu ?? '', r.engine ?? '', r.kvCache ? 'on' : 'off', r.batchSize, r.nIn, r.nOut].join('|');
}

/**
 * Groups rows by configuration ({@link configKey}), in order of first appearance.
 *
 * @example
 * groupRepeats(rows).filter((g) => g.indices.length > 1).length // configurations measured more than once
 */
export function groupRepeats(rows: readonly Measurement[]): RepeatGroup[] {
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = configKey(r);
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey].map(([key, indices]) => ({
    key,
    indices,
    meanEnergyJ: indices.reduce((s, i) => s + rows[i].energyJ, 0) / indices.length,
  }));
}

/**
 * The noise floor of a data set: the MAPE of each repeated row against the mean of its
 * configuration. No model that predicts one energy per configuration can be expected to do much
 * better, so it is reported beside every error. Only configurations measured at least twice count;
 * `mapePct` is null when there are none.
 */
export interface NoiseFloor {
  readonly mapePct: number | null;
  /** Rows in configurations measured at least twice. */
  readonly rows: number;
  /** Configurations measured at least twice. */
  readonly groups: number;
  /** Configurations in all (including those measured once). */
  readonly configurations: number;
}

/**
 * Computes the {@link NoiseFloor} of `rows`.
 *
 * @example
 * noiseFloor(rows).mapePct // e.g. 3.1 (%): repeats differ from their mean by 3.1 % on average
 */
export function noiseFloor(rows: readonly Measurement[]): NoiseFloor {
  // The groups of groupRepeats, as an index per row and running sums in typed arrays (no group
  // objects or index lists: a million rows stay cheap).
  const index = new Map<string, number>();
  const groupOf = new Int32Array(rows.length);
  let sums = new Float64Array(256);
  let counts = new Int32Array(256);
  rows.forEach((r, i) => {
    const key = configKey(r);
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
      if (g === sums.length) {
        const grownSums = new Float64Array(2 * g);
        grownSums.set(sums);
        sums = grownSums;
        const grownCounts = new Int32Array(2 * g);
        grownCounts.set(counts);
        counts = grownCounts;
      }
    }
    sums[g] += r.energyJ;
    counts[g]++;
    groupOf[i] = g;
  });
  const groups = index.size;
  const deviation = new Float64Array(groups);
  rows.forEach((r, i) => {
    const g = groupOf[i];
    if (counts[g] < 2) return;
    deviation[g] += Math.abs(r.energyJ - sums[g] / counts[g]) / r.energyJ;
  });
  let sum = 0;
  let count = 0;
  let repeated = 0;
  for (let g = 0; g < groups; g++) {
    if (counts[g] < 2) continue;
    repeated++;
    sum += deviation[g];
    count += counts[g];
  }
  return { mapePct: count ? (100 * sum) / count : null, rows: count, groups: repeated, configurations: groups };
}
