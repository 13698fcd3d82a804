/**
 * How GPU names are matched to hardware profiles: one rule for every profile and every name
 * (docs/energy-models.md#hardware-profiles). A name is split into words (case, spaces, `-` and `_`
 * do not matter); the words `nvidia`, `tesla`, `tensor`, `core` and `gpu` are dropped, and a form
 * factor with its generation (`SXM4`, `SXM5`) is read as `sxm`. What is left either is a listed
 * name of a profile (its id, name or an alias, read the same way), or reads as
 * `family [form] [memory]` (`A100 SXM 40GB`, `H100 PCIe`, `h200`, with an optional memory type
 * such as `HBM3`), which names the one profile that matches every part given.
 */

/**
 * The words of a GPU name under the rule above.
 *
 * @example
 * gpuWords('NVIDIA A100-SXM4-40GB')            // ['a100', 'sxm', '40gb']
 * gpuWords('NVIDIA RTX 6000 Ada Generation')    // ['rtx6000ada']
 */
export function gpuWords(name: string): string[] {
  const words = name
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .filter((w) => w !== '' && !NOISE.has(w))
    .map((w) => (/^sxm\d*$/.test(w) ? 'sxm' : w));
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    // RTX model numbers are printed as two words ('RTX 4090', 'RTX A6000'): one family.
    if (words[i] === 'rtx' && i + 1 < words.length) out.push(`rtx${words[++i]}`);
    else if (words[i] === 'ada' && out.length > 0) out.push(`${out.pop()}ada`);
    else out.push(words[i]);
  }
  return out;
}

const NOISE = new Set(['nvidia', 'tesla', 'geforce', 'tensor', 'core', 'gpu', 'generation']);

/**
 * What a name says of a GPU: its family (`a100`), and its form factor and memory when given.
 *
 * @example
 * const key: GpuKey = { family: 'h100', form: 'sxm' };
 */
export interface GpuKey {
  readonly family: string;
  readonly form?: 'sxm' | 'pcie' | 'nvl';
  readonly memoryGb?: number;
}

/**
 * A name read as `family [form] [memory] [memory type]`, or undefined when it does not read so.
 *
 * @example
 * gpuKey(gpuWords('H100 80GB HBM3')) // { family: 'h100', memoryGb: 80 }
 */
export function gpuKey(words: readonly string[]): GpuKey | undefined {
  if (words.length === 0 || !FAMILY.test(words[0])) return undefined;
  let form: GpuKey['form'];
  let memoryGb: number | undefined;
  for (const w of words.slice(1)) {
    // nvidia-smi prints some memories without the B ('NVIDIA GH200 144G HBM3e').
    const gb = /^(\d+)gb?$/.exec(w);
    if ((w === 'sxm' || w === 'pcie' || w === 'nvl') && form === undefined) form = w;
    else if (gb && memoryGb === undefined) memoryGb = Number(gb[1]);
    else if (!/^hbm\d*e?$/.test(w)) return undefined;
  }
  return { family: words[0], ...(form ? { form } : {}), ...(memoryGb !== undefined ? { memoryGb } : {}) };
}

/** A family word: letters and a model number (`a100`, `gh200`, `l40s`, `t4`), or an RTX model (`rtx4090`, `rtxa6000`, `rtx6000ada`). */
const FAMILY = /^(?:[a-z]{1,3}\d{1,4}[a-z]?|rtx[a-z]?\d{4}(?:ada)?)$/;

/**
 * Whether a profile's key has every part a name's key gives.
 *
 * @example
 * keyMatches({ family: 'a100', form: 'sxm', memoryGb: 40 }, { family: 'a100', form: 'sxm' }) // true
 */
export function keyMatches(profile: GpuKey, name: GpuKey): boolean {
  return (
    profile.family === name.family &&
    (name.form === undefined || profile.form === name.form) &&
    (name.memoryGb === undefined || profile.memoryGb === name.memoryGb)
  );
}
