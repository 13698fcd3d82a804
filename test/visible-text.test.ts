import { describe, expect, it } from 'vitest';
import { visibleJson, visibleText } from '../src/visible-text.js';

// The hidden set written out by hand, code unit by code unit (docs/conventions.md).
function hiddenByHand(c: number): boolean {
  if (c < 0x20) return c !== 0x09 && c !== 0x0a;
  if (c >= 0x7f && c <= 0x9f) return true;
  if (c >= 0x202a && c <= 0x202e) return true;
  if (c >= 0x2066 && c <= 0x2069) return true;
  return c === 0xfffe || c === 0xffff;
}

describe('visibleText', () => {
  it('replaces exactly the hidden characters of the BMP (surrogates aside) and keeps every other one', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const want = hiddenByHand(c) ? '\uFFFD' : ch;
      if (visibleText(`a${ch}b`) !== `a${want}b`) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('keeps surrogate pairs (emoji, astral CJK) and replaces lone halves', () => {
    expect(visibleText('a😀b\u{20000}')).toBe('a😀b\u{20000}');
    expect(visibleText('\uD800x\uDC00\uDBFF')).toBe('\uFFFDx\uFFFD\uFFFD');
    expect(visibleText('\uDC00\uD800')).toBe('\uFFFD\uFFFD'); // reversed order is no pair
  });

  it('defuses an OSC 8 link, a screen clear and a right-to-left override', () => {
    expect(visibleText('\u001b]8;;http://x\u0007m\u001b]8;;\u0007\u001b[2J\u202eabc\n\t')).toBe('\uFFFD]8;;http://x\uFFFDm\uFFFD]8;;\uFFFD\uFFFD[2J\uFFFDabc\n\t');
  });
});

describe('visibleJson', () => {
  it('escapes every hidden character, so the text is safe and parses back to the same value', () => {
    const value = { name: 'm\u001b\u007f\u0085\u009b\u202e\u2066\uD800\uFFFF😀\r\n\t', list: [1, 'x'] };
    for (const text of [visibleJson(value), visibleJson(value, 2)]) {
      expect(visibleText(text)).toBe(text);
      expect(text).toContain('\\ud800'); // the lone half escaped; the pair in 😀 kept
      expect(JSON.parse(text)).toEqual(value);
    }
    expect(visibleJson({ m: '\u202e\u009b' })).toBe('{"m":"\\u202e\\u009b"}');
    expect(visibleJson([1], 2)).toBe(JSON.stringify([1], null, 2));
  });
});
