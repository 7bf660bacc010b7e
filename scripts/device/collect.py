"""Reads the stage outputs of scripts/device/run.sh (RAW/<stage>.txt, RAW/stages.tsv, RAW/env.txt) and writes
OUT/gpu-results.json and OUT/gpu-results.md: per step, WebGPU ms/step against PyTorch (CUDA on the device, CPU with
DEVKIT_LOCAL) and their ratio; the WebGPU progress measures; each stage's exit status and seconds.
Usage: python3 collect.py RAW OUT"""
import json
import os
import re
import sys

raw, out = sys.argv[1], sys.argv[2]


def read(name):
    try:
        with open(os.path.join(raw, name), errors="replace") as f:
            return f.read()
    except OSError:
        return ""


env = {}
for line in read("env.txt").splitlines():
    if "=" in line:
        k, v = line.split("=", 1)
        env[k] = v
stages = []
for line in read("stages.tsv").splitlines():
    parts = line.split("\t")
    if len(parts) >= 4:
        stages.append({"stage": parts[0], "rc": parts[1], "seconds": int(parts[2]), "command": parts[3]})

WGPU = re.compile(r"^(\S+) (MLP|transformer) webgpu, (\d+) seed\(s\): ([\d.]+) ms/step.*$", re.M)
MEAS = re.compile(r"^(\S+) (MLP|transformer) \(N (\d+)[^)]*\) webgpu measures: ([\d.]+) ms \(first call (\d+) ms[^)]*\)(?:; cpu view \+ measures ([\d.]+) ms)?.*$", re.M)


def webgpu(stage):
    """{(group, model, seeds): (ms, line)} of a webgpu-step stage."""
    return {(m[1], m[2], int(m[3])): (float(m[4]), m[0]) for m in WGPU.finditer(read(stage + ".txt"))}


def torch_mlp(stage):
    text = read(stage + ".txt")
    forms = {m[1]: float(m[2]) for m in re.finditer(r"^torch_(original|factored)_ms_per_step=([\d.]+)", text, re.M)}
    info = re.search(r"^device=(\S+) N=(\d+) seeds=(\d+) rows=(\d+)", text, re.M)
    if not forms:
        return None
    best = min(forms, key=forms.get)
    what = f"N {info[2]}, {info[3]} seed(s), {info[4]} rows, {info[1]}" if info else ""
    return {"ms": forms[best], "formulation": best, "all": forms, "config": what}


def torch_transformer(stage):
    m = re.search(r"^torch_ms_per_step=([\d.]+) min=([\d.]+) rows=(\d+) device=(\S+)", read(stage + ".txt"), re.M)
    return {"ms": float(m[1]), "formulation": "plain", "all": {"plain": float(m[1])}, "config": f"N 120, 1 seed, {m[3]} rows, {m[4]}"} if m else None


w_s5 = webgpu("webgpu_s5_mlp")
w_s6 = webgpu("webgpu_s6_mlp")
w_tr = webgpu("webgpu_s5_transformer")
t_s5, t_s5b, t_s6, t_tr = torch_mlp("torch_s5_mlp"), torch_mlp("torch_s5_mlp_batched"), torch_mlp("torch_s6_mlp"), torch_transformer("torch_s5_transformer")


def pick(table, model, seeds):
    """The first entry of the stage for `model` with `seeds` (seeds None: the smallest, else the largest > 1)."""
    keys = sorted(k for k in table if k[1] == model)
    if seeds == 1:
        keys = [k for k in keys if k[2] == 1]
    elif seeds == "many":
        keys = [k for k in keys if k[2] > 1][-1:]
    return (keys[0], table[keys[0]]) if keys else (None, None)


