import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preset } from '../../../src/architecture/registry.js';
import { parseCalibration, serializeCalibration } from '../../../src/energy/calibration/document.js';
import { H100_DEFAULT_CALIBRATION } from '../../../src/energy/calibration/defaults.js';
import { predictEnergy } from '../../../src/energy/predict/predict.js';
import { resolveProfile } from '../../../src/energy/hardware/profiles.js';
import { parseShelfEntry } from '../../../src/energy/calibration/shelf-entry.js';
import { DEFAULT_CALIBRATION_NAME, calibrationByName, isCalibrationName, listCalibrations, shelfEntry } from '../../../src/energy/calibration/shelf.js';
import { SweetspotInputError } from '../../../src/errors.js';
import { buildShelf, shelfEntryText } from '../../../scripts/calibrations/build.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DIR = join(ROOT, 'src', 'energy', 'calibration', 'shelf');

describe('the calibration shelf', () => {
  it('`npm run calibrations` reproduces every shipped file from data/ (and ships nothing else)', () => {
    const built = buildShelf(ROOT);
    expect(readdirSync(DIR).sort()).toEqual(built.map((e) => `${e.name}.json`).sort());
    for (const e of built) expect([e.name, readFileSync(join(DIR, `${e.name}.json`), 'utf8')]).toEqual([e.name, shelfEntryText(e)]);
  });

  it('lists every shipped file, the default first and marked', () => {
    const list = listCalibrations();
    expect(list.map((c) => `${c.name}.json`).sort()).toEqual(readdirSync(DIR).sort());
    expect(list[0].name).toBe(DEFAULT_CALIBRATION_NAME);
    expect(list.filter((c) => c.isDefault).map((c) => c.name)).toEqual(['h100']);
    expect(calibrationByName(DEFAULT_CALIBRATION_NAME)).toBe(H100_DEFAULT_CALIBRATION);
    for (const c of list) {
      const entry = parseShelfEntry(readFileSync(join(DIR, `${c.name}.json`), 'utf8'));
      expect(c.rows).toBe(entry.calibration.fittedOn?.rows ?? 0);
      expect(c.fitted).toBe(entry.calibration.fittedOn !== null);
      // Every fitted calibration says where each of its rows came from, and was cross-validated.
      if (c.fitted) {
        expect(entry.calibration.fittedOn!.sources!.reduce((n, s) => n + s.lines.length, 0)).toBe(c.rows);
        expect(entry.crossValidation.length).toBeGreaterThan(0);
        for (const cv of entry.crossValidation) {
          expect(cv.folds.reduce((n, f) => n + f.rows, 0)).toBe(cv.rows);
          // The pooled MAPE is the row-weighted mean of the folds'.
          expect(cv.folds.reduce((s, f) => s + f.mape * f.rows, 0) / cv.rows).toBeCloseTo(cv.mape, 1);
        }
      }
      expect(parseCalibration(serializeCalibration(calibrationByName(c.name)))).toStrictEqual(structuredClone(calibrationByName(c.name)));
    }
  });

  it('has one calibration per H100 engine, both fitted and distinct', () => {
    const vllm = calibrationByName('h100-vllm');
    const trt = calibrationByName('h100-trtllm');
    expect(vllm.engine).toMatch(/^vLLM/);
    expect(trt.engine).toMatch(/^TensorRT-LLM/);
    expect(vllm.fittedOn!.rows + trt.fittedOn!.rows).toBe(H100_DEFAULT_CALIBRATION.fittedOn!.rows);
    // vLLM drew more power than TensorRT-LLM at batch 64 on Llama-2-7B (595 W against 449 W, same latency).
    // (82 GB of weights and KV cache on an 80 GB card: the engines preempted, so compute it anyway.)
    const e = (name: string) => predictEnergy(calibrationByName(name), preset('llama-2-7b'), { nIn: 1024, nOut: 1024, batch: 64, ignoreMemory: true }).energyJ;
    expect(e('h100-vllm')).toBeGreaterThan(e('h100-trtllm'));
  });

  it('covers the GPUs and regimes of data/', () => {
    const by = Object.fromEntries(listCalibrations().map((c) => [c.name, c]));
    expect(by['a100-sxm4-hf-recompute'].regime).toBe('recompute');
    expect(resolveProfile(by['a100-pcie-hf-recompute'].profile!).id).toBe('a100-pcie-40gb');
    expect(by['gh200-vllm'].gpu).toBe('NVIDIA GH200');
    expect(by['h100-physics'].fitted).toBe(false);
  });

  it('is frozen, and an unknown name is an error listing the shelf', () => {
    expect(() => {
      (calibrationByName('h100-vllm').params.eFlop as { value: number }).value = 1;
    }).toThrow(TypeError);
    expect(isCalibrationName('h100-vllm')).toBe(true);
    expect(isCalibrationName('h100.json')).toBe(false);
    expect(() => shelfEntry('h200')).toThrow(SweetspotInputError);
    expect(() => calibrationByName('h200')).toThrow(/unknown calibration 'h200': the shelf has h100, h100-vllm, h100-trtllm/);
  });
});
