import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/prng.js';
import { firstInvalidUtf8, unfinishedUtf8Bytes } from '../src/utf8-error.js';

describe('firstInvalidUtf8', () => {
  it('agrees with TextDecoder: valid text passes, and the replacement decoder puts one U+FFFD where it says', () => {
    const random = mulberry32(7);
    // Bytes weighted towards leads, continuations and the edges of their ranges.
    const pool = [0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    const strict = new TextDecoder('utf-8', { fatal: true });
    const lenient = new TextDecoder('utf-8');
    let invalid = 0;
    for (let trial = 0; trial < 20000; trial++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 6) }, () => pool[Math.floor(random() * pool.length)]!);
      const at = firstInvalidUtf8(bytes, { ended: true });
      let valid = true;
      try {
        strict.decode(bytes);
      } catch {
        valid = false;
      }
      expect(at === null, `${[...bytes]}`).toBe(valid);
      if (!at) continue;
      invalid++;
      // The valid text before the error, one replacement for the error, then the rest decoded on its own.
      const expected = lenient.decode(bytes.subarray(0, at.first)) + '\uFFFD' + lenient.decode(bytes.subarray(at.last + 1));
      expect(lenient.decode(bytes), `${[...bytes]}`).toBe(expected);
    }
    expect(invalid).toBeGreaterThan(1000);
  });
});

describe('unfinishedUtf8Bytes', () => {
  it('counts the bytes of a character the text has begun and not finished', () => {
    // '€' is e2 82 ac, '🔋' f0 9f 94 8b: every cut of each, counted by hand.
    expect(unfinishedUtf8Bytes(Uint8Array.of(0x61, 0xe2))).toBe(1);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0x61, 0xe2, 0x82))).toBe(2);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0x61, 0xe2, 0x82, 0xac))).toBe(0);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0xf0))).toBe(1);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0xf0, 0x9f))).toBe(2);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0xf0, 0x9f, 0x94))).toBe(3);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0xf0, 0x9f, 0x94, 0x8b))).toBe(0);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0xc3, 0xa9))).toBe(0);
    expect(unfinishedUtf8Bytes(Uint8Array.of(0x61))).toBe(0);
    expect(unfinishedUtf8Bytes(new Uint8Array(0))).toBe(0);
  });
});
