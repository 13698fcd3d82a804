import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: tests read only what lies inside it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of a file inside the repository; throws when it is missing. */
export function inRepo(path: string): string {
  const full = resolve(ROOT, path);
  if (!existsSync(full)) throw new Error(`${path} not found in the repository (${full})`);
  return full;
}

/** Path of a public measurement set in data/ (see data/README.md for provenance). */
export function dataFile(name: string): string {
  return inRepo(`data/${name}`);
}

/** Path of a test fixture under test/fixtures/, e.g. `reference/architectures.json`. */
export function fixtureFile(path: string): string {
  return inRepo(`test/fixtures/${path}`);
}
