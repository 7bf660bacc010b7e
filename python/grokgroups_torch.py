"""Load a grokgroups run folder into PyTorch, with the original code's class, parameter and hook names.

One file, standard library + torch only (the ``safetensors`` package is used when it is importable, else a
small built-in reader of the format). Copy it next to your notebook or put ``python/`` on ``sys.path``::

    import grokgroups_torch as gg
    model = gg.load_run("runs/S5_MLP_seed2")             # final model; epoch=E for checkpoints/epoch_E
    logits, cache = model.run_with_cache(gg.all_data(model.n))
    cache["hidden"]                                       # [N*N, h], rows r = a*N + b

The classes are the original's (Chughtai, Chan & Nanda 2023, ``rep_theory/utils/models.py``):

* ``OneLayerMLP(layers, n, seed=0)``: parameters ``W_x, W_y, W, W_U``; hooks ``embed_stack``, ``hidden``;
  ``forward(data)`` with ``data[:, 0] = a``, ``data[:, 1] = b``; ``x_embed``/``y_embed`` as in the paper-era
  notebook (``W_x @ W[:d_e]``, ``W_y @ W[d_e:]``).
* ``BilinearNet(layers, n, seed=0)``: parameters ``W_x, W_y, W_U``; hook ``hidden``.
* ``Transformer(layers, n, seed=0)``: TransformerLens's ``HookedTransformer`` layout and names (``embed.W_E``,
  ``blocks.0.attn.W_Q``, ``blocks.0.mlp.hook_post``, ...): 1 layer, 4 heads, d_model 128, d_head 32, d_mlp 512,
  ReLU, no LayerNorm, learned positions, causal attention scaled by 1/sqrt(d_head); biases frozen at zero.
  ``forward(data)`` feeds the tokens (a, b, N) and returns the last position's logits, as the original's subclass.

Element i of the group is the i-th entry of ``elements`` in ``grokgroups irreps <G> --json`` (docs/runs.md,
"Element order"); ``load_group`` reads that JSON for the multiplication table and the labels.

Command line: ``python3 python/grokgroups_torch.py RUN [--epoch E] [--group G.json] [--dump FILE]``.
See docs/python.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import struct
import subprocess
import sys
from types import SimpleNamespace
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

__all__ = [
    "HookPoint",
    "HookedRootModule",
    "OneLayerMLP",
    "BilinearNet",
    "Transformer",
    "read_safetensors",
    "read_cfg",
    "checkpoint_epochs",
    "load_run",
    "load_group",
    "all_data",
    "read_split",
    "generate_train_test_data",
    "MODEL_CLASSES",
]

# ---------------------------------------------------------------------------------------------------------
# safetensors

_ST_DTYPES: Dict[str, torch.dtype] = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}


def _read_safetensors_builtin(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """The format: u64 little-endian header size n, n bytes of JSON header, then the tensors' raw bytes."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8:
        raise ValueError(f"{path}: not a safetensors file (only {len(buf)} bytes)")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > len(buf) - 8:
        raise ValueError(f"{path}: header size {n} runs past the end of the file ({len(buf)} bytes)")
    header = json.loads(buf[8 : 8 + n].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError(f"{path}: the header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    data = memoryview(buf)[8 + n :]
    tensors: Dict[str, torch.Tensor] = {}
    for name, info in header.items():
        dtype = _ST_DTYPES.get(info.get("dtype"))
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info.get('dtype')!r}")
        shape = [int(s) for s in info["shape"]]
        start, end = (int(x) for x in info["data_offsets"])
        itemsize = torch.empty((), dtype=dtype).element_size()
        count = math.prod(shape)
        if not (0 <= start <= end <= len(data)) or end - start != count * itemsize:
            raise ValueError(f"{path}: tensor {name}: data_offsets [{start}, {end}] do not fit shape {shape} of {info['dtype']}")
        if count == 0:
            t = torch.empty(shape, dtype=dtype)
        else:
            raw = torch.frombuffer(bytearray(data[start:end]), dtype=torch.uint8)
            if sys.byteorder != "little" and itemsize > 1:
                raw = raw.view(-1, itemsize).flip(1).reshape(-1)
            t = raw.view(dtype).reshape(shape)
        tensors[name] = t
    return tensors, {str(k): str(v) for k, v in metadata.items()}


def read_safetensors(path: str, use_package: Optional[bool] = None) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    """(tensors by name, string metadata) of a safetensors file.

    use_package: True to require the ``safetensors`` package, False for the built-in reader, None (default)
    for the package when it is importable.
    """
    if use_package is not False:
        try:
            from safetensors import safe_open  # type: ignore[import-not-found]
        except ImportError:
            if use_package:
                raise
        else:
            with safe_open(path, framework="pt") as f:
                return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})
    return _read_safetensors_builtin(path)


