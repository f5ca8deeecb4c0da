"""
Generate the PyTorch fixtures the vision-zoo tests compare against:

  test/fixtures/vision_blocks.json         one forward + backward per block
                                           (Mixer, ResMLP, gMLP, PoolFormer, bottleneck)
  test/fixtures/vision_<family>.safetensors  a small model's state_dict under the
                                           reference's names (mixer, resmlp, gmlp,
                                           poolformer, scaling_mlp)
  test/fixtures/vision_models.json         those models' inputs, outputs and keys

    /usr/bin/python3 scripts/gen_vision_fixtures.py

Needs PyTorch 1.13 (Debian's python3-torch under /usr/bin/python3; the script
re-runs itself there when the python3 on PATH lacks torch). timm is not
needed: the modules below restate the reference block math (timm's
mlp_mixer.py and layers/mlp.py, sail-sg/poolformer's poolformer.py,
gregorbachmann/scaling_mlps' networks.py) in plain PyTorch, with the
reference's module names so their state_dict keys are the reference's.

Every parameter is redrawn at random (the references' initial values — zero
heads, layer scales of 1e-5, gates at 1 — would hide most of the math), then
rounded to float32. Blocks and models run in float64 on those float32 values
and on float32 inputs, so mlpkit's float32 results differ only by its own
rounding.
"""
import math
import sys

sys.dont_write_bytecode = True

from fixturegen.output import encode, torch_or_reexec, write_json, write_safetensors  # noqa: E402

torch_or_reexec('gen_vision_fixtures')
import torch  # noqa: E402

import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- encoding

enc = encode


def f32(t):
    """Round to the nearest float32 value, kept in float64."""
    return t.to(torch.float32).to(torch.float64)


def randomize(module, gen, scale=0.5):
    """Redraw every parameter as N(0, scale²)/√fan rounded to float32; norm weights near 1."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            fan = p.shape[-1] if p.dim() >= 2 else 1
            if p.dim() == 4:
                fan = p.shape[1] * p.shape[2] * p.shape[3]
            v = torch.randn(p.shape, generator=gen, dtype=torch.float64) * scale / math.sqrt(fan)
            if name.endswith(('norm1.weight', 'norm2.weight', 'norm.weight', '.alpha')):
                v = 1 + v
            p.copy_(f32(v))


# ---------------------------------------------------------------- the reference math, restated

class Mlp(nn.Module):
    """timm Mlp: fc1 -> act -> drop1 -> norm -> fc2 -> drop2 (no dropout here)."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class MixerBlock(nn.Module):
    """x + MLP_tokens(LN(x)^T)^T, then x + MLP_channels(LN(x)); LN eps 1e-6; token hidden = 0.5 dim."""

    def __init__(self, dim, seq_len, ratios=(0.5, 4.0)):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp_tokens = Mlp(seq_len, int(ratios[0] * dim))
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp_channels = Mlp(dim, int(ratios[1] * dim))

    def forward(self, x):
        x = x + self.mlp_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.mlp_channels(self.norm2(x))


class Affine(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1, 1, dim))
        self.beta = nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, x):
        return self.beta + self.alpha * x


class ResBlock(nn.Module):
    """x + ls1 * Linear_tokens(Aff(x)^T)^T, then x + ls2 * MLP(Aff(x))."""

    def __init__(self, dim, seq_len, ratio=4):
        super().__init__()
        self.norm1 = Affine(dim)
        self.linear_tokens = nn.Linear(seq_len, seq_len)
        self.norm2 = Affine(dim)
        self.mlp_channels = Mlp(dim, int(dim * ratio))
        self.ls1 = nn.Parameter(torch.ones(dim))
        self.ls2 = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        x = x + self.ls1 * self.linear_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.ls2 * self.mlp_channels(self.norm2(x))


