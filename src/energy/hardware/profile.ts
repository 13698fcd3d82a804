import type { z } from 'zod';
import { lazySchema } from '../../zod.js';
// Types only: the value is built on first use below; schemas.ts holds the layer entry's copy.
import type { HardwareProfileSchema } from '../schemas.js';
import { kindOf } from '../../arguments.js';
import { SweetspotInputError, parseWith } from '../../errors.js';

/**
 * The zod schema of a hardware profile, built on first use (zod loads only when input is
 * checked); `sweetspot/energy` exports it as `HardwareProfileSchema`.
 *
 * @example
 * hardwareProfileSchema().parse(JSON.parse(readFileSync('my-gpu.json', 'utf8'))).peakFlops.bf16
 */
export const hardwareProfileSchema = lazySchema((z) =>
  z
    .object({
      /** Short id, e.g. `h100-sxm-80gb`. */
      id: z.string().min(1),
      /** Marketing name, e.g. `NVIDIA H100 SXM5 80GB`. */
      name: z.string().min(1),
      /** Names as tools print them (nvidia-smi, NVML, data files), matched case-insensitively. */
      aliases: z.array(z.string().min(1)),
      /** Peak dense (no sparsity) FLOP/s per precision: keys `fp32`, `tf32`, `bf16`, `fp16`, `fp8`, `int8`. */
      peakFlops: z.record(z.string(), z.number().positive()),
      /** Memory bandwidth, bytes/s. */
      memoryBandwidthBytesPerS: z.number().positive(),
      memoryBytes: z.number().positive(),
      /**
       * Memory technology (`HBM2`, `HBM2e`, `HBM3`, `HBM3e`, `GDDR6`, `GDDR6X`). Optional in a
       * profile file; every built-in profile has it. Moves between calibrations are checked on HBM
       * cards, so a move to or from another memory widens more (docs/energy-models.md#other-gpus).
       */
      memoryType: z.enum(['HBM2', 'HBM2e', 'HBM3', 'HBM3e', 'GDDR6', 'GDDR6X']).optional(),
      /** Board power limit (TDP), W. */
      tdpW: z.number().positive(),
      /** Idle board power, W (measured or typical). */
      idlePowerW: z.number().nonnegative(),
      fitted: z.boolean(),
      sources: z.array(z.string()).min(1),
      notes: z.string().optional(),
    })
    .strict(),
);

/**
 * A validated hardware profile.
 *
 * @example
 * const h100: HardwareProfile = resolveProfile('NVIDIA H100 80GB HBM3');
 * @category Models and GPUs
 */
export type HardwareProfile = z.output<typeof HardwareProfileSchema>;

/**
 * `profile` when it is a valid hardware profile, else an error naming the argument and each bad
 * field. For functions that take a profile object from the caller (not a name: see `resolveProfile`).
 *
 * @throws {SweetspotInputError} naming `where` and the bad fields.
 * @example
 * checkProfile('hardwarePhysics(profile)', resolveProfile('h100-sxm-80gb')) // the profile
 */
export function checkProfile(where: string, profile: unknown): HardwareProfile {
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
    throw new SweetspotInputError(`${where}: expected a hardware profile (from resolveProfile), got ${kindOf(profile)}`);
  }
  return parseWith(hardwareProfileSchema(), profile, where);
}
