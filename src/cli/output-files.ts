import { constants } from 'node:fs';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SweetspotInputError } from '../errors.js';

/** A file the command was asked to write: the option that named it and its resolved path. */
export interface OutputFile {
  readonly option: string;
  readonly path: string;
}

/** A file the command reads: the option that named it and its path (relative to `cwd`). */
export interface InputFile {
  readonly option: string;
  readonly path: string;
}

/** The same file, whatever the path says: device and inode of what exists, else the canonical path. */
async function identity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `inode ${s.dev}:${s.ino}`;
  } catch {
    try {
      return `path ${join(await realpath(dirname(path)), basename(path))}`;
    } catch {
      return undefined;
    }
  }
}

/**
 * Checks a command's output files before any work is done (docs/fitting.md#limits-on-untrusted-input):
 * no output may be one of the inputs (compared by device and inode, so links
 * and `a/../a` spellings are caught), no two outputs may be the same file, each must go into an
 * existing directory, and an existing file is replaced only with `--force` (never a directory or
 * a device). Refusing first means a careless command loses nothing.
 *
 * @throws {SweetspotInputError} naming both options, or the option and what is in the way.
 * @example
 * await checkOutputs('fit', [{ option: 'save', path: '/w/calib.json' }], [{ option: 'data', path: 'm.csv' }], '/w', false);
 */
export async function checkOutputs(command: string, outputs: readonly OutputFile[], inputs: readonly InputFile[], cwd: string, force: boolean): Promise<void> {
  const inputIds: { option: string; id: string }[] = [];
  for (const input of inputs) {
    const full = resolve(cwd, input.path);
    // A model directory is read through its config.json.
    for (const candidate of [full, join(full, 'config.json')]) {
      try {
        const s = await stat(candidate);
        if (s.isFile()) inputIds.push({ option: input.option, id: `inode ${s.dev}:${s.ino}` });
      } catch {
        // Not a file here: a preset name, or nothing to protect.
      }
    }
  }
  const seen: { option: string; id: string }[] = [];
  for (const output of outputs) {
    const id = await identity(output.path);
    const input = inputIds.find((i) => i.id === id);
    if (input) throw new SweetspotInputError(`${command}: --${output.option} ${output.path} is the --${input.option} file; it would be replaced (write to another file)`);
    const twin = seen.find((s) => s.id === id);
    if (twin) throw new SweetspotInputError(`${command}: --${output.option} and --${twin.option} name the same file ${output.path}; give each its own`);
    if (id !== undefined) seen.push({ option: output.option, id });
    let dir;
    try {
      dir = await stat(dirname(output.path));
    } catch (error) {
      throw new SweetspotInputError(`${command}: --${output.option} ${output.path}: the directory does not exist (${(error as NodeJS.ErrnoException).code ?? 'unknown'})`);
    }
    if (!dir.isDirectory()) throw new SweetspotInputError(`${command}: --${output.option} ${output.path}: ${dirname(output.path)} is not a directory`);
    let existing;
    try {
      existing = await stat(output.path);
    } catch {
      continue;
    }
    if (!existing.isFile()) throw new SweetspotInputError(`${command}: --${output.option} ${output.path} exists and is not a regular file`);
    if (!force) throw new SweetspotInputError(`${command}: --${output.option} ${output.path} exists; pass --force to replace it`);
  }
}

/**
 * Writes one output file: a new file when `force` is false (never replacing one that appeared
 * since {@link checkOutputs}), else through a temporary file renamed over the old one, so that a
 * failed write never leaves half a file where a whole one was. `content` is text, or chunks of
 * text produced one at a time (a 16 M-point CSV is not held whole).
 *
 * @throws {SweetspotInputError} `command: --option path: cannot write (CODE)` on one line.
 * @example
 * await writeOutput('fit', { option: 'save', path: '/w/calib.json' }, serializeCalibration(c), false);
 */
export async function writeOutput(command: string, output: OutputFile, content: string | Iterable<string>, force: boolean): Promise<void> {
  const target = force ? join(dirname(output.path), `.${basename(output.path)}.${process.pid}.tmp`) : output.path;
  let handle;
  try {
    handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    try {
      for (const chunk of typeof content === 'string' ? [content] : content) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    if (force) await rename(target, output.path);
  } catch (error) {
    if (handle !== undefined || force) await unlink(target).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SweetspotInputError(`${command}: --${output.option} ${output.path}: cannot write (${code})`);
  }
}

/**
 * Writes every output, after the results were printed, and reports every failure on one line:
 * a file that cannot be written costs only that file.
 *
 * @throws {SweetspotInputError} listing each file that could not be written.
 * @example
 * await writeOutputs('surface', [[svg, heatmapSvg(s)], [csv, csvChunks(s)]], force);
 */
export async function writeOutputs(command: string, files: ReadonlyArray<readonly [OutputFile, string | Iterable<string>]>, force: boolean): Promise<void> {
  const failures: string[] = [];
  for (const [output, content] of files) {
    try {
      await writeOutput(command, output, content, force);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  if (failures.length > 0) throw new SweetspotInputError(failures.join('; '), failures);
}
