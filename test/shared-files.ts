import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The first of `candidates` that exists, or an error naming `what` and where it was looked for. */
function firstExisting(what: string, candidates: string[], hint = ''): string {
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`${what} not found (looked in ${candidates.join(', ')}${hint})`);
  return hit;
}

/**
 * Path of a file of the project's shared folder (shared/ inside the repository, or ../shared beside
 * it), e.g. `reference/architectures.json`.
 */
export function sharedFile(path: string): string {
  return firstExisting(`shared/${path}`, [resolve(root, 'shared', path), resolve(root, '..', 'shared', path)]);
}

/** Path of a file of the shared measurement data (shared/data, or $SWEETSPOT_DATA), or an error saying where it was looked for. */
export function sharedData(name: string): string {
  const candidates = [process.env.SWEETSPOT_DATA, resolve(root, 'shared', 'data'), resolve(root, '..', 'shared', 'data')]
    .filter((d): d is string => !!d)
    .map((d) => resolve(d, name));
  return firstExisting(`shared data ${name}`, candidates, '; set SWEETSPOT_DATA');
}
