import { describe, expect, it } from 'vitest';
import { intOption, parseOptions, positiveOption, choiceOption, requireString } from '../../src/cli/args.js';
import { SweetspotInputError } from '../../src/errors.js';

describe('parseOptions', () => {
  it('parses strings, flags and repeated options', () => {
    const v = parseOptions('x', ['--a', '1', '--flag', '--w', 'p=1', '--w', 'q=2'], {
      a: { type: 'string' },
      flag: { type: 'boolean' },
      w: { type: 'string', multiple: true },
    });
    expect(v).toMatchObject({ a: '1', flag: true, w: ['p=1', 'q=2'] });
  });
  it('names unknown options and stray arguments in one line', () => {
    expect(() => parseOptions('terms', ['--nope'], {})).toThrow(/terms: .*--nope/);
    expect(() => parseOptions('terms', ['stray'], {})).toThrow(/unexpected argument 'stray'/);
    try {
      parseOptions('terms', ['--batch', '--in'], { batch: { type: 'string' }, in: { type: 'string' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SweetspotInputError);
      expect((e as Error).message).toMatch(/batch/);
      expect((e as Error).message).not.toMatch(/\n/);
    }
  });
});

describe('unknown options', () => {
  const specs = { in: { type: 'string' }, out: { type: 'string' }, batch: { type: 'string' }, model: { type: 'string' }, gpus: { type: 'string' } } as const;
  const message = (args: string[]) => {
    try {
      parseOptions('predict', args, specs);
    } catch (e) {
      expect(e).toBeInstanceOf(SweetspotInputError);
      return (e as Error).message;
    }
    return expect.unreachable();
  };

  it('suggest the option a file column or request key names', () => {
    expect(message(['--n-in', '5'])).toBe("predict: Unknown option '--n-in'; did you mean --in? (see sweetspot predict --help)");
    expect(message(['--n_out=5'])).toMatch(/Unknown option '--n_out'; did you mean --out\?/);
    expect(message(['--nIn', '5'])).toMatch(/did you mean --in\?/);
    expect(message(['--batch_size', '4'])).toMatch(/did you mean --batch\?/);
    expect(message(['--tp', '2'])).toMatch(/did you mean --gpus\?/);
  });

  it('suggest the nearest option within two edits, and nothing for a name far from all or too short to tell', () => {
    expect(message(['--modle', 'x'])).toMatch(/Unknown option '--modle'; did you mean --model\?/);
    expect(message(['--gpu', '2'])).toMatch(/did you mean --gpus\?/);
    expect(message(['--zzzz'])).toBe("predict: Unknown option '--zzzz' (see sweetspot predict --help)");
    expect(message(['-m', 'x'])).not.toMatch(/did you mean/);
    expect(message(['--hepl'])).not.toMatch(/did you mean --help/);
  });

  it('do not suggest a spelling of an option the command lacks', () => {
    expect(() => parseOptions('fit', ['--n-in', '5'], { data: { type: 'string' } })).toThrow(/^fit: Unknown option '--n-in' \(see/);
  });
});

describe('negative numbers', () => {
  it('are taken as the value of a string option, so that its range check can name it', () => {
    const v = parseOptions('c', ['--batch', '-2', '--x', '-.5'], { batch: { type: 'string' }, x: { type: 'string' } });
    expect(v).toMatchObject({ batch: '-2', x: '-.5' });
    expect(() => intOption('c', v, 'batch')).toThrow(/--batch must be an integer ≥ 1, got '-2'/);
  });
});

describe('typed options', () => {
  it('accept valid values and name the argument otherwise', () => {
    expect(intOption('c', { n: '12' }, 'n')).toBe(12);
    expect(intOption('c', {}, 'n', { fallback: 3 })).toBe(3);
    expect(() => intOption('c', { n: '1.5' }, 'n')).toThrow(/--n must be an integer ≥ 1, got '1.5'/);
    expect(() => intOption('c', { n: '0' }, 'n')).toThrow(/--n/);
    expect(() => intOption('c', { n: '9' }, 'n', { max: 8 })).toThrow(/1\.\.8/);
    expect(() => intOption('c', {}, 'n')).toThrow(/--n is required/);
    expect(positiveOption('c', { b: '0.5' }, 'b', 2)).toBe(0.5);
    expect(() => positiveOption('c', { b: 'abc' }, 'b', 2)).toThrow(/--b must be a positive number/);
    expect(choiceOption('c', { k: 'on' }, 'k', ['on', 'off'] as const, 'off')).toBe('on');
    expect(() => choiceOption('c', { k: 'maybe' }, 'k', ['on', 'off'] as const, 'off')).toThrow(/one of on, off/);
    expect(() => requireString('c', {}, 'model')).toThrow(/--model is required/);
  });
});
