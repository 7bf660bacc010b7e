"""Load a grokgroups run folder into PyTorch, with the original's module and hook names.

    from grokgroups_torch import load_run
    run = load_run("runs/tiny_seed0")            # or load_run(path, epoch=1000) for a checkpoint
    logits = run.model(run.all_pairs())          # [N*N, N], row r = a*N + b
    logits, cache = run.model.run_with_cache(run.all_pairs())
    cache["hidden"]                              # the MLP's post-ReLU hidden layer, [N*N, h]

Models (cfg.json "model"):
  OneLayerMLP  W_x, W_y [N, d_e], W [2d_e, h], W_U [h, N]; hooks embed_stack, hidden
  BilinearNet  W_x, W_y [N, d_e], W_U [d_e, N]; hook hidden
  Transformer  TransformerLens parameter and hook names (embed.W_E, blocks.0.attn.W_Q, ...,
               blocks.0.mlp.hook_post, ...); 1 layer, 4 heads, no LayerNorm, causal attention,
               input (a, b, N), logits at the last position.

Needs only torch (and the standard library); uses the `safetensors` package if it is installed,
else reads the (simple) safetensors format itself. See docs/python.md.

Command line (prints what it loaded; --write-logits writes every pair's logits, float32 [N*N, N],
which is how the tests compare them with grokgroups' own):
    python3 grokgroups_torch.py RUN [--epoch E] [--write-logits OUT.f32]
"""

from __future__ import annotations

import json
import math
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

__all__ = ["load_run", "read_safetensors", "HookPoint", "OneLayerMLP", "BilinearNet", "Transformer", "Run"]

_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8}


