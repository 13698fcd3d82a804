import { SweetspotInputError } from './errors.js';
import { firstInvalidUtf8, unfinishedUtf8Bytes } from './utf8-error.js';

/**
 * Largest files read, in bytes, by kind ("Limits on untrusted input" in docs/architectures.md,
 * docs/energy-models.md and docs/fitting.md). A Hugging Face `config.json` is a few KB even
 * with a per-layer `layer_types` list; a calibration with a hundred models is well under 1 MB;
 * measurement files are bounded by what one string can hold, with room to spare.
 *
 * @example
 * READ_LIMITS.configBytes // 1048576
 */
export const READ_LIMITS = Object.freeze({
  configBytes: 1 << 20,
  calibrationBytes: 16 << 20,
  measurementBytes: 256 << 20,
});

/**
 * The text without a leading UTF-8 byte-order mark (U+FEFF), which editors on Windows write and
 * `JSON.parse` refuses.
 *
 * @example
 * stripBom('\uFEFF{"a": 1}') // '{"a": 1}'
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * What is wrong with JSON text, from `JSON.parse`'s error, without quoting the text: engines put
 * an excerpt of the input in their messages, and the input may be a file that was never meant to
 * be shown (a `--model` pointing at a system file). Gives the line and column where the engine
 * reports a position.
 *
 * @example
 * jsonErrorText('{\n  "a": }', (() => { try { JSON.parse('{\n  "a": }'); } catch (e) { return e as Error; } })()!) // 'unexpected character'
 */
export function jsonErrorText(text: string, error: Error): string {
  const message = error.message;
  const position = /at position (\d+)/.exec(message);
  let reason: string;
  if (/^Unexpected end/i.test(message)) reason = 'unexpected end of input';
  else if (/^Unexpected token|^Unexpected non-whitespace|^Unexpected character/i.test(message)) reason = 'unexpected character';
  else if (/^Expected/i.test(message)) reason = message.replace(/\s+in JSON.*$/s, '').replace(/"[^]*$/, '').trim();
  else reason = 'malformed';
  if (!position) return reason;
  const upTo = text.slice(0, Number(position[1]));
  const line = upTo.split('\n').length;
  const column = upTo.length - upTo.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

/**
 * Reads a text file whole, as UTF-8 without a BOM, refusing what is not a regular file
 * (directories, devices such as `/dev/zero`, FIFOs that would block), what is not UTF-8, and files over `maxBytes`
 * before reading them, and reading at most `maxBytes + 1` bytes even where the size is not known
 * in advance (`/proc` files report 0). Error messages name `what` and never quote the file.
 * `node:fs` is loaded on first use, so that importing the library never loads it.
 *
 * @throws {SweetspotInputError} `${what}: …` for a missing, unreadable, non-regular, non-UTF-8 or too large file.
 * @example
 * const text = await readTextFile('/models/my-llama/config.json', { maxBytes: READ_LIMITS.configBytes, what: 'config.json' });
 */
export async function readTextFile(path: string, options: { readonly maxBytes: number; readonly what: string }): Promise<string> {
  const parts: string[] = [];
  await eachTextChunk(path, options, (text) => void parts.push(text));
  return stripBom(parts.join(''));
}

/**
 * Reads a text file a chunk at a time, as {@link readTextFile} reads it whole (the same refusals
 * and limits): `visit` gets each piece of UTF-8 text in order (a character split between chunks
 * arrives whole in the next; a leading BOM is dropped), and `onOpen` the file's size in bytes
 * before the first. Memory stays at one chunk whatever the file's size.
 *
 * @throws {SweetspotInputError} `${what}: …` for a missing, unreadable, non-regular, non-UTF-8 or too large file.
 * @example
 * await eachTextChunk('rows.csv', { maxBytes: READ_LIMITS.measurementBytes, what: 'rows.csv' }, (text) => parser.push(text));
 */
export async function eachTextChunk(
  path: string,
  options: { readonly maxBytes: number; readonly what: string; readonly chunkBytes?: number; readonly onOpen?: (sizeBytes: number) => void },
  visit: (text: string) => void,
): Promise<void> {
  const fs = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const { maxBytes, what } = options;
  const cannot = (error: unknown): never => {
    throw new SweetspotInputError(`${what}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  };
  const kind = (s: import('node:fs').Stats) =>
    s.isDirectory() ? 'a directory' : s.isFIFO() ? 'a pipe' : s.isCharacterDevice() || s.isBlockDevice() ? 'a device' : s.isSocket() ? 'a socket' : 'not a regular file';
  const tooLarge = (size: number | string): never => {
    throw new SweetspotInputError(`${what}: the file is larger than the limit of ${maxBytes} bytes (${size})`);
  };
  let stats;
  try {
    stats = await fs.stat(path);
  } catch (error) {
    return cannot(error);
  }
  if (!stats.isFile()) throw new SweetspotInputError(`${what}: ${kind(stats)}, not a regular file`);
  if (stats.size > maxBytes) tooLarge(`${stats.size} bytes`);
  let handle;
  try {
    // Non-blocking: should the path have become a FIFO since the stat, opening it cannot hang.
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return cannot(error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw new SweetspotInputError(`${what}: ${kind(opened)}, not a regular file`);
    options.onOpen?.(opened.size);
    // One buffer, refilled: at most maxBytes + 1 bytes are read even where the size said less
    // (`/proc` files report 0).
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, options.chunkBytes ?? CHUNK_BYTES));
    // Fatal: bytes that are not UTF-8 would otherwise become U+FFFD, and a model or column name
    // would change without a word.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // The bytes the decoder holds back from earlier chunks (the start of a character that a
    // chunk cut): an error found in the next chunk may begin among them.
    let held = new Uint8Array(0);
    const decode = (bytes: Uint8Array, from: number): string => {
      const ended = bytes.length === 0;
      try {
        const text = decoder.decode(bytes, { stream: !ended });
        // The last 3 bytes of the stream decide; a chunk of 3 or more holds them all.
        const tail = bytes.length >= 3 ? bytes : concat(held, bytes);
        // A copy: `bytes` is a view of the read buffer, which the next read overwrites.
        held = Uint8Array.from(tail.subarray(tail.length - unfinishedUtf8Bytes(tail)));
        return text;
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        const base = from - held.length;
        const at = firstInvalidUtf8(concat(held, bytes), { ended });
        // The decoder and this scan follow the same rules; should they ever differ, name the chunk.
        const first = base + (at?.first ?? held.length);
        const last = at ? base + at.last : from + bytes.length - 1;
        const where = first === last ? `at byte ${first}` : `in bytes ${first} to ${last}`;
        const end = ended ? ', at the end of the file' : '';
        throw new SweetspotInputError(`${what}: not UTF-8 text (an invalid byte sequence ${where}, counting from 0${end}); save the file as UTF-8`);
      }
    };
    let length = 0;
    for (;;) {
      let read: number;
      try {
        ({ bytesRead: read } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        return cannot(error);
      }
      if (read === 0) break;
      length += read;
      if (length > maxBytes) tooLarge(opened.size > maxBytes ? `${opened.size} bytes` : length > opened.size ? 'more bytes than its size said' : `over ${maxBytes} bytes`);
      const text = decode(buffer.subarray(0, read), length - read);
      if (text.length > 0) visit(text);
    }
    const rest = decode(new Uint8Array(0), length);
    if (rest.length > 0) visit(rest);
  } finally {
    await handle.close();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Bytes read at a time: large enough that a read costs little, small beside any file it splits. */
const CHUNK_BYTES = 1 << 20;