class SpatialGatingUnit(nn.Module):
    """u * proj_tokens(LN(v)) with (u, v) the channel halves, u first; LN eps 1e-5."""

    def __init__(self, dim, seq_len):
        super().__init__()
        self.norm = nn.LayerNorm(dim // 2)
        self.proj = nn.Linear(seq_len, seq_len)

    def forward(self, x):
        u, v = x.chunk(2, dim=-1)
        v = self.proj(self.norm(v).transpose(-1, -2)).transpose(-1, -2)
        return u * v


class GatedMlp(nn.Module):
    def __init__(self, dim, hidden, seq_len):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.gate = SpatialGatingUnit(hidden, seq_len)
        self.fc2 = nn.Linear(hidden // 2, dim)

    def forward(self, x):
        return self.fc2(self.gate(self.act(self.fc1(x))))


class SpatialGatingBlock(nn.Module):
    """x + GatedMlp(LN(x)), LN eps 1e-6."""

    def __init__(self, dim, seq_len, ratio=6):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.mlp_channels = GatedMlp(dim, int(dim * ratio), seq_len)

    def forward(self, x):
        return x + self.mlp_channels(self.norm(x))


class PatchEmbed(nn.Module):
    """timm: p x p conv with stride p, then [B, D, h, w] -> [B, h*w, D]."""

    def __init__(self, patch, in_chans, dim):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class MlpMixer(nn.Module):
    def __init__(self, block, norm, img=8, patch=4, in_chans=3, blocks=2, dim=8, classes=5):
        super().__init__()
        seq = (img // patch) ** 2
        self.stem = PatchEmbed(patch, in_chans, dim)
        self.blocks = nn.Sequential(*[block(dim, seq) for _ in range(blocks)])
        self.norm = norm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.stem(x))).mean(1))


