// What the numpy peers of the hardware form need to compute the same energies (not a bench itself:
// run.mjs runs *.bench.mjs only): the architecture's closed-form coefficients, the GPU's peaks and
// the calibration's parameters, for a model whose layers all attend globally.
import { energyModel, termsKernel, weightBytesPerStep } from './api.mjs';

/** Plain numbers for bench/*_numpy.py: the hardware form of `calibration` on `arch`. */
export function hardwarePeerParams(calibration, arch) {
  const model = energyModel(calibration, arch);
  const kernel = termsKernel(arch, calibration.kvBytes);
  if (kernel.groups.length !== 1 || kernel.groups[0].window !== Infinity) throw new Error('the numpy peers assume global attention');
  return {
    linearFlopsPerToken: kernel.linearFlopsPerToken,
    headFlops: kernel.headFlops,
    attnCoef: kernel.groups[0].attnCoef,
    kvPerToken: kernel.groups[0].kvPerToken,
    weightBytesPerStep: weightBytesPerStep(arch, calibration.weightBytes),
    peakFlops: model.context.profile.peakFlops[model.context.precision ?? 'bf16'],
    bandwidth: model.context.profile.memoryBandwidthBytesPerS,
    ...Object.fromEntries(Object.entries(calibration.params).map(([k, v]) => [k, v.value])),
  };
}
