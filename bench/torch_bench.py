"""Benchmark worker for PyTorch (run by bench/run.mjs with /usr/bin/python3).

Same tasks and the same networks as bench/mlpkit.mjs and bench/models.mjs;
prints one JSON line. Threads: torch.set_num_threads(task["threads"]).
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def now_ms():
    return time.perf_counter() * 1e3


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def time_reps(fn, budget_ms, warmup=1, min_reps=3, max_reps=1000):
    """As timeReps in bench/timing.mjs: a warm-up call that overruns the budget is the only measurement."""
    for i in range(warmup):
        t0 = now_ms()
        fn()
        dt = now_ms() - t0
        if dt > budget_ms and i == warmup - 1:
            return [dt]
    times = []
    start = now_ms()
    while len(times) < min_reps or (now_ms() - start < budget_ms and len(times) < max_reps):
        t0 = now_ms()
        fn()
        times.append(now_ms() - t0)
    return times


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class MixerBlock(nn.Module):
    def __init__(self, tokens, channels, token_mlp, channel_mlp):
        super().__init__()
        self.norm1 = nn.LayerNorm(channels)
        self.mlp_tokens = Mlp(tokens, token_mlp)
        self.norm2 = nn.LayerNorm(channels)
        self.mlp_channels = Mlp(channels, channel_mlp)

    def forward(self, x):
        x = x + self.mlp_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.mlp_channels(self.norm2(x))


class Mixer(nn.Module):
    def __init__(self, image=32, channels=3, patch=4, hidden=128, token_mlp=64, channel_mlp=512, depth=4, classes=10):
        super().__init__()
        self.p, self.image, self.c = patch, image, channels
        tokens = (image // patch) ** 2
        self.stem = nn.Linear(patch * patch * channels, hidden)
        self.blocks = nn.ModuleList([MixerBlock(tokens, hidden, token_mlp, channel_mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, classes)

    def forward(self, img):
        p, c, g = self.p, self.c, self.image // self.p
        b = img.shape[0]
        x = img.reshape(b, c, g, p, g, p).permute(0, 2, 4, 3, 5, 1).reshape(b, g * g, p * p * c)
        x = self.stem(x)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x).mean(1))


def gemm(sizes, budget_ms):
    out = []
    for m, k, n in sizes:
        a = torch.randn(m, k)
        b = torch.randn(k, n)
        with torch.no_grad():
            times = time_reps(lambda: torch.mm(a, b), budget_ms, min_reps=2)
        out.append({"m": m, "k": k, "n": n, "gflops": 2 * m * k * n / (median(times) * 1e6)})
    return out


def overhead(grad, budget_ms):
    a = torch.randn(8, requires_grad=grad)
    b = torch.randn(8, requires_grad=grad)
    per = 20000

    def loop():
        for _ in range(per):
            torch.add(a, b)

    times = time_reps(loop, budget_ms, warmup=3, min_reps=5)
    return median(times) * 1e3 / per


def micro(task):
    return {"gemm": gemm(task["sizes"], task["gemmBudgetMs"]),
            "overheadUs": overhead(False, task["overheadBudgetMs"]),
            "overheadGradUs": overhead(True, task["overheadBudgetMs"])}


def train(task):
    torch.manual_seed(0)
    if task["model"] == "mlp":
        net = nn.Sequential(nn.Linear(784, 512), nn.GELU(), nn.Linear(512, 512), nn.GELU(),
                            nn.Linear(512, 512), nn.GELU(), nn.Linear(512, 10))
        batch = 256
        x = torch.randn(batch, 784)
    else:
        net = Mixer()
        batch = 128
        x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    state = {}

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        state["loss"] = loss.item()

    t0 = now_ms()
    times = time_reps(step, task["budgetMs"], warmup=task["warmup"], min_reps=2)
    params = sum(p.numel() for p in net.parameters())
    return {"samplesPerSec": batch / (median(times) / 1e3), "steps": len(times), "params": params,
            "loss": state["loss"], "wallMs": now_ms() - t0}


def main():
    task = json.loads(sys.argv[1])
    torch.set_num_threads(task.get("threads", 1))
    try:
        result = {"micro": micro, "train": train}[task["kind"]](task)
        result["torch"] = torch.__version__
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"ok": True, "result": result, "peakRssMiB": rss}))
    except Exception as e:  # reported to the driver, which prints it
        print(json.dumps({"ok": False, "error": repr(e)}))


main()
