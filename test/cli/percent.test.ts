import { describe, expect, it } from 'vitest';
import { percentOf } from '../../src/cli/options/surface-options.js';
import { pct } from '../../src/cli/options/data-options.js';

describe('percentOf', () => {
  it('prints a share with one decimal, more only where one would round to 0% or 100%', () => {
    expect(percentOf(0.1234)).toBe('12.3%');
    expect(percentOf(1)).toBe('100.0%');
    expect(percentOf(0)).toBe('0.0%');
    expect(percentOf(1 / 147)).toBe('0.7%');
    expect(percentOf(1e-5)).toBe('0.001%');
    expect(percentOf(0.99999)).toBe('99.999%');
  });
});

describe('pct', () => {
  it('prints two decimals, an exponent from 10⁵ % on, and n/a for no figure', () => {
    expect(pct(4.857)).toBe('4.86%');
    expect(pct(99999.994)).toBe('99999.99%');
    expect(pct(1e5)).toBe('1.00e+5%');
    expect(pct(1.9893e20)).toBe('1.99e+20%');
    expect(pct(null)).toBe('n/a');
    expect(pct(undefined)).toBe('n/a');
  });
});
