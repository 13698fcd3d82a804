import { z } from 'zod';
import { SweetspotInputError } from '../errors.js';
import { provideZod } from '../zod.js';
import { run } from './run.js';
import { visibleText } from '../visible-text.js';

// The CLI parses its input at every run: zod, bundled into this file, is handed to the library's
// loader rather than required from node_modules (src/zod.ts).
provideZod(z);

// Every promise the commands start is awaited; should one still reject unobserved, it is reported
// on one line like any other error rather than by Node's default handler.
process.on('unhandledRejection', (error: unknown) => {
  report(error);
});

function report(error: unknown): void {
  // Input errors are the user's to fix: one line, no stack. Anything else is a bug: show it all.
  // Shown as visible text: a message may quote a name read from a file (src/visible-text.ts).
  if (error instanceof SweetspotInputError) process.stderr.write(visibleText(`sweetspot: ${error.message}\n`));
  else process.stderr.write(visibleText(`sweetspot: internal error: ${(error as Error)?.stack ?? String(error)}\n`));
  process.exitCode = error instanceof SweetspotInputError ? 2 : 1;
}

run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  report,
);
