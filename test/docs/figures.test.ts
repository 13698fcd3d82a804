import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli as cliIn } from '../cli/helpers.js';
import { ROOT } from '../data-files.js';

// The figures the README and docs/batching.md print for the main job, checked against the command
// they name: a change of the default calibration, the memory rule or the CLI's table shows here as
// the page that has gone stale.

const cwd = mkdtempSync(join(tmpdir(), 'sweetspot-docs-'));
const cli = (args: string[]) => cliIn(cwd, args);
const page = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The fenced blocks of a Markdown text, with their language tag. */
function fencedBlocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** The rows of the Markdown table that follows `after` in `markdown`, as trimmed cells. */
function tableAfter(markdown: string, after: string): string[][] {
  const at = markdown.indexOf(after);
  if (at < 0) throw new Error(`no '${after}' in the page`);
  const lines = markdown.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    rows.push(l.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows.slice(2); // header and rule
}

/** The batch table `sweetspot --batch` prints, as cells: batch, best, its value, worst, its value, worst/best, do not fit. */
async function batchTable(args: string[]): Promise<string[][]> {
  const { code, stdout, stderr } = await cli(['sweetspot', '--model', 'llama-3.1-8b', ...args]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  const header = lines.findIndex((l) => l.startsWith('batch '));
  return lines
    .slice(header + 1)
    .filter((l) => /^\s+\d/.test(l))
    .map((l) => l.trim().split(/\s{2,}/));
}

/** A table cell's number as the CLI prints it (`2.00` → `2`, `9,473,634` → `9473634`, `1.53×` → `1.53`). */
const num = (cell: string) => Number(cell.replace(/[,×]/g, '').replace(/ J\/(output )?token$/, ''));

let checked: string[][];
let ignored: string[][];
let waves: string[][];
beforeAll(async () => {
  checked = await batchTable(['--batch', '1,8,64,117,118,128,256']);
  ignored = await batchTable(['--batch', '1,8,64,128,256', '--ignore-memory']);
  waves = await batchTable(['--batch', '64,117,118,128,256', '--waves']);
}, 120_000);
const at = (table: string[][], batch: number) => table.find((r) => r[0] === String(batch))!;
const main = (table: string[][]) => table.filter((r) => ['1', '8', '64', '128', '256'].includes(r[0]!));

describe('README.md', () => {
  const readme = page('README.md');
  const prose = readme.replace(/\n/g, ' ');
  /** That the README's prose says `text` (the failure names the text, not the whole page). */
  const says = (text: string) => expect(prose.includes(text), `README.md says: ${text}`).toBe(true);

  it('starts with what the library is, then exactly two set-up commands: the main job and the tests', () => {
    expect(readme).toMatch(/^# sweetspot\n\nsweetspot predicts and explains how much energy a large language model spends/);
    const beforeLibrary = readme.slice(0, readme.indexOf('## Use it as a library'));
    expect(fencedBlocks(beforeLibrary).filter((b) => b.lang === 'sh').map((b) => b.body.trim())).toEqual([
      'npm ci && npm run main',
      'npm ci && npm run test:setup && npm test',
    ]);
    const pkg = JSON.parse(page('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.main).toContain('sweetspot --model llama-3.1-8b --svg sweetspot-llama-3.1-8b.svg');
    expect(pkg.scripts.main).toContain('sweetspot --model llama-3.1-8b --batch 1,8,64,128,256');
  });

  it("prints the main job's batch table as `npm run main` prints it", async () => {
    const { stdout } = await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '1,8,64,128,256']);
    const printed = stdout.trimEnd().split('\n');
    const shown = fencedBlocks(readme).find((b) => b.lang === '' && b.body.startsWith('batch '))!.body.trimEnd().split('\n');
    // The README leaves out the title lines and keeps the table and its footnote as printed.
    expect(shown).toEqual(printed.slice(printed.findIndex((l) => l.startsWith('batch '))));
  });

  it('states the peak, the variants and two GPUs as the commands print them', async () => {
    expect(at(checked, 117)[3]).toBe('4096 + 64');
    expect(at(checked, 118)[3]).not.toBe('4096 + 64');
    says(`The worst corner 4096 + 64 fits up to batch 117`);
    says(`worst/best peaks at ${at(checked, 117)[5]} at batch 117`);
    says(`4096 + 64 the worst at every batch; ${at(ignored, 128)[5]} at 128, ${at(ignored, 256)[5]} at 256`);
    says(`(${at(waves, 128)[5]} at 128, ${at(waves, 256)[5]} at 256)`);
    const twoGpus = (await cli(['sweetspot', '--model', 'llama-3.1-8b', '--batch', '128', '--gpus', '2'])).stdout;
    const ratio = /^worst\/best: ([\d.]+×) /m.exec(twoGpus)![1];
    says(`(\`--gpus 2\`) hold batch 128 whole (${ratio})`);
  });
});

describe('docs/batching.md', () => {
  const doc = page('docs/batching.md');
  const cells = (rows: string[][], n: number) => rows.map((r) => r.slice(0, n).map((c, k) => (k === 2 || k === 4 || k === 6 ? num(c) : c)));

  it('its three tables are what the commands print, memory checked, ignored and in waves', () => {
    expect(cells(tableAfter(doc, '| batch | sweet spot (prompt + output) |'), 7)).toEqual(cells(main(checked), 7));
    expect(cells(tableAfter(doc, 'With `--ignore-memory` every point is priced'), 6)).toEqual(cells(ignored, 6));
    expect(cells(tableAfter(doc, 'With `--waves` every point'), 6)).toEqual(cells(waves, 6));
  });
});

describe('docs/surface.md and docs/energy-models.md', () => {
  const prose = (file: string) => page(file).replace(/\s+/g, ' ');

  it('give the contrast by batch as the batch table prints it', () => {
    const r = (table: string[][], batch: number) => at(table, batch)[5]!;
    const surface = prose('docs/surface.md');
    for (const text of [
      `(${r(checked, 1)} between best and worst)`,
      // Two figures rounded to two digits in the prose.
      `${num(r(checked, 8)).toPrecision(2)}× at batch 8, ${num(r(checked, 64)).toPrecision(2)}× at 64, and ${r(checked, 117)} at 117`,
      `(${r(checked, 128)} at 128, ${r(checked, 256)} at 256)`,
      `it reaches ${r(ignored, 128)} at 128 and ${r(ignored, 256)} at 256`,
      `(\`--waves\`), ${r(waves, 128)} and ${r(waves, 256)}`,
    ]) expect(surface.includes(text), `docs/surface.md says: ${text}`).toBe(true);
    const energy = prose('docs/energy-models.md');
    const text = `in waves is ${r(waves, 117)} at batch 117 (where the worst corner still fits), ${r(waves, 128)} at 128 and ${r(waves, 256)} at 256`;
    expect(energy.includes(text), `docs/energy-models.md says: ${text}`).toBe(true);
  });
});
