"""The full-grid surface in numpy, written as a careful numpy engineer would, for
bench/surface.bench.mjs.

Reads a JSON problem on stdin: the grid ends, the form ('polynomial' with theta, or 'hardware'
with the §3 constants of a global-attention architecture and the hardware parameters), and
prints JSON: the best wall time of `repeats` runs, checksums (sum, argmin, min) of the J per
output token surface to compare with the JavaScript one, and the BLAS numpy runs on.

What "careful" means here (the same work as the JavaScript side, no more):
- every term that depends on one axis only is computed once, as a 1-D array (prefill energy per
  prompt length, 1/o, the decode step counts and key sums per output length);
- the result array is allocated once per run (np.empty: fresh, as the JavaScript side's fresh
  arrays) and filled in place, block of rows by block of rows, with ufuncs writing into
  preallocated block buffers (out=...), so that no full-size temporary is ever built and each
  block stays in cache while it is worked on;
- no division per point: J per output token is (E_row + E_point)·(1/o).
"""
import json
import sys
import time

import numpy as np

BLOCK_ROWS = 32


def polynomial(i, o, t):
    a, b, c, d, e, f = t
    const_i = (a * i + b) * i + f  # θ1·i² + θ2·i + θ6, per prompt length
    slope_i = c * i + e  # θ3·i + θ5
    inv_o = 1.0 / o
    d_o = d * o
    out = np.empty((i.size, o.size))
    for r0 in range(0, i.size, BLOCK_ROWS):
        r1 = min(r0 + BLOCK_ROWS, i.size)
        blk = out[r0:r1]
        # E/o = C(i)/o + θ4·o + (θ3·i + θ5)
        np.multiply(const_i[r0:r1, None], inv_o[None, :], out=blk)
        blk += d_o[None, :]
        blk += slope_i[r0:r1, None]
    return out


def hardware(i, o, p):
    # docs/complexity.md, KV-cache regime, batch 1, every layer global: decode contexts c = i+1 … i+o−1.
    lin, head, coef, kv, wb = p["linearFlopsPerToken"], p["headFlops"], p["attnCoef"], p["kvPerToken"], p["weightBytesPerStep"]
    rc = p["etaCompute"] * p["peakFlops"]
    rm = p["etaMemory"] * p["bandwidth"]
    e_flop, e_byte, power, e_step = p["eFlop"], p["eByte"], p["staticPowerW"], p["eStep"]
    # Per prompt length: the prefill energy, and the decode terms' slopes in the step count.
    pf = lin * i + head + coef * i * (i + 1) / 2
    pb = wb + kv * i
    prefill_j = e_flop * pf + e_byte * pb + power * np.maximum(pf / rc, pb / rm)
    df_slope = lin + head + coef * i  # decode FLOPs = df_slope·steps + coef·T(steps)
    db_slope = wb + kv * i  # decode bytes = db_slope·steps + kv·T(steps)
    # Per output length: steps = o − 1 and T = steps·(steps + 1)/2, 1/o, and eStep·o/o = eStep.
    steps = o - 1
    tri = steps * (steps + 1) / 2
    coef_tri = coef * tri
    kv_tri = kv * tri
    inv_o = 1.0 / o
    out = np.empty((i.size, o.size))
    shape = (BLOCK_ROWS, o.size)
    df, db, tc, tm = (np.empty(shape) for _ in range(4))
    for r0 in range(0, i.size, BLOCK_ROWS):
        r1 = min(r0 + BLOCK_ROWS, i.size)
        n = r1 - r0
        blk = out[r0:r1]
        f, b, c, m = df[:n], db[:n], tc[:n], tm[:n]
        np.multiply(df_slope[r0:r1, None], steps[None, :], out=f)
        f += coef_tri[None, :]
        np.multiply(db_slope[r0:r1, None], steps[None, :], out=b)
        b += kv_tri[None, :]
        np.multiply(f, 1.0 / rc, out=c)
        np.multiply(b, 1.0 / rm, out=m)
        np.maximum(c, m, out=c)
        # E = prefill + eFlop·df + eByte·db + P·max(·) + eStep·o; J/o.
        np.multiply(f, e_flop, out=blk)
        blk += prefill_j[r0:r1, None]
        b *= e_byte
        blk += b
        c *= power
        blk += c
        blk *= inv_o[None, :]
        blk += e_step
    return out


def blas_info():
    """Which BLAS numpy runs on (threadpoolctl when installed, else numpy's build configuration)."""
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415

        return "; ".join(f"{x.get('internal_api')} {x.get('version')} {x.get('architecture', '')} threads={x.get('num_threads')}" for x in threadpool_info())
    except ImportError:
        pass
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        simd = cfg.get("SIMD Extensions", {})
        return f"{blas.get('name')} {blas.get('version')} (threadpoolctl not installed); SIMD {','.join(simd.get('found', []))}"
    except Exception as err:  # noqa: BLE001
        return f"unknown ({err})"


def main():
    prob = json.load(sys.stdin)
    lo, hi = prob["from"], prob["to"]
    i = np.arange(lo, hi + 1, dtype=np.float64)
    o = np.arange(lo, hi + 1, dtype=np.float64)
    f = polynomial if prob["form"] == "polynomial" else hardware
    args = prob["theta"] if prob["form"] == "polynomial" else prob["params"]
    times = []
    v = None
    for _ in range(prob["repeats"]):
        v = None  # the previous result is freed first: each run writes fresh pages
        t0 = time.perf_counter()
        v = f(i, o, args)
        times.append(time.perf_counter() - t0)
    k = int(np.argmin(v))
    print(json.dumps({"timeS": min(times), "times": times, "sum": float(v.sum()), "argmin": k, "min": float(v.flat[k]),
                      "points": int(v.size), "numpy": np.__version__, "blas": blas_info()}))


if __name__ == "__main__":
    main()
