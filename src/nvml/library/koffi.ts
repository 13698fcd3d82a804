import { NvmlUnavailableError } from '../errors.js';

/** The part of koffi's API this adapter uses (typed loosely: koffi is an optional peer). */
export interface KoffiLike {
  load(path: string): KoffiLibrary;
  out(type: unknown): unknown;
  inout(type: unknown): unknown;
  pointer(type: unknown): unknown;
  struct(def: Record<string, unknown>): unknown;
  array(type: unknown, length: number): unknown;
}

/** A library loaded by koffi. */
export interface KoffiLibrary {
  func(name: string, result: unknown, args: unknown[]): (...args: unknown[]) => unknown;
  unload(): void;
}

/** Imports koffi; tests inject a failing importer to check the error. */
export type KoffiImporter = () => Promise<unknown>;

// A plain dynamic import keeps koffi out of every bundle and unloaded until NVML is used.
const defaultImporter: KoffiImporter = () => import('koffi');

/**
 * Loads koffi lazily. A missing package becomes an {@link NvmlUnavailableError} that says to
 * install it; any other failure (e.g. no prebuilt binary for this platform) keeps its cause.
 *
 * @example
 * ```ts
 * const koffi = await loadKoffi();
 * ```
 */
export async function loadKoffi(importer: KoffiImporter = defaultImporter): Promise<KoffiLike> {
  let mod: unknown;
  try {
    mod = await importer();
  } catch (error) {
    const code = (error as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    const detail = missing ? 'it is not installed' : `it failed to load: ${(error as Error).message}`;
    throw new NvmlUnavailableError(
      'koffi',
      `NVML measurement needs the optional package 'koffi' (${detail}); install it with: npm install koffi`,
    );
  }
  // koffi's ESM build exposes its API as the default export; the CJS interop may not.
  const koffi = ((mod as { default?: unknown }).default ?? mod) as KoffiLike;
  if (typeof koffi?.load !== 'function') {
    throw new NvmlUnavailableError('koffi', "the module 'koffi' does not look like koffi (no load function); reinstall it: npm install koffi");
  }
  return koffi;
}
