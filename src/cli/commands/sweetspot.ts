import { sweetRegion } from '../../surface/search/box-region.js';
import { axisLog, axisPoints } from '../../surface/grid/grid.js';
import { metricInfo } from '../../surface/metrics.js';
import { heatmapSvg } from '../../surface/plot/heatmap.js';
import { computeSurface } from '../../surface/grid/surface.js';
import { MAX_BATCH } from '../../energy/limits.js';
import { SweetspotInputError } from '../../errors.js';
import { parseOptions, type ParsedOptions } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { type TokenBox, memoryText } from '../../surface/search/box.js';
import type { MetricId } from '../../surface/metrics.js';
import { checkOutputs, writeOutputs } from '../output-files.js';
import { ENERGY_HELP, ENERGY_SPECS, METRIC_HELP, boxOption, human, energyHeader, energyJson, loadEnergy, memoryJson, memoryLine, wavesLine, metricOption, notFittedNote, outputFileOption, percentOf, regionJson, unitText, withinOption, BASIS_TEXT, energyInputs, gpusText } from '../options/surface-options.js';
import { visibleJson } from '../../visible-text.js';
import { tableLines, type TableColumn } from '../table.js';

const HELP = `Usage: sweetspot sweetspot --model M [options]

The sweet spot of a model: the prompt and output lengths (integers in a box) with the best
energy efficiency, the worst ones, and how much the worst wastes (worst/best). Without
--calibration it uses the built-in H100 default. With several batches (--batch 1,8,64,256) it
prints one line per batch: decode is shared by the batch and prefill is not, so the sweet spot
sharpens as the batch grows (docs/batching.md).

Options:
${ENERGY_HELP.replace('  --batch B            identical requests run together (default: the calibration\'s batch)', '  --batch B[,B…]       identical requests run together (default: the calibration\'s batch);\n                       several (at most 64), comma-separated: one line per batch')}
  --in A:B             prompt lengths to search (default 64:4096; one value N fixes it)
  --out A:B            output lengths to search (default 64:4096)
${METRIC_HELP}
  --within P           the sweet region: points within P% of the best (default 10)
  --svg FILE           write a heatmap of the box (log axes) with the sweet spot marked (one batch)
  --force              replace --svg when it exists (never an input file)
  --json               print one JSON object: best, worst (nIn, nOut, value), worstOverBest, metric, …;
                       with several batches, { …, batches: [{ batch, best, worst, worstOverBest, … }] }
  --help               show this text

Examples:
  sweetspot sweetspot --model llama-3.1-8b --svg sweetspot.svg
  sweetspot sweetspot --model llama-3.1-8b --batch 1,8,64,256
`;

/**
 * The most batches `--batch` may list: one sweet-spot search each (a tenth of a second to a few
 * seconds), one line each. A list of 65 536 batches would have run for hours.
 *
 * @example
 * MAX_BATCH_LIST // 64
 */
export const MAX_BATCH_LIST = 64;

/**
 * `--batch` as a list of several batches (`1,8,64,256`: at most {@link MAX_BATCH_LIST} integers
 * in 1..MAX_BATCH, no repeats); `null` when absent or a single value, which the shared energy
 * options parse.
 *
 * @throws {SweetspotInputError} naming `--batch` and the bad item (by position: the list itself
 *   may be long).
 * @example
 * batchList({ batch: '1,8,64' }) // [1, 8, 64]
 */
