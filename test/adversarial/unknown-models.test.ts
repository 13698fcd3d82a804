import { beforeEach, describe, expect, it, vi } from 'vitest';
import { prepareRows, prepareTable } from '../../src/fit/prepare.js';
import { MeasurementSchema } from '../../src/fit/data/schemas.js';
import { tableFromRows } from '../../src/fit/data/table.js';
import { evaluate, defaultCalibration } from '../../src/index.js';
import { inputError } from './helpers.js';

// Suggesting the nearest presets costs an edit distance to every preset id (~0.5 ms a name). A
// preparation only lists the models that do not resolve, so it must not pay that for each of
// them: a file of 4000 distinct unknown models spent 2.2 s on suggestions nobody read (84 ms now).
const calls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/edit-distance.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/edit-distance.js')>();
  return {
    editDistance: (a: string, b: string) => {
      calls.count++;
      return original.editDistance(a, b);
    },
  };
});

beforeEach(() => {
  calls.count = 0;
});

const rows = Array.from({ length: 200 }, (_, i) => MeasurementSchema.parse({ model: `unknown-model-${i}`, nIn: 64, nOut: 64, energyJ: 5 }));
const known = MeasurementSchema.parse({ model: 'meta-llama/Llama-2-7b-chat-hf', nIn: 64, nOut: 64, energyJ: 5 });

describe('rows of many unknown models', () => {
  it('prepareRows and prepareTable list them without suggesting a preset for each (2 edit distances per preset per model before)', () => {
    const prepared = prepareRows([known, ...rows]);
    expect(prepared.unresolved).toEqual(rows.map((r) => r.model));
    expect(prepared.keys.at(0)).toBe('llama-2-7b');
    expect(Number.isNaN(prepared.features.at(1)!.prefillFlops)).toBe(true);
    expect(prepareTable(tableFromRows([known, ...rows])).unresolved).toEqual(rows.map((r) => r.model));
    expect(calls.count).toBe(0);
  });

  it('the error a user sees still suggests the nearest presets, for the first unknown model only', async () => {
    await inputError(() => evaluate(defaultCalibration(), [known, ...rows]), ["rows[1]: unknown model 'unknown-model-0'; nearest presets: "]);
    expect(calls.count).toBeGreaterThan(0);
    const perName = calls.count;
    calls.count = 0;
    await inputError(() => evaluate(defaultCalibration(), [known, rows[0]]), ["unknown model 'unknown-model-0'"]);
    expect(calls.count).toBe(perName);
  });
});
