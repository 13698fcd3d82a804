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


def energy_scalar(i, o, p):
    # docs/complexity.md, KV-cache regime, batch 1, every layer global: decode contexts c = i+1 … i+o−1.
    steps = o - 1
    keys = steps * i + steps * (steps + 1) / 2
    pf = p["lin"] * i + p["head"] + p["coef"] * i * (i + 1) / 2
    pb = p["wb"] + p["kv"] * i
    df = (p["lin"] + p["head"]) * steps + p["coef"] * keys
    db = steps * p["wb"] + p["kv"] * keys
    t = max(pf / p["rc"], pb / p["rm"]) + max(df / p["rc"], db / p["rm"])
    return p["eFlop"] * (pf + df) + p["eByte"] * (pb + db) + p["staticPowerW"] * t + p["eStep"] * o


def energy_numpy(i, o, p):
    steps = o - 1
    keys = steps * i + steps * (steps + 1) / 2
    pf = p["lin"] * i + p["head"] + p["coef"] * i * (i + 1) / 2
    pb = p["wb"] + p["kv"] * i
    df = (p["lin"] + p["head"]) * steps + p["coef"] * keys
    db = steps * p["wb"] + p["kv"] * keys
    t = np.maximum(pf / p["rc"], pb / p["rm"]) + np.maximum(df / p["rc"], db / p["rm"])
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
    scalar_s, _ = best_of(lambda: [energy_scalar(i, o, p) for i, o in pairs], prob["repeats"])
    i = np.asarray(n_in, dtype=np.float64)
    o = np.asarray(n_out, dtype=np.float64)
    numpy_s, e = best_of(lambda: energy_numpy(i, o, p), prob["repeats"])
    print(json.dumps({"scalarNs": scalar_s / n * 1e9, "numpyNs": numpy_s / n * 1e9, "energyJ": e[: prob["check"]].tolist()}))


if __name__ == "__main__":
    main()