export function batchList(values: ParsedOptions): number[] | null {
  const v = values.batch;
  if (typeof v !== 'string' || !v.includes(',')) return null;
  const items = v.split(',');
  if (items.length > MAX_BATCH_LIST) {
    throw new SweetspotInputError(`sweetspot: --batch lists ${items.length} batches, more than the ${MAX_BATCH_LIST} one run compares`);
  }
  // The list is quoted in errors, shortened: it may be long.
  const quoted = v.length > 120 ? `${v.slice(0, 120)}…` : v;
  const seen = new Set<number>();
  return items.map((item, k) => {
    const t = item.trim();
    const n = /^\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_BATCH) {
      throw new SweetspotInputError(`sweetspot: --batch must be integers in 1..${MAX_BATCH} separated by commas, got '${t.slice(0, 40)}' in '${quoted}' (item ${k + 1})`);
    }
    if (seen.has(n)) throw new SweetspotInputError(`sweetspot: --batch lists ${n} twice in '${quoted}' (item ${k + 1})`);
    seen.add(n);
    return n;
  });
}

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
    const batches = batchList(values);
    if (batches && batches.length > 1) return severalBatches(values, batches, { metric, within, box }, io);
    const svgPath = outputFileOption('sweetspot', values, 'svg', io.cwd);
    const force = values.force === true;
    await checkOutputs('sweetspot', svgPath ? [{ option: 'svg', path: svgPath }] : [], energyInputs(values), io.cwd, force);
    const { energy, fitted, moved, movedOffHbm, wholeBatch, gpus } = await loadEnergy('sweetspot', values, io);
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
        `${visibleJson(
          {
            ...energyJson(energy, fitted),
            metric,
            unit: spot.unit,
            box: spot.box,
            best: point(spot.best),
            worst: point(spot.worst),
            worstOverBest: spot.worstOverBest,
            outOfContext: spot.outOfContext,
            outOfMemory: spot.outOfMemory,
            memory: memoryJson(energy),
            sweetRegion: regionJson(within, region),
            svg: svgPath,
          },
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
        ...energyHeader(energy, gpus),
        `metric: ${info.label}; box: prompt ${box.nIn[0]}..${box.nIn[1]} × output ${box.nOut[0]}..${box.nOut[1]} tokens` +
          (spot.outOfContext > 0 ? ` (${spot.outOfContext} points beyond the context left out)` : ''),
        ...memoryLine(energy, spot.outOfMemory, values.waves === true),
        ...wavesLine(wholeBatch, energy.maxPositions),
        '',
        line('sweet spot:', spot.best),
        line('worst:     ', spot.worst),
        `worst/best: ${human(spot.worstOverBest)}× the energy ${BASIS_TEXT[info.basis]}`,
        `within ${human(within)}% of best: ${percentOf(region.share)} of the box (${region.count} points), prompt ${region.nInRange[0]}..${region.nInRange[1]}, output ${region.nOutRange[0]}..${region.nOutRange[1]}`,
        ...(fitted ? [] : ['', ...notFittedNote(fitted, moved, movedOffHbm)]),
        ...(svgPath ? [`heatmap: ${svgPath}`] : []),
        '',
      ].join('\n'),
    );
    await write();
    return 0;
  },
};

const point = (p: { nIn: number; nOut: number; value: number; energyJ: number }) => ({ nIn: p.nIn, nOut: p.nOut, value: p.value, energyJ: p.energyJ });

// The last column counts the points left out because weights + KV cache exceed the GPUs' memory
// at that batch: from there on, "worst" is the worst point that fits.
const SPOT_COLUMNS: readonly TableColumn[] = [
  { header: 'batch', align: 'right' },
  { header: 'sweet spot (prompt + output)' },
  { header: 'its value' },
  { header: 'worst (prompt + output)' },
  { header: 'its value' },
  { header: 'worst/best', align: 'right' },
  { header: 'do not fit', align: 'right' },
];

// One line per batch: the same box and metric at each batch, so the lines compare directly.
async function severalBatches(
  values: ParsedOptions,
  batches: readonly number[],
  { metric, within, box }: { metric: MetricId; within: number; box: TokenBox },
  io: CliIo,
): Promise<number> {
  if (values.svg !== undefined) throw new SweetspotInputError('sweetspot: --svg draws one batch: give one --batch value with it');
  const loaded = [];
  for (const batch of batches) loaded.push({ batch, ...(await loadEnergy('sweetspot', values, io, batch)) });
  const results = loaded.map(({ batch, energy }) => ({ batch, energy, region: sweetRegion(energy, box, { metric, withinPercent: within }) }));
  const first = loaded[0];
  const spot0 = results[0].region.spot;
  if (values.json) {
    io.stdout(
      `${visibleJson(
        {
          ...energyJson(first.energy, first.fitted),
          calibration: first.calibrationName,
          metric,
          unit: spot0.unit,
          box: spot0.box,
          batches: results.map(({ batch, energy, region }) => ({
            batch,
            best: point(region.spot.best),
            worst: point(region.spot.worst),
            worstOverBest: region.spot.worstOverBest,
            outOfContext: region.spot.outOfContext,
            outOfMemory: region.spot.outOfMemory,
            memory: memoryJson(energy),
            sweetRegion: regionJson(within, region),
          })),
        },
        2,
      )}\n`,
    );
    return 0;
  }
  const info = metricInfo(metric);
  const u = unitText(spot0.unit);
  const cells = results.map(({ batch, region }) => {
    const { best, worst } = region.spot;
    return [
      String(batch),
      `${best.nIn} + ${best.nOut}`,
      `${human(best.value)}${u}`,
      `${worst.nIn} + ${worst.nOut}`,
      `${human(worst.value)}${u}`,
      `${human(region.spot.worstOverBest)}×`,
      String(region.spot.outOfMemory),
    ];
  });
  const memory = first.energy.memory;
  const memoryNote = values.waves === true && loaded.some((l) => l.energy.memory)
    ? [`in waves (--waves): points whose KV cache does not fit at the batch are priced as run in waves; do not fit: points of which not even one sequence fits, left out`]
    : loaded.some((l) => l.energy.memory)
    ? [`do not fit: points of the box whose weights + KV cache exceed ${memory ? memoryText(memory).replace(/ at batch \d+$/, '') : 'the GPU memory'} at that batch, left out (--waves prices them in waves, --ignore-memory as if held at once)`]
    : [`memory not checked (${values['ignore-memory'] === true ? '--ignore-memory' : 'no GPU profile'}): every point is priced`];
  io.stdout(
    [
      `${first.energy.model} on ${gpusText(first.energy.gpu, first.gpus)}, calibration: ${first.calibrationName}`,
      `metric: ${info.label}; box: prompt ${box.nIn[0]}..${box.nIn[1]} × output ${box.nOut[0]}..${box.nOut[1]} tokens; ` +
        `per request (J per call / batch); worst/best: the energy ${BASIS_TEXT[info.basis]}`,
      '',
      ...tableLines(SPOT_COLUMNS, cells, { trimEnd: true }),
      '',
      ...memoryNote,
      ...(first.fitted ? [] : ['', ...notFittedNote(first.fitted, first.moved, first.movedOffHbm)]),
      '',
    ].join('\n'),
  );
  return 0;
}
