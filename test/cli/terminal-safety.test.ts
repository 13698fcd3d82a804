import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { SweetspotInputError } from '../../src/errors.js';
import { lengths, noise } from '../fit/helpers.js';
import { fixtureDir, SS_THETA } from './fit-fixtures.js';
import { cli } from './helpers.js';

// An OSC 8 hyperlink (ESC ] 8 ; ; URL BEL) and a right-to-left override in a model name: printed
// as they are, they would turn the text after them into a link and reverse it on the terminal.
const EVIL = 'evil\u001b]8;;http://x\u0007model\u202e';

/** The characters of `text` a terminal would act on rather than show, by code point (independent of src/visible-text.ts). */
function acting(text: string): string[] {
  const found: string[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const c0 = c < 0x20 && c !== 0x09 && c !== 0x0a;
    const c1 = c >= 0x7f && c <= 0x9f;
    const bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    const lone = c >= 0xd800 && c <= 0xdfff;
    if (c0 || c1 || bidi || lone) found.push(`U+${c.toString(16).padStart(4, '0')}`);
  }
  return found;
}

let dir: string;
beforeAll(() => {
  dir = fixtureDir();
  const rows = ['model,n_in,n_out,energy_j'];
  let k = 0;
  for (const i of [16, 64, 256, 1024]) for (const o of [8, 64, 512]) rows.push(`"${EVIL}",${i},${o},${sweetspotForm.predictJ(SS_THETA, lengths(i, o), {}) * noise(k++, 0.01)}`);
  writeFileSync(join(dir, 'evil.csv'), `${rows.join('\n')}\n`);
});

describe('text the CLI writes is safe on a terminal', () => {
  it('fit and evaluate print the name with U+FFFD for each control, and the calibration keeps it as read', async () => {
    const fit = await cli(dir, ['fit', '--data', 'evil.csv', '--prior', 'none', '--save', 'evil.json']);
    const ev = await cli(dir, ['evaluate', '--calibration', 'evil.json', '--data', 'evil.csv']);
    for (const out of [fit, ev]) {
      expect(out.code).toBe(0);
      expect(acting(out.stdout + out.stderr)).toEqual([]);
      // Still recognisable: ESC, BEL and RLO each shown as one replacement character.
      expect(out.stdout).toContain('evil\uFFFD]8;;http://x\uFFFDmodel\uFFFD');
    }
    // The library wrote the name exactly as the file had it.
    const saved = JSON.parse(readFileSync(join(dir, 'evil.json'), 'utf8')) as { models: Record<string, unknown> };
    expect(Object.keys(saved.models)).toEqual([EVIL]);
  });

  it('--json escapes the controls JSON.stringify leaves (bidi, C1) and parses back to the exact name', async () => {
    // A C1 CSI (U+009B) that JSON.stringify leaves as it is. (A lone surrogate cannot come from a
    // file, which must be UTF-8; test/visible-text.test.ts covers it.)
    writeFileSync(join(dir, 'c1.csv'), readFileSync(join(dir, 'evil.csv'), 'utf8').replaceAll(EVIL, `${EVIL}\u009b2J`));
    const ev = await cli(dir, ['evaluate', '--calibration', 'evil.json', '--data', 'evil.csv', '--json']);
    expect(ev.code).toBe(0);
    expect(acting(ev.stdout)).toEqual([]);
    expect(ev.stdout).toContain('"evil\\u001b]8;;http://x\\u0007model\\u202e"');
    expect(Object.keys(JSON.parse(ev.stdout).perModel)).toEqual([EVIL]);
    const fit = await cli(dir, ['fit', '--data', 'c1.csv', '--prior', 'none', '--save', 'c1.json', '--json']);
    expect(acting(fit.stdout)).toEqual([]);
    expect(fit.stdout).toContain('\\u009b2J');
    expect(JSON.stringify(JSON.parse(fit.stdout))).toContain(JSON.stringify(`${EVIL}\u009b2J`));
  });

  it('an error message that quotes the name shows it the same way', async () => {
    const error = await cli(dir, ['evaluate', '--calibration', 'evil.json', '--data', 'ss.csv']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SweetspotInputError);
    const { message, issues } = error as SweetspotInputError;
    expect(message).toContain('calibrated: evil\uFFFD]8;;http://x\uFFFDmodel\uFFFD');
    expect(acting(message)).toEqual([]);
    expect(issues.flatMap(acting)).toEqual([]);
  });

  it('a model named with a carriage return cannot overwrite the line that names it', async () => {
    writeFileSync(join(dir, 'cr.csv'), 'model,n_in,n_out,energy_j\n"GOOD\rBAD",16,8,45\n');
    const error = await cli(dir, ['evaluate', '--calibration', 'evil.json', '--data', 'cr.csv']).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('model(s) GOOD\uFFFDBAD');
    expect(acting(error!.message)).toEqual([]);
  });
});
