#!/usr/bin/env bash
# Runs DEVKIT_LOCAL=1 scripts/device/run.sh the way the device would: in a copy of what travels (tracked and
# untracked-not-ignored files, plus the carried .devkit/), without node_modules, with the kit's own node and
# webgpu. Usage: scripts/device/local-test.sh   (OUT defaults to /tmp/devkit-out; SIM to /tmp/devkit-sim)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=${SIM:-/tmp/devkit-sim}
[ -f "$root/.devkit/kit.tar.xz" ] || { echo "local-test.sh: no .devkit/ (scripts/device/pack.sh)" >&2; exit 1; }
rm -rf "$sim"
mkdir -p "$sim/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -C "$sim/repo" -xf -
cp -r "$root/.devkit" "$sim/repo/.devkit"
[ ! -e "$sim/repo/node_modules" ] || { echo "local-test.sh: node_modules travelled" >&2; exit 1; }
cd "$sim/repo"
# no node on PATH: the kit's must be the one used
env -i HOME="$HOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin DEVKIT_LOCAL=1 OUT="${OUT:-/tmp/devkit-out}" \
  bash -c 'mkdir -p /tmp/devkit-nonode && ln -sf /bin/false /tmp/devkit-nonode/node && PATH=/tmp/devkit-nonode:$PATH bash scripts/device/run.sh'
