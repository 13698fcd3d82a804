// What a fresh 130 MB result array costs in Node, and what changes it (docs/surface.md, "Fresh
// arrays and page faults"): the full-grid surface's Float64Array (16.3 M values) allocated in
// several ways and filled by the same plain loop, timed with its minor page faults. Not the
// library's code: the ways a library (or its user) could allocate the memory that a surface fills.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const COLS = 4033;
const POINTS = COLS * COLS;
const REPEATS = 7;
const HUGE_TUNABLE = 'glibc.malloc.hugetlb=1';

// The linear-memory ways; each returns a fresh Float64Array of POINTS values.
const ways = {
  'new Float64Array(n)': () => new Float64Array(POINTS),
  'Buffer.allocUnsafeSlow (no zeroing asked)': () => {
    const b = Buffer.allocUnsafeSlow(POINTS * 8);
    return new Float64Array(b.buffer, b.byteOffset, POINTS);
  },
  'resizable ArrayBuffer (V8 reserves, commits)': () => new Float64Array(new ArrayBuffer(POINTS * 8, { maxByteLength: POINTS * 8 })),
  'WebAssembly.Memory': () => {
    const pages = Math.ceil((POINTS * 8) / 65536);
    return new Float64Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, POINTS);
  },
};

/** madvise(MADV_HUGEPAGE) through koffi (a native FFI; installed here as a dev dependency), or undefined. */
function hugePageAdvice() {
  if (process.platform !== 'linux') return undefined;
  let koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi');
  } catch {
    return undefined;
  }
  const madvise = koffi.load('libc.so.6').func('int madvise(void *addr, size_t len, int advice)');
  const MADV_HUGEPAGE = 14;
  return (values) => {
    // madvise wants page-aligned bounds: the whole pages inside the array.
    const start = (BigInt(koffi.address(values)) + 4095n) & ~4095n;
    const end = (BigInt(koffi.address(values)) + BigInt(values.byteLength)) & ~4095n;
    if (madvise(start, end - start, MADV_HUGEPAGE) !== 0) throw new Error('madvise failed');
    return values;
  };
}

/** The surface's memory traffic: every value written once, row by row. */
function fill(values) {
  for (let r = 0; r < COLS; r++) {
    const base = r * COLS;
    const rowTerm = 1 + r * 1e-3;
    for (let c = 0; c < COLS; c++) values[base + c] = rowTerm + c;
  }
  return values;
}

/** Best time of REPEATS fresh allocations and fills, and the minor page faults of one. */
function freshTimed(allocate) {
  fill(allocate());
  let best = Infinity;
  for (let k = 0; k < REPEATS; k++) {
    const t0 = performance.now();
    fill(allocate());
    best = Math.min(best, performance.now() - t0);
  }
  const before = process.resourceUsage().minorPageFault;
  fill(allocate());
  return { ms: best, faults: process.resourceUsage().minorPageFault - before };
}

// Each way runs in its own Node process, so that the fill loop sees one kind of array only (a
// resizable buffer's view is another kind to the optimiser) and no heap carries over.
if (process.argv[2] === '--way') {
  const way = process.argv[3];
  const advise = way === 'madvise' ? hugePageAdvice() : undefined;
  if (way === 'madvise' && !advise) {
    console.log('null');
    process.exit(0);
  }
  const reused = way === 'reused' ? new Float64Array(POINTS) : undefined;
  const allocate = reused ? () => reused : advise ? () => advise(new Float64Array(POINTS)) : ways[way];
  console.log(JSON.stringify(freshTimed(allocate)));
  process.exit(0);
}

function inChild(way, env = process.env) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--way', way], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${way}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const row = (name, r) => console.log(`${name} | ${r.ms.toFixed(1)} ms | ${r.faults}`);
console.log(`A fresh Float64Array of ${POINTS} values (${((POINTS * 8) / 2 ** 20).toFixed(0)} MiB) filled once, best of ${REPEATS}, each way in its own`);
console.log('Node process; faults: minor page faults of one allocation and fill');
console.log('allocation | allocate + fill | faults');
row('reused (no fresh memory: the fill alone)', inChild('reused'));
for (const name of Object.keys(ways)) row(name, inChild(name));
const tunables = [process.env.GLIBC_TUNABLES, HUGE_TUNABLE].filter(Boolean).join(':');
row(`new Float64Array(n) in a Node started with GLIBC_TUNABLES=${HUGE_TUNABLE}`, inChild('new Float64Array(n)', { ...process.env, GLIBC_TUNABLES: tunables }));
const advised = inChild('madvise');
if (advised) row('new Float64Array(n) + madvise(MADV_HUGEPAGE) through koffi (native FFI; not done by the library)', advised);
else console.log('(koffi not installed: the madvise row is skipped)');
