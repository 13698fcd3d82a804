import { createAdvisor, type AdviceOption } from '../../surface/search/advice.js';
import { metricInfo } from '../../surface/metrics.js';
import { intOption, optionalIntOption, parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { ENERGY_HELP, ENERGY_SPECS, METRIC_HELP, boxOption, human, energyHeader, energyJson, loadEnergy, metricOption, notFittedNote, unitText, withinOption, BASIS_TEXT } from '../options/surface-options.js';
import { visibleJson } from '../../visible-text.js';

const HELP = `Usage: sweetspot advise --model M --in N --out N [options]

Advice for one request of N prompt tokens and about N output tokens: its energy, how it compares
with the sweet spot, what truncating the prompt or capping the output would save, and the
nearest efficient (prompt, output) lengths.

Options:
${ENERGY_HELP}
  --in N               prompt tokens of the request
  --out N              expected output tokens
  --truncate-in N      also price the request with the prompt truncated to N tokens
  --cap-out N          also price it with the output capped at N tokens
  --box-in A:B         prompt lengths of the sweet spot's box (default 64:4096)
  --box-out A:B        output lengths of the sweet spot's box (default 64:4096)
${METRIC_HELP}
  --within P           the sweet region: points within P% of the best (default 10)
  --json               print one JSON object (request, truncated, capped, nearestSweet, …)
  --help               show this text
`;

const SPECS = {
  ...ENERGY_SPECS,
  in: { type: 'string', multiple: false },
  out: { type: 'string', multiple: false },
  'truncate-in': { type: 'string', multiple: false },
  'cap-out': { type: 'string', multiple: false },
  'box-in': { type: 'string', multiple: false },
  'box-out': { type: 'string', multiple: false },
  within: { type: 'string', multiple: false },
} as const;

/**
 * `sweetspot advise`: what one request costs and what would make it cheaper.
 *
 * @example
 * await adviseCommand.run(['--model', 'llama-3.1-8b', '--in', '3000', '--out', '200'], io);
 */
export const adviseCommand: Command = {
  name: 'advise',
  summary: 'energy of one request, and what truncating, capping or moving it would save',
  help: HELP,
  async run(args, io) {
    const values = parseOptions('advise', args, SPECS);
    const nIn = intOption('advise', values, 'in');
    const nOut = intOption('advise', values, 'out');
    const truncateInTo = optionalIntOption('advise', values, 'truncate-in', { max: nIn });
    const capOutTo = optionalIntOption('advise', values, 'cap-out', { max: nOut });
    const metric = metricOption('advise', values);
    const within = withinOption('advise', values);
    const box = boxOption(values, { in: 'box-in', out: 'box-out' });
    const { energy, fitted, moved, movedOffHbm, gpus } = await loadEnergy('advise', values, io);
    const advisor = createAdvisor(energy, { box, metric, withinPercent: within });
    const a = advisor.advise(nIn, nOut, { truncateInTo, capOutTo });
    if (values.json) {
      io.stdout(
        `${visibleJson(
          { ...energyJson(energy, fitted), box, withinPercent: within, sweetSpot: advisor.region.spot.best, ...a },
          2,
        )}\n`,
      );
      return 0;
    }
    const u = unitText(a.unit);
    const per = BASIS_TEXT[metricInfo(metric).basis];
    const option = (name: string, o: AdviceOption) =>
      `${name} ${o.nIn} in / ${o.nOut} out: ${human(o.energyJ)} J per request (${o.savedJ >= 0 ? `saves ${human(o.savedPercent)}%` : `${human(-o.savedPercent)}% more`}),` +
      ` ${human(o.value)}${u}, ${human(o.efficiencyGain)}× as efficient ${per}`;
    const best = advisor.region.spot.best;
    const near = a.nearestSweet;
    // The nearest efficient lengths may ask for a longer prompt or output: say so plainly, since
    // a longer request costs more joules and is only a gain if the extra tokens are wanted.
    const change = (what: string, from: number, to: number) => (from === to ? [] : [`${what} ${from} → ${to} (${to > from ? '+' : '−'}${Math.abs(to - from)} tokens)`]);
    const changes = [...change('prompt', nIn, near.nIn), ...change('output', nOut, near.nOut)].join(', ');
    const longer = near.nOut > nOut || near.nIn > nIn;
    const nearest = a.inSweetRegion
      ? ['nearest    already in the sweet region']
      : [
          option('nearest   ', near),
          `           changes: ${changes}` +
            (longer
              ? `; ${near.savedJ < 0 ? 'more energy per request: ' : ''}a gain only if the ${near.nOut > nOut ? 'longer output is wanted' : 'longer prompt is useful'}`
              : ''),
        ];
    io.stdout(
      [
        ...energyHeader(energy, gpus),
        `request    ${nIn} in / ${nOut} out: ${human(a.request.energyJ)} J, ${human(a.request.value)}${u} (${metricInfo(metric).label})`,
        `efficiency ${human(100 * a.relativeEfficiency)}% of the sweet spot (${best.nIn} in / ${best.nOut} out: ${human(best.value)}${u})` +
          (a.inSweetRegion ? `, inside the sweet region (within ${human(within)}%)` : ''),
        ...(a.truncated ? [option('truncated ', a.truncated)] : []),
        ...(a.capped ? [option('capped    ', a.capped)] : []),
        ...nearest,
        ...notFittedNote(fitted, moved, movedOffHbm),
        '',
      ].join('\n'),
    );
    return 0;
  },
};
