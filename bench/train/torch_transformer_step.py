"""The paper's one-layer transformer written plainly in PyTorch (REFERENCE §2.2): 4 heads, d_model 128,
d_head 32, d_mlp 512, ReLU, no LayerNorm, learned positional embedding, causal attention over (a, b, "="),
logits at the last position, frozen zero biases; full-batch AdamW(lr 1e-3, wd 1.0, betas (0.9, 0.98)) with
float64 cross-entropy. Prints the median milliseconds per training step, with torch.set_num_threads(torch_threads)
and OpenBLAS (which torch.set_num_threads does not reach in Debian's torch) on blas_threads threads.

usage: python3 torch_transformer_step.py [--device cpu|cuda] [train_rows=8640] [steps=20] [torch_threads=1] [blas_threads=1]
(group order N = 120, like S5). On cuda the steps are timed in rounds of 10 between torch.cuda.synchronize() calls (no
loss.item() in them, so the host does not wait for each step), and the median round's ms per step is printed.
"""
import math
import sys
import time

from torch_threads import import_torch

device = "cpu"
if "--device" in sys.argv:
    i = sys.argv.index("--device")
    device = sys.argv[i + 1]
    del sys.argv[i : i + 2]

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 8640
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
torch = import_torch(int(sys.argv[3]) if len(sys.argv) > 3 else 1, int(sys.argv[4]) if len(sys.argv) > 4 else 1)
torch.manual_seed(0)

N, D, H, E, F = 120, 128, 4, 32, 512
std = 0.8 / math.sqrt(D)


def w(*shape):
    return torch.nn.Parameter((torch.randn(*shape) * std).to(device))


def b(*shape):
    return torch.nn.Parameter(torch.zeros(*shape, device=device), requires_grad=False)


W_E, W_pos = w(N + 1, D), w(3, D)
W_Q, W_K, W_V, W_O = w(H, D, E), w(H, D, E), w(H, D, E), w(H, E, D)
b_Q, b_K, b_V, b_O = b(H, E), b(H, E), b(H, E), b(D)
W_in, b_in, W_out, b_out = w(D, F), b(F), w(F, D), b(D)
W_U, b_U = w(D, N), b(N)
params = [W_E, W_pos, W_Q, W_K, W_V, W_O, W_in, W_out, W_U]
opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))

pairs = torch.randperm(N * N)[:rows]
tokens = torch.stack([pairs // N, pairs % N, torch.full_like(pairs, N)], dim=1).to(device)
labels = torch.randint(0, N, (rows,)).to(device)
mask = torch.tril(torch.ones(3, 3, dtype=torch.bool)).to(device)


def forward(tokens):
    R = tokens.shape[0]
    x = W_E[tokens] + W_pos  # [R, 3, D]
    heads = lambda W: W.permute(1, 0, 2).reshape(D, H * E)  # [H, D, E] -> [D, H*E]
    q = (x @ heads(W_Q)).view(R, 3, H, E).transpose(1, 2) + b_Q[None, :, None, :]  # [R, H, 3, E]
    k = (x @ heads(W_K)).view(R, 3, H, E).transpose(1, 2) + b_K[None, :, None, :]
    v = (x @ heads(W_V)).view(R, 3, H, E).transpose(1, 2) + b_V[None, :, None, :]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(E)  # [R, H, 3, 3]
    pattern = scores.masked_fill(~mask, float('-inf')).softmax(dim=-1)
    z = (pattern @ v).transpose(1, 2).reshape(R, 3, H * E)  # [R, 3, H*E]
    x = x + z @ W_O.reshape(H * E, D) + b_O
    x = x + torch.relu(x @ W_in + b_in) @ W_out + b_out
    return (x @ W_U + b_U)[:, -1, :]


def step(item=True):
    logits = forward(tokens).to(torch.float64)
    loss = -logits.log_softmax(dim=-1).gather(1, labels[:, None]).mean()
    loss.backward()
    opt.step()
    opt.zero_grad()
    return loss.item() if item else None


for _ in range(3):
    step()
times = []
if device.startswith("cuda"):
    torch.cuda.synchronize()
    per = 10
    for _ in range(max(1, steps // per)):
        t0 = time.perf_counter()
        for _ in range(per):
            step(item=False)
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1000 / per)
else:
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(f"torch_ms_per_step={times[len(times) // 2]:.2f} min={times[0]:.2f} rows={rows} device={device} torch={torch.__version__}")