# ---------------------------------------------------------------------------------------------------------
# Hooks: the original's utils/hook_points.py interface (a subset of TransformerLens's), written anew.

NamesFilter = Union[None, str, Sequence[str], Callable[[str], bool]]


def _name_test(names_filter: NamesFilter) -> Callable[[str], bool]:
    if names_filter is None:
        return lambda _name: True
    if isinstance(names_filter, str):
        return lambda name: name == names_filter
    if callable(names_filter):
        return names_filter
    wanted = set(names_filter)
    return lambda name: name in wanted


class HookPoint(nn.Module):
    """An identity module marking an activation. Plain ``register_forward_hook`` works on it; ``add_hook(fn)``
    takes TransformerLens-style ``fn(activation, hook) -> activation or None``."""

    def __init__(self) -> None:
        super().__init__()
        self.name: Optional[str] = None
        self._handles: List[Any] = []

    def add_hook(self, fn: Callable[..., Optional[torch.Tensor]], dir: str = "fwd") -> None:
        if dir != "fwd":
            raise ValueError("only forward hooks are supported (dir='fwd')")

        def wrapper(_module: nn.Module, _inputs: Any, output: torch.Tensor) -> Optional[torch.Tensor]:
            return fn(output, hook=self)

        self._handles.append(self.register_forward_hook(wrapper))

    def remove_hooks(self, dir: str = "fwd") -> None:
        for h in self._handles:
            h.remove()
        self._handles = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class HookedRootModule(nn.Module):
    """Names every HookPoint by its module path (``setup``) and runs the model with hooks or a cache."""

    hook_dict: Dict[str, HookPoint]

    def setup(self) -> None:
        self.hook_dict = {}
        self.mod_dict = {}
        for name, module in self.named_modules():
            if name:
                self.mod_dict[name] = module
            if isinstance(module, HookPoint):
                module.name = name
                self.hook_dict[name] = module

    def hook_points(self) -> List[HookPoint]:
        return list(self.hook_dict.values())

    def reset_hooks(self) -> None:
        for hp in self.hook_points():
            hp.remove_hooks()

    def run_with_hooks(self, *model_args: Any, fwd_hooks: Iterable[Tuple[Union[str, Callable[[str], bool]], Callable[..., Any]]] = (),
                       reset_hooks_end: bool = True, **model_kwargs: Any) -> Any:
        """Runs forward with (name or name predicate, fn) hooks added; fn(activation, hook) may return a replacement."""
        try:
            for name, fn in fwd_hooks:
                test = (lambda n, _name=name: n == _name) if isinstance(name, str) else name
                matched = [hp for n, hp in self.hook_dict.items() if test(n)]
                if isinstance(name, str) and not matched:
                    raise KeyError(f"no hook point {name!r}; hook points: {', '.join(self.hook_dict)}")
                for hp in matched:
                    hp.add_hook(fn)
            return self(*model_args, **model_kwargs)
        finally:
            if reset_hooks_end:
                self.reset_hooks()

    def run_with_cache(self, *model_args: Any, names_filter: NamesFilter = None, return_cache_object: bool = False,
                       **model_kwargs: Any) -> Tuple[Any, Dict[str, torch.Tensor]]:
        """(output, {hook name: detached activation}). Always a plain dict: the original's local version needed
        ``return_cache_object=False`` for that, which is accepted and changes nothing here."""
        del return_cache_object
        cache: Dict[str, torch.Tensor] = {}
        test = _name_test(names_filter)

        def save(act: torch.Tensor, hook: HookPoint) -> None:
            assert hook.name is not None
            cache[hook.name] = act.detach()

        out = self.run_with_hooks(*model_args, fwd_hooks=[(test, save)], **model_kwargs)
        return out, cache


