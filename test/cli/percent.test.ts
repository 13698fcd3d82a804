import { describe, expect, it } from 'vitest';
import { percentOf } from '../../src/cli/options/surface-options.js';

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
