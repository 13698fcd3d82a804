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
});
