import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'architecture/index': 'src/architecture/index.ts',
      'complexity/index': 'src/complexity/index.ts',
      'energy/index': 'src/energy/index.ts',
      'fit/index': 'src/fit/index.ts',
      'surface/index': 'src/surface/index.ts',
      'nvml/index': 'src/nvml/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    // Class names survive bundling, so an uncaught error prints as SweetspotInputError.
    keepNames: true,
    // `import.meta.url` in the CJS files (src/zod.ts loads zod through createRequire on first use).
    shims: true,
    // ESM shares modules between the entries as chunks, so the main entry loads only its own graph.
    splitting: true,
    // koffi is an optional peer loaded lazily by the NVML entry; mathjs is loaded lazily by formulas.
    external: ['koffi', 'mathjs'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    // Class names survive bundling, so an uncaught error prints as SweetspotInputError.
    keepNames: true,
    banner: { js: '#!/usr/bin/env node' },
    external: ['koffi', 'mathjs'],
    // The CLI is an application: zod bundled into it is one file to load instead of a hundred
    // module files to resolve at every start (the library keeps zod as a dependency).
    noExternal: ['zod'],
    // Less source for V8 to parse at each start (the library's own build stays readable).
    minify: true,
  },
]);
