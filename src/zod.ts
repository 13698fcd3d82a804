import { createRequire } from 'node:module';
import type { z as Z } from 'zod';

/** The zod namespace (`z`). */
export type Zod = typeof Z;

let loaded: Zod | undefined;

/**
 * zod, loaded on first use. Evaluating zod costs more than the rest of the main entry together, and
 * only input from outside (arguments, files, calibrations) is checked with it; built-in data is
 * trusted and checked by the tests (docs/conventions.md#built-in-data). The load is synchronous
 * (`require`) so that the parsing functions stay synchronous.
 *
 * @example
 * zod().number().int().parse(3) // 3
 */
export function zod(): Zod {
  loaded ??= (createRequire(import.meta.url)('zod') as { z: Zod }).z;
  return loaded;
}

/**
 * Gives the loader a zod already in hand. The CLI bundles zod into its one file and hands it over
 * here, so that it does not resolve zod's files from node_modules at every start.
 *
 * @example
 * import { z } from 'zod';
 * provideZod(z);
 */
export function provideZod(z: Zod): void {
  loaded ??= z;
}

/**
 * A memoised builder of zod schemas: `build` runs once, on the first call, with zod loaded.
 *
 * @example
 * const countSchema = lazySchema((z) => z.number().int());
 * countSchema().parse(2) // 2
 */
export function lazySchema<T>(build: (z: Zod) => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build(zod());
      built = true;
    }
    return value as T;
  };
}
