#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a bare GPU machine into .gpucheck/ (git-ignored), so that
# one folder carries it there. Run on an x86-64 Linux machine with Node and the project's
# node_modules; the GPU machine has python3 (with torch) but no Node and no network.
#
#   bash scripts/gpu-check-pack.sh
#
# .gpucheck/ then holds (about 40 MB):
#   node.xz                  this machine's node binary, xz-compressed (unpacked there with python3)
#   pkg/package.json         the project's (for "type": "module")
#   pkg/dist/                a fresh build (npx tsup)
#   pkg/node_modules/        koffi, its x64 prebuilt binary (@koromix/koffi-linux-x64), zod
# and then, on the GPU machine, in a copy of the repository holding .gpucheck/: bash scripts/gpu-check.sh.
# Evidence goes to $OUT (else ./gpu-check-out): gpu-check.txt, gpu-check-python.json, gpu-check-node.json.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "gpu-check-pack: needs x86-64 Linux (the GPU machine is x86-64); this is $(uname -s)-$(uname -m)" >&2; exit 2; }
NODE_BIN="$(readlink -f "$(command -v node)")"
for dep in koffi @koromix/koffi-linux-x64 zod; do
  [ -d "node_modules/$dep" ] || { echo "gpu-check-pack: node_modules/$dep is missing; run npm install first" >&2; exit 2; }
done

npx tsup --silent
rm -rf .gpucheck
mkdir -p .gpucheck/pkg/node_modules/@koromix
cp package.json .gpucheck/pkg/
cp -r dist .gpucheck/pkg/dist
find .gpucheck/pkg/dist -name '*.map' -delete
cp -r node_modules/koffi node_modules/zod .gpucheck/pkg/node_modules/
cp -r node_modules/@koromix/koffi-linux-x64 .gpucheck/pkg/node_modules/@koromix/
echo "compressing $NODE_BIN ($("$NODE_BIN" --version)) ..."
xz -T0 -6 -c "$NODE_BIN" >.gpucheck/node.xz
"$NODE_BIN" --version >.gpucheck/node.version
du -sh .gpucheck
echo "ready: run(command='bash scripts/gpu-check.sh', carry=['.gpucheck'], timeout_s=300)"
