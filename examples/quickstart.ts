// Quick start: what a service does with sweetspot, using only the built-in H100 default.
// Run after `npm run build`:  npx tsx examples/quickstart.ts
import { DEFAULT_BOX, createAdvisor, createEstimator, estimate, requestTerms, resolveArchitecture, surfaceEnergy, sweetSpot } from 'sweetspot';

// 1. The energy of one request, in one call: a preset id, a Hugging Face id or an Architecture.
//    Without a calibration, the built-in H100 default (fitted to public H100 measurements; see
//    'sweetspot calibrations' for the others, by name).
const e = estimate('meta-llama/Llama-3.1-8B-Instruct', { nIn: 2048, nOut: 256 });
console.log(`${e.model}: 2048 in / 256 out on ${e.calibration}`);
console.log(`  ≈ ${e.energyJ.toFixed(0)} J, ${e.jPerOutputToken.toFixed(2)} J per output token (fitted: ${e.fitted})`);

// 2. Bound once for a service that prices every request: a few tens of nanoseconds per call,
//    and many requests at once from typed arrays.
const estimator = createEstimator('llama-3.1-8b');
const prices = estimator.estimateMany({ nIn: Int32Array.of(512, 2048, 8000), nOut: Int32Array.of(64, 256, 128) });
console.log(`  batch of 3 requests: ${Array.from(prices, (j) => j.toFixed(0)).join(', ')} J`);

// 3. The complexity behind it: closed forms, same cost at any length.
const arch = resolveArchitecture('meta-llama/Llama-3.1-8B-Instruct');
const terms = requestTerms(arch, { nIn: 2048, nOut: 256 });
console.log(`  prefill ${(terms.prefill.flops / 1e12).toFixed(1)} TFLOP, decode reads ${(terms.decode.bytes / 1e9).toFixed(0)} GB`);
console.log(`  KV cache at the end: ${(terms.kvCacheBytes.final / 2 ** 20).toFixed(0)} MiB; weights and cache ${(e.memoryBytes / 1e9).toFixed(1)} GB of ${(e.gpuMemoryBytes! / 1e9).toFixed(0)} GB`);

// 4. Where is this model most efficient per output token, in the default 64..4096 box?
const energy = surfaceEnergy(estimator.calibration, arch);
const spot = sweetSpot(energy, DEFAULT_BOX, { metric: 'j-per-output-token' });
console.log(
  `  sweet spot ${spot.best.nIn} in / ${spot.best.nOut} out (${spot.best.value.toFixed(2)} J/output token); ` +
    `worst ${spot.worst.nIn} / ${spot.worst.nOut}; worst/best ${spot.worstOverBest.toFixed(2)}×`,
);

// 5. Per-request advice, cheap enough to call on every request.
const advisor = createAdvisor(energy);
const advice = advisor.advise(3500, 64, { truncateInTo: 1500 });
console.log(
  `  3500 in / 64 out: ${advice.request.energyJ.toFixed(0)} J; truncating the prompt to 1500 saves ` +
    `${advice.truncated!.savedPercent.toFixed(0)}%`,
);
