import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHfConfig } from '../../src/architecture/hf-config.js';
import { ARCHITECTURE_LIMITS } from '../../src/architecture/limits.js';
import { loadArchitecture } from '../../src/architecture/load.js';
import { preset } from '../../src/architecture/registry.js';
import { layerWindows } from '../../src/architecture/windows.js';
import { READ_LIMITS, readTextFile } from '../../src/text-input.js';
import { cli, inputError, LLAMA_CONFIG, tempDir } from './helpers.js';

const llama = LLAMA_CONFIG;

describe('configs: sizes bounded before anything is allocated per layer', () => {
  it('refuses a huge num_hidden_layers by name (1e8 hung, 1e9 ran out of heap, 2^32 threw "Invalid array length")', async () => {
    for (const layers of [1e8, 1e9, 2 ** 32]) {
      await inputError(() => fromHfConfig({ ...llama, num_hidden_layers: layers }), [`config.json: num_hidden_layers = ${layers} exceeds the limit of ${ARCHITECTURE_LIMITS.numLayers}`]);
    }
    // The Qwen2 path builds a per-layer list from the count: refused before it too.
    await inputError(() => fromHfConfig({ ...llama, model_type: 'qwen2', num_hidden_layers: 1e9, use_sliding_window: true, sliding_window: 4096 }), ['num_hidden_layers = 1000000000 exceeds']);
    // At the limit, the architecture is built (and its per-layer windows are that many).
    expect(fromHfConfig({ ...llama, num_hidden_layers: ARCHITECTURE_LIMITS.numLayers }).numLayers).toBe(ARCHITECTURE_LIMITS.numLayers);
  });

  it('refuses the same sizes in an Architecture record given to the library, before per-layer work', async () => {
    await inputError(() => layerWindows({ ...preset('llama-3.1-8b'), numLayers: 1e9 }), ['numLayers: must be at most 4096']);
    await inputError(() => layerWindows({ ...preset('llama-3.1-8b'), vocabSize: 2 ** 40 }), ['vocabSize: must be at most']);
  });

  it('reads a huge num_hidden_layers from a file as the same named error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...llama, num_hidden_layers: 1e9 }));
    await inputError(loadArchitecture('./config.json', dir), [`${join(dir, 'config.json')}: num_hidden_layers = 1000000000 exceeds the limit`]);
  });

  it('refuses unknown layer_types values instead of taking them as full attention', async () => {
    const mistral = { ...llama, model_type: 'mistral', num_hidden_layers: 4, sliding_window: 4096 };
    await inputError(() => fromHfConfig({ ...mistral, layer_types: ['sliding_attention', 'foo', 'full_attention', 'full_attention'] }), [
      "config.json: layer_types[1] is 'foo', expected 'sliding_attention' or 'full_attention'",
    ]);
    const ok = fromHfConfig({ ...mistral, layer_types: ['sliding_attention', 'full_attention', 'sliding_attention', 'full_attention'] });
    expect(ok.slidingWindow).toEqual({ size: 4096, layers: [0, 2] });
  });

  it('reads a config.json with a byte-order mark (it was "invalid JSON")', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), `\uFEFF${JSON.stringify(llama)}`);
    expect((await loadArchitecture('./config.json', dir)).numLayers).toBe(32);
  });
});

describe('configs: --model reads regular files only, bounded, and never echoes them', () => {
  it('does not quote a file that is not JSON (a system file named by mistake)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret.json'), 'root:x:0:0:SECRET-TOKEN-1234:/root:/bin/bash\n');
    const error = await inputError(loadArchitecture('./secret.json', dir), [`${join(dir, 'secret.json')}: not valid JSON (unexpected character`]);
    expect(error.message).not.toMatch(/root|SECRET|bash/);
    const fromCli = await inputError(cli(dir, ['terms', '--model', './secret.json', '--in', '8', '--out', '8']), ['not valid JSON']);
    expect(fromCli.message).not.toMatch(/root|SECRET|bash/);
    // Valid JSON that is not an object is named by its kind, not quoted.
    writeFileSync(join(dir, 'token.json'), '"SECRET-TOKEN-1234"');
    const token = await inputError(loadArchitecture('./token.json', dir), [`${join(dir, 'token.json')}: expected a JSON object, got a string`]);
    expect(token.message).not.toContain('SECRET');
    const passwd = await inputError(loadArchitecture('/etc/passwd', dir), ['/etc/passwd: not valid JSON']);
    expect(passwd.message).not.toContain('root:');
  });

  it('refuses an endless device, a directory and a FIFO before reading a byte (/dev/zero read ~512 MB before)', async () => {
    await inputError(loadArchitecture('/dev/zero', '/'), ['/dev/zero: a device, not a regular file']);
    await inputError(loadArchitecture('/dev/urandom', '/'), ['/dev/urandom: a device, not a regular file']);
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    // A FIFO with no writer would block an open for ever: it is refused from its stat.
    await inputError(loadArchitecture('./pipe.json', dir), [`${join(dir, 'pipe.json')}: a pipe, not a regular file`]);
    await inputError(readTextFile(dir, { maxBytes: 10, what: '--data x' }), ['--data x: a directory, not a regular file']);
  });

  it('refuses a config over the size limit without reading it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), `{"model_type": "llama", "pad": "${'x'.repeat(READ_LIMITS.configBytes)}"}`);
    await inputError(loadArchitecture(dir, '/'), [`${join(dir, 'config.json')}: the file is larger than the limit of ${READ_LIMITS.configBytes} bytes`]);
    // The bound holds where the size is not known in advance (procfs reports 0 bytes).
    await inputError(readTextFile('/proc/self/maps', { maxBytes: 16, what: 'maps' }), ['maps: the file is larger than the limit of 16 bytes']);
  });
});

describe('configs: what the terms cannot model is refused, not priced as something else', () => {
  it('refuses a mixture of experts (num_local_experts: 8 on a llama config was priced as a dense model)', async () => {
    await inputError(() => fromHfConfig({ ...llama, num_local_experts: 8, num_experts_per_tok: 2 }), [
      'config.json: num_local_experts = 8: mixture-of-experts models are not modelled',
    ]);
    await inputError(() => fromHfConfig({ ...llama, model_type: 'qwen2', num_experts: 60 }), ['num_experts = 60: mixture-of-experts']);
    await inputError(() => fromHfConfig({ ...llama, num_experts_per_tok: 'two' }), ['num_experts_per_tok = "two": mixture-of-experts']);
    // One expert, or none, is the dense model the terms describe.
    for (const experts of [0, 1, null]) expect(fromHfConfig({ ...llama, num_local_experts: experts }).intermediateSize).toBe(14336);
  });

  it('names null options instead of throwing TypeError', async () => {
    await inputError(() => fromHfConfig(llama, null as never), ['fromHfConfig: options must be an object, got null']);
  });
});
