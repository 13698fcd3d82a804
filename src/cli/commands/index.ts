import type { Command } from '../command.js';
import { evaluateCommand } from './evaluate.js';
import { fitCommand } from './fit.js';
import { measureCommand } from './measure.js';
import { predictCommand } from './predict.js';
import { presetsCommand } from './presets.js';
import { termsCommand } from './terms.js';

/** Every `sweetspot` command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [presetsCommand, termsCommand, measureCommand, fitCommand, evaluateCommand, predictCommand];
