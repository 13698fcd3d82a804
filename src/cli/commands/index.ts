import type { Command } from '../command.js';
import { presetsCommand } from './presets.js';
import { termsCommand } from './terms.js';

/** Every `sweetspot` command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [presetsCommand, termsCommand];
