import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { checkFunction } from '../../arguments.js';
import { SweetspotInputError, checkString } from '../../errors.js';

/** Whether a process of this id runs (one we may not signal runs too). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function create(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SweetspotInputError(`cannot write the measurements file ${lockPath.slice(0, -5)}: cannot create its lock file ${lockPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function holder(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of a campaign CSV: `<csv>.lock`, created exclusively (O_EXCL) and holding this
 * process's id, so that two runs on one file cannot both record (each would measure the other's
 * energy and resume would keep the extra rows; docs/measuring.md#limits-on-untrusted-input). A lock
 * left by a process that no longer runs is taken over, with `warn` told. Returns the release,
 * which removes the lock only while it is still this process's.
 *
 * @throws {SweetspotInputError} when a running process holds the lock, naming it and the lock file.
 * @example
 * ```ts
 * const release = lockCampaignFile('runs/opt.csv', console.warn);
 * try { … } finally { release(); }
 * ```
 */
export function lockCampaignFile(csvPath: string, warn: (line: string) => void): () => void {
  // A path that is not a string would name a lock file of its own (`[object Object].lock`).
  if (checkString('lockCampaignFile(csvPath)', csvPath) === '') throw new SweetspotInputError('lockCampaignFile(csvPath): expected a file name, got an empty string');
  checkFunction('lockCampaignFile(warn)', warn);
  const lockPath = `${csvPath}.lock`;
  if (!create(lockPath)) {
    const pid = holder(lockPath);
    if (pid !== undefined && alive(pid)) {
      throw new SweetspotInputError(
        `${csvPath} is being recorded by another run (pid ${pid}, lock file ${lockPath}); wait for it to finish, or remove the lock file if that process is not a measurement`,
      );
    }
    warn(`${lockPath}: taking over a stale lock (${pid === undefined ? 'no process id in it' : `process ${pid} is no longer running`})`);
    try {
      unlinkSync(lockPath);
    } catch {
      // Someone else removed it first: the exclusive create below decides.
    }
    if (!create(lockPath)) throw new SweetspotInputError(`${csvPath}: another run took the lock ${lockPath} at the same moment; try again`);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (holder(lockPath) === process.pid) {
      try {
        unlinkSync(lockPath);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
}
