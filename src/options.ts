import { SweetspotInputError } from './errors.js';

/**
 * An options argument as given: absent (`undefined`) means every default; anything but a plain
 * object is refused by name. A `null` (what JSON and many callers write for "nothing") would
 * otherwise fail inside as a TypeError, and a string or an array be read as no options at all.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * optionsObject('sweetSpot', undefined) // {}
 * optionsObject('sweetSpot', null) // throws: sweetSpot: options must be an object, got null
 */
export function optionsObject<T extends object>(where: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const got = options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options;
    throw new SweetspotInputError(`${where}: options must be an object, got ${got}`);
  }
  return options;
}