# ---------------------------------------------------------------------------------------------------------
# Models


def _randn(gen: torch.Generator, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=gen)


class OneLayerMLP(HookedRootModule):
    """logits = ReLU([W_x[a] ; W_y[b]] W) W_U (no biases). The init is the original's formula, drawn on the CPU
    from torch.Generator(seed); load_run overwrites it with the run's parameters."""

    def __init__(self, layers: Dict[str, int], n: int, seed: int = 0) -> None:
        super().__init__()
        gen = torch.Generator().manual_seed(int(seed))
        d_e, h = int(layers["embed_dim"]), int(layers["hidden_dim"])
        self.n, self.embed_dim, self.hidden_dim = n, d_e, h
        self.W_x = nn.Parameter(_randn(gen, n, d_e) / math.sqrt(d_e))
        self.W_y = nn.Parameter(_randn(gen, n, d_e) / math.sqrt(d_e))
        self.W = nn.Parameter(_randn(gen, 2 * d_e, h) / math.sqrt(2 * d_e))
        self.relu = nn.ReLU()
        self.W_U = nn.Parameter(_randn(gen, h, n) / math.sqrt(h))
        self.embed_stack = HookPoint()
        self.hidden = HookPoint()
        self.setup()

    def forward(self, data: torch.Tensor) -> torch.Tensor:
        a, b = data[:, 0], data[:, 1]
        embed_stack = self.embed_stack(torch.cat((self.W_x[a], self.W_y[b]), dim=1))  # [batch, 2 d_e]
        hidden = self.hidden(self.relu(embed_stack @ self.W))  # [batch, h]
        return hidden @ self.W_U  # [batch, N]

    @property
    def x_embed(self) -> torch.Tensor:
        """W_x W[:d_e] [N, h]: the paper-era code's model.x_embed (E_a of the metrics)."""
        return self.W_x @ self.W[: self.embed_dim]

    @property
    def y_embed(self) -> torch.Tensor:
        """W_y W[d_e:] [N, h] (E_b)."""
        return self.W_y @ self.W[self.embed_dim :]


class BilinearNet(HookedRootModule):
    """logits = (W_x[a] * W_y[b]) W_U, hook ``hidden`` [batch, d_e]."""

    def __init__(self, layers: Dict[str, int], n: int, seed: int = 0) -> None:
        super().__init__()
        gen = torch.Generator().manual_seed(int(seed))
        d_e = int(layers["embed_dim"])
        self.n, self.embed_dim = n, d_e
        self.W_x = nn.Parameter(_randn(gen, n, d_e) / math.sqrt(d_e))
        self.W_y = nn.Parameter(_randn(gen, n, d_e) / math.sqrt(d_e))
        self.W_U = nn.Parameter(_randn(gen, d_e, n) / math.sqrt(d_e))
        self.hidden = HookPoint()
        self.setup()

    def forward(self, data: torch.Tensor) -> torch.Tensor:
        a, b = data[:, 0], data[:, 1]
        return self.hidden(self.W_x[a] * self.W_y[b]) @ self.W_U

    @property
    def x_embed(self) -> torch.Tensor:
        return self.W_x

    @property
    def y_embed(self) -> torch.Tensor:
        return self.W_y


# The transformer, laid out as TransformerLens's HookedTransformer so that names and shapes agree.


class Embed(nn.Module):
    def __init__(self, cfg: SimpleNamespace) -> None:
        super().__init__()
        self.W_E = nn.Parameter(torch.empty(cfg.d_vocab, cfg.d_model))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.W_E[tokens]  # [batch, pos, d_model]


class PosEmbed(nn.Module):
    def __init__(self, cfg: SimpleNamespace) -> None:
        super().__init__()
        self.W_pos = nn.Parameter(torch.empty(cfg.n_ctx, cfg.d_model))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        batch, pos = tokens.shape
        return self.W_pos[:pos].unsqueeze(0).expand(batch, pos, -1)


