/**
 * The per-point helpers of the energy layer as `sweetspot/energy` exports them: each checks its
 * arguments, then calls the unchecked function that the forms and the surface's fast path call
 * per point (docs/energy-models.md). A string or a BigInt would otherwise come back as NaN, false
 * or a TypeError.
 */
import { shownValue } from '../arguments.js';
import { SweetspotInputError } from '../errors.js';
import * as hardware from './forms/hardware.js';
import * as memory from './hardware/memory.js';

function checkNumber(fn: string, name: string, value: number, least: 'any' | '≥ 0' | '> 0', infinite = false): void {
  const ok = typeof value === 'number' && (Number.isFinite(value) || (infinite && value === Infinity)) && (least === 'any' || (least === '≥ 0' ? value >= 0 : value > 0));
  if (!ok) {
    const kind = `${infinite ? 'a number' : 'a finite number'}${least === 'any' ? '' : ` ${least}`}`;
    throw new SweetspotInputError(`${fn}(${name}): expected ${kind}, got ${shownValue(value)}`);
  }
}

/**
 * Energy of one phase (prefill or decode) by the hardware form, J:
 * `eFlop·flops + eByte·bytes + eScore·S + staticPowerW·(max(flops/computeRate, bytes/memoryRate) + S/memoryRate)`,
 * S the phase's materialised score bytes (0 when fused), `computeRate = etaCompute·peak` and
 * `memoryRate = etaMemory·bandwidth` (docs/energy-models.md).
 *
 * @throws {SweetspotInputError} when a coefficient is not a finite number, a count not a finite
 *   number ≥ 0, a rate not a finite number > 0, or the energy overflows.
 * @example
 * hardwarePhaseJ(2e-13, 3e-11, 55, 0.35 * 312e12, 0.6 * 1.555e12, 1e12, 2e10) // joules
 */
export function hardwarePhaseJ(
  eFlop: number,
  eByte: number,
  staticPowerW: number,
  computeRate: number,
  memoryRate: number,
  flops: number,
  bytes: number,
  scoreBytes = 0,
  eScore = eByte,
): number {
  const fn = 'hardwarePhaseJ';
  checkNumber(fn, 'eFlop', eFlop, 'any');
  checkNumber(fn, 'eByte', eByte, 'any');
  checkNumber(fn, 'staticPowerW', staticPowerW, 'any');
  checkNumber(fn, 'computeRate', computeRate, '> 0');
  checkNumber(fn, 'memoryRate', memoryRate, '> 0');
  checkNumber(fn, 'flops', flops, '≥ 0');
  checkNumber(fn, 'bytes', bytes, '≥ 0');
  checkNumber(fn, 'scoreBytes', scoreBytes, '≥ 0');
  checkNumber(fn, 'eScore', eScore, 'any');
  const energyJ = hardware.hardwarePhaseJ(eFlop, eByte, staticPowerW, computeRate, memoryRate, flops, bytes, scoreBytes, eScore);
  if (!Number.isFinite(energyJ)) throw new SweetspotInputError(`${fn}: the energy is not a finite number (${shownValue(energyJ)}): the arguments are too large`);
  return energyJ;
}

/**
 * The memory rule (docs/energy-models.md#memory): weights plus the KV cache held at the last step
 * fit when their sum is at most the GPUs' memory (`Infinity`: no limit).
 *
 * @throws {SweetspotInputError} when a byte count is not a finite number ≥ 0 (`availableBytes` may be `Infinity`).
 * @example
 * fitsInMemory(16e9, 70e9, 80e9) // false
 */
export function fitsInMemory(weightBytes: number, kvCacheBytes: number, availableBytes: number): boolean {
  checkNumber('fitsInMemory', 'weightBytes', weightBytes, '≥ 0');
  checkNumber('fitsInMemory', 'kvCacheBytes', kvCacheBytes, '≥ 0');
  checkNumber('fitsInMemory', 'availableBytes', availableBytes, '≥ 0', true);
  return memory.fitsInMemory(weightBytes, kvCacheBytes, availableBytes);
}
