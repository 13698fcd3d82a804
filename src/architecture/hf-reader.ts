import { shownValue } from '../arguments.js';
import { SweetspotInputError } from '../errors.js';
import { HF_INT_LIMITS } from './limits.js';

/**
 * Reads fields of one Hugging Face `config.json` object and names the field (and the file) in
 * every error. A field given as `null` counts as absent, as it does for the model classes.
 *
 * @example
 * const r = new HfConfigReader({ n_head: 71, vocab_size: 65024 }, 'falcon/config.json');
 * r.int(['num_attention_heads', 'n_head']) // 71
 * r.int('hidden_size') // throws 'falcon/config.json: hidden_size is missing'
 */
export class HfConfigReader {
  constructor(
    readonly config: Readonly<Record<string, unknown>>,
    /** How errors name the file, e.g. `config.json` or its path. */
    readonly where: string,
  ) {}

  fail(message: string): never {
    throw new SweetspotInputError(`${this.where}: ${message}`);
  }

  /** The first present key of `keys` (aliases of one field), after checking the aliases agree. */
  private pick(keys: readonly string[]): { key: string; value: unknown } | undefined {
    const present = keys.filter((k) => this.config[k] !== undefined && this.config[k] !== null);
    if (present.length === 0) return undefined;
    const first = present[0];
    for (const other of present.slice(1)) {
      if (this.config[other] !== this.config[first]) {
        this.fail(
          `${first} (${shownValue(this.config[first])}) and ${other} (${shownValue(this.config[other])}) contradict each other`,
        );
      }
    }
    return { key: first, value: this.config[first] };
  }

  /** A positive integer from the first present alias, `fallback` when absent, else an error naming `keys[0]`. */
  int(keys: string | readonly string[], fallback?: number): number {
    const names = typeof keys === 'string' ? [keys] : keys;
    const found = this.pick(names);
    if (found === undefined) {
      if (fallback !== undefined) return fallback;
      const aliases = names.length > 1 ? ` (or ${names.slice(1).join(', ')})` : '';
      this.fail(`${names[0]}${aliases} is missing`);
    }
    const { key, value } = found;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      this.fail(`${key} must be a positive integer, got ${shownValue(value)}`);
    }
    // Checked here, before any caller allocates per layer (docs/architectures.md#limits-on-untrusted-input).
    const max = Object.hasOwn(HF_INT_LIMITS, key) ? HF_INT_LIMITS[key] : undefined;
    if (max !== undefined && value > max) this.fail(`${key} = ${value} exceeds the limit of ${max}`);
    return value;
  }

  /** A positive integer, or `undefined` when absent or null. */
  optionalInt(keys: string | readonly string[]): number | undefined {
    const names = typeof keys === 'string' ? [keys] : keys;
    return this.pick(names) === undefined ? undefined : this.int(names);
  }

  /** A boolean, `fallback` when absent or null. */
  bool(key: string, fallback: boolean): boolean {
    const value = this.config[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(`${key} must be true or false, got ${shownValue(value)}`);
    return value;
  }

  /** A list of strings, or `undefined` when absent or null. */
  optionalStrings(key: string): string[] | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.fail(`${key} must be a list of strings, got ${shownValue(value)}`);
    }
    return value as string[];
  }
}