class Attention(nn.Module):
    def __init__(self, cfg: SimpleNamespace) -> None:
        super().__init__()
        H, D, E = cfg.n_heads, cfg.d_model, cfg.d_head
        self.W_Q = nn.Parameter(torch.empty(H, D, E))
        self.W_K = nn.Parameter(torch.empty(H, D, E))
        self.W_V = nn.Parameter(torch.empty(H, D, E))
        self.W_O = nn.Parameter(torch.empty(H, E, D))
        self.b_Q = nn.Parameter(torch.zeros(H, E))
        self.b_K = nn.Parameter(torch.zeros(H, E))
        self.b_V = nn.Parameter(torch.zeros(H, E))
        self.b_O = nn.Parameter(torch.zeros(D))
        # TransformerLens keeps these as buffers too; here they are not saved (the state dict is the run's file).
        self.register_buffer("mask", torch.tril(torch.ones(cfg.n_ctx, cfg.n_ctx, dtype=torch.bool)), persistent=False)
        self.register_buffer("IGNORE", torch.tensor(-1e5), persistent=False)
        self.attn_scale = math.sqrt(E)
        self.hook_q = HookPoint()  # [batch, pos, head, d_head]
        self.hook_k = HookPoint()
        self.hook_v = HookPoint()
        self.hook_attn_scores = HookPoint()  # [batch, head, query_pos, key_pos], masked
        self.hook_pattern = HookPoint()
        self.hook_z = HookPoint()  # [batch, pos, head, d_head]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q = self.hook_q(torch.einsum("bpd,hde->bphe", x, self.W_Q) + self.b_Q)
        k = self.hook_k(torch.einsum("bpd,hde->bphe", x, self.W_K) + self.b_K)
        v = self.hook_v(torch.einsum("bpd,hde->bphe", x, self.W_V) + self.b_V)
        scores = torch.einsum("bqhe,bkhe->bhqk", q, k) / self.attn_scale
        P = x.shape[1]
        scores = self.hook_attn_scores(torch.where(self.mask[:P, :P], scores, self.IGNORE.to(scores.dtype)))
        pattern = self.hook_pattern(torch.softmax(scores, dim=-1))
        z = self.hook_z(torch.einsum("bkhe,bhqk->bqhe", v, pattern))
        return torch.einsum("bqhe,hed->bqd", z, self.W_O) + self.b_O


class MLP(nn.Module):
    def __init__(self, cfg: SimpleNamespace) -> None:
        super().__init__()
        self.W_in = nn.Parameter(torch.empty(cfg.d_model, cfg.d_mlp))
        self.b_in = nn.Parameter(torch.zeros(cfg.d_mlp))
        self.W_out = nn.Parameter(torch.empty(cfg.d_mlp, cfg.d_model))
        self.b_out = nn.Parameter(torch.zeros(cfg.d_model))
        self.hook_pre = HookPoint()  # [batch, pos, d_mlp]
        self.hook_post = HookPoint()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = self.hook_pre(x @ self.W_in + self.b_in)
        post = self.hook_post(torch.relu(pre))
        return post @ self.W_out + self.b_out


class TransformerBlock(nn.Module):
    def __init__(self, cfg: SimpleNamespace) -> None:
        super().__init__()
        self.attn = Attention(cfg)
        self.mlp = MLP(cfg)
        self.hook_resid_pre = HookPoint()
        self.hook_attn_out = HookPoint()
        self.hook_resid_mid = HookPoint()
        self.hook_mlp_out = HookPoint()
        self.hook_resid_post = HookPoint()

    def forward(self, resid_pre: torch.Tensor) -> torch.Tensor:
        resid_pre = self.hook_resid_pre(resid_pre)
        resid_mid = self.hook_resid_mid(resid_pre + self.hook_attn_out(self.attn(resid_pre)))
        return self.hook_resid_post(resid_mid + self.hook_mlp_out(self.mlp(resid_mid)))


class Unembed(nn.Module):
    def __init__(self, cfg: SimpleNamespace) -> None:
        super().__init__()
        self.W_U = nn.Parameter(torch.empty(cfg.d_model, cfg.d_vocab_out))
        self.b_U = nn.Parameter(torch.zeros(cfg.d_vocab_out))

    def forward(self, resid: torch.Tensor) -> torch.Tensor:
        return resid @ self.W_U + self.b_U


