"""Times one full-batch training step (forward, float64 loss, backward, AdamW) of the S5 MLP in PyTorch, with
torch.set_num_threads(torch_threads) and OpenBLAS (which torch.set_num_threads does not reach in Debian's torch) on
blas_threads threads, in the original formulation (concatenate [W_x[a]; W_y[b]], then multiply by W) and factored
((W_x W_top)[a] + (W_y W_bottom)[b]). Usage:
torch_mlp_step.py [frac_train] [steps] [rounds] [torch_threads] [blas_threads] (threads default 1).
Prints per formulation `torch_<name>_ms_per_step=<median wall ms>` and `torch_<name>_cpu_ms_per_step=<median CPU ms>`."""
import itertools
import sys
import time

from torch_threads import import_torch

torch = import_torch(int(sys.argv[4]) if len(sys.argv) > 4 else 1, int(sys.argv[5]) if len(sys.argv) > 5 else 1)
frac = float(sys.argv[1]) if len(sys.argv) > 1 else 0.4
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
d_e, h = 256, 128

perms = list(itertools.permutations(range(5)))
index = {p: i for i, p in enumerate(perms)}
N = len(perms)
table = torch.tensor([[index[tuple(q[p[i]] for i in range(5))] for q in perms] for p in perms])
g = torch.Generator().manual_seed(1)
rows = torch.randperm(N * N, generator=g)[: int(frac * N * N)]
a, b = rows // N, rows % N
y = table[a, b]


def params():
    torch.manual_seed(1)
    return [
        torch.nn.Parameter(torch.randn(N, d_e) / d_e**0.5),
        torch.nn.Parameter(torch.randn(N, d_e) / d_e**0.5),
        torch.nn.Parameter(torch.randn(2 * d_e, h) / (2 * d_e) ** 0.5),
        torch.nn.Parameter(torch.randn(h, N) / h**0.5),
    ]


def original(W_x, W_y, W, W_U):
    embed_stack = torch.cat([W_x[a], W_y[b]], dim=1)  # [R, 2d_e]
    return torch.relu(embed_stack @ W) @ W_U


def factored(W_x, W_y, W, W_U):
    E_a = W_x @ W[:d_e]  # [N, h]
    E_b = W_y @ W[d_e:]
    return torch.relu(E_a[a] + E_b[b]) @ W_U


for name, forward in [("original", original), ("factored", factored)]:
    ps = params()
    opt = torch.optim.AdamW(ps, lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))

    def step():
        logits = forward(*ps).to(torch.float64)
        loss = -torch.log_softmax(logits, dim=-1).gather(1, y[:, None]).mean()
        loss.backward()
        opt.step()
        opt.zero_grad()

    for _ in range(5):
        step()
    per_round, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(steps):
            step()
        per_round.append((time.perf_counter() - t0) / steps * 1000)
        cpu.append((time.process_time() - c0) / steps * 1000)
    per_round.sort()
    cpu.sort()
    print(f"torch_{name}_ms_per_step={per_round[len(per_round) // 2]:.3f}", flush=True)
    print(f"torch_{name}_cpu_ms_per_step={cpu[len(cpu) // 2]:.3f}", flush=True)
