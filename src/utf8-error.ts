/**
 * Where UTF-8 text first goes wrong, by the decoding rules of the WHATWG Encoding Standard (the
 * rules `TextDecoder` follows): the first byte that cannot start a sequence, or the longest valid
 * start of a sequence that the next byte (or the end of the input) breaks off. Offsets count from
 * 0 and `last` is included; `null` when every sequence is whole and valid.
 *
 * @example
 * firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82, 0x41])) // { first: 1, last: 2 }
 * firstInvalidUtf8(new Uint8Array([0x61, 0xf0, 0x9f]), { ended: true }) // { first: 1, last: 2 }
 */
export function firstInvalidUtf8(bytes: Uint8Array, { ended = false }: { readonly ended?: boolean } = {}): { first: number; last: number } | null {
  let needed = 0;
  let seen = 0;
  let start = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (needed === 0) {
      start = i;
      if (b <= 0x7f) continue;
      if (b >= 0xc2 && b <= 0xdf) needed = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        needed = 2;
        // Overlong forms and UTF-16 surrogates are not UTF-8.
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        needed = 3;
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
      } else return { first: i, last: i };
      seen = 0;
      continue;
    }
    // The byte that breaks a sequence off is not part of the error: it starts what follows.
    if (b < lower || b > upper) return { first: start, last: i - 1 };
    lower = 0x80;
    upper = 0xbf;
    if (++seen === needed) needed = 0;
  }
  return ended && needed > 0 ? { first: start, last: bytes.length - 1 } : null;
}

/**
 * How many bytes at the end of valid UTF-8 text begin a character that the text does not finish
 * (0 to 3): the bytes a streaming decoder holds back for the next chunk.
 *
 * @example
 * unfinishedUtf8Bytes(new Uint8Array([0x61, 0xe2, 0x82])) // 2
 */
export function unfinishedUtf8Bytes(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b >= 0x80 && b <= 0xbf) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}