class Transformer(HookedRootModule):
    """The original's one-layer transformer with TransformerLens's names. ``cfg`` holds HookedTransformerConfig's
    field names. ``forward(data)``: data [batch, 2] pairs (a, b) (or [batch, 3] tokens); last-position logits
    [batch, N]. ``forward(data, all_positions=True)``: [batch, 3, N], as HookedTransformer returns them."""

    def __init__(self, layers: Optional[Dict[str, int]], n: int, seed: int = 0) -> None:
        super().__init__()
        del layers  # ignored, as in the original
        self.n = n
        self.cfg = SimpleNamespace(
            n_layers=1, n_heads=4, d_model=128, d_head=32, d_mlp=512, act_fn="relu", normalization_type=None,
            d_vocab=n + 1, d_vocab_out=n, n_ctx=3, init_weights=True, seed=seed, positional_embedding_type="standard",
            attn_only=False, initializer_range=0.8 / math.sqrt(128),
        )
        self.embed = Embed(self.cfg)
        self.hook_embed = HookPoint()
        self.pos_embed = PosEmbed(self.cfg)
        self.hook_pos_embed = HookPoint()
        self.blocks = nn.ModuleList([TransformerBlock(self.cfg)])
        self.unembed = Unembed(self.cfg)
        gen = torch.Generator().manual_seed(int(seed))
        with torch.no_grad():
            for name, p in self.named_parameters():
                if "b_" in name:
                    p.zero_()
                else:
                    p.copy_(torch.randn(p.shape, generator=gen) * self.cfg.initializer_range)
        # The original froze every bias: requires_grad=False on each parameter whose name contains "b_".
        for name, p in self.named_parameters():
            if "b_" in name:
                p.requires_grad_(False)
        self.setup()

    def tokens(self, data: torch.Tensor) -> torch.Tensor:
        """(a, b) pairs [batch, 2] -> tokens (a, b, N) [batch, 3]; [batch, 3] tokens pass unchanged."""
        if data.shape[-1] == 3:
            return data.long()
        eq = torch.full_like(data[:, 0], self.n)
        return torch.stack((data[:, 0], data[:, 1], eq), dim=1).long()

    def forward(self, data: torch.Tensor, all_positions: bool = False) -> torch.Tensor:
        tokens = self.tokens(data)
        resid = self.hook_embed(self.embed(tokens)) + self.hook_pos_embed(self.pos_embed(tokens))
        for block in self.blocks:
            resid = block(resid)
        logits = self.unembed(resid)  # [batch, pos, N]
        return logits if all_positions else logits[:, -1]


MODEL_CLASSES = {"OneLayerMLP": OneLayerMLP, "Transformer": Transformer, "BilinearNet": BilinearNet}
"""cfg.json's ``model`` -> class."""

# ---------------------------------------------------------------------------------------------------------
# Run folders (docs/runs.md)


def read_cfg(run: str) -> Dict[str, Any]:
    with open(os.path.join(run, "cfg.json"), encoding="utf-8") as f:
        return json.load(f)


def checkpoint_epochs(run: str) -> List[int]:
    """The epochs e of run/checkpoints/epoch_<e>.safetensors, ascending."""
    d = os.path.join(run, "checkpoints")
    if not os.path.isdir(d):
        return []
    found = (re.fullmatch(r"epoch_(\d+)\.safetensors", f) for f in os.listdir(d))
    return sorted(int(m.group(1)) for m in found if m)


def _params_file(run: str, epoch: Optional[int]) -> str:
    if epoch is None:
        path = os.path.join(run, "model.safetensors")
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} does not exist (the run has not finished?); pass epoch= for a checkpoint "
                                    f"(available: {_epochs_text(run)})")
        return path
    path = os.path.join(run, "checkpoints", f"epoch_{int(epoch)}.safetensors")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{run} has no checkpoint of epoch {epoch} (available: {_epochs_text(run)})")
    return path


def _epochs_text(run: str) -> str:
    e = checkpoint_epochs(run)
    if not e:
        return "none"
    return ", ".join(map(str, e)) if len(e) <= 12 else f"{', '.join(map(str, e[:6]))}, ..., {', '.join(map(str, e[-3:]))} ({len(e)} checkpoints)"


def _group_order(kind: str, tensors: Dict[str, torch.Tensor], path: str) -> int:
    key = "unembed.W_U" if kind == "Transformer" else "W_U"
    if key not in tensors:
        raise ValueError(f"{path}: no parameter {key} for a {kind} (parameters: {', '.join(tensors)})")
    return int(tensors[key].shape[-1])


