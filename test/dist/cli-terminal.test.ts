import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built binary, where bytes reach the terminal: a model name that holds an OSC 8 link, a clear
// screen and a right-to-left override must arrive with U+FFFD in their place (docs/conventions.md).
const CLI = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist/cli.js');
const EVIL = 'evil\u001b]8;;http://x\u0007\u001b[2Jmodel\u202e';

function sweetspot(cwd: string, args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
}

/** Bytes a terminal acts on (C0 but tab and newline, DEL, C1, bidi controls), found by code point. */
function acting(text: string): number[] {
  return [...text].map((c) => c.codePointAt(0)!).filter((c) => (c < 0x20 && c !== 9 && c !== 10) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
}

describe('the built CLI writes names safely', () => {
  it('fit prints, and an error on stderr quotes, the name with U+FFFD; the calibration file keeps it', () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run npx tsup first');
    const dir = mkdtempSync(join(tmpdir(), 'sweetspot-terminal-'));
    const rows = ['model,n_in,n_out,energy_j,kv_cache'];
    for (const i of [16, 64, 256, 1024]) for (const o of [8, 64, 512]) rows.push(`"${EVIL}",${i},${o},${(20 + 0.05 * i + 3 * o + 1e-3 * o * o) * (1 + 0.003 * ((i + o) % 7))},on`);
    writeFileSync(join(dir, 'evil.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'other.csv'), 'model,n_in,n_out,energy_j,kv_cache\nllama-2-7b,16,8,45,on\n');
    const fit = sweetspot(dir, ['fit', '--data', 'evil.csv', '--prior', 'none', '--save', 'evil.json']);
    expect(fit.status, fit.stderr).toBe(0);
    expect(acting(fit.stdout + fit.stderr)).toEqual([]);
    expect(fit.stdout).toContain('evil\uFFFD]8;;http://x\uFFFD\uFFFD[2Jmodel\uFFFD');
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'evil.json'), 'utf8')).models)).toEqual([EVIL]);
    const ev = sweetspot(dir, ['evaluate', '--calibration', 'evil.json', '--data', 'other.csv']);
    expect(ev.status).toBe(2);
    expect(ev.stderr).toContain('calibrated: evil\uFFFD]8;;http://x\uFFFD\uFFFD[2Jmodel\uFFFD');
    expect(acting(ev.stderr)).toEqual([]);
  });
});
