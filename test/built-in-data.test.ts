import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../src/architecture/registry.js';
import { PRESET_INPUTS } from '../src/architecture/presets.js';
import { ArchitectureSchema } from '../src/architecture/schemas.js';
import { H100_DEFAULT_CALIBRATION } from '../src/energy/calibration/defaults.js';
import { H100_PHYSICS_PRIOR } from '../src/energy/calibration/physics-prior.js';
import { HARDWARE_PROFILES } from '../src/energy/hardware/profiles.js';
import { CalibrationSchema, HardwareProfileSchema, ShelfEntrySchema } from '../src/energy/schemas.js';
import { calibrationByName, listCalibrations, shelfEntry } from '../src/energy/calibration/shelf.js';

// Built-in data is trusted at run time (docs/conventions.md#built-in-data): these tests are what
// keep it valid. Each record must pass its schema and already be the schema's output (defaults
// written out, nothing the parse would change), so that skipping the parse changes no value.
const shelfDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'energy', 'calibration', 'shelf');
const shelfFiles = readdirSync(shelfDir).filter((f) => f.endsWith('.json'));

describe('built-in data is what its schema would make of it', () => {
  it('every preset', () => {
    expect(PRESETS.length).toBe(PRESET_INPUTS.length);
    PRESET_INPUTS.forEach((input, k) => {
      const parsed = ArchitectureSchema.safeParse(input);
      expect([input.id, parsed.success]).toEqual([input.id, true]);
      expect(parsed.data).toStrictEqual(input);
      expect(PRESETS[k]).toStrictEqual(parsed.data);
      expect(Object.isFrozen(PRESETS[k].norm)).toBe(true);
    });
  });

  it('every GPU profile', () => {
    for (const p of HARDWARE_PROFILES) {
      const parsed = HardwareProfileSchema.safeParse(p);
      expect([p.id, parsed.success]).toEqual([p.id, true]);
      expect(parsed.data).toStrictEqual(p);
    }
  });

  it('every shelf calibration file, as the shelf serves it', () => {
    expect(shelfFiles.length).toBe(listCalibrations().length);
    for (const file of shelfFiles) {
      const raw: unknown = JSON.parse(readFileSync(join(shelfDir, file), 'utf8'));
      const parsed = ShelfEntrySchema.safeParse(raw);
      expect([file, parsed.success ? '' : parsed.error.message]).toEqual([file, '']);
      expect(parsed.data).toStrictEqual(raw);
      expect(shelfEntry(parsed.data!.name)).toStrictEqual(parsed.data);
    }
  });

  it('the default and the physics prior', () => {
    expect(CalibrationSchema.parse(H100_DEFAULT_CALIBRATION)).toStrictEqual(H100_DEFAULT_CALIBRATION);
    expect(H100_DEFAULT_CALIBRATION).toBe(calibrationByName('h100'));
    expect(CalibrationSchema.parse(H100_PHYSICS_PRIOR)).toStrictEqual(H100_PHYSICS_PRIOR);
  });

  it('a check that can fail: a record the parse would change or refuse is caught', () => {
    const { sources: _dropped, ...noSources } = PRESET_INPUTS[0];
    // A missing default: valid, but the parse adds `sources: []`, so it is not the schema's output.
    expect(ArchitectureSchema.parse(noSources)).not.toStrictEqual(noSources);
    expect(ArchitectureSchema.safeParse({ ...PRESET_INPUTS[0], numKvHeads: 3 }).success).toBe(false);
    const h100 = JSON.parse(readFileSync(join(shelfDir, 'h100.json'), 'utf8'));
    // A version-1 document parses, but as version 2: not what the shelf would serve unparsed.
    expect(ShelfEntrySchema.parse({ ...h100, calibration: { ...h100.calibration, version: 1 } })).not.toStrictEqual({ ...h100, calibration: { ...h100.calibration, version: 1 } });
  });
});
