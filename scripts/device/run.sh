#!/usr/bin/env bash
# The one command for a lent GPU machine (docs/gpu.md, "On a lent GPU machine (device kit)"), from the repo root,
# with the kit of scripts/device/pack.sh carried:
#   run: command "bash scripts/device/run.sh", carry [".devkit"], timeout_s 540
# Unpacks node and the JS payload to /tmp/devkit, brings the Vulkan loader when the machine has none, points the
# loader at NVIDIA's ICD, then runs each benchmark stage under its own timeout (one stage failing or hanging
# loses only itself) within DEVKIT_BUDGET_S seconds in all (default 420): the WebGPU step benches (S5 MLP with 1
# and 50 seeds, S6 MLP, S5 transformer with 1 and 10 seeds), the WebGPU progress measures (S4, S5, S6) and the
# PyTorch CUDA baselines of the same steps. Writes $OUT/gpu-results.json, $OUT/gpu-results.md and $OUT/log.txt.
#
# DEVKIT_LOCAL=1 scripts/device/run.sh: the same stages on a machine without a GPU (WebGPU on Chromium's
# SwiftShader, torch on the CPU through /usr/bin/python3, tiny step counts, S4 in place of S6), OUT defaulting to
# /tmp/devkit-out; scripts/device/local-test.sh runs it in a copy of what travels.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
LOCAL=${DEVKIT_LOCAL:-}
[ "$LOCAL" = 0 ] && LOCAL=
if [ -n "$LOCAL" ]; then OUT=${OUT:-/tmp/devkit-out}; else OUT=${OUT:-$root/devkit-out}; fi
mkdir -p "$OUT"
D=${DEVKIT_DIR:-/tmp/devkit}
RAW=$D/raw
BUDGET=${DEVKIT_BUDGET_S:-420}
KIT=$root/.devkit
rm -rf "$RAW"
mkdir -p "$RAW"
: >"$RAW/stages.tsv"

