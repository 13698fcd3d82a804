import { describe, expect, it } from 'vitest';
import { parsePins } from '../../src/fit/solve/pin.js';
import { cli, inputError, tempDir } from './helpers.js';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `--fix NAME=VALUE` pins a parameter. `out['__proto__'] = 1` sets no key, so such a pin was
// dropped without a word and the fit ran unpinned; a name pinned twice kept the last value.

describe('--fix pins', () => {
  it('refuses __proto__ and the other reserved names (the pin was silently dropped)', async () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      await inputError(() => parsePins([`${name}=1`]), [`parsePins(['${name}=1']): '${name}' is a reserved name, never a parameter`]);
    }
  });

  it('refuses a name pinned twice, naming both values', async () => {
    await inputError(() => parsePins(['theta1=1', 'theta1=2']), ["parsePins(['theta1=2']): theta1 is pinned twice (to 1 and 2)"]);
    expect(parsePins(['theta1=1', 'theta2=2'])).toEqual({ theta1: 1, theta2: 2 });
  });

  it('the command line says so by flag and saves nothing', async () => {
    const dir = tempDir();
    const rows = ['model,n_in,n_out,energy_j', ...[100, 500, 1000, 2000].flatMap((i) => [50, 300, 1000].map((o) => `llama-3.1-8b,${i},${o},${(1 + i / 1000 + 3 * o).toFixed(3)}`))];
    writeFileSync(join(dir, 'rows.csv'), `${rows.join('\n')}\n`);
    await inputError(cli(dir, ['fit', '--data', 'rows.csv', '--form', 'sweetspot', '--save', 'out.json', '--fix', '__proto__=1']), ["--fix '__proto__=1': '__proto__' is a reserved name, never a parameter"]);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });
});
