import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweetspotForm } from '../../src/energy/forms/sweetspot.js';
import { hardwareForm } from '../../src/energy/forms/hardware.js';
import { resolveProfile } from '../../src/energy/hardware/profiles.js';
import { featuresOf, lengths, noise } from '../fit/helpers.js';

export const SS_THETA = [2e-5, 0.05, 3e-3, 1e-3, 3, 20];
export const HW_THETA = [2e-13, 3e-11, 55, 0.35, 0.6, 0.4];
export const GPU = 'NVIDIA A100-SXM4-40GB';

/** A temp dir with measurement files: sweetspot-shaped (2 models, repeats, a cold row) and hardware-shaped. */
export function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-fit-'));
  const header = 'model,n_in,n_out,energy_j,gpu,engine,kv_cache,notes,site';
  let k = 0;
  const ss: string[] = [header];
  for (const model of ['meta-llama/Llama-2-7b-hf', 'mistralai/Mistral-7B-v0.1']) {
    for (const i of [16, 64, 256, 1024]) {
      for (const o of [8, 64, 512]) {
        for (let r = 0; r < 2; r++) {
          const e = sweetspotForm.predictJ(SS_THETA, lengths(i, o), {}) * noise(k++, 0.01);
          ss.push(`${model},${i},${o},${e},${GPU},"TRT, fp16",on,,a`);
        }
      }
    }
    // A cold start ten times too expensive: must be dropped by --exclude-notes, not silently.
    ss.push(`${model},16,8,${10 * sweetspotForm.predictJ(SS_THETA, lengths(16, 8), {})},${GPU},"TRT, fp16",on,"cold, iteration 0",b`);
  }
  writeFileSync(join(dir, 'ss.csv'), `${ss.join('\r\n')}\r\n`);
  const profile = resolveProfile(GPU);
  const form = hardwareForm({ staticPowerW: 55 });
  const hw: string[] = ['model,n_in,n_out,energy_j,gpu,engine,split'];
  for (const [preset, model] of [['llama-2-7b', 'meta-llama/Llama-2-7b-hf'], ['mistral-7b', 'mistralai/Mistral-7B-v0.1'], ['falcon-7b', 'tiiuae/falcon-7b']]) {
    for (const i of [8, 64, 512, 2048]) {
      for (const o of [8, 64, 1024]) {
        const e = form.predictJ(HW_THETA, featuresOf(preset, i, o, 'recompute'), { profile });
        hw.push(`${model},${i},${o},${e},${GPU},hf,${preset === 'falcon-7b' ? 'test' : 'train'}`);
      }
    }
  }
  writeFileSync(join(dir, 'hw.csv'), `${hw.join('\n')}\n`);
  // The same sweep as `sweetspot measure --gpu 0,1` writes it: calls on two GPUs, `gpu` = `2x NAME`.
  const hw2: string[] = ['model,n_in,n_out,energy_j,gpu,engine'];
  for (const [preset, model] of [['llama-2-7b', 'meta-llama/Llama-2-7b-hf'], ['mistral-7b', 'mistralai/Mistral-7B-v0.1']]) {
    for (const i of [8, 64, 512, 2048]) {
      for (const o of [8, 64, 1024]) {
        const e = form.predictJ(HW_THETA, { ...featuresOf(preset, i, o, 'recompute'), gpus: 2 }, { profile });
        hw2.push(`${model},${i},${o},${e},2x ${GPU},hf`);
      }
    }
  }
  writeFileSync(join(dir, 'hw2.csv'), `${hw2.join('\n')}\n`);
  writeFileSync(join(dir, 'bad.csv'), 'model,n_in,n_out,energy_j\nm,1,1,1\nm,x,1,1\nm,1,1,-2\n');
  return dir;
}