rows = []
for label, table, model, seeds, t in [
    ("MLP step, 1 seed", w_s5, "MLP", 1, t_s5),
    ("MLP step, batched seeds", w_s5, "MLP", "many", t_s5b),
    ("MLP step (larger group), 1 seed", w_s6, "MLP", 1, t_s6),
    ("transformer step, 1 seed", w_tr, "transformer", 1, t_tr),
    ("transformer step, batched seeds", w_tr, "transformer", "many", None),
]:
    key, w = pick(table, model, seeds)
    what = f"{key[0]} {key[1]} step, {key[2]} seed(s)" if key else label
    row = {
        "what": what,
        "webgpu_ms_per_step": w[0] if w else None,
        "torch_ms_per_step": t["ms"] if t else None,
        "torch_formulation": t["formulation"] if t else None,
        "torch_all_ms": t["all"] if t else None,
        "torch_config": t["config"] if t else None,
        "webgpu_line": w[1] if w else None,
    }
    row["ratio_webgpu_over_torch"] = round(row["webgpu_ms_per_step"] / row["torch_ms_per_step"], 3) if w and t and t["ms"] > 0 else None
    rows.append(row)

measures = [
    {"group": m[1], "model": m[2], "N": int(m[3]), "webgpu_ms": float(m[4]), "first_call_ms": int(m[5]), "cpu_ms": float(m[6]) if m[6] else None, "line": m[0]}
    for m in MEAS.finditer(read("webgpu_measures.txt"))
]

tails = {s["stage"]: read(s["stage"] + ".txt")[-3000:] for s in stages}
result = {
    "local": env.get("DEVKIT_LOCAL", "") not in ("", "0"),
    "torch_device": env.get("TORCH_DEVICE"),
    "gpu": env.get("GPU"),
    "adapter": env.get("ADAPTER"),
    "commit": env.get("COMMIT"),
    "started": env.get("STARTED"),
    "total_seconds": env.get("TOTAL_SECONDS"),
    "steps": rows,
    "measures": measures,
    "stages": stages,
    "stage_output_tails": tails,
}
with open(os.path.join(out, "gpu-results.json"), "w") as f:
    json.dump(result, f, indent=2)


def fmt(x, digits=3):
    return "n/a" if x is None else f"{x:.{digits}f}"


torch_dev = env.get("TORCH_DEVICE", "cuda")
md = [
    f"# GPU benchmarks ({'DEVKIT_LOCAL: SwiftShader + torch CPU, smoke numbers only' if result['local'] else 'device'})",
    "",
    f"- GPU: {result['gpu'] or 'n/a'}",
    f"- WebGPU adapter: {result['adapter'] or 'n/a'}",
    f"- commit: {result['commit'] or 'n/a'}; started {result['started'] or '?'}; {result['total_seconds'] or '?'} s in all",
    "",
    f"| what | webgpu ms/step | torch {torch_dev} ms/step | webgpu / torch | torch run |",
    "| --- | --- | --- | --- | --- |",
]
for r in rows:
    t = f"{r['torch_formulation']} ({r['torch_config']})" if r["torch_formulation"] else ""
    md.append(f"| {r['what']} | {fmt(r['webgpu_ms_per_step'])} | {fmt(r['torch_ms_per_step'])} | {fmt(r['ratio_webgpu_over_torch'], 2)} | {t} |")
md += ["", "torch: the faster of its original (concatenate, then x W) and factored formulations for the MLP; eager mode, float32, float64 loss.", ""]
md += ["| measures (MLP: d_e 256, h 128; transformer: its init) | webgpu ms | first call ms | cpu (JS) ms |", "| --- | --- | --- | --- |"]
for m in measures:
    md.append(f"| {m['group']} {m['model']} (N {m['N']}) | {fmt(m['webgpu_ms'], 1)} | {m['first_call_ms']} | {fmt(m['cpu_ms'], 1)} |")
md += ["", "| stage | exit | seconds |", "| --- | --- | --- |"]
for s in stages:
    md.append(f"| {s['stage']} | {s['rc']} | {s['seconds']} |")
with open(os.path.join(out, "gpu-results.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
