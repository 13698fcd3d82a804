import { describe, expect, it } from 'vitest';
import { cli as cliIn } from './helpers.js';
import { SweetspotInputError } from '../../src/errors.js';
import { calibrationByName, listCalibrations } from '../../src/energy/calibration/shelf.js';
import { predictEnergy } from '../../src/energy/predict/predict.js';
import { preset } from '../../src/architecture/registry.js';

const cli = (args: string[]) => cliIn(process.cwd(), args);

describe('sweetspot calibrations', () => {
  it('--json is the shelf listing', async () => {
    const { code, stdout } = await cli(['calibrations', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(listCalibrations())));
    // --help names every key of an entry, in order.
    const help = (await cli(['calibrations', '--help'])).stdout;
    const keys = /\{([^}]*)\}/.exec(help)![1].split(',').map((k) => k.trim());
    expect(keys).toEqual(Object.keys(JSON.parse(stdout)[0]));
  });

  it('prints one line per calibration, the default marked, with its rows and errors', async () => {
    const { stdout } = await cli(['calibrations']);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^name\s+GPU\s+engine\s+regime\s+rows\s+MAPE\s+cross-validated MAPE$/);
    // Where to go for a GPU the shelf does not have, and that the flag it names exists there.
    expect(stdout).toContain('another GPU: predict, sweetspot, surface and advise take --on-gpu NAME');
    for (const c of listCalibrations()) {
      const line = lines.find((l) => l.startsWith(`${c.name} `))!;
      expect(line).toBeDefined();
      expect(line.includes(' * ') || line.startsWith(`${c.name} *`)).toBe(c.isDefault);
      expect(line).toMatch(new RegExp(`\\s${c.rows}\\s`));
      for (const cv of c.crossValidation) expect(line).toContain(`${cv.mape.toFixed(1)}%`);
    }
  });

  it('--show NAME prints the whole entry; an unknown name is an error listing the shelf', async () => {
    const j = JSON.parse((await cli(['calibrations', '--show', 'h100-trtllm'])).stdout);
    expect(j.calibration).toEqual(JSON.parse(JSON.stringify(calibrationByName('h100-trtllm'))));
    expect(j.data[0].file).toBe('data/argonne_hopper_diag.csv');
    await expect(cli(['calibrations', '--show', 'b200'])).rejects.toBeInstanceOf(SweetspotInputError);
    await expect(cli(['calibrations', '--show', 'b200'])).rejects.toThrow(/unknown calibration 'b200': the shelf has h100/);
  });

  it('predict --calibration NAME uses the shelf calibration', async () => {
    const { stdout } = await cli(['predict', '--model', 'llama-3-8b', '--calibration', 'h100-trtllm', '--in', '1024', '--out', '1024', '--batch', '16', '--json']);
    const expected = predictEnergy(calibrationByName('h100-trtllm'), preset('llama-3-8b'), { nIn: 1024, nOut: 1024, batch: 16 }).energyJ;
    expect(JSON.stringify(JSON.parse(stdout))).toContain(String(expected));
  });
});
