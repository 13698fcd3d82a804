import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { checkEnergyJ, contextOutLimit, costOf, regionThreshold, viridis, viridisHex } from '../../src/surface/index.js';

// The per-point helpers as sweetspot/surface exports them: checked, and otherwise the formula.

describe('costOf (exported, checked)', () => {
  it('is E, E/o or E/(i+o) by hand', () => {
    expect(costOf('request', 300, 100, 200)).toBe(300);
    expect(costOf('output-token', 300, 100, 200)).toBe(1.5);
    expect(costOf('token', 300, 100, 200)).toBe(1);
  });
  it('names a bad basis, energy or count, and a division by zero tokens', () => {
    expect(() => costOf('joule' as never, 300, 1, 2)).toThrow(/^costOf\(basis\): must be one of request, output-token, token, got 'joule'/);
    expect(() => costOf('token', 'x' as never, 1, 2)).toThrow(/^costOf\(energyJ\): expected a finite number, got "x"/);
    expect(() => costOf('token', 300, 10n as never, 2)).toThrow(/^costOf\(nIn\)/);
    expect(() => costOf('output-token', 300, 10, 0)).toThrow(/^costOf\(nOut\): .*divides by nOut/);
    expect(() => costOf('token', 300, 0, 0)).toThrow(/^costOf\(nIn, nOut\)/);
    expect(costOf('request', 300, 0, 0)).toBe(300);
  });
});

describe('regionThreshold (exported, checked)', () => {
  it('is best·(1 + X/100), or best/(1 + X/100) where higher is better', () => {
    expect(regionThreshold(0.2, 10, false)).toBeCloseTo(0.22, 15);
    expect(regionThreshold(4, 25, true)).toBe(3.2);
  });
  it('names the bad argument', () => {
    expect(() => regionThreshold(10n as never, 10, false)).toThrow(/^regionThreshold\(bestValue\)/);
    expect(() => regionThreshold(1, 'x' as never, false)).toThrow(/^regionThreshold\(withinPercent\): must be a finite number ≥ 0/);
    expect(() => regionThreshold(1, 10, 'yes' as never)).toThrow(/^regionThreshold\(higherIsBetter\): expected a boolean, got "yes"/);
    expect(() => regionThreshold(1e308, 100, false)).toThrow(/^regionThreshold: the threshold overflows/);
  });
});

describe('contextOutLimit (exported, checked)', () => {
  it('is maxPositions − nIn + 1, Infinity for no limit', () => {
    expect(contextOutLimit(8000, 8192)).toBe(193);
    expect(contextOutLimit(8000, Infinity)).toBe(Infinity);
  });
  it('names the bad argument', () => {
    expect(() => contextOutLimit(10n as never, 8192)).toThrow(/^contextOutLimit\(nIn\): expected an integer ≥ 0 \(tokens\), got a bigint \(10\)/);
    expect(() => contextOutLimit(1, 'x' as never)).toThrow(/^contextOutLimit\(maxPositions\)/);
  });
});

describe('viridis and viridisHex (exported, checked)', () => {
  it('give the ends of the map and clamp outside [0, 1]', () => {
    // matplotlib's viridis runs from #440154 to #fde725; the degree-6 fit is within 2 of 255 per channel.
    const [r0, g0, b0] = viridis(0);
    expect(Math.abs(r0 - 0x44) + Math.abs(g0 - 0x01) + Math.abs(b0 - 0x54)).toBeLessThanOrEqual(6);
    expect(viridis(-5)).toEqual(viridis(0));
    expect(viridisHex(Infinity)).toBe(viridisHex(1));
  });
  it('refuse NaN, a string and a symbol', () => {
    expect(() => viridis(NaN)).toThrow(/^viridis\(t\): expected a number \(0…1, clamped\), got NaN/);
    expect(() => viridisHex('0.5' as never)).toThrow(/^viridisHex\(t\)/);
    expect(() => viridisHex(Symbol('s') as never)).toThrow(SweetspotInputError);
  });
});

describe('checkEnergyJ (exported, checked)', () => {
  it('passes a finite positive energy and refuses 0, NaN and Infinity', () => {
    expect(checkEnergyJ({ model: 'm' }, 12.5, 1024, 256)).toBeUndefined();
    for (const bad of [0, -1, NaN, Infinity]) expect(() => checkEnergyJ({ model: 'm' }, bad, 1, 1)).toThrow(/^energy of m at nIn=1, nOut=1 is .* J: the model must predict a finite positive energy/);
  });
  it('names an energy without a model name and lengths that are not counts', () => {
    expect(() => checkEnergyJ(Object.create(null) as never, 1, 1, 1)).toThrow(/^checkEnergyJ\(energy\): expected a surface energy/);
    expect(() => checkEnergyJ({ model: 'm' }, 10n as never, 1, 1)).toThrow(/^checkEnergyJ\(energyJ\): expected a number, got a bigint \(10\)/);
    expect(() => checkEnergyJ({ model: 'm' }, 1, Symbol('s') as never, 1)).toThrow(/^checkEnergyJ\(nIn\)/);
  });
});
