import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of a file of the shared measurement data (shared/data), or an error saying where it was looked for. */
export function sharedData(name: string): string {
  const candidates = [process.env.SWEETSPOT_DATA, resolve(root, 'shared', 'data'), resolve(root, '..', 'shared', 'data')]
    .filter((d): d is string => !!d)
    .map((d) => resolve(d, name));
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`shared data ${name} not found (looked in ${candidates.join(', ')}; set SWEETSPOT_DATA)`);
  return hit;
}
