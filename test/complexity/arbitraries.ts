import fc from 'fast-check';
import type { Architecture } from '../../src/architecture/schema.js';
import { ArchitectureSchema } from '../../src/architecture/schemas.js';

/** Random but valid architectures, from toy sizes to beyond today's 70B models. */
export const architectureArb: fc.Arbitrary<Architecture> = fc
  .record({
    numKvHeads: fc.integer({ min: 1, max: 16 }),
    groupRatio: fc.integer({ min: 1, max: 8 }),
    headDim: fc.constantFrom(16, 64, 80, 128, 256),
    hiddenSize: fc.integer({ min: 16, max: 8192 }),
    numLayers: fc.integer({ min: 1, max: 80 }),
    intermediateSize: fc.integer({ min: 16, max: 32768 }),
    vocabSize: fc.integer({ min: 2, max: 260000 }),
    gatedMlp: fc.boolean(),
    window: fc.option(
      fc.record({
        size: fc.integer({ min: 1, max: 5000 }),
        layers: fc.oneof(fc.constantFrom('all', 'even', 'odd'), fc.array(fc.nat({ max: 7 }), { maxLength: 4 })),
      }),
      { nil: null },
    ),
  })
  .map((r) =>
    ArchitectureSchema.parse({
      id: 'random',
      modelType: 'llama',
      hiddenSize: r.hiddenSize,
      numLayers: r.numLayers,
      numHeads: r.numKvHeads * r.groupRatio,
      numKvHeads: r.numKvHeads,
      headDim: r.headDim,
      headDimExplicit: true,
      intermediateSize: r.intermediateSize,
      gatedMlp: r.gatedMlp,
      vocabSize: r.vocabSize,
      tiedEmbeddings: false,
      maxPositions: 4096,
      slidingWindow: r.window
        ? {
            size: r.window.size,
            layers: Array.isArray(r.window.layers)
              ? [...new Set(r.window.layers.filter((l) => l < r.numLayers))]
              : r.window.layers,
          }
        : null,
      parallelAttention: false,
      biases: 'none',
      norm: { kind: 'rmsnorm', perLayer: 2, final: true },
      positionalEmbedding: { kind: 'rope' },
    }),
  );
