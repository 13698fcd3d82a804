#!/usr/bin/env python3
"""Reference fits with scipy, independent of sweetspot's code: reads one problem as JSON on stdin,
writes the result as JSON on stdout. Used by bench/fit.bench.mjs and test/fit/scipy.test.ts.

Problems:
  {"problem": "sweetspot", "rows": [[n_in, n_out, energy_j], ...], "pinned": {"theta2": 0}, "repeats": 20}
      E = t1*i^2 + t2*i + t3*i*o + t4*o^2 + t5*o + t6, t >= 0, minimising sum(((E - m)/m)^2).
      Solved by scipy.optimize.nnls and by lsq_linear(method="bvls") on the whitened basis, and by
      the careful peer of a whole fit ("peer", see peer_fit): the same work sweetspot's fitForm does.
  {"problem": "hardware", "x": [[prefillFlops, prefillBytes, decodeFlops, decodeBytes, decodeSteps, scoreBytes?], ...],
   "energy_j": [...], "peak_flops": P, "bandwidth": B, "lower": [...], "upper": [...], "starts": [[...], ...]}
      E = eFlop*F + eByte*Bytes + Ps*T + eStep*(steps+1), T = sum_phase max(F_p/(etaC*P), B_p/(etaM*B)),
      plus, with a seventh parameter eScore and the rows' attention score bytes S (0 when absent),
      eScore*S + Ps*S/(etaM*B); theta = [eFlop, eByte, Ps, etaC, etaM, eStep(, eScore)]; least_squares (trf and dogbox) from every start,
      with the analytic Jacobian and the library's LM tolerances (pinned parameters have
      lower == upper and are held out of the solve).
  {"problem": "synthetic", "rows": N, "theta": [...], "noise": 0.04, "repeats": 3}
      N synthetic SweetSpot rows generated here as fit.bench.mjs generates them; the peer fit, timed.
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


def peer_fit(i, o, m, pinned, free):
    """A whole SweetSpot fit as a careful numpy/scipy engineer writes it, doing the work sweetspot's
    fitForm does: build and whiten the basis, scale its columns, solve by scipy nnls, check
    identifiability and the condition number on R of one QR (singular values of the p x p
    triangle, not of the rows), standard errors sigma*sqrt(diag((R_in^T R_in)^-1)) over the
    parameters off their bounds, predictions, relative residuals, MAPE, max APE and R^2."""
    basis = np.empty((i.size, 6))
    np.multiply(i, i, out=basis[:, 0])
    basis[:, 1] = i
    np.multiply(i, o, out=basis[:, 2])
    np.multiply(o, o, out=basis[:, 3])
    basis[:, 4] = o
    basis[:, 5] = 1.0
    basis /= m[:, None]
    rhs = np.ones_like(m)
    for k, n in enumerate(NAMES):
        if n in pinned:
            rhs -= pinned[n] * basis[:, k]
    a = basis[:, free]
    scale = np.linalg.norm(a, axis=0)
    a /= scale
    r = np.linalg.qr(a, mode="r")
    sv = np.linalg.svd(r, compute_uv=False)
    if sv[-1] <= 1e-9 * sv[0]:
        raise ValueError("undetermined parameters")
    x, _ = nnls(a, rhs, maxiter=1000)
    theta = np.zeros(6)
    for k, n in enumerate(NAMES):
        if n in pinned:
            theta[k] = pinned[n]
    theta[free] = x / scale
    resid = basis @ theta - 1.0
    objective = float(resid @ resid)
    inner = np.where(x > 0)[0]
    se = np.full(len(free), np.nan)
    if inner.size and i.size > inner.size:
        r_in = np.linalg.qr(a[:, inner], mode="r")
        cov = np.linalg.inv(r_in.T @ r_in) * objective / (i.size - inner.size)
        se[inner] = np.sqrt(np.diag(cov)) / scale[inner]
    pred = (resid + 1.0) * m
    ape = np.abs(resid)
    ss_tot = float(((m - m.mean()) ** 2).sum())
    errors = {"mape": float(100 * ape.mean()), "maxApe": float(100 * ape.max()),
              "r2": 1 - float(((pred - m) ** 2).sum()) / ss_tot if ss_tot > 0 else 1.0}
    return theta, objective, float(sv[0] / sv[-1]), se, errors


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
    out = {
        "nnls": {"theta": x1.tolist(), "objective": objective(x1), "time_s": t1},
        "bvls": {"theta": x2.tolist(), "objective": objective(x2), "time_s": t2},
    }
    if p.get("peer"):
        (theta, obj, cond, _, errors), t3 = timed(lambda: peer_fit(i, o, m, pinned, free), reps)
        out["peer"] = {"theta": theta.tolist(), "objective": obj, "condition": cond, "time_s": t3, "errors": errors}
    return out


def synthetic(p):
    """The SweetSpot form on synthetic rows made here (the same generator as fit.bench.mjs, so
    that no million-row JSON crosses the pipe): the careful peer of a whole fit, timed."""
    n = int(p["rows"])
    state = 1
    draws = np.empty(3 * n)
    # mulberry-free LCG, as the JavaScript side: s = s*1103515245 + 12345 mod 2^32, u = s/2^32.
    for k in range(3 * n):
        state = (state * 1103515245 + 12345) % 4294967296
        draws[k] = state / 4294967296
    u = draws.reshape(n, 3)
    i = 64 + np.floor(u[:, 0] * 4033)
    o = 64 + np.floor(u[:, 1] * 4033)
    t = np.asarray(p["theta"], dtype=float)
    m = (t[0] * i * i + t[1] * i + t[2] * i * o + t[3] * o * o + t[4] * o + t[5]) * (1 + p["noise"] * (u[:, 2] - 0.5))
    (theta, obj, cond, _, errors), dt = timed(lambda: peer_fit(i, o, m, {}, list(range(6))), int(p.get("repeats", 1)))
    return {"peer": {"theta": theta.tolist(), "objective": obj, "condition": cond, "time_s": dt, "errors": errors}}


def hardware(p):
    x = np.asarray(p["x"], dtype=float)
    m = np.asarray(p["energy_j"], dtype=float)
    pf, pb, df, db, steps = x.T[:5]
    score = x[:, 5] if x.shape[1] > 5 else np.zeros(len(m))
    peak, bw = p["peak_flops"], p["bandwidth"]
    lower = np.asarray(p["lower"], dtype=float)
    # JSON has no infinity: an unbounded parameter comes as null.
    upper = np.asarray([np.inf if u is None else u for u in p["upper"]], dtype=float)
    free = np.where(lower < upper)[0]
    with_score = len(lower) > 6

    def energy(t):
        rc, rm = t[3] * peak, t[4] * bw
        time_s = np.maximum(pf / rc, pb / rm) + np.maximum(df / rc, db / rm) + score / rm
        e = t[0] * (pf + df) + t[1] * (pb + db) + t[2] * time_s + t[5] * (steps + 1)
        return e + t[6] * score if with_score else e

    def jacobian(t):
        # The form's analytic gradient over m (docs/energy-models.md), the kink on the compute branch.
        rc, rm = t[3] * peak, t[4] * bw
        tcp, tmp, tcd, tmd = pf / rc, pb / rm, df / rc, db / rm
        cp, cd = tcp >= tmp, tcd >= tmd
        d_ec = -(np.where(cp, tcp, 0) + np.where(cd, tcd, 0)) / t[3]
        ts = score / rm
        d_em = -(np.where(cp, 0, tmp) + np.where(cd, 0, tmd) + ts) / t[4]
        cols = [pf + df, pb + db, np.maximum(tcp, tmp) + np.maximum(tcd, tmd) + ts, t[2] * d_ec, t[2] * d_em, steps + 1]
        if with_score:
            cols.append(score)
        return np.column_stack(cols) / m[:, None]

    tol = p.get("tolerances", {"ftol": 1e-12, "xtol": 1e-12, "gtol": 1e-10})

    def solve(start, method):
        base = np.asarray(start, dtype=float).copy()

        def resid(z):
            t = base.copy()
            t[free] = z
            return energy(t) / m - 1.0

        def jac(z):
            t = base.copy()
            t[free] = z
            return jacobian(t)[:, free]

        # x_scale="jac" is scipy's per-parameter scaling (J/FLOP and W differ by 14 orders); the
        # tolerances are the library's LM defaults (ftol 1e-12, xtol 1e-12, gtol 1e-10).
        r = least_squares(resid, base[free], jac=jac, bounds=(lower[free], upper[free]), method=method, x_scale="jac",
                          ftol=tol["ftol"], xtol=tol["xtol"], gtol=tol["gtol"], max_nfev=20000)
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
    out = {"sweetspot": sweetspot, "hardware": hardware, "synthetic": synthetic}[p["problem"]](p)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