def read_safetensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """The tensors of a .safetensors file and its metadata (e.g. {'epoch': '2999', 'step': '3000'})."""
    path = Path(path)
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", {}) or {}
    body = raw[8 + n :]
    out: dict[str, torch.Tensor] = {}
    for name, info in header.items():
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, not one of {sorted(_DTYPES)}")
        start, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(body[start:end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out, meta


class HookPoint(nn.Module):
    """An identity module: register_forward_hook on it to read or change an activation."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class _Hooked(nn.Module):
    """run_with_cache for modules whose activations pass through named HookPoints."""

    def run_with_cache(self, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        cache: dict[str, torch.Tensor] = {}
        handles = []
        for name, m in self.named_modules():
            if isinstance(m, HookPoint):
                handles.append(m.register_forward_hook(lambda _m, _i, out, name=name: cache.__setitem__(name, out.detach())))
        try:
            with torch.no_grad():
                logits = self(x)
        finally:
            for h in handles:
                h.remove()
        return logits, cache


class OneLayerMLP(_Hooked):
    """The original's OneLayerMLP: logits = ReLU([W_x[a]; W_y[b]] W) W_U. Input x: [batch, 2] (a, b)."""

    def __init__(self, N: int, embed_dim: int, hidden_dim: int):
        super().__init__()
        self.W_x = nn.Parameter(torch.zeros(N, embed_dim))
        self.W_y = nn.Parameter(torch.zeros(N, embed_dim))
        self.W = nn.Parameter(torch.zeros(2 * embed_dim, hidden_dim))
        self.W_U = nn.Parameter(torch.zeros(hidden_dim, N))
        self.embed_stack = HookPoint()
        self.hidden = HookPoint()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e = self.embed_stack(torch.cat([self.W_x[x[:, 0]], self.W_y[x[:, 1]]], dim=-1))  # [batch, 2d_e]
        h = self.hidden(torch.relu(e @ self.W))  # [batch, h]
        return h @ self.W_U  # [batch, N]


class BilinearNet(_Hooked):
    """The original's BilinearNet: logits = (W_x[a] * W_y[b]) W_U. Input x: [batch, 2] (a, b)."""

    def __init__(self, N: int, embed_dim: int):
        super().__init__()
        self.W_x = nn.Parameter(torch.zeros(N, embed_dim))
        self.W_y = nn.Parameter(torch.zeros(N, embed_dim))
        self.W_U = nn.Parameter(torch.zeros(embed_dim, N))
        self.hidden = HookPoint()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.hidden(self.W_x[x[:, 0]] * self.W_y[x[:, 1]]) @ self.W_U


D_MODEL, N_HEADS, D_HEAD, D_MLP, N_CTX = 128, 4, 32, 512, 3


class _Embed(nn.Module):
    def __init__(self, d_vocab: int):
        super().__init__()
        self.W_E = nn.Parameter(torch.zeros(d_vocab, D_MODEL))


class _PosEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_pos = nn.Parameter(torch.zeros(N_CTX, D_MODEL))


class _Attention(nn.Module):
    def __init__(self):
        super().__init__()
        H, D, E = N_HEADS, D_MODEL, D_HEAD
        self.W_Q = nn.Parameter(torch.zeros(H, D, E))
        self.W_K = nn.Parameter(torch.zeros(H, D, E))
        self.W_V = nn.Parameter(torch.zeros(H, D, E))
        self.W_O = nn.Parameter(torch.zeros(H, E, D))
        self.b_Q = nn.Parameter(torch.zeros(H, E), requires_grad=False)
        self.b_K = nn.Parameter(torch.zeros(H, E), requires_grad=False)
        self.b_V = nn.Parameter(torch.zeros(H, E), requires_grad=False)
        self.b_O = nn.Parameter(torch.zeros(D), requires_grad=False)
        for name in ["hook_q", "hook_k", "hook_v", "hook_attn_scores", "hook_pattern", "hook_z"]:
            setattr(self, name, HookPoint())

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x [batch, pos, d_model]
        q = self.hook_q(torch.einsum("bpd,hde->bphe", x, self.W_Q) + self.b_Q)  # [batch, pos, head, d_head]
        k = self.hook_k(torch.einsum("bpd,hde->bphe", x, self.W_K) + self.b_K)
        v = self.hook_v(torch.einsum("bpd,hde->bphe", x, self.W_V) + self.b_V)
        scores = torch.einsum("bqhe,bkhe->bhqk", q, k) / math.sqrt(D_HEAD)  # [batch, head, q, k]
        P = x.shape[1]
        mask = torch.triu(torch.ones(P, P, dtype=torch.bool, device=x.device), diagonal=1)
        scores = self.hook_attn_scores(scores.masked_fill(mask, float("-inf")))
        pattern = self.hook_pattern(torch.softmax(scores, dim=-1))
        z = self.hook_z(torch.einsum("bhqk,bkhe->bqhe", pattern, v))  # [batch, pos, head, d_head]
        return torch.einsum("bqhe,hed->bqd", z, self.W_O) + self.b_O


class _Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.W_in = nn.Parameter(torch.zeros(D_MODEL, D_MLP))
        self.b_in = nn.Parameter(torch.zeros(D_MLP), requires_grad=False)
        self.W_out = nn.Parameter(torch.zeros(D_MLP, D_MODEL))
        self.b_out = nn.Parameter(torch.zeros(D_MODEL), requires_grad=False)
        self.hook_pre = HookPoint()
        self.hook_post = HookPoint()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = self.hook_pre(x @ self.W_in + self.b_in)
        return self.hook_post(torch.relu(pre)) @ self.W_out + self.b_out


class _Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = _Attention()
        self.mlp = _Mlp()
        for name in ["hook_resid_pre", "hook_attn_out", "hook_resid_mid", "hook_mlp_out", "hook_resid_post"]:
            setattr(self, name, HookPoint())

    def forward(self, resid: torch.Tensor) -> torch.Tensor:
        resid = self.hook_resid_pre(resid)
        resid = self.hook_resid_mid(resid + self.hook_attn_out(self.attn(resid)))
        return self.hook_resid_post(resid + self.hook_mlp_out(self.mlp(resid)))


class _Unembed(nn.Module):
    def __init__(self, N: int):
        super().__init__()
        self.W_U = nn.Parameter(torch.zeros(D_MODEL, N))
        self.b_U = nn.Parameter(torch.zeros(N), requires_grad=False)


class Transformer(_Hooked):
    """The paper's one-layer transformer with TransformerLens names. Input x: [batch, 2] (a, b) pairs
    (the "=" token N is appended) or [batch, 3] token sequences; returns the logits at the last position
    ([batch, N]), or every position's with all_positions=True."""

    def __init__(self, N: int):
        super().__init__()
        self.N = N
        self.embed = _Embed(N + 1)
        self.pos_embed = _PosEmbed()
        self.blocks = nn.ModuleList([_Block()])
        self.unembed = _Unembed(N)
        self.hook_embed = HookPoint()
        self.hook_pos_embed = HookPoint()

    def forward(self, x: torch.Tensor, all_positions: bool = False) -> torch.Tensor:
        if x.shape[-1] == 2:
            x = torch.cat([x, torch.full_like(x[:, :1], self.N)], dim=-1)  # (a, b, "=")
        resid = self.hook_embed(self.embed.W_E[x]) + self.hook_pos_embed(self.pos_embed.W_pos[: x.shape[1]])
        for block in self.blocks:
            resid = block(resid)
        logits = resid @ self.unembed.W_U + self.unembed.b_U  # [batch, pos, N]
        return logits if all_positions else logits[:, -1]


@dataclass
class Run:
    """A loaded run: the model (eval mode, float32), its cfg.json, the split and the file's metadata."""

    path: Path
    cfg: dict
    model: nn.Module
    N: int
    train: torch.Tensor  # row indices r = a*N + b
    test: torch.Tensor
    metadata: dict

    def all_pairs(self) -> torch.Tensor:
        """Every (a, b), [N*N, 2], in the original's order (row r = a*N + b)."""
        a = torch.arange(self.N).repeat_interleave(self.N)
        b = torch.arange(self.N).repeat(self.N)
        return torch.stack([a, b], dim=1)


def load_run(path: str | Path, epoch: int | None = None) -> Run:
    """Loads RUN/model.safetensors (or RUN/checkpoints/epoch_<epoch>.safetensors) into the run's model class."""
    path = Path(path)
    cfg_file = path / "cfg.json"
    if not cfg_file.exists():
        raise FileNotFoundError(f"{path}: no cfg.json; is it a grokgroups run folder?")
    cfg = json.loads(cfg_file.read_text())
    file = path / "model.safetensors" if epoch is None else path / "checkpoints" / f"epoch_{epoch}.safetensors"
    if not file.exists():
        have = sorted(int(p.stem.split("_")[1]) for p in (path / "checkpoints").glob("epoch_*.safetensors"))
        hint = f" (checkpoints: {have[0]}..{have[-1]}, {len(have)} files)" if have else ""
        raise FileNotFoundError(f"{file} does not exist{hint}")
    tensors, meta = read_safetensors(file)
    kind = cfg["model"]
    if kind == "OneLayerMLP":
        N, d_e = tensors["W_x"].shape
        model: nn.Module = OneLayerMLP(N, d_e, tensors["W"].shape[1])
    elif kind == "BilinearNet":
        N, d_e = tensors["W_x"].shape
        model = BilinearNet(N, d_e)
    elif kind == "Transformer":
        N = tensors["unembed.W_U"].shape[1]
        model = Transformer(N)
    else:
        raise ValueError(f"{cfg_file}: model {kind!r} is not one of OneLayerMLP, BilinearNet, Transformer")
    model.load_state_dict(tensors, strict=True)
    model.eval()
    split_file = path / "split.json"
    split = json.loads(split_file.read_text()) if split_file.exists() else {"train": [], "test": []}
    return Run(path, cfg, model, int(N), torch.tensor(split["train"]), torch.tensor(split["test"]), meta)


def _main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Load a grokgroups run folder into torch and say what was loaded.")
    ap.add_argument("run")
    ap.add_argument("--epoch", type=int)
    ap.add_argument("--write-logits", help="write the logits of every pair, float32 little-endian, [N*N, N]")
    ap.add_argument("--write-hidden", help="write the hidden layer the measures use, float32 [N*N, width]: the MLP's and "
                    "the bilinear net's `hidden`, the transformer's blocks.0.mlp.hook_post at the last position")
    args = ap.parse_args(argv)
    run = load_run(args.run, args.epoch)
    logits, cache = run.model.run_with_cache(run.all_pairs())
    hidden = cache["blocks.0.mlp.hook_post"][:, -1] if isinstance(run.model, Transformer) else cache["hidden"]
    for out, t in [(args.write_logits, logits), (args.write_hidden, hidden)]:
        if out:
            flat = t.to(torch.float32).flatten().tolist()
            Path(out).write_bytes(struct.pack(f"<{len(flat)}f", *flat))
    print(f"{run.path}: {run.cfg['model']} on {run.cfg.get('group_name', '?')} (N={run.N}), epoch {run.metadata.get('epoch', '?')}, {sum(p.numel() for p in run.model.parameters())} parameters")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
