import { defineConfig } from 'vitest/config';

// Tests that run against the built package (dist/): entry points, CJS/ESM, the CLI binary.
export default defineConfig({
  test: {
    include: ['test/dist/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
