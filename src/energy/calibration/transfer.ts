import { kindOf } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import { deepFreeze, isDeepFrozen, sameData } from '../../freeze.js';
import { hardwarePhysics, type HardwarePhysics } from '../hardware/physics.js';
import { precisionFor } from '../hardware/precision.js';
import { checkProfile, type HardwareProfile } from '../hardware/profile.js';
import { HARDWARE_PROFILES, resolveProfile } from '../hardware/profiles.js';
import { parseCalibration, type Calibration, type CalibrationInput } from './document.js';

/**
 * σ of log(measured/predicted) of a calibration moved to another GPU, from the cross-GPU checks on
 * public data (docs/energy-models.md#other-gpus): about the largest the KV-cache checks show (the
 * H100 default moved onto the GH200 rows at the 144 GB profile, 0.19; onto the 16 A100 rows with
 * the batch held at once, 0.20; in waves 0.09). A transferred calibration's intervals use the
 * larger of this and the source's own scatter.
 */
export const TRANSFER_LOG_SIGMA = 0.2;

/**
 * σ of log(measured/predicted) of a calibration moved to or from a card whose memory is not HBM
 * (GDDR6, GDDR6X) or is not named. Read from the only such check on public data
 * (docs/energy-models.md#gddr-cards): the H100 default moved to an RTX 6000 Ada and an RTX 3090
 * scatters by 0.37 in log E on their six serving runs (a100-kv by 0.37), rounded up. Set from those
 * runs, so the coverage of its intervals there is not an independent check.
 */
export const TRANSFER_GDDR_LOG_SIGMA = 0.4;

/**
 * The scatter a move from one profile to another widens intervals to: {@link TRANSFER_LOG_SIGMA}
 * between HBM cards (where the checks are), {@link TRANSFER_GDDR_LOG_SIGMA} when either card's
 * memory is GDDR or not named.
 *
 * @example
 * transferLogSigma(resolveProfile('H100 SXM'), resolveProfile('A100 SXM4 40GB')) // 0.2
 * transferLogSigma(resolveProfile('H100 SXM'), resolveProfile('L40S'))           // 0.4
 */
export function transferLogSigma(from: HardwareProfile, to: HardwareProfile): number {
  return sigmaBetween(checkProfile('transferLogSigma(from)', from), checkProfile('transferLogSigma(to)', to));
}

const hbm = (p: HardwareProfile): boolean => p.memoryType?.startsWith('HBM') === true;
const sigmaBetween = (from: HardwareProfile, to: HardwareProfile): number => (hbm(from) && hbm(to) ? TRANSFER_LOG_SIGMA : TRANSFER_GDDR_LOG_SIGMA);

/** `f()`, its input errors naming `where` (the GPU lookups and physics of a transfer speak for their caller). */
function at<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof SweetspotInputError) throw new SweetspotInputError(`${where}: ${error.message}`, error.issues);
    throw error;
  }
}

/**
 * A profile object given as the target: a calibration names its GPU by profile id, and predictions
 * read the profile of that id, so only a built-in profile (unchanged) can be one. Internal.
 *
 * @example
 * builtInProfile('estimate({ onGpu })', structuredClone(resolveProfile('L40S'))).id // 'l40s-48gb'
 */
export function builtInProfile(where: string, gpu: object): HardwareProfile {
  // The built-in objects themselves: no check needed (they are frozen).
  if ((HARDWARE_PROFILES as readonly object[]).includes(gpu)) return gpu as HardwareProfile;
  const given = checkProfile(`${where}: gpu`, gpu);
  const known = HARDWARE_PROFILES.find((p) => p.id === given.id);
  if (!known) {
    throw new SweetspotInputError(
      `${where}: gpu: '${given.id}' is not a built-in profile; a calibration names its GPU by a built-in profile id (HARDWARE_PROFILES), so only those can be targets`,
    );
  }
  // By content: a copy whose nested keys (peakFlops, …) come in another order is the same profile.
  if (!sameData(known, given)) {
    throw new SweetspotInputError(`${where}: gpu: the profile '${given.id}' differs from the built-in one of that id; a calibration would predict with the built-in figures`);
  }
  return known;
}

/** What a transfer multiplies each hardware parameter by: the target's physics over the source's. */
function ratios(from: HardwarePhysics, to: HardwarePhysics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(from) as (keyof HardwarePhysics)[]) out[k] = to[k] / from[k];
  return out;
}

