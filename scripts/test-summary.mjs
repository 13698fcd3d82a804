// Prints one closing line "N passed, N failed, N skipped" over the vitest JSON reports in out/.
import { existsSync, readFileSync } from 'node:fs';

const files = ['out/vitest-unit.json', 'out/vitest-dist.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`test-summary: ${file} is missing (that test run did not complete)`);
    failed++;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
