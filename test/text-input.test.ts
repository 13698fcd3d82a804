import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/prng.js';
import { eachTextChunk, readTextFile } from '../src/text-input.js';
import { firstInvalidUtf8 } from '../src/utf8-error.js';

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eachTextChunk', () => {
  it('hands on the file as UTF-8 text in pieces that join to the whole, whatever bytes a chunk ends on', async () => {
    // Two-, three- and four-byte characters, so that chunk ends fall inside characters.
    const text = 'model,notes\nllama,énergie 模型 🔋 ok\n'.repeat(40);
    const path = join(dir, 'utf8.csv');
    writeFileSync(path, `\uFEFF${text}`);
    for (const chunkBytes of [1, 2, 3, 5, 7, 64]) {
      const pieces: string[] = [];
      let size = -1;
      await eachTextChunk(path, { maxBytes: 1 << 20, what: 'utf8.csv', chunkBytes, onOpen: (b) => (size = b) }, (t) => void pieces.push(t));
      expect(pieces.join('')).toBe(text);
      expect(size).toBe(Buffer.byteLength(text) + 3);
      expect(pieces.length).toBeGreaterThan(1);
    }
    expect(await readTextFile(path, { maxBytes: 1 << 20, what: 'utf8.csv' })).toBe(text);
  });

  it('refuses a file over the limit, naming it', async () => {
    const path = join(dir, 'big.csv');
    writeFileSync(path, 'x'.repeat(100));
    await expect(eachTextChunk(path, { maxBytes: 99, what: 'big.csv', chunkBytes: 8 }, () => undefined)).rejects.toThrow('big.csv: the file is larger than the limit of 99 bytes (100 bytes)');
  });

  // Each bad sequence with the bytes of the error counted by hand from the decoding rules
  // (first, last relative to the sequence's start): a byte that breaks a sequence off is not part
  // of the error, it starts what follows.
  const BAD: { name: string; bytes: number[]; first: number; last: number; atEnd?: boolean }[] = [
    { name: 'a three-byte character cut short', bytes: [0xe2, 0x82, 0x41], first: 0, last: 1 },
    { name: 'a four-byte character cut short', bytes: [0xf0, 0x9f, 0x98, 0x41], first: 0, last: 2 },
    { name: 'a lone continuation byte', bytes: [0x80, 0x41], first: 0, last: 0 },
    { name: 'a UTF-16 surrogate', bytes: [0xed, 0xa0, 0x80], first: 0, last: 0 },
    { name: 'an overlong form', bytes: [0xe0, 0x80, 0x80], first: 0, last: 0 },
    { name: 'a two-byte lead before ASCII', bytes: [0xc3, 0x28], first: 0, last: 0 },
    { name: 'a byte never in UTF-8', bytes: [0xff], first: 0, last: 0 },
    { name: 'a four-byte character the file ends inside', bytes: [0xf0, 0x9f, 0x98], first: 0, last: 2, atEnd: true },
    { name: 'a two-byte character the file ends inside', bytes: [0xc3], first: 0, last: 0, atEnd: true },
  ];

  it('names the bytes of an invalid sequence wherever a chunk boundary cuts it (it named the second chunk, and "bytes N to N" at the end)', async () => {
    for (const bad of BAD) {
      // With 4-byte chunks, prefixes of 0 to 4 bytes put the boundary before, inside and after the sequence.
      for (let prefix = 0; prefix <= 4; prefix++) {
        const bytes = Buffer.from([...Buffer.from('x'.repeat(prefix)), ...bad.bytes, ...(bad.atEnd ? [] : Buffer.from('ok\n'))]);
        const path = join(dir, 'bad.csv');
        writeFileSync(path, bytes);
        const first = prefix + bad.first;
        const last = prefix + bad.last;
        const where = first === last ? `at byte ${first}` : `in bytes ${first} to ${last}`;
        const expected = `bad.csv: not UTF-8 text (an invalid byte sequence ${where}, counting from 0${bad.atEnd ? ', at the end of the file' : ''}); save the file as UTF-8`;
        for (const chunkBytes of [1, 2, 3, 4, 5, 64]) {
          const attempt = eachTextChunk(path, { maxBytes: 1 << 10, what: 'bad.csv', chunkBytes }, () => undefined);
          await expect(attempt, `${bad.name}, prefix ${prefix}, chunks of ${chunkBytes}`).rejects.toThrow(expected);
        }
      }
    }
  });
});

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
