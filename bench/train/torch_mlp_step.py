"""Times one full-batch training step (forward, float64 loss, backward, AdamW) of the S5 MLP in PyTorch, with
torch.set_num_threads(torch_threads) and OpenBLAS (which torch.set_num_threads does not reach in Debian's torch) on
blas_threads threads, in the original formulation (concatenate [W_x[a]; W_y[b]], then multiply by W) and factored
((W_x W_top)[a] + (W_y W_bottom)[b]). Usage:
torch_mlp_step.py [--device cpu|cuda] [--n 5] [--seeds 1] [frac_train] [steps] [rounds] [torch_threads] [blas_threads]
(threads default 1). --n picks S_n (S6: N = 720). --seeds S > 1 trains S members at once (each its own split and
initialisation) with batched matrix products (bmm) and one AdamW over the stacked parameters (AdamW is elementwise,
so that is each member's own AdamW). On cuda each round is timed between torch.cuda.synchronize() calls.
Prints per formulation `torch_<name>_ms_per_step=<median wall ms>` and `torch_<name>_cpu_ms_per_step=<median CPU ms>`."""
import itertools
import sys
import time

from torch_threads import import_torch


def option(name, default):
    if name in sys.argv:
        i = sys.argv.index(name)
        value = sys.argv[i + 1]
        del sys.argv[i : i + 2]
        return value
    return default


device = option("--device", "cpu")
n = int(option("--n", "5"))
S = int(option("--seeds", "1"))
torch = import_torch(int(sys.argv[4]) if len(sys.argv) > 4 else 1, int(sys.argv[5]) if len(sys.argv) > 5 else 1)
frac = float(sys.argv[1]) if len(sys.argv) > 1 else 0.4
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
d_e, h = 256, 128
cuda = device.startswith("cuda")
sync = torch.cuda.synchronize if cuda else (lambda: None)

perms = list(itertools.permutations(range(n)))
index = {p: i for i, p in enumerate(perms)}
N = len(perms)
table = torch.tensor([[index[tuple(q[p[i]] for i in range(n))] for q in perms] for p in perms])
g = torch.Generator().manual_seed(1)
R = int(frac * N * N)
if S == 1:
    rows = torch.randperm(N * N, generator=g)[:R]
else:
    rows = torch.stack([torch.randperm(N * N, generator=g)[:R] for _ in range(S)])  # [S, R]
a, b = rows // N, rows % N
y = table[a, b].to(device)
a, b = a.to(device), b.to(device)
member = torch.arange(S, device=device)[:, None]  # [S, 1], for W[member, a]


def params():
    torch.manual_seed(1)
    lead = () if S == 1 else (S,)
    return [
        torch.nn.Parameter((torch.randn(*lead, N, d_e) / d_e**0.5).to(device)),
        torch.nn.Parameter((torch.randn(*lead, N, d_e) / d_e**0.5).to(device)),
        torch.nn.Parameter((torch.randn(*lead, 2 * d_e, h) / (2 * d_e) ** 0.5).to(device)),
        torch.nn.Parameter((torch.randn(*lead, h, N) / h**0.5).to(device)),
    ]


def original(W_x, W_y, W, W_U):
    if S > 1:
        embed_stack = torch.cat([W_x[member, a], W_y[member, b]], dim=2)  # [S, R, 2d_e]
        return torch.relu(embed_stack.bmm(W)).bmm(W_U)
    embed_stack = torch.cat([W_x[a], W_y[b]], dim=1)  # [R, 2d_e]
    return torch.relu(embed_stack @ W) @ W_U


def factored(W_x, W_y, W, W_U):
    if S > 1:
        E_a = W_x.bmm(W[:, :d_e])  # [S, N, h]
        E_b = W_y.bmm(W[:, d_e:])
        return torch.relu(E_a[member, a] + E_b[member, b]).bmm(W_U)
    E_a = W_x @ W[:d_e]  # [N, h]
    E_b = W_y @ W[d_e:]
    return torch.relu(E_a[a] + E_b[b]) @ W_U


for name, forward in [("original", original), ("factored", factored)]:
    ps = params()
    opt = torch.optim.AdamW(ps, lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))

    def step():
        logits = forward(*ps).to(torch.float64)
        # per member: the mean over its rows; summed over members, each member's gradient is its own
        loss = -torch.log_softmax(logits, dim=-1).gather(-1, y[..., None]).mean(dim=-2).sum()
        loss.backward()
        opt.step()
        opt.zero_grad()

    for _ in range(5):
        step()
    sync()
    per_round, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(steps):
            step()
        sync()
        per_round.append((time.perf_counter() - t0) / steps * 1000)
        cpu.append((time.process_time() - c0) / steps * 1000)
    per_round.sort()
    cpu.sort()
    print(f"torch_{name}_ms_per_step={per_round[len(per_round) // 2]:.3f}", flush=True)
    print(f"torch_{name}_cpu_ms_per_step={cpu[len(cpu) // 2]:.3f}", flush=True)
print(f"device={device} N={N} seeds={S} rows={R} torch={torch.__version__}", flush=True)
