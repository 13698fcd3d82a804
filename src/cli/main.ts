import { SweetspotInputError } from '../errors.js';
import { run } from './run.js';

run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Input errors are the user's to fix: one line, no stack. Anything else is a bug: show it all.
    if (error instanceof SweetspotInputError) process.stderr.write(`sweetspot: ${error.message}\n`);
    else process.stderr.write(`sweetspot: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = error instanceof SweetspotInputError ? 2 : 1;
  },
);