def load_run(run: str, epoch: Optional[int] = None, dtype: torch.dtype = torch.float32,
             device: Union[str, torch.device] = "cpu", use_package: Optional[bool] = None) -> HookedRootModule:
    """The run's model as the original's class, in eval mode: the final model.safetensors, or with ``epoch``
    the checkpoint checkpoints/epoch_<epoch>.safetensors (the model after that epoch's step).

    The module also carries ``run_cfg`` (cfg.json), ``epoch`` and ``step`` (from the file's metadata, or None)
    and ``group_name`` (cfg.json's canonical name, e.g. "S5"). Raises when a parameter is missing, extra or of
    the wrong shape.
    """
    cfg = read_cfg(run)
    kind = cfg.get("model", "OneLayerMLP")
    if kind not in MODEL_CLASSES:
        raise ValueError(f"{run}/cfg.json: model {kind!r} is not one of {', '.join(MODEL_CLASSES)}")
    path = _params_file(run, epoch)
    tensors, meta = read_safetensors(path, use_package)
    n = _group_order(kind, tensors, path)
    layers = dict(cfg.get("layers") or {"embed_dim": 256, "hidden_dim": 128})
    if kind != "Transformer" and "W_x" in tensors:
        layers["embed_dim"] = int(tensors["W_x"].shape[1])  # the file decides; cfg.json agrees for our runs
        if kind == "OneLayerMLP" and "W" in tensors:
            layers["hidden_dim"] = int(tensors["W"].shape[1])
    model = MODEL_CLASSES[kind](layers, n, seed=int(cfg.get("seed", 0)))
    own = dict(model.named_parameters())
    missing = sorted(set(own) - set(tensors))
    extra = sorted(set(tensors) - set(own))
    if missing or extra:
        raise ValueError(f"{path}: parameters do not fit a {kind} over a group of order {n}: "
                         f"missing {missing or 'none'}, unexpected {extra or 'none'}")
    with torch.no_grad():
        for name, p in own.items():
            t = tensors[name]
            if tuple(t.shape) != tuple(p.shape):
                raise ValueError(f"{path}: {kind} parameter {name} has shape {list(t.shape)}, expected {list(p.shape)}")
            p.copy_(t.to(p.dtype))
    model = model.to(device=device, dtype=dtype)
    model.eval()
    model.run_cfg = cfg
    model.group_name = cfg.get("group_name")
    model.epoch = int(meta["epoch"]) if "epoch" in meta else None
    model.step = int(meta["step"]) if "step" in meta else None
    return model


