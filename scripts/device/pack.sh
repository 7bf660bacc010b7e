#!/usr/bin/env bash
# Packs the device kit, .devkit/ (git-ignored), for a lent GPU machine that has python3 with PyTorch + CUDA but no
# Node, no network (docs/gpu.md, "On a lent GPU machine"). Run here, from anywhere in the repo:
#   scripts/device/pack.sh            (builds first: node scripts/build.mjs; GG_NO_BUILD=1 skips it)
# .devkit/ then holds:
#   node.xz                this machine's node binary (x86-64), xz -T2 -9
#   kit.tar.xz             package.json, dist/src, dist/bench, build/*.wasm and node_modules/webgpu (its JS,
#                          package.json and dist/linux-x64/dawn.node only): the benches run from it unpacked,
#                          nothing is compiled there
#   libvulkan1_*_amd64.deb the Vulkan loader (Debian's), dpkg -x'ed to / there when the machine has none
#   MANIFEST.txt           commit, node version, sizes, sha256s
# The kit travels with `carry: [".devkit"]`; scripts/device/run.sh unpacks and runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
kit=$root/.devkit
node_bin=${DEVKIT_NODE:-/usr/bin/node}
[ "$(uname -m)" = x86_64 ] || { echo "pack.sh: this machine is $(uname -m); the device is x86-64: pack on x86-64" >&2; exit 1; }
[ -x "$node_bin" ] || { echo "pack.sh: no node at $node_bin (DEVKIT_NODE=...)" >&2; exit 1; }
webgpu=$(cd node_modules/webgpu && pwd -P)
[ -f "$webgpu/dist/linux-x64/dawn.node" ] || { echo "pack.sh: node_modules/webgpu/dist/linux-x64/dawn.node missing" >&2; exit 1; }

if [ -z "${GG_NO_BUILD:-}" ]; then node scripts/build.mjs; fi
[ -f dist/bench/gpu/webgpu-step.bench.js ] || { echo "pack.sh: dist/ is not built (node scripts/build.mjs)" >&2; exit 1; }

mkdir -p "$kit"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# node: recompress only when the binary changed (xz -9 of ~95 MB takes a minute or two)
node_sum=$(sha256sum "$node_bin" | cut -d' ' -f1)
if [ ! -f "$kit/node.xz" ] || [ "$(cat "$kit/node.sha256" 2>/dev/null)" != "$node_sum" ]; then
  echo "pack.sh: compressing $node_bin ($("$node_bin" --version)) ..."
  xz -T2 -9 -c "$node_bin" >"$kit/node.xz.tmp" && mv "$kit/node.xz.tmp" "$kit/node.xz"
  echo "$node_sum" >"$kit/node.sha256"
fi

# the JS payload
mkdir -p "$stage/kit/dist" "$stage/kit/node_modules/webgpu/dist/linux-x64"
cp package.json "$stage/kit/"
cp -r dist/src dist/bench "$stage/kit/dist/"
cp -r build "$stage/kit/build"
for f in index.js package.json types.d.ts LICENSE.md; do [ -f "$webgpu/$f" ] && cp "$webgpu/$f" "$stage/kit/node_modules/webgpu/"; done
cp "$webgpu/dist/linux-x64/dawn.node" "$stage/kit/node_modules/webgpu/dist/linux-x64/"
find "$stage/kit/dist" -name '*.map' -delete
git rev-parse HEAD >"$stage/kit/COMMIT" 2>/dev/null || echo unknown >"$stage/kit/COMMIT"
tar -C "$stage/kit" -cf - . | xz -T2 -9 >"$kit/kit.tar.xz"

# the Vulkan loader (amd64, whatever this machine's architecture: docs' recipe)
if ! ls "$kit"/libvulkan1_*_amd64.deb >/dev/null 2>&1; then
  mkdir -p /tmp/devkit-apt/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/devkit-apt'
  # shellcheck disable=SC2086
  apt-get $o update -qq
  # shellcheck disable=SC2086
  (cd "$kit" && apt-get $o download libvulkan1)
fi

{
  echo "commit $(cat "$stage/kit/COMMIT")$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "packed $(date -u +%FT%TZ) on $(uname -m)"
  echo "node $("$node_bin" --version)"
  (cd "$kit" && ls -l node.xz kit.tar.xz libvulkan1_*_amd64.deb && sha256sum node.xz kit.tar.xz libvulkan1_*_amd64.deb)
} >"$kit/MANIFEST.txt"
cat "$kit/MANIFEST.txt"
du -sh "$kit"
echo "pack.sh: tracked files $(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1) bytes; kit $(du -sb "$kit" | cut -f1) bytes (the limit for both together: 64 MiB)"
