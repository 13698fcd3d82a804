#!/usr/bin/env python3
"""NVML energy check on a real GPU with nothing but Python's ctypes (no Node needed).

Checks: the total-energy counter can be read; a busy window (scripts/gpu_busy.py) reads far more
energy than an idle window of the same length; the counter and integrated instantaneous power
agree within a few percent. Also estimates how often the counter updates. Writes a JSON report.

Usage: python3 scripts/gpu_check.py [--gpu 0] [--seconds 5] [--out DIR] [--lib PATH]
Exit status: 0 when every check passes, 1 when one fails, 2 when NVML cannot be used.
"""
import argparse
import ctypes
import json
import os
import subprocess
import sys
import threading
import time

FIELD_POWER_INSTANT = 186
NOT_SUPPORTED = 3
CANDIDATES = [
    "libnvidia-ml.so.1",
    "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1",
    "/usr/lib64/libnvidia-ml.so.1",
    "/usr/local/nvidia/lib64/libnvidia-ml.so.1",
    "/usr/lib/wsl/lib/libnvidia-ml.so.1",
]


class FieldValue(ctypes.Structure):
    # nvmlFieldValue_t: the value union is read as raw 8 bytes and decoded by valueType.
    _fields_ = [
        ("fieldId", ctypes.c_uint),
        ("scopeId", ctypes.c_uint),
        ("timestamp", ctypes.c_longlong),
        ("latencyUsec", ctypes.c_longlong),
        ("valueType", ctypes.c_int),
        ("nvmlReturn", ctypes.c_int),
        ("value", ctypes.c_ubyte * 8),
    ]


class Nvml:
    def __init__(self, path=None):
        tried = []
        env = os.environ.get("SWEETSPOT_NVML_LIB")
        for candidate in [path] if path else ([env] if env else CANDIDATES):
            try:
                self.lib = ctypes.CDLL(candidate)
                self.path = candidate
                break
            except OSError as error:
                tried.append(f"{candidate}: {error}")
        else:
            raise SystemExit("cannot load libnvidia-ml.so.1; tried " + "; ".join(tried))
        self.lib.nvmlErrorString.restype = ctypes.c_char_p
        self.check("nvmlInit_v2", self.lib.nvmlInit_v2())

    def check(self, call, rc):
        if rc != 0:
            raise RuntimeError(f"{call} failed: {self.lib.nvmlErrorString(rc).decode()} (NVML return code {rc})")

    def handle(self, index):
        handle = ctypes.c_void_p()
        self.check("nvmlDeviceGetHandleByIndex_v2", self.lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(index), ctypes.byref(handle)))
        return handle

    def name(self, handle):
        buffer = ctypes.create_string_buffer(96)
        self.check("nvmlDeviceGetName", self.lib.nvmlDeviceGetName(handle, buffer, ctypes.c_uint(96)))
        return buffer.value.decode()

    def architecture(self, handle):
        arch = ctypes.c_uint()
        rc = self.lib.nvmlDeviceGetArchitecture(handle, ctypes.byref(arch))
        return arch.value if rc == 0 else None

    def energy_mj(self, handle):
        energy = ctypes.c_ulonglong()
        rc = self.lib.nvmlDeviceGetTotalEnergyConsumption(handle, ctypes.byref(energy))
        if rc == NOT_SUPPORTED:
            return None
        self.check("nvmlDeviceGetTotalEnergyConsumption", rc)
        return energy.value

    def power_w(self, handle):
        """Instantaneous power where the driver has the field, else the power-usage reading."""
        field = FieldValue(fieldId=FIELD_POWER_INSTANT)
        rc = self.lib.nvmlDeviceGetFieldValues(handle, ctypes.c_int(1), ctypes.byref(field))
        if rc == 0 and field.nvmlReturn == 0 and field.valueType == 1:
            return int.from_bytes(bytes(field.value[:4]), "little") / 1000.0, "field-instant"
        power = ctypes.c_uint()
        self.check("nvmlDeviceGetPowerUsage", self.lib.nvmlDeviceGetPowerUsage(handle, ctypes.byref(power)))
        return power.value / 1000.0, "power-usage"


class Sampler(threading.Thread):
    """Reads power every period_s into (t, W) pairs until stopped."""

    def __init__(self, nvml, handle, period_s):
        super().__init__(daemon=True)
        self.nvml, self.handle, self.period_s = nvml, handle, period_s
        self.samples, self.stop_flag = [], threading.Event()

    def run(self):
        while not self.stop_flag.is_set():
            self.samples.append((time.perf_counter(), self.nvml.power_w(self.handle)[0]))
            time.sleep(self.period_s)


def trapezoid(points):
    return sum((points[i][0] - points[i - 1][0]) * (points[i][1] + points[i - 1][1]) / 2 for i in range(1, len(points)))