main() {
  T0=$SECONDS
  echo "devkit run.sh: $(date -u +%FT%TZ), $(uname -m), local=${LOCAL:-no}, budget ${BUDGET}s, OUT=$OUT"
  echo "STARTED=$(date -u +%FT%TZ)" >>"$RAW/env.txt"
  echo "DEVKIT_LOCAL=${LOCAL}" >>"$RAW/env.txt"
  [ -f "$KIT/MANIFEST.txt" ] && cat "$KIT/MANIFEST.txt"

  # --- unpack: node and the JS payload (xz, else python3's lzma)
  if [ -n "$LOCAL" ]; then PY=${DEVKIT_PYTHON:-/usr/bin/python3}; else PY=${DEVKIT_PYTHON:-python3}; fi
  NODE=$D/node
  rm -rf "$D/kit" "$NODE"
  mkdir -p "$D/kit"
  if [ ! -f "$KIT/node.xz" ] || [ ! -f "$KIT/kit.tar.xz" ]; then
    echo "run.sh: .devkit/node.xz or .devkit/kit.tar.xz missing: run scripts/device/pack.sh here and carry [\".devkit\"]"
  fi
  if command -v xz >/dev/null; then
    xz -dc "$KIT/node.xz" >"$NODE" && tar -C "$D/kit" -xJf "$KIT/kit.tar.xz"
  else
    echo "run.sh: no xz: unpacking with python3's lzma"
    "$PY" -c 'import lzma, shutil, sys, tarfile
with lzma.open(sys.argv[1]) as f, open(sys.argv[2], "wb") as o: shutil.copyfileobj(f, o)
tarfile.open(sys.argv[3], "r:xz").extractall(sys.argv[4])' "$KIT/node.xz" "$NODE" "$KIT/kit.tar.xz" "$D/kit"
  fi
  chmod +x "$NODE"
  echo "node: $("$NODE" --version 2>&1); kit commit $(cat "$D/kit/COMMIT" 2>/dev/null)"
  echo "COMMIT=$(cat "$D/kit/COMMIT" 2>/dev/null)" >>"$RAW/env.txt"

  # --- Vulkan: the loader, the driver
  deb=$(ls "$KIT"/libvulkan1_*_amd64.deb 2>/dev/null | head -1)
  if [ -n "$LOCAL" ]; then
    # never unpack into / here: check that the deb unpacks, into a scratch folder
    rm -rf "$D/vktest" && mkdir -p "$D/vktest"
    if [ -n "$deb" ] && dpkg -x "$deb" "$D/vktest" && ls "$D"/vktest/usr/lib/x86_64-linux-gnu/libvulkan.so.1 >/dev/null; then
      echo "libvulkan1 deb unpacks (checked in $D/vktest)"
    else
      echo "libvulkan1 deb: missing or does not unpack"
    fi
    export VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}
  else
    if ! ldconfig -p 2>/dev/null | grep -q libvulkan; then
      echo "no Vulkan loader: unpacking $deb to /"
      if command -v dpkg >/dev/null; then
        dpkg -x "$deb" /
      else
        (cd "$D" && rm -rf debx && mkdir debx && cd debx && ar x "$deb" && tar -C / -xf data.tar.*)
      fi
      ldconfig
    fi
    ldconfig -p | grep libvulkan
    nv_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    if [ -z "${VK_DRIVER_FILES:-}" ] && [ -z "${VK_ICD_FILENAMES:-}" ] && [ -f "$nv_icd" ] &&
      ! ls /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json >/dev/null 2>&1; then
      export VK_DRIVER_FILES=$nv_icd
    fi
    for l in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
      [ -d "$l" ] && export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$l
    done
    echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
    ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>/dev/null
    [ -n "${VK_DRIVER_FILES:-}" ] && cat "$VK_DRIVER_FILES"
  fi
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

  # --- the machine
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi
    echo "GPU=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)" >>"$RAW/env.txt"
  else
    echo "no nvidia-smi"
    echo "GPU=none ($(nproc) CPUs)" >>"$RAW/env.txt"
  fi

  # --- the stages: name, timeout, command
  stage() {
    local name=$1 t=$2
    shift 2
    local left=$((BUDGET - (SECONDS - T0) - 10))
    if [ "$left" -lt 15 ]; then
      echo "== $name: skipped, the budget of ${BUDGET}s is spent"
      printf '%s\tskipped\t0\t%s\n' "$name" "${*//$'\n'/ }" >>"$RAW/stages.tsv"
      return
    fi
    [ "$t" -gt "$left" ] && t=$left
    echo
    echo "== $name (timeout ${t}s): $*"
    local s=$SECONDS rc=0
    timeout -k 5 "$t" "$@" >"$RAW/$name.txt" 2>&1 || rc=$?
    grep -v 'XDG_RUNTIME_DIR' "$RAW/$name.txt"
    [ "$rc" = 124 ] && echo "== $name: timed out"
    echo "== $name: exit $rc, $((SECONDS - s)) s"
    printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - s))" "${*//$'\n'/ }" >>"$RAW/stages.tsv"
  }
  B=$D/kit/dist/bench/gpu
  T=$root/bench/train
  probe="
    import { createRequire } from 'node:module';
    import { openGpu } from '$D/kit/dist/src/gpu/device.js';
    console.log('webgpu package: ' + createRequire('$D/kit/dist/src/gpu/device.js').resolve('webgpu'));
    const c = await openGpu();
    const l = c.device.limits;
    console.log('adapter: ' + c.adapterName);
    console.log('maxStorageBufferBindingSize ' + l.maxStorageBufferBindingSize + ', maxBufferSize ' + l.maxBufferSize);
    c.device.destroy();"
  stage adapter 60 "$NODE" --input-type=module -e "$probe"
  if [ -z "$LOCAL" ] && ! grep -q '^adapter: ' "$RAW/adapter.txt" && [ -f "${nv_icd:-}" ] && [ -z "${VK_ICD_FILENAMES:-}" ]; then
    echo "run.sh: no adapter; again with VK_ICD_FILENAMES=$nv_icd (a loader older than VK_DRIVER_FILES)"
    export VK_ICD_FILENAMES=$nv_icd
    mv "$RAW/adapter.txt" "$RAW/adapter-first.txt"
    stage adapter 45 "$NODE" --input-type=module -e "$probe"
  fi
  adapter=$(sed -n 's/^adapter: //p' "$RAW/adapter.txt" | head -1)
  echo "ADAPTER=$adapter" >>"$RAW/env.txt"
  if [ -z "$LOCAL" ] && echo "$adapter" | grep -qiE 'swiftshader|llvmpipe|lavapipe'; then
    echo "run.sh: WARNING: the WebGPU adapter is a CPU one ($adapter): the NVIDIA Vulkan driver was not found"
  fi

  if [ -n "$LOCAL" ]; then
    echo "TORCH_DEVICE=cpu" >>"$RAW/env.txt"
    stage webgpu_s5_mlp 180 "$NODE" "$B/webgpu-step.bench.js" 1 1,2 - S5
    stage torch_s5_mlp 120 "$PY" "$T/torch_mlp_step.py" --device cpu 0.4 1 1
    stage torch_s5_mlp_batched 120 "$PY" "$T/torch_mlp_step.py" --device cpu --seeds 2 0.4 1 1
    stage webgpu_s6_mlp 120 "$NODE" "$B/webgpu-step.bench.js" 1 1 - S4
    stage torch_s6_mlp 120 "$PY" "$T/torch_mlp_step.py" --device cpu --n 4 0.4 1 1
    stage webgpu_s5_transformer 120 "$NODE" "$B/webgpu-step.bench.js" 1 - 1,2 S4
    stage torch_s5_transformer 120 "$PY" "$T/torch_transformer_step.py" --device cpu 300 2
    stage webgpu_measures 180 "$NODE" "$B/webgpu-measures.bench.js"
  else
    echo "TORCH_DEVICE=cuda" >>"$RAW/env.txt"
    stage webgpu_s5_mlp 90 "$NODE" "$B/webgpu-step.bench.js" 30 1,50 - S5
    stage torch_s5_mlp 60 "$PY" "$T/torch_mlp_step.py" --device cuda 0.4 30 5
    stage torch_s5_mlp_batched 60 "$PY" "$T/torch_mlp_step.py" --device cuda --seeds 50 0.4 20 5
    stage webgpu_s6_mlp 90 "$NODE" "$B/webgpu-step.bench.js" 10 1 - S6
    stage torch_s6_mlp 60 "$PY" "$T/torch_mlp_step.py" --device cuda --n 6 0.4 10 3
    stage webgpu_s5_transformer 90 "$NODE" "$B/webgpu-step.bench.js" 20 - 1,10 S5
    stage torch_s5_transformer 60 "$PY" "$T/torch_transformer_step.py" --device cuda 8640 50
    stage webgpu_measures 120 "$NODE" "$B/webgpu-measures.bench.js"
  fi

  echo "TOTAL_SECONDS=$((SECONDS - T0))" >>"$RAW/env.txt"
  echo
  "$PY" "$root/scripts/device/collect.py" "$RAW" "$OUT" || echo "collect.py failed"
  echo
  echo "devkit run.sh: done in $((SECONDS - T0)) s; $OUT holds: $(ls "$OUT" | tr '\n' ' ')"
}

main 2>&1 | tee "$OUT/log.txt"
