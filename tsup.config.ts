import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'nvml/index': 'src/nvml/index.ts' },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    // koffi is an optional peer loaded lazily by the NVML entry; mathjs is loaded lazily by formulas.
    external: ['koffi', 'mathjs'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: ['koffi', 'mathjs'],
    // The CLI is an application: zod bundled into it is one file to load instead of a hundred
    // module files to resolve at every start (the library keeps zod as a dependency).
    noExternal: ['zod'],
    // Less source for V8 to parse at each start (the library's own build stays readable).
    minify: true,
  },
]);
