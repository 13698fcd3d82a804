#!/usr/bin/env python3
"""Writes test/golden/scipy-sweetspot.json: scipy's fits of the SweetSpot form to the Wilkins A100
sweeps, which test/fit/scipy.test.ts compares the library's NNLS with.

The tests need only Node, so scipy's answers are committed here instead of computed at test time.
Rerun with `npm run golden` (python3 with numpy and scipy) whenever the data, the selection below or
bench/fit_scipy.py changes; the test refuses a golden file whose recorded input no longer matches.

The rows are selected here, in Python, independently of the library's CSV reader and filters: the
test checks that its own selection gives exactly these rows, so both sides fit the same problem.
The solvers are bench/fit_scipy.py's (the same code the bench runs live).
"""
import csv
import hashlib
import json
import os
import platform
import re
import sys

import numpy
import scipy

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from fit_scipy import sweetspot  # noqa: E402  (bench/ is not a package)

DATA = "data/wilkins_a100_1d_sweeps.csv"
OUT = "test/golden/scipy-sweetspot.json"
SYSTEMS = ["argonne-swing", "Palmetto Intel+A100"]
MODELS = ["meta-llama/Llama-2-7b-chat-hf", "mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]
# Cold starts and outputs past the model's context are flagged in `notes` (data/README.md).
EXCLUDE_NOTES = "iteration 0|exceeds"


def pinned_for(model):
    # Llama-2's two sweeps cross at exactly one point, which confounds theta2 (docs/fitting.md).
    return {"theta2": 0} if model.startswith("meta-llama") else {}


def number(text):
    value = float(text)
    return int(value) if value.is_integer() and re.fullmatch(r"[+-]?\d+", text.strip()) else value


def compact_number_lists(text):
    # One row (or one theta) per line keeps the file short and its diffs readable.
    return re.sub(r"\[\s*([-+0-9.eE,\s]+?)\s*\]", lambda m: "[" + re.sub(r"\s+", "", m.group(1)).replace(",", ", ") + "]", text)


def main():
    path = os.path.join(ROOT, DATA)
    with open(path, "rb") as f:
        raw = f.read()
    table = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    exclude = re.compile(EXCLUDE_NOTES)
    cases = []
    for system in SYSTEMS:
        for model in MODELS:
            rows = [
                [number(r["n_in"]), number(r["n_out"]), number(r["energy_j"])]
                for r in table
                if r["system"].strip() == system and r["model"].strip() == model and not exclude.search(r["notes"])
            ]
            pinned = pinned_for(model)
            fit = sweetspot({"problem": "sweetspot", "rows": rows, "pinned": pinned, "repeats": 1})
            cases.append({
                "system": system,
                "model": model,
                "pinned": pinned,
                "rows": rows,
                # Timings are the bench's business; the golden file keeps only what is reproducible.
                "nnls": {k: fit["nnls"][k] for k in ("theta", "objective")},
                "bvls": {k: fit["bvls"][k] for k in ("theta", "objective")},
            })
    golden = {
        "madeBy": "scripts/golden/make-scipy-golden.py (npm run golden)",
        "solver": "bench/fit_scipy.py: scipy.optimize.nnls and lsq_linear(method='bvls') on the whitened basis",
        "versions": {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__},
        "input": {"path": DATA, "sha256": hashlib.sha256(raw).hexdigest(), "excludeNotes": EXCLUDE_NOTES},
        "cases": cases,
    }
    out = os.path.join(ROOT, OUT)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(compact_number_lists(json.dumps(golden, indent=1)) + "\n")
    print(f"wrote {OUT}: {len(cases)} cases, {sum(len(c['rows']) for c in cases)} rows, "
          f"numpy {numpy.__version__}, scipy {scipy.__version__}")


if __name__ == "__main__":
    main()
