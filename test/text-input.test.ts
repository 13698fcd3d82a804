import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eachTextChunk, readTextFile } from '../src/text-input.js';

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
