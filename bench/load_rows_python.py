"""Peer of bench/load-rows.bench.mjs: the same CSV read by Python's csv module into one dict per
row, as loadMeasurements reads it into one object per row: numbers converted and checked, texts
shared through a dict, columns outside the schema kept in an `extra` dict, defaults filled in.
Prints JSON: rows, wall seconds of the read, peak resident set (MB), and the resident set the
rows keep (MB, after a collection, from just before the read)."""
import csv
import gc
import json
import resource
import sys
import time

FIELDS = {"model": "model", "n_in": "nIn", "n_out": "nOut", "energy_j": "energyJ", "batch_size": "batchSize",
          "gpu": "gpu", "engine": "engine", "kv_cache": "kvCache", "latency_s": "latencyS", "repeats": "repeats", "notes": "notes"}
INTS = {"nIn", "nOut", "batchSize", "repeats"}
FLOATS = {"energyJ", "latencyS"}


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def read(path):
    shared = {}
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        fields = [FIELDS.get(h) for h in header]
        for line, record in enumerate(reader, start=2):
            row = {}
            extra = {}
            for name, field, raw in zip(header, fields, record):
                if field is None:
                    extra[name] = shared.setdefault(raw, raw)
                    continue
                t = raw.strip()
                if t == "":
                    continue
                if field in INTS:
                    v = int(t)
                    if v < 1:
                        raise ValueError(f"line {line}: {name}")
                    row[field] = v
                elif field in FLOATS:
                    v = float(t)
                    if not (v == v) or v < 0:
                        raise ValueError(f"line {line}: {name}")
                    row[field] = v
                elif field == "kvCache":
                    row[field] = t.lower() in ("on", "true", "yes", "1")
                else:
                    row[field] = shared.setdefault(t, t)
            row.setdefault("batchSize", 1)
            row.setdefault("kvCache", True)
            row["line"] = line
            row["extra"] = extra
            rows.append(row)
    return rows


gc.collect()
before = rss_mb()
t0 = time.perf_counter()
rows = read(sys.argv[1])
wall = time.perf_counter() - t0
gc.collect()
print(json.dumps({"n": len(rows), "wallS": wall, "peakMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "retainedMb": rss_mb() - before}))
