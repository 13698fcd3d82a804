import { run } from '../../src/cli/run.js';

/** Runs the CLI in `cwd`, capturing stdout and stderr. */
export async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}