class Pooling(nn.Module):
    def __init__(self, size=3):
        super().__init__()
        self.pool = nn.AvgPool2d(size, stride=1, padding=size // 2, count_include_pad=False)

    def forward(self, x):
        return self.pool(x) - x


class ConvMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Conv2d(dim, hidden, 1)
        self.act = nn.GELU()
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class PoolFormerBlock(nn.Module):
    """x + ls1[:, None, None] * (Pool(GN(x)) - GN(x)), then x + ls2[:, None, None] * MLP(GN(x)); GN one group."""

    def __init__(self, dim, ratio=4):
        super().__init__()
        self.norm1 = nn.GroupNorm(1, dim)
        self.token_mixer = Pooling(3)
        self.norm2 = nn.GroupNorm(1, dim)
        self.mlp = ConvMlp(dim, int(dim * ratio))
        self.layer_scale_1 = nn.Parameter(torch.ones(dim))
        self.layer_scale_2 = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        x = x + self.layer_scale_1[:, None, None] * self.token_mixer(self.norm1(x))
        return x + self.layer_scale_2[:, None, None] * self.mlp(self.norm2(x))


class ConvEmbed(nn.Module):
    def __init__(self, k, s, p, cin, cout):
        super().__init__()
        self.proj = nn.Conv2d(cin, cout, k, stride=s, padding=p)

    def forward(self, x):
        return self.proj(x)


class PoolFormer(nn.Module):
    """Stages with a downsampling embedding between i and i+1 when asked or when the width changes."""

    def __init__(self, layers, dims, downsamples, classes, stem=(3, 2, 1), down=(3, 2, 1), in_chans=3):
        super().__init__()
        self.patch_embed = ConvEmbed(*stem, in_chans, dims[0])
        net = []
        for i, n in enumerate(layers):
            net.append(nn.Sequential(*[PoolFormerBlock(dims[i]) for _ in range(n)]))
            if i < len(layers) - 1 and (downsamples[i] or dims[i] != dims[i + 1]):
                net.append(ConvEmbed(*down, dims[i], dims[i + 1]))
        self.network = nn.ModuleList(net)
        self.norm = nn.GroupNorm(1, dims[-1])
        self.head = nn.Linear(dims[-1], classes)

    def forward(self, x):
        x = self.patch_embed(x)
        for part in self.network:
            x = part(x)
        return self.head(self.norm(x).mean([-2, -1]))


class BottleneckBlock(nn.Module):
    def __init__(self, thin, wide):
        super().__init__()
        self.block = nn.Sequential(nn.Linear(thin, wide), nn.GELU(), nn.Linear(wide, thin))

    def forward(self, x):
        return self.block(x)


class BottleneckMLP(nn.Module):
    """linear_in -> [x + block(LN(x))] per block -> linear_out, on flattened C, H, W inputs."""

    def __init__(self, dim_in, dim_out, block_dims):
        super().__init__()
        self.linear_in = nn.Linear(dim_in, block_dims[0][1])
        self.linear_out = nn.Linear(block_dims[-1][1], dim_out)
        self.blocks = nn.ModuleList([BottleneckBlock(thin, wide) for wide, thin in block_dims])
        self.layernorms = nn.ModuleList([nn.LayerNorm(thin) for _, thin in block_dims])

    def forward(self, x):
        x = self.linear_in(x.reshape(x.shape[0], -1))
        for block, norm in zip(self.blocks, self.layernorms):
            x = x + block(norm(x))
        return self.linear_out(x)


# ---------------------------------------------------------------- cases

def block_case(name, module, x_shape, gen, config):
    """Forward and backward of one block under a random upstream gradient; params as a state dict."""
    module = module.double()
    randomize(module, gen)
    x = f32(torch.randn(x_shape, generator=gen, dtype=torch.float64)).requires_grad_(True)
    y = module(x)
    g = f32(torch.randn(y.shape, generator=gen, dtype=torch.float64))
    y.backward(g)
    return {
        'name': name,
        'config': config,
        'state': {k: enc(v) for k, v in module.state_dict().items()},
        'input': enc(x),
        'output': enc(y),
        'upstream': enc(g),
        'inputGrad': enc(x.grad),
        'paramGrads': {k: enc(p.grad) for k, p in module.named_parameters()},
    }


def blocks(gen):
    return {'cases': [
        block_case('mixer', MixerBlock(8, 6), (2, 6, 8), gen, {'dim': 8, 'seqLen': 6, 'mlpRatio': [0.5, 4.0]}),
        block_case('resmlp', ResBlock(8, 6), (2, 6, 8), gen, {'dim': 8, 'seqLen': 6, 'mlpRatio': 4}),
        block_case('gmlp', SpatialGatingBlock(8, 6), (2, 6, 8), gen, {'dim': 8, 'seqLen': 6, 'mlpRatio': 6}),
        # 5x5 maps: pooling windows at the border count 4 or 6 cells, in the middle 9.
        block_case('poolformer', PoolFormerBlock(6), (2, 6, 5, 5), gen, {'dim': 6, 'mlpRatio': 4}),
        block_case('bottleneck', BottleneckBlock(8, 32), (3, 8), gen, {'thin': 8, 'wide': 32}),
    ]}


def model_case(family, module, x_shape, gen, config):
    module = module.double()
    randomize(module, gen)
    module.eval()
    x = f32(torch.randn(x_shape, generator=gen, dtype=torch.float64))
    with torch.no_grad():
        y = module(x)
    write_safetensors(f'vision_{family}.safetensors', module.state_dict(), float32=True)
    return {
        'family': family,
        'config': config,
        'keys': list(module.state_dict().keys()),
        'numParameters': sum(p.numel() for p in module.parameters()),
        'input': enc(x),
        'output': enc(y),
    }


def models(gen):
    mixer_cfg = {'numClasses': 5, 'imgSize': 8, 'inChans': 3, 'patchSize': 4, 'numBlocks': 2, 'embedDim': 8}
    layer_norm6 = lambda d: nn.LayerNorm(d, eps=1e-6)
    return {'cases': [
        model_case('mixer', MlpMixer(MixerBlock, layer_norm6), (2, 3, 8, 8), gen, dict(mixer_cfg, mlpRatio=[0.5, 4.0])),
        model_case('resmlp', MlpMixer(ResBlock, Affine), (2, 3, 8, 8), gen, dict(mixer_cfg, mlpRatio=4)),
        model_case('gmlp', MlpMixer(SpatialGatingBlock, layer_norm6), (2, 3, 8, 8), gen, dict(mixer_cfg, mlpRatio=6)),
        # Widths [4, 8, 8, 8] with downsamples [F, T, F, F]: the embedding after stage 0 comes from the width
        # change, the one after stage 1 from the flag, none after stage 2 (network = 6 parts).
        model_case('poolformer', PoolFormer([1, 2, 1, 1], [4, 8, 8, 8], [False, True, False, False], 5), (2, 3, 16, 16), gen, {
            'layers': [1, 2, 1, 1], 'embedDims': [4, 8, 8, 8], 'mlpRatios': [4, 4, 4, 4], 'downsamples': [False, True, False, False],
            'numClasses': 5, 'inPatchSize': 3, 'inStride': 2, 'inPad': 1, 'inChans': 3, 'imgSize': 16,
        }),
        model_case('scaling_mlp', BottleneckMLP(48, 5, [[32, 8], [24, 8]]), (2, 3, 4, 4), gen, {
            'dimIn': 48, 'dimOut': 5, 'blockDims': [[32, 8], [24, 8]], 'norm': 'layer',
        }),
    ]}


def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(5)
    write_json('vision_blocks.json', blocks(gen))
    write_json('vision_models.json', models(gen))


if __name__ == '__main__':
    main()