/**
 * A hardware calibration moved to another GPU: each parameter is multiplied by the ratio of the
 * target GPU's physics estimate to the source GPU's (`hardwarePhysics`, at the precision the
 * calibration's weights run in on each), so what the fit learnt against physics on its own GPU
 * (static power a fifth above the estimate, a slower decode, …) carries over in proportion, and
 * the peaks, bandwidth and power limit become the target's (docs/energy-models.md#other-gpus).
 *
 * The result is not a fit (`fitted: false`, `errors: null`); it keeps the source's `fittedOn`
 * (the measurements behind it), says where it came from in `note`, and its prediction intervals
 * widen to the cross-GPU scatter ({@link transferLogSigma}: 0.2 in log E between HBM cards, 0.4
 * to or from a GDDR card). Moving to the calibration's own
 * profile returns it unchanged.
 *
 * @param gpu a GPU name (`resolveProfile`) or one of the built-in profiles (`HARDWARE_PROFILES`; a calibration names its GPU by profile id, so no other profile can be a target).
 * @throws {SweetspotInputError} for a calibration of another form than `hardware` (per-model
 *   coefficients were fitted on one GPU and have no physics to scale by), an unknown GPU, or a GPU
 *   without a peak at the weights' precision.
 * @example
 * const a100 = transferCalibration(H100_DEFAULT_CALIBRATION, 'A100 SXM4 40GB');
 * predictEnergy(a100, preset('llama-3-8b'), { nIn: 1024, nOut: 1024 }).energyJ // ≈ 3.5 kJ
 * @category Calibrations
 */
export function transferCalibration(calibration: Calibration | CalibrationInput, gpu: string | HardwareProfile): Calibration {
  return transferAt('transferCalibration(calibration, gpu)', calibration, gpu);
}

function transferAt(where: string, calibration: Calibration | CalibrationInput, gpu: string | HardwareProfile): Calibration {
  if (typeof calibration !== 'object' || calibration === null) {
    throw new SweetspotInputError(`${where}: calibration must be a calibration document, got ${kindOf(calibration)}`);
  }
  const source = parseCalibration(calibration);
  if (source.form !== 'hardware' || source.profile === null) {
    throw new SweetspotInputError(
      `${where}: only a hardware calibration moves to another GPU; this one is '${source.form}', whose coefficients hold the GPU it was fitted on (fit it on measurements from the other GPU)`,
    );
  }
  const target = typeof gpu === 'string' ? at(where, () => resolveProfile(gpu)) : typeof gpu === 'object' && gpu !== null ? builtInProfile(where, gpu) : undefined;
  if (target === undefined) throw new SweetspotInputError(`${where}: gpu must be a GPU name or a hardware profile, got ${kindOf(gpu)}`);
  if (target.id === source.profile) return source;

  const from = resolveProfile(source.profile);
  // A GPU without a peak at the weights' precision (8-bit weights on a V100) is refused by name.
  const r = at(where, () => ratios(hardwarePhysics(from, precisionFor(source.weightBytes, from)), hardwarePhysics(target, precisionFor(source.weightBytes, target))));
  const names = Object.keys(source.params);
  const scale = names.map((k) => r[k] ?? 1);
  const params: Calibration['params'] = {};
  names.forEach((k, i) => {
    const p = source.params[k];
    const s = scale[i];
    // A log-scale prior's shift and narrowing do not change when value and centre scale together;
    // on a linear scale they would, so that summary is dropped unless the ratio is 1.
    const prior = p.prior && (p.prior.scale === 'log' || s === 1) ? { ...p.prior, center: p.prior.center * s } : undefined;
    params[k] = { value: p.value * s, unit: p.unit, stdErr: p.stdErr === null ? null : p.stdErr * s, ...(prior ? { prior } : {}) };
  });
  const u = source.uncertainty;
  const uncertainty = {
    residualSigma: Math.max(u?.residualSigma ?? 0, sigmaBetween(from, target)),
    logBias: u?.logBias ?? 0,
    covariance: u?.covariance ? u.covariance.map((row, i) => row.map((v, j) => v * scale[i] * scale[j])) : null,
  };
  const sourceName = source.gpu === from.name ? from.id : `${source.gpu} (${from.id})`;
  return deepFreeze(
    parseCalibration({
      ...source,
      gpu: target.name,
      profile: target.id,
      params,
      fitted: false,
      errors: null,
      uncertainty,
      note: `transferred from ${sourceName} to ${target.id} by ratios to physics (docs/energy-models.md#other-gpus); ${source.note}`,
    }),
  );
}

// Transfers by calibration object, then GPU name: services call `estimate(…, { onGpu })` per request.
const transferred = new WeakMap<object, Map<string, Calibration>>();
const MAX_GPU_NAMES = 64;

/**
 * {@link transferCalibration} remembered per (calibration object, GPU name), for the per-request
 * paths. Only a calibration frozen all the way down (the shelf's, the default, a transfer) is
 * remembered: one that can change is transferred afresh, so that the result follows it. Internal.
 *
 * @example
 * calibrationOnGpu('estimate({ onGpu })', H100_DEFAULT_CALIBRATION, 'L40S') === calibrationOnGpu('estimate({ onGpu })', H100_DEFAULT_CALIBRATION, 'L40S') // true
 */
export function calibrationOnGpu(where: string, calibration: Calibration | CalibrationInput, gpu: string | HardwareProfile): Calibration {
  if (typeof gpu !== 'string' || !isDeepFrozen(calibration)) return transferAt(where, calibration, gpu);
  let byName = transferred.get(calibration);
  if (!byName) transferred.set(calibration, (byName = new Map()));
  let out = byName.get(gpu);
  if (!out) {
    out = transferAt(where, calibration, gpu);
    if (byName.size >= MAX_GPU_NAMES) byName.clear();
    byName.set(gpu, out);
  }
  return out;
}
