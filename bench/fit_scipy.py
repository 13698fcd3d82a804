#!/usr/bin/env python3
"""Reference fits with scipy, independent of sweetspot's code: reads one problem as JSON on stdin,
writes the result as JSON on stdout. Used by bench/fit.bench.mjs and test/fit/scipy.test.ts.

Problems:
  {"problem": "sweetspot", "rows": [[n_in, n_out, energy_j], ...], "pinned": {"theta2": 0}, "repeats": 20}
      E = t1*i^2 + t2*i + t3*i*o + t4*o^2 + t5*o + t6, t >= 0, minimising sum(((E - m)/m)^2).
      Solved by scipy.optimize.nnls and by lsq_linear(method="bvls") on the whitened basis.
  {"problem": "hardware", "x": [[prefillFlops, prefillBytes, decodeFlops, decodeBytes, decodeSteps], ...],
   "energy_j": [...], "peak_flops": P, "bandwidth": B, "lower": [...], "upper": [...], "starts": [[...], ...]}
      E = eFlop*F + eByte*Bytes + Ps*T + eStep*(steps+1), T = sum_phase max(F_p/(etaC*P), B_p/(etaM*B)),
      theta = [eFlop, eByte, Ps, etaC, etaM, eStep]; least_squares (trf and dogbox) from every start
      (pinned parameters have lower == upper and are held out of the solve).
Objective is always sum of squared relative residuals (scipy's own "cost" is half of it).
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import least_squares, lsq_linear, nnls

NAMES = ["theta1", "theta2", "theta3", "theta4", "theta5", "theta6"]


def timed(fn, repeats):
    best = None
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return out, best


def sweetspot(p):
    rows = np.asarray(p["rows"], dtype=float)
    i, o, m = rows[:, 0], rows[:, 1], rows[:, 2]
    basis = np.column_stack([i * i, i, i * o, o * o, o, np.ones_like(i)])
    pinned = p.get("pinned", {})
    free = [k for k, n in enumerate(NAMES) if n not in pinned]
    a_all = basis / m[:, None]
    rhs = np.ones_like(m)
    for k, n in enumerate(NAMES):
        if n in pinned:
            rhs = rhs - pinned[n] * a_all[:, k]
    a = a_all[:, free]
    # Column scaling does not change a non-negative solution; it only helps the solvers' tolerances.
    scale = np.linalg.norm(a, axis=0)
    a_s = a / scale
    reps = int(p.get("repeats", 1))

    def full(x_free):
        x = np.zeros(6)
        for k, n in enumerate(NAMES):
            if n in pinned:
                x[k] = pinned[n]
        x[free] = x_free
        return x

    def objective(x):
        r = a_all @ x - 1.0
        return float(r @ r)

    (x1, _), t1 = timed(lambda: nnls(a_s, rhs, maxiter=1000), reps)
    x1 = full(x1 / scale)
    res2, t2 = timed(lambda: lsq_linear(a_s, rhs, bounds=(0, np.inf), method="bvls", tol=1e-15), reps)
    x2 = full(res2.x / scale)
    return {
        "nnls": {"theta": x1.tolist(), "objective": objective(x1), "time_s": t1},
        "bvls": {"theta": x2.tolist(), "objective": objective(x2), "time_s": t2},
    }


def hardware(p):
    x = np.asarray(p["x"], dtype=float)
    m = np.asarray(p["energy_j"], dtype=float)
    pf, pb, df, db, steps = x.T
    peak, bw = p["peak_flops"], p["bandwidth"]
    lower = np.asarray(p["lower"], dtype=float)
    # JSON has no infinity: an unbounded parameter comes as null.
    upper = np.asarray([np.inf if u is None else u for u in p["upper"]], dtype=float)
    free = np.where(lower < upper)[0]

    def energy(t):
        rc, rm = t[3] * peak, t[4] * bw
        time_s = np.maximum(pf / rc, pb / rm) + np.maximum(df / rc, db / rm)
        return t[0] * (pf + df) + t[1] * (pb + db) + t[2] * time_s + t[5] * (steps + 1)

    def solve(start, method):
        base = np.asarray(start, dtype=float).copy()

        def resid(z):
            t = base.copy()
            t[free] = z
            return energy(t) / m - 1.0

        # x_scale="jac" is scipy's per-parameter scaling (J/FLOP and W differ by 14 orders).
        r = least_squares(resid, base[free], bounds=(lower[free], upper[free]), method=method, x_scale="jac",
                          ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=20000)
        t = base.copy()
        t[free] = r.x
        return t, float(2 * r.cost), r.nfev, r.status

    reps = int(p.get("repeats", 1))

    out = {}
    for method in ("trf", "dogbox"):
        def all_starts():
            results = [solve(s, method) for s in p["starts"]]
            return min(results, key=lambda q: q[1]), results

        (best, results), dt = timed(all_starts, reps)
        out[method] = {"theta": best[0].tolist(), "objective": best[1], "time_s": dt,
                       "nfev": sum(q[2] for q in results), "status": [q[3] for q in results]}
    return out


def main():
    p = json.load(sys.stdin)
    out = sweetspot(p) if p["problem"] == "sweetspot" else hardware(p)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
