import type { Command } from '../command.js';
import { adviseCommand } from './advise.js';
import { calibrationsCommand } from './calibrations.js';
import { evaluateCommand } from './evaluate.js';
import { fitCommand } from './fit.js';
import { measureCommand } from './measure.js';
import { predictCommand } from './predict.js';
import { presetsCommand } from './presets.js';
import { surfaceCommand } from './surface.js';
import { sweetspotCommand } from './sweetspot.js';
import { termsCommand } from './terms.js';

/** Every `sweetspot` command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  sweetspotCommand,
  surfaceCommand,
  adviseCommand,
  presetsCommand,
  termsCommand,
  fitCommand,
  evaluateCommand,
  predictCommand,
  measureCommand,
  calibrationsCommand,
];
