/**
 * Characters that do not show as themselves: C0 controls but tab and line feed (NUL, BEL, the
 * carriage return that overwrites a line, ESC that starts a terminal's escape sequences and OSC 8
 * links), DEL, C1 controls (U+0080–U+009F, CSI among them), the bidi embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069) that reorder what follows them, the non-characters
 * U+FFFE and U+FFFF, and lone surrogates (no character at all). See docs/conventions.md.
 */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as it may be shown: each character that would act rather than show (on a terminal, in an
 * SVG) becomes U+FFFD, the replacement character, so a name read from a file can neither rewrite
 * the user's terminal, reorder the text around it, nor make an XML file unreadable. Tabs and line
 * feeds stay. Names are kept exactly as read everywhere else; this is for display only.
 *
 * @example
 * visibleText('m\u001b[2J\u202e') // 'm\uFFFD[2J\uFFFD'
 */
export function visibleText(text: string): string {
  return String(text).replace(HIDDEN, '\uFFFD');
}

/**
 * JSON text whose hidden characters (those {@link visibleText} replaces) are written as `\uXXXX`
 * escapes instead: the same JSON value, losslessly, and safe on a terminal. `JSON.stringify`
 * escapes C0 controls and lone surrogates already, but not DEL, C1 controls or bidi controls.
 * Outside strings JSON holds none of these characters, so escaping every one is exact.
 *
 * @example
 * visibleJson({ model: 'm\u202e' }) // '{"model":"m\\u202e"}'
 */
export function visibleJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
