import type { EnergyForm } from '../../energy/form.js';
import { SweetspotInputError } from '../../errors.js';
import { checkArray, shownValue } from '../../arguments.js';
import { checkString } from '../../errors.js';
import { isReservedName } from '../../reserved-names.js';
import { checkEnergyForm } from '../../energy/check-form.js';

/**
 * A form with some parameters pinned to values: each keeps its place in θ but gets
 * `lower = upper = value`, so the fitters leave it there and do not count it as free. This is how
 * a user resolves a parameter the data cannot determine (e.g. static power from 1-D sweeps).
 *
 * @throws {SweetspotInputError} for an unknown parameter or a value outside its bounds.
 * @example
 * pinParams(hardwareForm(), { staticPowerW: 55 }).params[2] // { name: 'staticPowerW', lower: 55, upper: 55, … }
 */
export function pinParams(form: EnergyForm, fixed: Readonly<Record<string, number>>, where = 'pinParams(form, fixed)'): EnergyForm {
  checkString('pinParams(form, fixed, where)', where);
  checkEnergyForm(`${where}: form`, form);
  const names = form.params.map((p) => p.name);
  if (typeof fixed !== 'object' || fixed === null) throw new SweetspotInputError(`${where}: expected { name: value }, got ${shownValue(fixed)}`);
  // `calibrate({ fix })` names the pinned parameter inside the option: `calibrate({ fix: { eStep } })`.
  const at = (name: string) => (where.endsWith('fix })') ? `${where.slice(0, -3)}: { ${name} } })` : `${where}: ${name}`);
  for (const [name, value] of Object.entries(fixed)) {
    const spec = form.params.find((p) => p.name === name);
    if (!spec) throw new SweetspotInputError(`${at(name)}: form ${form.id} has no parameter '${name}' (parameters: ${names.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.lower || value > spec.upper) {
      throw new SweetspotInputError(`${at(name)}: ${String(value)} is outside the parameter's range [${spec.lower}, ${spec.upper}]`);
    }
  }
  if (Object.keys(fixed).length === 0) return form;
  return {
    ...form,
    params: form.params.map((p) => (p.name in fixed ? { ...p, lower: fixed[p.name], upper: fixed[p.name] } : p)),
  };
}

/**
 * Parses `name=value` pins (from `--fix`).
 *
 * @throws {SweetspotInputError} naming a malformed pin, a reserved name (`__proto__`) or a name pinned twice.
 * @example
 * parsePins(['staticPowerW=55']) // { staticPowerW: 55 }
 */
export function parsePins(pins: readonly string[]): Record<string, number> {
  checkArray('parsePins(pins)', pins);
  const out: Record<string, number> = {};
  for (const pin of pins) {
    checkString('parsePins(pins)[i]', pin);
    const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(\S+)\s*$/.exec(pin);
    const value = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(value)) throw new SweetspotInputError(`parsePins(['${pin}']): expected NAME=NUMBER`);
    const name = m[1];
    // `out.__proto__ = 55` sets no key: the pin was dropped without a word and the fit went on.
    if (isReservedName(name)) throw new SweetspotInputError(`parsePins(['${pin}']): '${name}' is a reserved name, never a parameter`);
    // Which of two values was meant is not for the program to guess.
    if (Object.hasOwn(out, name)) throw new SweetspotInputError(`parsePins(['${pin}']): ${name} is pinned twice (to ${out[name]} and ${value})`);
    out[name] = value;
  }
  return out;
}
