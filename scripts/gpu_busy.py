#!/usr/bin/env python3
"""GPU load for scripts/gpu-check: keeps one process (and its CUDA context) alive so idle and busy
windows differ only in the work done.

Protocol on stdin/stdout, one line each:
  prints  "READY <backend>"    after the backend is set up and warmed up
  reads   "RUN <seconds>"      multiplies large matrices for that long, then prints "DONE <products>"
  reads   "QUIT"               exits
Backends, first that works: torch (CUDA, bf16 8192^3), cupy (CUDA, fp32 8192^3), numpy (CPU only:
the GPU then stays idle and the busy-versus-idle check is expected to fail; it says so).
"""
import sys
import time


def make_backend():
    try:
        import torch

        if torch.cuda.is_available():
            a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
            b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)

            def step():
                torch.matmul(a, b)

            def sync():
                torch.cuda.synchronize()

            return "torch-cuda-bf16", step, sync
    except Exception as error:  # a broken torch install must not stop the check
        print(f"# torch unusable: {error}", file=sys.stderr)
    try:
        import cupy

        a = cupy.random.rand(8192, 8192, dtype=cupy.float32)
        b = cupy.random.rand(8192, 8192, dtype=cupy.float32)

        def step():
            cupy.matmul(a, b)

        def sync():
            cupy.cuda.Device().synchronize()

        return "cupy-cuda-fp32", step, sync
    except Exception as error:
        print(f"# cupy unusable: {error}", file=sys.stderr)
    import numpy

    a = numpy.random.rand(1024, 1024)
    b = numpy.random.rand(1024, 1024)
    return "numpy-cpu (GPU stays idle)", (lambda: numpy.matmul(a, b)), (lambda: None)


def main():
    name, step, sync = make_backend()
    for _ in range(3):
        step()
    sync()
    print(f"READY {name}", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "QUIT":
            break
        if words[0] == "RUN":
            seconds = float(words[1])
            products = 0
            end = time.perf_counter() + seconds
            # Queue work in small batches and sync each time, so the load stops close to `seconds`.
            while time.perf_counter() < end:
                for _ in range(8):
                    step()
                products += 8
                sync()
            print(f"DONE {products}", flush=True)


if __name__ == "__main__":
    main()
