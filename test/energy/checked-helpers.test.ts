import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { fitsInMemory, hardwarePhaseJ } from '../../src/energy/index.js';

// The per-point helpers as sweetspot/energy exports them: checked, and otherwise the formula.

describe('hardwarePhaseJ (exported, checked)', () => {
  it('is eFlop·F + eByte·B + P·max(F/rc, B/rm) + eScore·S + P·S/rm by hand', () => {
    expect(hardwarePhaseJ(2, 3, 5, 10, 4, 20, 12)).toBe(2 * 20 + 3 * 12 + 5 * 3);
    expect(hardwarePhaseJ(2, 3, 5, 10, 4, 20, 12, 8, 7)).toBe(2 * 20 + 3 * 12 + 5 * 3 + 7 * 8 + (5 * 8) / 4);
  });

  it('names the bad argument and refuses an energy that overflows', () => {
    expect(() => hardwarePhaseJ(2, 3, 5, 10, 4, 'x' as never, 12)).toThrow(/^hardwarePhaseJ\(flops\): expected a finite number ≥ 0, got "x"/);
    expect(() => hardwarePhaseJ(2n as never, 3, 5, 10, 4, 20, 12)).toThrow(/^hardwarePhaseJ\(eFlop\): .*bigint/);
    expect(() => hardwarePhaseJ(2, 3, 5, 0, 4, 20, 12)).toThrow(/^hardwarePhaseJ\(computeRate\): expected a finite number > 0, got 0/);
    expect(() => hardwarePhaseJ(2, 3, 5, 10, 4, 20, 12, Symbol('s') as never)).toThrow(/^hardwarePhaseJ\(scoreBytes\)/);
    expect(() => hardwarePhaseJ(1e300, 3, 5, 10, 4, 1e300, 12)).toThrow(/^hardwarePhaseJ: the energy is not a finite number/);
  });
});

describe('fitsInMemory (exported, checked)', () => {
  it('fits when weights plus KV cache are at most the memory', () => {
    expect(fitsInMemory(16e9, 70e9, 80e9)).toBe(false);
    expect(fitsInMemory(16e9, 64e9, 80e9)).toBe(true);
    expect(fitsInMemory(16e9, 1e12, Infinity)).toBe(true);
  });

  it('names the bad byte count', () => {
    expect(() => fitsInMemory('16e9' as never, 1, 80e9)).toThrow(/^fitsInMemory\(weightBytes\): expected a finite number ≥ 0, got "16e9"/);
    expect(() => fitsInMemory(1, 10n as never, 80e9)).toThrow(/^fitsInMemory\(kvCacheBytes\)/);
    expect(() => fitsInMemory(1, 1, NaN)).toThrow(/^fitsInMemory\(availableBytes\): expected a number ≥ 0, got NaN/);
    expect(() => fitsInMemory(-1, 1, 1)).toThrow(SweetspotInputError);
  });
});
