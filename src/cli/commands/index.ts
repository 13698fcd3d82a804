import type { Command } from '../command.js';

/** Every `sweetspot` command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [];
