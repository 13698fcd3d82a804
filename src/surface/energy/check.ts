import { checkShape } from '../../arguments.js';
import type { SurfaceEnergy } from './energy.js';

/**
 * `energy` when it has the shape of a {@link SurfaceEnergy} (what `surfaceEnergy`,
 * `polynomialEnergy`, `formEnergy` and `functionEnergy` return), else an error naming the argument
 * and each bad field. Shallow and O(1): searches, advisors and plots call it once at their entry,
 * never per point; the energy's values are checked as they are computed.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkSurfaceEnergy('createAdvisor(energy)', surfaceEnergy(H100_DEFAULT_CALIBRATION, preset('llama-3.1-8b'))) // the energy
 */
export function checkSurfaceEnergy<T extends SurfaceEnergy>(where: string, energy: T): T {
  return checkShape(where, energy, 'a SurfaceEnergy (from surfaceEnergy or polynomialEnergy)', {
    model: 'string',
    maxPositions: 'number',
    energyJ: 'function',
    fillRowJ: 'function',
    perOutputRows: 'function?',
    polynomial: 'array?',
    memory: 'object?',
  });
}
