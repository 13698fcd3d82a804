import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHfConfig, loadArchitecture } from '../../src/index.js';
import { READ_LIMITS } from '../../src/text-input.js';
import { inputError, LLAMA_CONFIG, tempDir } from './helpers.js';

// A bad value of a config.json is shown in the message: safely and briefly, whatever it is
// (docs/architectures.md#limits-on-untrusted-input).

const LLAMA = { ...LLAMA_CONFIG, max_position_embeddings: 131072 };

describe('config.json values in messages', () => {
  it('names a value nested 3·10⁵ deep in a config file under the size limit (RangeError: Maximum call stack size exceeded)', async () => {
    const dir = tempDir();
    const depth = 300_000;
    const text = JSON.stringify({ ...LLAMA, hidden_size: 0 }).replace('"hidden_size":0', `"hidden_size":${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(text.length).toBeLessThan(READ_LIMITS.configBytes);
    writeFileSync(join(dir, 'config.json'), text);
    await inputError(loadArchitecture(join(dir, 'config.json'), dir), ['hidden_size must be a positive integer, got an array']);
  });

  it('names a BigInt, a cycle and a symbol (TypeError "Do not know how to serialize a BigInt", "Converting circular structure"; a symbol was "got undefined")', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await inputError(() => fromHfConfig({ ...LLAMA, hidden_size: 4096n }), ['config.json: hidden_size must be a positive integer, got a bigint (4096)']);
    await inputError(() => fromHfConfig({ ...LLAMA, hidden_size: cycle }), ['hidden_size must be a positive integer, got an object']);
    await inputError(() => fromHfConfig({ ...LLAMA, hidden_size: Symbol('s') }), ['got a symbol (Symbol(s))']);
    await inputError(() => fromHfConfig({ ...LLAMA, attention_bias: 1n }), ['attention_bias must be true or false, got a bigint (1)']);
    await inputError(() => fromHfConfig({ ...LLAMA, num_local_experts: 8n }), ['num_local_experts = a bigint (8): mixture-of-experts models are not modelled']);
  });

  it('quotes a long value by its first 60 characters of JSON and its length (a megabyte string was quoted whole)', async () => {
    const error = await inputError(() => fromHfConfig({ ...LLAMA, hidden_size: 'x'.repeat(1_000_000) }), []);
    expect(error.message).toBe(`config.json: hidden_size must be a positive integer, got "${'x'.repeat(59)}… (1000002 characters)`);
    // Short values are written as before.
    await inputError(() => fromHfConfig({ ...LLAMA, hidden_size: '4096' }), ['hidden_size must be a positive integer, got "4096"']);
    await inputError(() => fromHfConfig({ ...LLAMA, hidden_size: 4096.5 }), ['got 4096.5']);
  });
});

describe('values from outside in other messages', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  let deep: unknown = 1;
  for (let k = 0; k < 100_000; k++) deep = [deep];

  it('a calibration version, a measurement row, a box and a colour scale name a BigInt, a cycle or a deep array (TypeError, RangeError before)', async () => {
    const { calibrate, computeSurface, axisRange, defaultCalibration, heatmapSvg, parseCalibration, preset, serializeCalibration, surfaceEnergy, sweetSpot, sweetspotForm } = await import('../../src/index.js');
    const document = JSON.parse(serializeCalibration(defaultCalibration()));
    await inputError(() => parseCalibration({ ...document, version: 5n }), ['calibration: version: unsupported calibration version a bigint (5)']);
    await inputError(() => parseCalibration({ ...document, version: { major: [2] } }), ['unsupported calibration version {"major":[2]}']);
    // A cycle is refused by the count of values, before any message writes it.
    await inputError(() => parseCalibration({ ...document, version: cycle }), ['calibration: more than 131072 JSON values']);
    await inputError(() => parseCalibration({ ...document, version: 'x'.repeat(1000) }), [`unsupported calibration version "${'x'.repeat(59)}… (1002 characters)`]);
    const row = { model: 'llama-3.1-8b', nIn: 10, nOut: 10 };
    await inputError(() => calibrate([{ ...row, energyJ: 5n }] as never, { form: sweetspotForm }), ['rows[0]: energyJ: Invalid input: expected number, received bigint (got a bigint (5))']);
    await inputError(() => calibrate([{ ...row, energyJ: deep }] as never, { form: sweetspotForm }), ['(got an array)']);
    const energy = surfaceEnergy(defaultCalibration(), preset('llama-3.1-8b'));
    await inputError(() => sweetSpot(energy, { nIn: cycle, nOut: [1, 2] } as never), ['box.nIn: must be [low, high], got an object']);
    await inputError(() => sweetSpot(energy, { nIn: deep, nOut: [1, 2] } as never), ['box.nIn: must be [low, high], got an array']);
    await inputError(() => sweetSpot(energy, { nIn: [1, 2, 3], nOut: [1, 2] } as never), ['box.nIn: must be [low, high], got [1,2,3]']);
    const surface = computeSurface(energy, { nIn: axisRange(1, 4), nOut: axisRange(1, 4) });
    await inputError(() => heatmapSvg(surface, { colorScale: 5n } as never), ['heatmap: colorScale must be one of auto, log, linear, got a bigint (5)']);
    await inputError(() => heatmapSvg(surface, { colorScale: 'viridis' } as never), ['got "viridis"']);
  });
});
