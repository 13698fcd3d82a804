import { sweetRegion } from '../../surface/box-region.js';
import { axisLog, axisPoints } from '../../surface/grid.js';
import { metricInfo } from '../../surface/metrics.js';
import { heatmapSvg } from '../../surface/plot/heatmap.js';
import { computeSurface } from '../../surface/surface.js';
import { parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { checkOutputs, writeOutputs } from '../output-files.js';
import { ENERGY_HELP, ENERGY_SPECS, METRIC_HELP, boxOption, human, energyHeader, energyJson, loadEnergy, metricOption, notFittedNote, outputFileOption, regionJson, unitText, withinOption, BASIS_TEXT, energyInputs } from './surface-options.js';

const HELP = `Usage: sweetspot sweetspot --model M [options]

The sweet spot of a model: the prompt and output lengths (integers in a box) with the best
energy efficiency, the worst ones, and how much the worst wastes (worst/best). Without
--calibration it uses the built-in H100 default.

Options:
${ENERGY_HELP}
  --in A:B             prompt lengths to search (default 64:4096; one value N fixes it)
  --out A:B            output lengths to search (default 64:4096)
${METRIC_HELP}
  --within P           the sweet region: points within P% of the best (default 10)
  --svg FILE           write a heatmap of the box (log axes) with the sweet spot marked
  --force              replace --svg when it exists (never an input file)
  --json               print one JSON object: best, worst (nIn, nOut, value), savingsRatio, metric, …
  --help               show this text

Example:
  sweetspot sweetspot --model llama-3.1-8b --svg sweetspot.svg
`;

const SPECS = { ...ENERGY_SPECS, in: { type: 'string', multiple: false }, out: { type: 'string', multiple: false }, within: { type: 'string', multiple: false }, svg: { type: 'string', multiple: false }, force: { type: 'boolean', multiple: false } } as const;

/**
 * `sweetspot sweetspot`: best and worst lengths of a box, and the savings ratio.
 *
 * @example
 * await sweetspotCommand.run(['--model', 'llama-3.1-8b', '--svg', 'sweetspot.svg'], io);
 */
export const sweetspotCommand: Command = {
  name: 'sweetspot',
  summary: 'the most and least energy-efficient prompt/output lengths of a model (and a heatmap)',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('sweetspot', args, SPECS);
    const metric = metricOption('sweetspot', values);
    const within = withinOption('sweetspot', values);
    const box = boxOption(values);
    const svgPath = outputFileOption('sweetspot', values, 'svg', io.cwd);
    const force = values.force === true;
    await checkOutputs('sweetspot', svgPath ? [{ option: 'svg', path: svgPath }] : [], energyInputs(values), io.cwd, force);
    const { energy, fitted } = await loadEnergy('sweetspot', values, io);
    const region = sweetRegion(energy, box, { metric, withinPercent: within });
    const spot = region.spot;
    // Written after the results are printed: a file that cannot be written costs only the file.
    const write = async () => {
      if (!svgPath) return;
      // A log grid of the box plus the exact sweet spot, so that the heatmap marks the same point.
      const axis = (lo: number, hi: number, extra: number) => axisPoints([...axisLog(lo, hi), extra]);
      const surface = computeSurface(energy, { nIn: axis(box.nIn[0], box.nIn[1], spot.best.nIn), nOut: axis(box.nOut[0], box.nOut[1], spot.best.nOut) }, metric);
      await writeOutputs('sweetspot', [[{ option: 'svg', path: svgPath }, heatmapSvg(surface, { withinPercent: within })]], force);
    };

    const point = (p: typeof spot.best) => ({ nIn: p.nIn, nOut: p.nOut, value: p.value, energyJ: p.energyJ });
    if (values.json) {
      io.stdout(
        `${JSON.stringify(
          {
            ...energyJson(energy, fitted),
            metric,
            unit: spot.unit,
            box: spot.box,
            best: point(spot.best),
            worst: point(spot.worst),
            savingsRatio: spot.savingsRatio,
            outOfContext: spot.outOfContext,
            sweetRegion: regionJson(within, region),
            svg: svgPath,
          },
          null,
          2,
        )}\n`,
      );
      await write();
      return 0;
    }
    const info = metricInfo(metric);
    const u = unitText(spot.unit);
    const line = (name: string, p: typeof spot.best) =>
      `${name} ${p.nIn} prompt + ${p.nOut} output tokens: ${human(p.value)}${u} (${human(p.energyJ)} J per request)`;
    io.stdout(
      [
        ...energyHeader(energy),
        `metric: ${info.label}; box: prompt ${box.nIn[0]}..${box.nIn[1]} × output ${box.nOut[0]}..${box.nOut[1]} tokens` +
          (spot.outOfContext > 0 ? ` (${spot.outOfContext} points beyond the context left out)` : ''),
        '',
        line('sweet spot:', spot.best),
        line('worst:     ', spot.worst),
        `worst/best: ${human(spot.savingsRatio)}× the energy ${BASIS_TEXT[info.basis]}`,
        `within ${human(within)}% of best: ${region.count} points, prompt ${region.nInRange[0]}..${region.nInRange[1]}, output ${region.nOutRange[0]}..${region.nOutRange[1]}`,
        ...(fitted ? [] : ['', ...notFittedNote(fitted)]),
        ...(svgPath ? [`heatmap: ${svgPath}`] : []),
        '',
      ].join('\n'),
    );
    await write();
    return 0;
  },
};
