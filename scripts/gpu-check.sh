#!/usr/bin/env bash
# Real-GPU check of sweetspot's NVML measurement (see docs/measuring.md, "Checking on a real GPU").
#
# Made for one H100 on a bare machine (python3 with torch, no Node, no network). First, on a machine
# with Node: bash scripts/gpu-check-pack.sh (builds and packs Node, dist and koffi into .gpucheck/);
# then, on the GPU machine, in a copy of the repository holding .gpucheck/: bash scripts/gpu-check.sh.
# Anywhere with a GPU, Node and a build: bash scripts/gpu-check.sh [--gpu 0] [--seconds 10].
#
# Two independent checks, each: the energy counter is read and moves; a busy window (a bf16 matrix
# product through torch, else cupy) reads far more energy (> 3x) than an idle one of the same length;
# the counter and integrated instantaneous power agree within 5 %.
#  1. python: scripts/gpu_check.py — ctypes straight onto libnvidia-ml; needs nothing else.
#  2. node:   scripts/gpu-check.mjs — the library's own path: dist/nvml through koffi. Node comes from
#     PATH, else .gpucheck/node.xz (unpacked to /tmp with python3's lzma); dist and koffi from
#     .gpucheck/pkg when packed, else ./dist and ./node_modules.
# Evidence goes to $OUT when it is set, else ./gpu-check-out: gpu-check.txt (this
# log), gpu-check-python.json, gpu-check-node.json. The last line is "RESULT: PASS" only when both
# checks ran and passed; exit status 0 then, 1 otherwise.
set -u
export PYTHONUNBUFFERED=1  # keep python's lines in order with the rest of the log
cd "$(dirname "$0")/.."
OUT_DIR="${OUT:-$PWD/gpu-check-out}"
mkdir -p "$OUT_DIR"
LOG="$OUT_DIR/gpu-check.txt"
GPU=0
SECONDS_PER_WINDOW=10
while [ $# -gt 0 ]; do
  case "$1" in
    --gpu) GPU="$2"; shift 2 ;;
    --seconds) SECONDS_PER_WINDOW="$2"; shift 2 ;;
    *) echo "gpu-check.sh: unknown argument '$1' (use --gpu N, --seconds S)" >&2; exit 2 ;;
  esac
done

find_node() {
  if command -v node >/dev/null 2>&1; then command -v node; return; fi
  if [ -f .gpucheck/node.xz ] && [ -n "$PYTHON" ]; then
    "$PYTHON" -c 'import lzma, shutil, sys, os
with lzma.open(sys.argv[1]) as src, open(sys.argv[2], "wb") as dst: shutil.copyfileobj(src, dst)
os.chmod(sys.argv[2], 0o755)' .gpucheck/node.xz /tmp/sweetspot-node && echo /tmp/sweetspot-node
  fi
}

main() {
  echo "== sweetspot gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ) gpu=$GPU seconds=$SECONDS_PER_WINDOW"
  uname -a
  nvidia-smi --query-gpu=index,name,driver_version,power.draw,memory.total --format=csv 2>&1 || echo "nvidia-smi: not available"
  PYTHON="$(command -v python3 || true)"
  local py_result=SKIP node_result=SKIP

  echo "== 1. python ctypes check (scripts/gpu_check.py)"
  if [ -n "$PYTHON" ]; then
    echo "python: $PYTHON ($("$PYTHON" --version 2>&1)); torch: $("$PYTHON" -c 'import torch; print(torch.__version__, "cuda", torch.cuda.is_available())' 2>&1 | tail -1)"
    if timeout 120 "$PYTHON" scripts/gpu_check.py --out "$OUT_DIR" --gpu "$GPU" --seconds "$SECONDS_PER_WINDOW"; then py_result=PASS; else py_result="FAIL (exit $?)"; fi
  else
    echo "no python3 on PATH"
  fi

  echo "== 2. node check (dist/nvml through koffi: scripts/gpu-check.mjs)"
  local node dist=dist
  [ -f .gpucheck/pkg/dist/nvml/index.js ] && dist=.gpucheck/pkg/dist
  node="$(find_node)"
  if [ -z "$node" ]; then
    echo "no node: none on PATH and no .gpucheck/node.xz (run bash scripts/gpu-check-pack.sh here and carry .gpucheck)"
  elif [ ! -f "$dist/nvml/index.js" ]; then
    echo "no build: $dist/nvml/index.js is missing (run bash scripts/gpu-check-pack.sh, or npx tsup)"
  else
    echo "node: $node ($("$node" --version 2>&1)); build: $dist"
    if timeout 120 "$node" scripts/gpu-check.mjs --dist "$dist" --out "$OUT_DIR" --python "${PYTHON:-python3}" --gpu "$GPU" --seconds "$SECONDS_PER_WINDOW"; then
      node_result=PASS
    else
      node_result="FAIL (exit $?)"
    fi
  fi

  echo "== summary"
  echo "python check: $py_result"
  echo "node check:   $node_result"
  echo "evidence:     $OUT_DIR ($(cd "$OUT_DIR" && ls | tr '\n' ' '))"
  if [ "$py_result" = PASS ] && [ "$node_result" = PASS ]; then echo "RESULT: PASS"; return 0; fi
  echo "RESULT: FAIL"
  return 1
}

main 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
