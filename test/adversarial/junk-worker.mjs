// Runs the junk-argument calls of test/adversarial/junk-arguments.test.ts in a worker thread, so
// that a call which never returns can be stopped from outside: before each call the worker stores
// the call's number in shared memory, and the test ends the worker when that number stops moving
// (and starts a new one after that call).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

const { entries, start, progressBuffer, asyncTimeoutMs } = workerData;
const progress = new Int32Array(progressBuffer);

// Made fresh for each call: a function under test may keep or change an object it was given.
const JUNK = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['{}', () => ({})],
  ['[]', () => []],
  ['NaN', () => NaN],
  ['-1', () => -1],
  ["'x'", () => 'x'],
  ['1e300', () => 1e300],
  ['() => 1', () => () => 1],
];

/** Every list of 1 to 3 junk values (9 + 81 + 729): each value at each position, and all together. */
function* argumentLists() {
  for (let n = 1; n <= 3; n++) {
    const index = new Array(n).fill(0);
    for (;;) {
      yield index.slice();
      let i = n - 1;
      while (i >= 0 && ++index[i] === JUNK.length) index[i--] = 0;
      if (i < 0) break;
    }
  }
}

const modules = [];
for (const [name, url] of entries) modules.push([name, await import(url)]);
const { SweetspotInputError } = await import(new URL('../../src/errors.ts', import.meta.url).href);

const describe = (error) => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `threw ${typeof error} ${String(error)}`;
  return text.split('\n')[0].slice(0, 200);
};

let call = 0;
for (const [entry, module] of modules) {
  const names = Object.keys(module)
    .filter((k) => typeof module[k] === 'function' && /^[a-z]/.test(k))
    .sort();
  parentPort.postMessage({ kind: 'functions', entry, names });
  for (const name of names) {
    for (const list of argumentLists()) {
      if (call++ < start) continue;
      Atomics.store(progress, 0, call);
      const text = `${entry}:${name}(${list.map((i) => JUNK[i][0]).join(', ')})`;
      let error;
      try {
        const result = module[name](...list.map((i) => JUNK[i][1]()));
        if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
          let timer;
          const late = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${asyncTimeoutMs} ms`)), asyncTimeoutMs);
          });
          try {
            await Promise.race([result, late]);
          } finally {
            clearTimeout(timer);
          }
        }
      } catch (e) {
        error = e;
      }
      if (error !== undefined && !(error instanceof SweetspotInputError)) parentPort.postMessage({ kind: 'failure', call: text, message: describe(error) });
    }
  }
}
parentPort.postMessage({ kind: 'done', calls: call });
