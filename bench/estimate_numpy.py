"""Per-request energy of the hardware form in Python, for bench/estimate.bench.mjs.

Reads a JSON problem on stdin: the §3 constants of a global-attention architecture, the hardware
parameters, and request lengths (batch 1, KV-cache regime). Times two ways a Python service would
price requests: a plain function called once per request, and numpy over all requests at once.
Prints JSON: ns per request for each, and the energies (numpy) to compare with the JavaScript ones.
"""
import json
import sys
import time

import numpy as np


def energy(i, o, p, maximum):
    # docs/complexity.md, KV-cache regime, batch 1, every layer global: decode contexts c = i+1 … i+o−1.
    # One formula for both sides: `maximum` is max for one request, np.maximum for arrays of them.
    lin, head, coef = p["linearFlopsPerToken"], p["headFlops"], p["attnCoef"]
    kv, wb = p["kvPerToken"], p["weightBytesPerStep"]
    steps = o - 1
    keys = steps * i + steps * (steps + 1) / 2
    pf = lin * i + head + coef * i * (i + 1) / 2
    pb = wb + kv * i
    df = (lin + head) * steps + coef * keys
    db = steps * wb + kv * keys
    t = maximum(pf / p["rc"], pb / p["rm"]) + maximum(df / p["rc"], db / p["rm"])
    return p["eFlop"] * (pf + df) + p["eByte"] * (pb + db) + p["staticPowerW"] * t + p["eStep"] * o


def best_of(fn, repeats):
    best = float("inf")
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    prob = json.load(sys.stdin)
    p = prob["params"]
    p["rc"] = p["etaCompute"] * p["peakFlops"]
    p["rm"] = p["etaMemory"] * p["bandwidth"]
    n_in, n_out = prob["nIn"], prob["nOut"]
    n = len(n_in)
    pairs = list(zip(n_in, n_out))
    scalar_s, _ = best_of(lambda: [energy(i, o, p, max) for i, o in pairs], prob["repeats"])
    i = np.asarray(n_in, dtype=np.float64)
    o = np.asarray(n_out, dtype=np.float64)
    numpy_s, e = best_of(lambda: energy(i, o, p, np.maximum), prob["repeats"])
    print(json.dumps({"scalarNs": scalar_s / n * 1e9, "numpyNs": numpy_s / n * 1e9, "energyJ": e[: prob["check"]].tolist()}))


if __name__ == "__main__":
    main()
