// The built package's main entry and its layer entries as one namespace, for the benches (which
// time internals as well as the public calls). Not a bench itself: run.mjs runs *.bench.mjs only.
export * from '../dist/index.js';
export * from '../dist/architecture/index.js';
export * from '../dist/complexity/index.js';
export * from '../dist/energy/index.js';
export * from '../dist/fit/index.js';
export * from '../dist/surface/index.js';
