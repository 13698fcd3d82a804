"""The full-grid surface in numpy, vectorised (broadcasting), for bench/surface.bench.mjs.

Reads a JSON problem on stdin: the grid ends, the form ('polynomial' with theta, or 'hardware'
with the §3 constants of a global-attention architecture and the hardware parameters), and
prints JSON: the best wall time of `repeats` runs, and checksums (sum, argmin, min) of the J per
output token surface to compare with the JavaScript one.
"""
import json
import sys
import time

import numpy as np


def polynomial(i, o, t):
    e = t[0] * i * i + t[1] * i + t[2] * i * o + t[3] * o * o + t[4] * o + t[5]
    return e / o


def hardware(i, o, p):
    # docs/complexity.md, KV-cache regime, batch 1, every layer global: decode contexts c = i+1 … i+o−1.
    lin, head, coef, kv, wb = p["linearFlopsPerToken"], p["headFlops"], p["attnCoef"], p["kvPerToken"], p["weightBytesPerStep"]
    steps = o - 1
    keys = steps * i + steps * (steps + 1) / 2  # Σ_{k=1}^{o−1} (i + k)
    pf = lin * i + head + coef * i * (i + 1) / 2
    pb = wb + kv * i
    df = (lin + head) * steps + coef * keys
    db = steps * wb + kv * keys
    rc = p["etaCompute"] * p["peakFlops"]
    rm = p["etaMemory"] * p["bandwidth"]
    t = np.maximum(pf / rc, pb / rm) + np.maximum(df / rc, db / rm)
    e = p["eFlop"] * (pf + df) + p["eByte"] * (pb + db) + p["staticPowerW"] * t + p["eStep"] * o
    return e / o


def main():
    prob = json.load(sys.stdin)
    lo, hi = prob["from"], prob["to"]
    i = np.arange(lo, hi + 1, dtype=np.float64)[:, None]
    o = np.arange(lo, hi + 1, dtype=np.float64)[None, :]
    f = polynomial if prob["form"] == "polynomial" else hardware
    args = prob["theta"] if prob["form"] == "polynomial" else prob["params"]
    best = float("inf")
    for _ in range(prob["repeats"]):
        t0 = time.perf_counter()
        v = f(i, o, args)
        best = min(best, time.perf_counter() - t0)
    k = int(np.argmin(v))
    print(json.dumps({"timeS": best, "sum": float(v.sum()), "argmin": k, "min": float(v.flat[k]), "points": int(v.size)}))


if __name__ == "__main__":
    main()
