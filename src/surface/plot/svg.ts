/** Small helpers shared by the SVG plots: escaping and compact number formatting. */

import { visibleText } from '../../visible-text.js';

/**
 * Escapes text for SVG/XML content and attribute values.
 *
 * @example
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  // XML 1.0 has no place for most control characters, lone surrogates, U+FFFE or U+FFFF (not even
  // as character references): one of them in a title or a model name would make the whole file
  // unreadable, so each is shown as U+FFFD, as on the terminal (src/visible-text.ts).
  return visibleText(String(text))
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A coordinate with at most 2 decimals (SVG files stay small; 0.01 px is invisible).
 *
 * @example
 * px(12.3456) // '12.35'
 */
export function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/**
 * A value for a label: 3 significant digits, exponent notation outside 10⁻³…10⁵.
 *
 * @example
 * formatValue(0.123456) // '0.123'
 * formatValue(123456) // '1.23e+5'
 */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(3)));
}

/**
 * A token count for an axis label: 4096, 16k, 128k.
 *
 * @example
 * formatTokens(16384) // '16k'
 */
export function formatTokens(n: number): string {
  if (n >= 10000 && n % 1024 === 0) return `${n / 1024}k`;
  return String(n);
}
