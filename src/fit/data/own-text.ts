/**
 * A text of its own: V8 makes a substring of 13 or more characters a view that keeps the whole
 * string it was cut from alive (a 1 MiB chunk of a file, or a whole file's text), so a text that
 * is kept (in a row or a column) is copied once. JSON gives a fresh flat string of the same
 * characters; shorter substrings are copies already.
 *
 * @example
 * ownText(chunk.slice(10, 40)) // the same 30 characters, without keeping `chunk`
 */
export function ownText(v: string): string {
  return v.length < 13 ? v : (JSON.parse(JSON.stringify(v)) as string);
}
