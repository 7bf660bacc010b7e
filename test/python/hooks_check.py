"""Exercises grokgroups_torch's Python API on one run folder and prints what test/python/loader.test.ts asserts.

usage: hooks_check.py RUN GROUP_JSON
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

import torch  # noqa: E402

import grokgroups_torch as gg  # noqa: E402

run, group_file = sys.argv[1], sys.argv[2]
model = gg.load_run(run)
group = gg.load_group(group_file)
n = model.n
data = gg.all_data(n)
out = {"class": type(model).__name__, "n": n}

with torch.no_grad():
    plain = model(data)
    logits, cache = model.run_with_cache(data)
    out["cache_logits_equal"] = bool(torch.equal(plain, logits))
    out["cache_names"] = sorted(cache)
    out["cache_shapes"] = {k: list(v.shape) for k, v in cache.items()}
    only, small = model.run_with_cache(data, names_filter=lambda name: name.endswith("hidden") or name.endswith("hook_post"))
    out["filtered_names"] = sorted(small)

    # TransformerLens-style hook that replaces an activation, then removed again
    target = "hidden" if "hidden" in model.hook_dict else "blocks.0.mlp.hook_post"
    zeroed = model.run_with_hooks(data, fwd_hooks=[(target, lambda act, hook: torch.zeros_like(act))])
    out["hook_target"] = target
    out["zeroed_max_abs"] = float(zeroed.abs().max())
    out["after_reset_equal"] = bool(torch.equal(model(data), plain))

    # a plain torch forward hook on a HookPoint
    seen = {}
    first = next(iter(model.hook_dict))
    handle = model.hook_dict[first].register_forward_hook(lambda mod, inp, o: seen.setdefault("act", o.detach().clone()))
    model(data)
    handle.remove()
    out["forward_hook_name"] = first
    out["forward_hook_equals_cache"] = bool(torch.equal(seen["act"], cache[first]))

    if out["class"] == "OneLayerMLP":
        a, b = data[:, 0], data[:, 1]
        out["embed_stack_is_concat"] = bool(torch.equal(cache["embed_stack"], torch.cat((model.W_x[a], model.W_y[b]), 1)))
        pre = model.x_embed[a] + model.y_embed[b]
        out["x_embed_shape"] = list(model.x_embed.shape)
        out["factored_max_diff"] = float((torch.relu(pre) @ model.W_U - plain).abs().max())
    if out["class"] == "Transformer":
        pattern = cache["blocks.0.attn.hook_pattern"]
        out["pattern_future_max"] = float(torch.triu(pattern, diagonal=1).abs().max())
        out["pattern_row_sum_err"] = float((pattern.sum(-1) - 1).abs().max())

train_data, test_data, train_labels, test_labels = gg.generate_train_test_data(run, group)
out["split_sizes"] = [train_data.shape[0], test_data.shape[0]]
out["labels_are_table"] = bool(torch.equal(train_labels, group["table"][train_data[:, 0], train_data[:, 1]]))
with torch.no_grad():
    out["train_acc"] = float((model(train_data).argmax(1) == train_labels).double().mean())
    out["test_acc"] = float((model(test_data).argmax(1) == test_labels).double().mean())
ident = group["identity"]
out["inverses_ok"] = bool((group["table"][torch.arange(n), group["inverses"]] == ident).all())
out["labels"] = group["labels"]
print(json.dumps(out))
