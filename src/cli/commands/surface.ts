import { SweetspotInputError } from '../../errors.js';
import { surfaceExtremes } from '../../surface/grid/extremes.js';
import { metricInfo } from '../../surface/metrics.js';
import { heatmapSvg } from '../../surface/plot/heatmap.js';
import { surfaceRegion } from '../../surface/grid/region.js';
import { MASK_MEMORY, type Surface, computeSurface } from '../../surface/grid/surface.js';
import { limitsText } from '../../surface/search/box.js';
import { parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputs, writeOutputs, type OutputFile } from '../output-files.js';
import { ENERGY_HELP, ENERGY_SPECS, METRIC_HELP, gridOption, human, energyHeader, energyJson, loadEnergy, memoryJson, memoryLine, wavesLine, metricOption, notFittedNote, outputFileOption, percentOf, regionJson, unitText, withinOption, energyInputs } from '../options/surface-options.js';
import { visibleJson } from '../../visible-text.js';

const HELP = `Usage: sweetspot surface --model M [options]

Evaluates an efficiency metric over a grid of prompt and output lengths: its best and worst
points, the sweet region, and optionally a heatmap (SVG) and every point (CSV).

Options:
${ENERGY_HELP}
  --in RANGE           prompt lengths (default 64:4096)
  --out RANGE          output lengths (default 64:4096)
                       RANGE: A:B every integer from A to B (A:A one point), A:B:S every S-th,
                       a,b,c explicit points
  --log                A:B is a logarithmic grid (16 points per doubling, at most 256),
                       A:B:K one of K points
${METRIC_HELP}
  --within P           the sweet region: points within P% of the best (default 10)
  --svg FILE           write a heatmap (log axes, colour bar, sweet spot and region marked)
  --csv FILE           write every point: n_in,n_out,<metric>,beyond_context,exceeds_memory
  --force              replace --svg or --csv when it exists (never an input file)
  --json               print a JSON summary (grid, best, worst, worstOverBest, sweet region, files)
  --help               show this text

Points with nIn + nOut - 1 beyond the model's context are not evaluated: they are left out of
the best and worst, hatched in the heatmap, and empty in the CSV (beyond_context = 1). So are
points whose weights + KV cache exceed the GPUs' memory at the batch (exceeds_memory = 1,
hatched the other way), unless --ignore-memory.
`;

const SPECS = {
  ...ENERGY_SPECS,
  in: { type: 'string', multiple: false },
  out: { type: 'string', multiple: false },
  log: { type: 'boolean', multiple: false },
  within: { type: 'string', multiple: false },
  svg: { type: 'string', multiple: false },
  csv: { type: 'string', multiple: false },
  force: { type: 'boolean', multiple: false },
} as const;

/** The CSV of every point, one row of the grid per chunk: a 16 M-point grid is never held whole. */
function* csvChunks(surface: Surface): Iterable<string> {
  yield `n_in,n_out,${surface.metric.replace(/-/g, '_')},beyond_context,exceeds_memory\n`;
  const cols = surface.nOut.length;
  for (let r = 0; r < surface.nIn.length; r++) {
    let chunk = '';
    const i = surface.nIn[r];
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      const m = surface.mask[k];
      chunk += m === 0 ? `${i},${surface.nOut[c]},${surface.values[k]},0,0\n` : m === MASK_MEMORY ? `${i},${surface.nOut[c]},,0,1\n` : `${i},${surface.nOut[c]},,1,0\n`;
    }
    yield chunk;
  }
}

/**
 * `sweetspot surface`: a metric over a grid, with heatmap and CSV.
 *
 * @example
 * await surfaceCommand.run(['--model', 'llama-3.1-8b', '--log', '--svg', 'surface.svg'], io);
 */
export const surfaceCommand: Command = {
  name: 'surface',
  summary: 'an efficiency metric over a grid of prompt/output lengths (heatmap SVG, CSV)',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('surface', args, SPECS);
    const log = values.log === true;
    const grid = gridOption(values, log);
    const metric = metricOption('surface', values);
    const within = withinOption('surface', values);
    const files = { svg: outputFileOption('surface', values, 'svg', io.cwd), csv: outputFileOption('surface', values, 'csv', io.cwd) };
    const outputs: OutputFile[] = [...(files.svg ? [{ option: 'svg', path: files.svg }] : []), ...(files.csv ? [{ option: 'csv', path: files.csv }] : [])];
    const force = values.force === true;
    await checkOutputs('surface', outputs, energyInputs(values), io.cwd, force);
    const { energy, fitted, moved, movedOffHbm, wholeBatch, gpus } = await loadEnergy('surface', values, io);
    const surface = computeSurface(energy, grid, metric);
    const ext = surfaceExtremes(surface);
    if (!ext) {
      throw new SweetspotInputError(`surface: no point of the grid fits ${limitsText(energy)}; lower --in or --out`);
    }
    const region = surfaceRegion(surface, within);
    // Printed before the files are written: a file that cannot be written costs only that file.
    const write = () =>
      writeOutputs(
        'surface',
        outputs.map((o) => [o, o.option === 'svg' ? heatmapSvg(surface, { withinPercent: within }) : csvChunks(surface)] as const),
        force,
      );

    const axis = (a: Int32Array) => ({ from: a[0], to: a[a.length - 1], count: a.length });
    const point = (p: { nIn: number; nOut: number; value: number }) => ({ nIn: p.nIn, nOut: p.nOut, value: p.value });
    if (values.json) {
      io.stdout(
        `${visibleJson(
          {
            ...energyJson(energy, fitted),
            metric,
            unit: surface.unit,
            grid: { nIn: axis(grid.nIn), nOut: axis(grid.nOut), points: surface.values.length, beyondContext: surface.maskedCount - surface.outOfMemoryCount, outOfMemory: surface.outOfMemoryCount },
            memory: memoryJson(energy),
            best: point(ext.best),
            worst: point(ext.worst),
            worstOverBest: ext.worstOverBest,
            sweetRegion: regionJson(within, region),
            ...files,
          },
          2,
        )}\n`,
      );
      await write();
      return 0;
    }
    const u = unitText(surface.unit);
    io.stdout(
      [
        ...energyHeader(energy, gpus),
        `${metricInfo(metric).label} over ${grid.nIn.length} prompt × ${grid.nOut.length} output lengths` +
          ` (${surface.values.length} points, ${surface.maskedCount - surface.outOfMemoryCount} beyond the context)`,
        ...memoryLine(energy, surface.outOfMemoryCount, values.waves === true),
        ...wavesLine(wholeBatch, energy.maxPositions),
        `best:  ${ext.best.nIn} in / ${ext.best.nOut} out: ${human(ext.best.value)}${u}`,
        `worst: ${ext.worst.nIn} in / ${ext.worst.nOut} out: ${human(ext.worst.value)}${u}`,
        `worst/best: ${human(ext.worstOverBest)}×; within ${human(within)}% of best: ${percentOf(region.share)} of the grid (${region.count} points)`,
        ...notFittedNote(fitted, moved, movedOffHbm),
        ...(files.svg ? [`heatmap: ${files.svg}`] : []),
        ...(files.csv ? [`csv: ${files.csv}`] : []),
        '',
      ].join('\n'),
    );
    await write();
    return 0;
  },
};
