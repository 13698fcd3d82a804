import { spawnSync } from 'node:child_process';

/**
 * Whether `python3` runs here. The tests need only Node; the few that exercise the Python scripts
 * made for a GPU machine (scripts/gpu_check.py, scripts/gpu-check.sh) skip without it, and say why
 * in their names.
 */
export const hasPython3 = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;

/** Suffix for the name of a suite that skips when python3 is missing. */
export const needsPython3 = hasPython3 ? '' : ' (skipped: no python3 on PATH; the script is for a GPU machine)';

if (!hasPython3) console.warn('python3 is not on PATH: the tests of the Python GPU-check scripts skip (the rest need only Node).');
