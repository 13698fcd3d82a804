// Quick start: what a service does with sweetspot, using only the built-in H100 default.
// Run after `npm run build`:  npx tsx examples/quickstart.ts
import {
  PAPER_BOX,
  createAdvisor,
  defaultCalibration,
  predictEnergy,
  requestTerms,
  resolveArchitecture,
  surfaceEnergy,
  sweetSpot,
} from 'sweetspot';

// 1. An architecture from a preset id or a Hugging Face repo id.
const arch = resolveArchitecture('meta-llama/Llama-3.1-8B-Instruct');

// 2. The complexity of one request: closed forms, same cost at any length.
const terms = requestTerms(arch, { nIn: 2048, nOut: 256 });
console.log(`${arch.id}: 2048 in / 256 out`);
console.log(`  prefill ${(terms.prefill.flops / 1e12).toFixed(1)} TFLOP, decode reads ${(terms.decode.bytes / 1e9).toFixed(0)} GB`);
console.log(`  KV cache at the end: ${(terms.kvCacheBytes.final / 2 ** 20).toFixed(0)} MiB`);

// 3. Energy of that request on an H100 (the built-in default, fitted to public H100 measurements).
const calibration = defaultCalibration();
const p = predictEnergy(calibration, arch, { nIn: 2048, nOut: 256 });
console.log(`  ≈ ${p.energyJ.toFixed(0)} J, ${p.jPerOutputToken.toFixed(2)} J per output token`);

// 4. Where is this model most efficient per output token, in the paper's 64..4096 box?
const energy = surfaceEnergy(calibration, arch);
const spot = sweetSpot(energy, PAPER_BOX, { metric: 'j-per-output-token' });
console.log(
  `  sweet spot ${spot.best.nIn} in / ${spot.best.nOut} out (${spot.best.value.toFixed(2)} J/token); ` +
    `worst ${spot.worst.nIn} / ${spot.worst.nOut}; worst/best ${spot.savingsRatio.toFixed(2)}×`,
);

// 5. Per-request advice, cheap enough to call on every request.
const advisor = createAdvisor(energy);
const advice = advisor.advise(3500, 64, { truncateInTo: 1500 });
console.log(
  `  3500 in / 64 out: ${advice.request.energyJ.toFixed(0)} J; truncating the prompt to 1500 saves ` +
    `${advice.truncated!.savedPercent.toFixed(0)}%`,
);
