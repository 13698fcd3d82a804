#!/usr/bin/env bash
# Real-GPU check of sweetspot's NVML measurement (see docs/measuring.md, "Checking on a real GPU").
#
# Run from the repository root on a machine with an NVIDIA GPU (made for one H100):
#   bash scripts/gpu-check.sh [--gpu 0] [--seconds 5]
# Results go to $OUT (the device tool's output folder) or ./gpu-check-out: gpu-check.txt (this
# log), gpu-check-python.json, gpu-check-node.json.
#
# Two independent checks, each: the energy counter is read and moves; a busy window (a large
# matrix product through torch, else cupy, else numpy on the CPU) reads far more energy than an
# idle one of the same length; the counter and integrated instantaneous power agree within 5 %.
#  1. scripts/gpu_check.py — Python ctypes straight onto libnvidia-ml; needs nothing else.
#  2. scripts/gpu-check.mjs — the library's own path: dist/nvml (built with npx tsup), koffi.
#     Node is looked for on PATH, then as a carried binary .node/bin/node, then as a carried
#     tarball .node/node.tar.xz (node-v20.x-linux-x64.tar.xz renamed; ~25 MB, fits a carry),
#     which is unpacked to /tmp. It needs dist/, node_modules/koffi, node_modules/@koromix
#     (koffi's prebuilt binary) and node_modules/zod. Without Node this part is skipped and says so.
set -u
cd "$(dirname "$0")/.."
OUT_DIR="${OUT:-$PWD/gpu-check-out}"
mkdir -p "$OUT_DIR"
LOG="$OUT_DIR/gpu-check.txt"
: >"$LOG"
exec > >(tee -a "$LOG") 2>&1

echo "== sweetspot gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ)"
uname -a
nvidia-smi --query-gpu=index,name,driver_version,power.draw,memory.total --format=csv 2>&1 || echo "nvidia-smi: not available"

PYTHON="$(command -v python3 || true)"
status=0

echo "== 1. python ctypes check"
if [ -n "$PYTHON" ]; then
  echo "python: $PYTHON ($("$PYTHON" --version 2>&1))"
  timeout 300 "$PYTHON" scripts/gpu_check.py --out "$OUT_DIR" "$@" || status=1
else
  echo "SKIP: no python3"
  status=1
fi

echo "== 2. node check (dist/nvml through koffi)"
NODE="$(command -v node || true)"
if [ -z "$NODE" ] && [ -x .node/bin/node ]; then NODE="$PWD/.node/bin/node"; fi
if [ -z "$NODE" ] && [ -f .node/node.tar.xz ]; then
  mkdir -p /tmp/sweetspot-node && tar -xJf .node/node.tar.xz -C /tmp/sweetspot-node --strip-components=1 \
    && NODE=/tmp/sweetspot-node/bin/node
fi
if [ -z "$NODE" ]; then
  echo "SKIP: no node (carry .node/bin/node or .node/node.tar.xz to run this part)"
elif [ ! -f dist/nvml/index.js ] || [ ! -d node_modules/koffi ]; then
  echo "SKIP: dist/nvml or node_modules/koffi missing (build with npx tsup and carry dist, node_modules/koffi, node_modules/@koromix, node_modules/zod)"
else
  echo "node: $NODE ($("$NODE" --version))"
  timeout 300 "$NODE" scripts/gpu-check.mjs --out "$OUT_DIR" --python "${PYTHON:-python3}" "$@" || status=1
fi

echo "== done: $([ $status -eq 0 ] && echo 'all run checks passed' || echo 'some check failed or was skipped') (log: $LOG)"
exit $status
