/** What a CLI command gets: its arguments (after the command name) and where to write. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Working directory for relative paths. */
  readonly cwd: string;
}

/** One `sweetspot <name>` command: parses its own arguments and prints through `io`. */
export interface Command {
  readonly name: string;
  /** One line for `sweetspot --help`. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Returns the exit code. Throws {@link SweetspotInputError} for bad arguments. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