def all_data(n: int) -> torch.Tensor:
    """Every pair (a, b) as a LongTensor [N*N, 2], row r = a*N + b (the original's group.all_data)."""
    r = torch.arange(n * n)
    return torch.stack((r // n, r % n), dim=1)


def read_split(run: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """(train rows, test rows) of split.json, as LongTensors of r = a*N + b, in the run's order."""
    with open(os.path.join(run, "split.json"), encoding="utf-8") as f:
        s = json.load(f)
    return torch.tensor(s["train"], dtype=torch.long), torch.tensor(s["test"], dtype=torch.long)


def load_group(source: str, grokgroups: Sequence[str] = ("npx", "grokgroups")) -> Dict[str, Any]:
    """The group as ``grokgroups irreps G --json`` describes it (docs/irreps-json.md), with torch tables added:

    ``table`` LongTensor [N, N] (table[a, b] = index of a*b), ``labels`` (element i's label, e.g. "(1,2,3)"),
    ``identity``, ``inverses`` LongTensor [N], plus the JSON's own keys (``elements``, ``irreps`` with
    characters, ``classes``, ...). ``source``: a JSON file saved from that command, or a group name (then the
    command ``grokgroups`` is run, by default through npx).
    """
    if os.path.exists(source):
        with open(source, encoding="utf-8") as f:
            g = json.load(f)
    else:
        out = subprocess.run([*grokgroups, "irreps", source, "--json"], check=True, capture_output=True, text=True)
        g = json.loads(out.stdout)
    table = torch.tensor(g["table"], dtype=torch.long)
    g["table"] = table
    g["labels"] = [e["label"] for e in g["elements"]]
    ident = int(g["identity"])
    g["inverses"] = (table == ident).long().argmax(dim=1)
    return g


def generate_train_test_data(run: str, group: Dict[str, Any]) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(train_data, test_data, train_labels, test_labels) of the run's split, as the original's function of that
    name returns them: data [rows, 2] pairs (a, b), labels the products a*b."""
    table = group["table"]
    n = table.shape[0]
    pairs = all_data(n)
    labels = table.reshape(-1)
    train, test = read_split(run)
    return pairs[train], pairs[test], labels[train], labels[test]


# ---------------------------------------------------------------------------------------------------------
# Command line

HIDDEN_HOOK = {"OneLayerMLP": "hidden", "BilinearNet": "hidden", "Transformer": "blocks.0.mlp.hook_post"}
"""The hook the measures call the hidden layer H (for the transformer at the last position)."""


def _summary(model: HookedRootModule, group: Optional[Dict[str, Any]], run: str) -> Dict[str, Any]:
    kind = type(model).__name__
    n = model.n
    with torch.no_grad():
        logits, cache = model.run_with_cache(all_data(n))
    hidden = cache[HIDDEN_HOOK[kind]]
    if kind == "Transformer":
        hidden = hidden[:, -1]
    out: Dict[str, Any] = {
        "model": kind,
        "group_name": model.group_name,
        "N": n,
        "epoch": model.epoch,
        "step": model.step,
        "dtype": str(logits.dtype).replace("torch.", ""),
        "parameters": {name: list(p.shape) for name, p in model.named_parameters()},
        "frozen": [name for name, p in model.named_parameters() if not p.requires_grad],
        "hooks": list(model.hook_dict),
        "logits_shape": list(logits.shape),
        "logits": logits.reshape(-1).tolist(),
        "hidden_shape": list(hidden.shape),
        "hidden": hidden.reshape(-1).tolist(),
    }
    if group is not None:
        labels = group["table"].reshape(-1)
        train, test = read_split(run)
        lp = torch.log_softmax(logits.double(), dim=1)
        for name, rows in (("train", train), ("test", test)):
            out[f"{name}_loss"] = float(-lp[rows, labels[rows]].mean())
            out[f"{name}_acc"] = float((logits[rows].argmax(dim=1) == labels[rows]).double().mean())
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(
        prog="grokgroups_torch.py",
        description="Load a grokgroups run folder into PyTorch (docs/python.md) and print what was loaded.")
    p.add_argument("run", help="the run folder (cfg.json, model.safetensors, checkpoints/)")
    p.add_argument("--epoch", type=int, default=None, help="load checkpoints/epoch_<E>.safetensors instead of model.safetensors")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32", help="parameter dtype (default float32, as saved)")
    p.add_argument("--group", default=None, help="group JSON from `grokgroups irreps G --json` (or a group name, run through npx): adds losses and accuracies on the split")
    p.add_argument("--builtin-reader", action="store_true", help="read safetensors with the built-in reader even if the package is installed")
    p.add_argument("--dump", default=None, metavar="FILE", help="write JSON with the logits [N*N, N] and the hidden layer of all pairs (row a*N + b); '-' for stdout")
    args = p.parse_args(argv)
    try:
        model = load_run(args.run, args.epoch, dtype=getattr(torch, args.dtype), use_package=False if args.builtin_reader else None)
    except (OSError, ValueError) as e:
        print(f"grokgroups_torch: {e}", file=sys.stderr)
        return 2
    group = load_group(args.group) if args.group else None
    s = _summary(model, group, args.run)
    if args.dump:
        text = json.dumps(s)
        if args.dump == "-":
            sys.stdout.write(text + "\n")
            return 0
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{args.run}: {s['model']} over {s['group_name']} (N = {s['N']}), epoch {s['epoch']}, {s['dtype']}")
    for name, shape in s["parameters"].items():
        print(f"  {name:22s} {shape}{'  (frozen)' if name in s['frozen'] else ''}")
    print(f"  hooks: {', '.join(s['hooks'])}")
    if group is not None:
        print(f"  train_loss {s['train_loss']:.4g}, test_loss {s['test_loss']:.4g}, "
              f"train_acc {s['train_acc']:.4g}, test_acc {s['test_acc']:.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
