/** At most this many values are named in one message: a file may hold millions of them. */
export const SHOWN_VALUES = 10;

/**
 * The first {@link SHOWN_VALUES} values joined by `separator`, and how many more there are, for
 * messages that name the values of a file (models, GPUs, batches) without growing with it.
 *
 * @example
 * firstFew(['a', 'b'], ', ') // 'a, b'
 * firstFew(Array.from({ length: 12 }, (_, i) => i), ', ') // '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … and 2 more'
 */
export function firstFew(values: readonly (string | number)[], separator: string): string {
  const more = values.length - SHOWN_VALUES;
  return `${values.slice(0, SHOWN_VALUES).join(separator)}${more > 0 ? `${separator}… and ${more} more` : ''}`;
}
