import { cliMessage } from './flags.js';
import { SweetspotInputError } from '../errors.js';
import type { CliIo } from './command.js';
import { COMMANDS } from './commands/index.js';
import { visibleText } from '../visible-text.js';
import { tableLines } from './table.js';

function usage(): string {
  const lines = tableLines([{}, { width: 0 }], COMMANDS.map((c) => [c.name, c.summary]), { indent: '  ' });
  return `Usage: sweetspot <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'sweetspot <command> --help' for a command's options.\n`;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code. Bad input
 * throws {@link SweetspotInputError}; the binary prints its message on one line.
 *
 * Everything written goes through {@link visibleText} here, at one edge: a model, GPU or engine
 * name read from a file or a server may hold ESC, CR or bidi controls that would otherwise rewrite
 * or reorder the user's terminal (docs/conventions.md). The library keeps names as read.
 */
export async function run(argv: readonly string[], rawIo: CliIo): Promise<number> {
  const io: CliIo = { ...rawIo, stdout: (t) => rawIo.stdout(visibleText(t)), stderr: (t) => rawIo.stderr(visibleText(t)) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw new SweetspotInputError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // The library names options as a caller writes them; the command line says its flags.
    // Said in place, so that the error keeps its class (NvmlError, CampaignError, …) and fields.
    if (error instanceof SweetspotInputError) {
      const message = visibleText(cliMessage(error.message));
      if (message !== error.message) {
        Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true });
        Object.defineProperty(error, 'issues', { value: error.issues.map((issue) => visibleText(cliMessage(issue))), configurable: true });
      }
    }
    throw error;
  }
}
