import { describe, expect, it } from 'vitest';
import { SweetspotInputError } from '../../src/errors.js';
import { architectureName, completionsUrl, csvCell, isNvmlNotAvailable, pointKey, promptTokenIds } from '../../src/nvml/index.js';

// Values a caller or a driver might hand the adapter's small helpers: a symbol, a BigInt, an
// object without a prototype. Each is an input error naming the function, or a plain answer.

describe('the NVML adapter helpers on values of the wrong type', () => {
  it('isNvmlNotAvailable reads numbers and the bigints koffi gives above 2^53, and refuses the rest', () => {
    expect(isNvmlNotAvailable(0xffffffff)).toBe(true);
    expect(isNvmlNotAvailable((2n ** 64n - 1n) as never)).toBe(true);
    expect(isNvmlNotAvailable((2n ** 60n) as never)).toBe(false);
    expect(isNvmlNotAvailable(350_000)).toBe(false);
    expect(() => isNvmlNotAvailable(Symbol('s') as never)).toThrow(/^isNvmlNotAvailable\(raw\): expected a number or a bigint/);
    expect(() => isNvmlNotAvailable('4294967295' as never)).toThrow(SweetspotInputError);
  });

  it('architectureName, pointKey and csvCell name a value they cannot write', () => {
    expect(architectureName(9)).toBe('hopper');
    expect(architectureName(42)).toBe('unknown(42)');
    expect(() => architectureName(Object.create(null) as never)).toThrow(/^architectureName\(id\): expected an nvmlDeviceArchitecture_t number, got \{\}/);
    expect(pointKey(256, 64)).toBe('256x64');
    expect(() => pointKey(Object.create(null) as never, 64)).toThrow(/^pointKey\(nIn, nOut\)/);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(true)).toBe('true');
    expect(() => csvCell(Object.create(null) as never)).toThrow(/^csvCell\(value\)/);
  });

  it('promptTokenIds refuses a seed that is not a finite number, and completionsUrl a label that is not a string', () => {
    expect(() => promptTokenIds(4, 10n as never)).toThrow(/^promptTokenIds\(seed\): expected a finite number, got a bigint \(10\)/);
    expect(() => promptTokenIds(4, 7, [Symbol('s'), 9] as never)).toThrow(/^token id range must be integers .*Symbol\(s\)/);
    expect(() => completionsUrl('http://127.0.0.1:8000', Symbol('s') as never)).toThrow(/^completionsUrl\(where\)/);
  });
});
