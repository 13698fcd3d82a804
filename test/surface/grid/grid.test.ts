import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../../src/errors.js';
import { axisPlan, parseAxisSpec } from '../../../src/surface/grid/axis-spec.js';
import { axisLog, axisPoints, axisRange, defaultLogPoints } from '../../../src/surface/grid/grid.js';

const list = (a: Int32Array) => Array.from(a);

describe('axes', () => {
  it('explicit points are sorted and deduplicated', () => {
    expect(list(axisPoints([512, 64, 512, 128, 64]))).toEqual([64, 128, 512]);
  });

  it('a range with a step keeps its end', () => {
    expect(list(axisRange(64, 100, 16))).toEqual([64, 80, 96, 100]);
    expect(list(axisRange(64, 96, 16))).toEqual([64, 80, 96]);
    expect(list(axisRange(7, 7))).toEqual([7]);
    expect(axisRange(64, 4096).length).toBe(4033);
  });

  it('a log axis has exact ends, integer points, increasing', () => {
    expect(list(axisLog(64, 4096, 7))).toEqual([64, 128, 256, 512, 1024, 2048, 4096]);
    const a = axisLog(1, 100000, 50);
    expect(a[0]).toBe(1);
    expect(a[a.length - 1]).toBe(100000);
    for (let k = 1; k < a.length; k++) expect(a[k]).toBeGreaterThan(a[k - 1]);
    // Near 1 the rounding collapses points: fewer than asked, never duplicates.
    expect(a.length).toBeLessThan(50);
    expect(defaultLogPoints(64, 4096)).toBe(97);
    expect(axisLog(64, 4096).length).toBe(97);
  });

  it('bad bounds are errors naming the axis', () => {
    expect(() => axisRange(0, 5, 1, '--in')).toThrow(/--in: start must be an integer/);
    expect(() => axisRange(10, 5, 1, '--in')).toThrow(/--in: end 5 is below start 10/);
    expect(() => axisRange(1, 5, 0, '--out')).toThrow(/--out: step must be an integer ≥ 1/);
    expect(() => axisPoints([], '--out')).toThrow(/--out: needs at least one/);
    expect(() => axisPoints([1.5], '--out')).toThrow(SweetspotInputError);
    expect(() => axisLog(1, 10, 1, '--in')).toThrow(/--in: a logarithmic axis needs/);
  });
});

describe('range syntax', () => {
  it('A:B, A:A, A:B:S, comma lists, single values', () => {
    expect(parseAxisSpec('64:4096', '--in').length).toBe(4033);
    expect(list(parseAxisSpec('100:100', '--in'))).toEqual([100]);
    expect(list(parseAxisSpec('64:256:64', '--in'))).toEqual([64, 128, 192, 256]);
    expect(list(parseAxisSpec('256, 64,128', '--in'))).toEqual([64, 128, 256]);
    expect(list(parseAxisSpec('512', '--in'))).toEqual([512]);
  });

  it('--log: A:B uses the default count, A:B:K asks for K points', () => {
    expect(parseAxisSpec('64:4096', '--in', { log: true }).length).toBe(97);
    expect(list(parseAxisSpec('64:4096:7', '--in', { log: true }))).toEqual([64, 128, 256, 512, 1024, 2048, 4096]);
    // A comma list stays explicit under --log.
    expect(list(parseAxisSpec('5,3', '--in', { log: true }))).toEqual([3, 5]);
  });

  it('counts points without building the axis, and refuses an axis over maxPoints before allocating it', () => {
    expect(axisPlan('64:4096', '--in').count).toBe(4033);
    expect(axisPlan('64:100:16', '--in').count).toBe(4); // 64, 80, 96 and the end 100
    expect(axisPlan('64:96:16', '--in').count).toBe(3);
    expect(axisPlan('64:4096', '--in', { log: true }).count).toBe(97);
    expect(axisPlan('64:4096:9', '--in', { log: true }).count).toBe(9);
    expect(axisPlan('7:7', '--in', { log: true }).count).toBe(1);
    expect(axisPlan('3,1,2', '--in').count).toBe(3);
    // 2^29 integers would be a 2 GiB Int32Array: refused from the text alone.
    expect(axisPlan('1:536870912', '--in').count).toBe(2 ** 29);
    expect(() => parseAxisSpec('1:536870912', '--in', { maxPoints: 1000 })).toThrow(/--in: '1:536870912' has 536870912 points, more than the 1000 allowed/);
    expect(() => parseAxisSpec('1:1000:100000000', '--out', { log: true, maxPoints: 1000 })).toThrow(/--out: .* has 100000000 points/);
    // Every count above is the length of the axis actually built.
    for (const [text, log] of [['64:100:16', false], ['64:4096', true], ['1:9', false], ['5:5', true]] as const) {
      expect(parseAxisSpec(text, '--in', { log }).length).toBe(axisPlan(text, '--in', { log }).count);
    }
  });

  it.each([
    ['', /--in: empty range/],
    ['1:536870913', /--in: end 536870913 is above the largest token count 536870912/],
    ['64:', /--in: end '' is not a positive integer/],
    ['a:5', /--in: start 'a' is not a positive integer/],
    ['1:2:3:4', /--in: too many colons/],
    ['10:5', /--in: end 5 is below start 10/],
    ['0:5', /--in: start must be ≥ 1/],
    ['1.5', /--in: value '1.5' is not a positive integer/],
    ['1,,2', /--in: point 2 '' is not a positive integer/],
    ['1:10:0', /--in: step must be ≥ 1/],
  ])('%j is an error naming the argument and the allowed forms', (text, message) => {
    expect(() => parseAxisSpec(text, '--in')).toThrow(message);
    expect(() => parseAxisSpec(text, '--in')).toThrow(/allowed: A:B/);
  });
});
