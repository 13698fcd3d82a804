// `npm run calibrations`: rebuilds src/energy/calibration/shelf/*.json from data/ (docs/calibrations.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildShelf, shelfEntryText } from './build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'src', 'energy', 'calibration', 'shelf');
mkdirSync(dir, { recursive: true });
for (const entry of buildShelf(root)) {
  writeFileSync(join(dir, `${entry.name}.json`), shelfEntryText(entry));
  const cv = entry.crossValidation.map((c) => `${c.scheme.split(' ')[0]} ${c.mape.toFixed(1)}%`).join(', ');
  const e = entry.calibration.errors;
  console.log(`${entry.name.padEnd(24)} in-sample ${e ? `${e.mape.toFixed(1)}%` : '—'}${cv ? `; ${cv}` : ''}`);
}