def window(nvml, handle, sampler, work):
    """Runs work() inside a window; returns counter and integrated-power energies (J)."""
    t0, e0, (p0, _) = time.perf_counter(), nvml.energy_mj(handle), nvml.power_w(handle)
    work()
    t1, e1, (p1, _) = time.perf_counter(), nvml.energy_mj(handle), nvml.power_w(handle)
    inside = [s for s in list(sampler.samples) if t0 < s[0] < t1]
    integrated = trapezoid([(t0, p0)] + inside + [(t1, p1)])
    counter = None if e0 is None else (e1 - e0) / 1000.0
    return {"duration_s": t1 - t0, "counter_j": counter, "integrated_j": integrated, "samples": len(inside) + 2}


def counter_update_period_s(nvml, handle, seconds=2.0):
    """Median time between changes of the energy counter, polled as fast as ctypes allows."""
    changes, last, end = [], nvml.energy_mj(handle), time.perf_counter() + seconds
    while time.perf_counter() < end:
        value = nvml.energy_mj(handle)
        if value != last:
            changes.append(time.perf_counter())
            last = value
    gaps = sorted(b - a for a, b in zip(changes, changes[1:]))
    return gaps[len(gaps) // 2] if gaps else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpu", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--sample-ms", type=float, default=20.0)
    parser.add_argument("--out", default=os.environ.get("OUT", "gpu-check-out"))
    parser.add_argument("--lib", default=None)
    parser.add_argument("--probe-s", type=float, default=2.0, help="how long to poll for the counter update period")
    parser.add_argument("--tolerance", type=float, default=0.05, help="allowed counter/integration disagreement")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    try:
        nvml = Nvml(args.lib)
    except (RuntimeError, SystemExit) as error:
        print(f"FAIL nvml: {error}")
        return 2
    handle = nvml.handle(args.gpu)
    report = {"library": nvml.path, "gpu": args.gpu, "name": nvml.name(handle), "architecture_id": nvml.architecture(handle)}
    report["power_source"] = nvml.power_w(handle)[1]
    report["energy_counter_mj"] = first = nvml.energy_mj(handle)
    report["counter_supported"] = first is not None
    if first is not None:
        report["counter_update_period_s"] = counter_update_period_s(nvml, handle, args.probe_s)

    here = os.path.dirname(os.path.abspath(__file__))
    busy = subprocess.Popen([sys.executable, os.path.join(here, "gpu_busy.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ready = busy.stdout.readline().split(maxsplit=1)
    load_started = len(ready) > 1 and ready[0] == "READY"
    report["load_backend"] = ready[1].strip() if load_started else "none: scripts/gpu_busy.py did not start (its error is above)"
    sampler = Sampler(nvml, handle, args.sample_ms / 1000.0)
    sampler.start()
    report["idle"] = window(nvml, handle, sampler, lambda: time.sleep(args.seconds))
    done = []

    def run_load():
        # A load that died must not kill the check (BrokenPipeError): the window then stays idle.
        if not load_started:
            time.sleep(args.seconds)
            return
        try:
            busy.stdin.write(f"RUN {args.seconds}\n")
            busy.stdin.flush()
            done.append(busy.stdout.readline().strip())
        except OSError as error:
            done.append(f"load failed: {error}")

    report["busy"] = window(nvml, handle, sampler, run_load)
    report["load_result"] = done[0] if done else "not run"
    sampler.stop_flag.set()
    try:
        busy.stdin.write("QUIT\n")
        busy.stdin.flush()
    except OSError:
        pass
    busy.wait(timeout=60)

    checks = {}
    # The busy window means something only if a GPU backend ran its matrix products.
    checks["gpu_load_ran"] = bool(load_started and "cuda" in report["load_backend"] and report["load_result"].startswith("DONE"))
    checks["counter_read"] = report["counter_supported"]
    checks["counter_moved"] = bool(report["counter_supported"] and report["idle"]["counter_j"] > 0 and report["busy"]["counter_j"] > 0)
    key = "counter_j" if report["counter_supported"] else "integrated_j"
    idle_j, busy_j = report["idle"][key], report["busy"][key]
    # "Far more": an H100 idles near 70 W and draws several hundred watts under a bf16 matmul.
    checks["busy_far_above_idle"] = bool(idle_j is not None and busy_j > 3 * idle_j)
    for name in ("idle", "busy"):
        w = report[name]
        if w["counter_j"]:
            w["relative_difference"] = abs(w["integrated_j"] - w["counter_j"]) / w["counter_j"]
    checks["counter_matches_integration"] = bool(report["busy"].get("relative_difference", 1.0) <= args.tolerance)
    report["checks"] = checks
    report["passed"] = all(checks.values())

    with open(os.path.join(args.out, "gpu-check-python.json"), "w") as f:
        json.dump(report, f, indent=2)
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'} {name}")
    print(json.dumps(report, indent=2))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
