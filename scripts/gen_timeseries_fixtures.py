"""
Generate the PyTorch fixtures the time-series tests compare against:

  test/fixtures/timeseries_blocks.json   decomposition, RevIN, gated attention,
                                         patching, scaling, and single mixer blocks
  test/fixtures/timeseries_models.json   TSMixer, PatchTSMixer and TimeMixer end to end
  test/fixtures/timeseries_data.json     calendar features of some timestamps

    /usr/bin/python3 scripts/gen_timeseries_fixtures.py

Needs PyTorch 1.13 (Debian's python3-torch under /usr/bin/python3; the script
re-runs itself there when the python3 on PATH lacks torch).

The reference models are written out below in PyTorch from their equations,
module by module, with the reference attribute names, so that their
state_dict keys are the ones mlpkit must load:
  - TSMixer: the Keras model of google-research/tsmixer (tsmixer.py,
    rev_in.py) — norms over the (time, feature) slab, Keras constants
    (eps 1e-3, BN momentum 0.99, biased running variance). It has no PyTorch
    names; the keys here are mlpkit's documented ones.
  - PatchTSMixer: transformers' PatchTSMixerForPrediction.
  - TimeMixer: kwuking/TimeMixer's Model (long_term_forecast).
Every case runs in float64 on weights rounded to a 1e-4 grid and inputs
rounded to 1e-3, with dropout 0, and stores the state dict, the inputs, the
output, a random upstream gradient and the gradients of the inputs and of
every parameter.
"""
import datetime
import json
import math
import os
import sys

sys.dont_write_bytecode = True

try:
    import torch
except ImportError:
    if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3', *sys.argv])
    sys.exit('gen_timeseries_fixtures: PyTorch is not importable (it runs under /usr/bin/python3)')

import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')


def num(v):
    if not math.isfinite(v):
        raise ValueError(f'non-finite value {v} in a fixture')
    r = float(f'{v:.8g}')
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def enc(t):
    t = t.detach()
    if t.is_floating_point():
        return {'shape': list(t.shape), 'dtype': 'float32', 'data': [num(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'dtype': 'int32', 'data': [int(v) for v in t.reshape(-1).tolist()]}


def rnd(shape, scale=1.0, digits=3):
    return torch.round(torch.randn(*shape) * scale * 10 ** digits) / 10 ** digits


def grid(module):
    """Round every parameter to a 1e-4 grid (float32 then holds them almost exactly)."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.round(p * 1e4) / 1e4)
    return module


def case(module, inputs, *, state=None, skip=(), call=None, extra=None):
    """Run module(*inputs) with gradients; record state, inputs, output and all gradients."""
    inputs = [x.clone().requires_grad_(x.is_floating_point()) if x is not None else None for x in inputs]
    sd = {k: enc(v) for k, v in (state if state is not None else module.state_dict()).items() if k not in skip}
    out = call(*inputs) if call else module(*inputs)
    g = rnd(out.shape)
    params = dict(module.named_parameters())
    for p in params.values():
        p.grad = None
    out.backward(g)
    rec = {
        'state_dict': sd,
        'inputs': [enc(x) if x is not None else None for x in inputs],
        'output': enc(out),
        'grad_output': enc(g),
        'grad_inputs': [enc(x.grad) if x is not None and x.grad is not None else None for x in inputs],
        'grad_params': {k: enc(p.grad) for k, p in params.items() if p.grad is not None},
    }
    if extra:
        rec.update(extra)
    return rec


# --------------------------------------------------------------------------- shared blocks

class MovingAvg(nn.Module):
    """Autoformer moving_avg: repeat the end rows (k−1)//2 times each side, AvgPool1d(k, stride 1) over time."""

    def __init__(self, k):
        super().__init__()
        self.kernel_size = k
        self.avg = nn.AvgPool1d(kernel_size=k, stride=1, padding=0)

    def forward(self, x):
        p = (self.kernel_size - 1) // 2
        x = torch.cat([x[:, :1, :].repeat(1, p, 1), x, x[:, -1:, :].repeat(1, p, 1)], dim=1)
        return self.avg(x.transpose(1, 2)).transpose(1, 2)


class SeriesDecomp(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.moving_avg = MovingAvg(k)

    def forward(self, x):
        trend = self.moving_avg(x)
        return x - trend, trend


class RevNorm(nn.Module):
    """RevIN with statistics over time (no gradient); TSMixer divides by the weight, TimeMixer by weight + eps²."""

    def __init__(self, n, eps=1e-5, weight_eps=False):
        super().__init__()
        self.eps = eps
        self.weight_eps = weight_eps
        self.affine_weight = nn.Parameter(torch.ones(n))
        self.affine_bias = nn.Parameter(torch.zeros(n))

    def norm(self, x):
        self.mean = x.mean(1, keepdim=True).detach()
        self.stdev = torch.sqrt(x.var(1, keepdim=True, unbiased=False) + self.eps).detach()
        return (x - self.mean) / self.stdev * self.affine_weight + self.affine_bias

    def denorm(self, x):
        w = self.affine_weight + self.eps * self.eps if self.weight_eps else self.affine_weight
        return (x - self.affine_bias) / w * self.stdev + self.mean


# --------------------------------------------------------------------------- TSMixer (Keras math)

class KerasBN(nn.Module):
    """BatchNormalization(axis=[-2, -1]): per (time, feature) statistics over the batch."""

    def __init__(self, L, C, eps=1e-3, momentum=0.99):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(L, C))
        self.bias = nn.Parameter(torch.zeros(L, C))
        self.register_buffer('running_mean', torch.zeros(L, C))
        self.register_buffer('running_var', torch.ones(L, C))

    def forward(self, x):
        if self.training:
            mean = x.mean(0)
            var = ((x - mean) ** 2).mean(0)
            with torch.no_grad():
                self.running_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)
                self.running_var.mul_(self.momentum).add_((1 - self.momentum) * var)
            y = (x - mean) / torch.sqrt(var + self.eps)
        else:
            y = (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)
        return y * self.weight + self.bias


class KerasLN(nn.Module):
    """LayerNormalization(axis=[-2, -1]): each sample over its whole [L, C] slab."""

    def __init__(self, L, C, eps=1e-3):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(L, C))
        self.bias = nn.Parameter(torch.zeros(L, C))

    def forward(self, x):
        mean = x.mean((1, 2), keepdim=True)
        var = ((x - mean) ** 2).mean((1, 2), keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


class TSMixerBlock(nn.Module):
    def __init__(self, L, C, ff, norm, act):
        super().__init__()
        N = KerasBN if norm == 'B' else KerasLN
        self.temporal_norm = N(L, C)
        self.temporal_linear = nn.Linear(L, L)
        self.feature_norm = N(L, C)
        self.fc1 = nn.Linear(C, ff)
        self.fc2 = nn.Linear(ff, C)
        self.act = F.relu if act == 'relu' else F.gelu

    def forward(self, x):
        y = self.act(self.temporal_linear(self.temporal_norm(x).transpose(1, 2))).transpose(1, 2)
        res = x + y
        y = self.fc2(self.act(self.fc1(self.feature_norm(res))))
        return y + res


class TSMixer(nn.Module):
    def __init__(self, L, H, C, n_block, ff, norm, act, rev_in):
        super().__init__()
        self.rev_norm = RevNorm(C) if rev_in else None
        self.blocks = nn.ModuleList([TSMixerBlock(L, C, ff, norm, act) for _ in range(n_block)])
        self.head = nn.Linear(L, H)

    def forward(self, x):
        if self.rev_norm is not None:
            x = self.rev_norm.norm(x)
        for b in self.blocks:
            x = b(x)
        out = self.head(x.transpose(1, 2)).transpose(1, 2)
        return self.rev_norm.denorm(out) if self.rev_norm is not None else out


def randomize_affine(m):
    """Norm scales/shifts away from 1/0 so the tests see them."""
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.endswith('affine_weight') or (('norm' in name) and name.endswith('weight')):
                p.copy_(1 + 0.1 * torch.randn_like(p))
            elif name.endswith('affine_bias') or (('norm' in name) and name.endswith('bias')):
                p.copy_(0.1 * torch.randn_like(p))
        for name, b in m.named_buffers():
            if name.endswith('running_mean'):
                b.copy_(torch.round(0.1 * torch.randn_like(b) * 1e4) / 1e4)
            elif name.endswith('running_var'):
                b.copy_(torch.round((1 + 0.2 * torch.rand_like(b)) * 1e4) / 1e4)
    return m


def tsmixer_cases():
    out = []
    for norm, act, rev_in, train in [('B', 'relu', True, True), ('B', 'gelu', False, False), ('L', 'gelu', True, True)]:
        L, H, C, nb, ff, B = 12, 5, 3, 2, 6, 4
        m = grid(randomize_affine(TSMixer(L, H, C, nb, ff, norm, act, rev_in)))
        m.train(train)
        x = rnd((B, L, C)) * 2 + 1
        state = {k: v.clone() for k, v in m.state_dict().items()}
        rec = case(m, [x], state=state)
        rec['config'] = {'seqLen': L, 'predLen': H, 'numChannels': C, 'nBlock': nb, 'ffDim': ff, 'dropout': 0, 'normType': norm, 'activation': act, 'revIn': rev_in}
        rec['training'] = train
        rec['state_after'] = {k: enc(v) for k, v in m.state_dict().items() if 'running' in k}
        out.append(rec)
    return out


# --------------------------------------------------------------------------- PatchTSMixer (transformers names)

class Cfg:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class PatchTSMixerGatedAttention(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.attn_layer = nn.Linear(n_in, n_out)
        self.attn_softmax = nn.Softmax(dim=-1)

    def forward(self, x):
        return x * self.attn_softmax(self.attn_layer(x))


class PatchTSMixerBatchNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.batchnorm = nn.BatchNorm1d(c.d_model, eps=c.norm_eps)

    def forward(self, x):
        return self.batchnorm(x.transpose(1, 2)).transpose(1, 2)


class PatchTSMixerNormLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.batch = 'batch' in c.norm_mlp.lower()
        self.norm = PatchTSMixerBatchNorm(c) if self.batch else nn.LayerNorm(c.d_model, eps=c.norm_eps)

    def forward(self, x):
        if not self.batch:
            return self.norm(x)
        s = x.shape
        return self.norm(x.reshape(s[0] * s[1], s[2], s[3])).reshape(s)


class PatchTSMixerMLP(nn.Module):
    def __init__(self, n_in, n_out, c):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_in * c.expansion_factor)
        self.dropout1 = nn.Dropout(c.dropout)
        self.fc2 = nn.Linear(n_in * c.expansion_factor, n_out)
        self.dropout2 = nn.Dropout(c.dropout)

    def forward(self, x):
        return self.dropout2(self.fc2(self.dropout1(F.gelu(self.fc1(x)))))


class PatchTSMixerChannelFeatureMixerBlock(nn.Module):
    """Gate BEFORE the MLP, over channels."""

    def __init__(self, c):
        super().__init__()
        self.norm = PatchTSMixerNormLayer(c)
        self.gated_attn = c.gated_attn
        self.mlp = PatchTSMixerMLP(c.num_input_channels, c.num_input_channels, c)
        if c.gated_attn:
            self.gating_block = PatchTSMixerGatedAttention(c.num_input_channels, c.num_input_channels)

    def forward(self, x):
        h = self.norm(x).permute(0, 3, 2, 1)
        if self.gated_attn:
            h = self.gating_block(h)
        return self.mlp(h).permute(0, 3, 2, 1) + x


class PatchMixerBlock(nn.Module):
    """Gate AFTER the MLP, over patches."""

    def __init__(self, c):
        super().__init__()
        self.norm = PatchTSMixerNormLayer(c)
        self.gated_attn = c.gated_attn
        self.mlp = PatchTSMixerMLP(c.num_patches, c.num_patches, c)
        if c.gated_attn:
            self.gating_block = PatchTSMixerGatedAttention(c.num_patches, c.num_patches)

    def forward(self, x):
        h = self.mlp(self.norm(x).transpose(2, 3))
        if self.gated_attn:
            h = self.gating_block(h)
        return h.transpose(2, 3) + x


class FeatureMixerBlock(nn.Module):
    """Gate AFTER the MLP, over d_model."""

    def __init__(self, c):
        super().__init__()
        self.norm = PatchTSMixerNormLayer(c)
        self.gated_attn = c.gated_attn
        self.mlp = PatchTSMixerMLP(c.d_model, c.d_model, c)
        if c.gated_attn:
            self.gating_block = PatchTSMixerGatedAttention(c.d_model, c.d_model)

    def forward(self, x):
        h = self.mlp(self.norm(x))
        if self.gated_attn:
            h = self.gating_block(h)
        return h + x


class PatchTSMixerLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.patch_mixer = PatchMixerBlock(c)
        self.feature_mixer = FeatureMixerBlock(c)
        self.mode = c.mode
        if c.mode == 'mix_channel':
            self.channel_feature_mixer = PatchTSMixerChannelFeatureMixerBlock(c)

    def forward(self, x):
        if self.mode == 'mix_channel':
            x = self.channel_feature_mixer(x)
        return self.feature_mixer(self.patch_mixer(x))


class PatchTSMixerBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.mixers = nn.ModuleList([PatchTSMixerLayer(c) for _ in range(c.num_layers)])

    def forward(self, x):
        for m in self.mixers:
            x = m(x)
        return x


class PatchTSMixerPositionalEncoding(nn.Module):
    def __init__(self, c):
        super().__init__()
        pe = torch.zeros(c.num_patches, c.d_model)
        pos = torch.arange(0, c.num_patches).unsqueeze(1)
        div = torch.exp(torch.arange(0, c.d_model, 2) * -(math.log(10000.0) / c.d_model))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        pe = pe - pe.mean()
        pe = pe / (pe.std() * 10)
        self.position_enc = nn.Parameter(pe, requires_grad=False)

    def forward(self, x):
        return x + self.position_enc


class PatchTSMixerEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.patcher = nn.Linear(c.patch_length, c.d_model)
        self.positional_encoder = PatchTSMixerPositionalEncoding(c) if c.use_positional_encoding else None
        self.mlp_mixer_encoder = PatchTSMixerBlock(c)

    def forward(self, x):
        h = self.patcher(x)
        if self.positional_encoder is not None:
            h = self.positional_encoder(h)
        return self.mlp_mixer_encoder(h)


def patchify(x, c):
    start = c.context_length - (c.patch_length + c.patch_stride * (c.num_patches - 1))
    return x[:, start:, :].unfold(-2, c.patch_length, c.patch_stride).transpose(-2, -3).contiguous()


def scale(x, kind):
    if kind == 'std':
        loc = x.mean(1, keepdim=True)
        var = ((x - loc) ** 2).mean(1, keepdim=True)
        s = torch.sqrt(var + 1e-5)
        return (x - loc) / s, loc, s
    if kind == 'mean':
        s = torch.clamp(x.abs().sum(1, keepdim=True) / x.shape[1], min=1e-10)
        return x / s, torch.zeros_like(s), s
    return x, torch.zeros(x.shape[0], 1, x.shape[2]), torch.ones(x.shape[0], 1, x.shape[2])


class PatchTSMixerModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.encoder = PatchTSMixerEncoder(c)

    def forward(self, x):
        xs, loc, s = scale(x, self.c.scaling)
        return self.encoder(patchify(xs, self.c)), loc, s


class PatchTSMixerForPredictionHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dropout_layer = nn.Dropout(c.head_dropout)
        self.base_forecast_block = nn.Linear(c.num_patches * c.d_model, c.prediction_length)

    def forward(self, h):
        return self.base_forecast_block(self.dropout_layer(h.flatten(start_dim=-2))).transpose(-1, -2)


class PatchTSMixerForPrediction(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.model = PatchTSMixerModel(c)
        self.head = PatchTSMixerForPredictionHead(c)

    def forward(self, x):
        h, loc, s = self.model(x)
        return self.head(h) * s + loc


def ptsm_cfg(**kw):
    c = dict(context_length=24, patch_length=6, patch_stride=6, num_input_channels=3, d_model=8, expansion_factor=2, num_layers=2,
             dropout=0.0, head_dropout=0.0, mode='common_channel', gated_attn=True, norm_mlp='LayerNorm', self_attn=False,
             use_positional_encoding=False, positional_encoding_type='sincos', scaling='std', norm_eps=1e-5, prediction_length=5)
    c.update(kw)
    c['num_patches'] = (max(c['context_length'], c['patch_length']) - c['patch_length']) // c['patch_stride'] + 1
    return Cfg(**c)


def camel(cfg):
    keys = ['context_length', 'patch_length', 'patch_stride', 'num_input_channels', 'd_model', 'expansion_factor', 'num_layers', 'dropout',
            'head_dropout', 'mode', 'gated_attn', 'norm_mlp', 'self_attn', 'use_positional_encoding', 'positional_encoding_type', 'scaling',
            'norm_eps', 'prediction_length']
    return {''.join(w.capitalize() if i else w for i, w in enumerate(k.split('_'))): getattr(cfg, k) for k in keys}


def patchtsmixer_cases():
    out = []
    variants = [
        dict(),
        dict(mode='mix_channel', norm_mlp='BatchNorm', context_length=23, patch_stride=4, use_positional_encoding=True, scaling='mean'),
        dict(gated_attn=False, scaling=None, mode='mix_channel'),
    ]
    for v in variants:
        c = ptsm_cfg(**v)
        m = grid(randomize_affine(PatchTSMixerForPrediction(c)))
        x = rnd((2, c.context_length, c.num_input_channels)) * 2 + 0.5
        rec = case(m, [x])
        rec['config'] = camel(c)
        rec['training'] = True
        out.append(rec)
    return out


# --------------------------------------------------------------------------- TimeMixer (kwuking names)

class TokenEmbedding(nn.Module):
    def __init__(self, c_in, d_model):
        super().__init__()
        self.tokenConv = nn.Conv1d(c_in, d_model, kernel_size=3, padding=1, padding_mode='circular', bias=False)

    def forward(self, x):
        return self.tokenConv(x.permute(0, 2, 1)).transpose(1, 2)


class PositionalEmbedding(nn.Module):
    def __init__(self, d_model, max_len=5000):
        super().__init__()
        pe = torch.zeros(max_len, d_model, dtype=torch.float32)
        pos = torch.arange(0, max_len, dtype=torch.float32).unsqueeze(1)
        div = (torch.arange(0, d_model, 2, dtype=torch.float32) * -(math.log(10000.0) / d_model)).exp()
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer('pe', pe.unsqueeze(0))


class TimeFeatureEmbedding(nn.Module):
    def __init__(self, d_model, d_inp):
        super().__init__()
        self.embed = nn.Linear(d_inp, d_model, bias=False)

    def forward(self, x):
        return self.embed(x)


class DataEmbedding_wo_pos(nn.Module):
    def __init__(self, c_in, d_model, d_inp, dropout):
        super().__init__()
        self.value_embedding = TokenEmbedding(c_in, d_model)
        self.position_embedding = PositionalEmbedding(d_model)
        self.temporal_embedding = TimeFeatureEmbedding(d_model, d_inp)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, x_mark):
        if x is None:
            return self.temporal_embedding(x_mark)
        h = self.value_embedding(x)
        if x_mark is not None:
            h = h + self.temporal_embedding(x_mark)
        return self.dropout(h)


def lens(c):
    return [c.seq_len // c.down_sampling_window ** i for i in range(c.down_sampling_layers + 1)]


class MultiScaleSeasonMixing(nn.Module):
    def __init__(self, c):
        super().__init__()
        L = lens(c)
        self.down_sampling_layers = nn.ModuleList([nn.Sequential(nn.Linear(L[i], L[i + 1]), nn.GELU(), nn.Linear(L[i + 1], L[i + 1])) for i in range(c.down_sampling_layers)])

    def forward(self, seasons):
        high = seasons[0]
        out = [high.permute(0, 2, 1)]
        for i in range(len(seasons) - 1):
            high = seasons[i + 1] + self.down_sampling_layers[i](high)
            out.append(high.permute(0, 2, 1))
        return out


class MultiScaleTrendMixing(nn.Module):
    def __init__(self, c):
        super().__init__()
        L = lens(c)
        self.up_sampling_layers = nn.ModuleList([nn.Sequential(nn.Linear(L[i + 1], L[i]), nn.GELU(), nn.Linear(L[i], L[i])) for i in reversed(range(c.down_sampling_layers))])

    def forward(self, trends):
        rev = list(reversed(trends))
        low = rev[0]
        out = [low.permute(0, 2, 1)]
        for i in range(len(rev) - 1):
            low = rev[i + 1] + self.up_sampling_layers[i](low)
            out.append(low.permute(0, 2, 1))
        return list(reversed(out))


class PastDecomposableMixing(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer_norm = nn.LayerNorm(c.d_model)
        self.dropout = nn.Dropout(c.dropout)
        self.channel_independence = c.channel_independence
        self.decompsition = SeriesDecomp(c.moving_avg)
        if c.channel_independence == 0:
            self.cross_layer = nn.Sequential(nn.Linear(c.d_model, c.d_ff), nn.GELU(), nn.Linear(c.d_ff, c.d_model))
        self.mixing_multi_scale_season = MultiScaleSeasonMixing(c)
        self.mixing_multi_scale_trend = MultiScaleTrendMixing(c)
        self.out_cross_layer = nn.Sequential(nn.Linear(c.d_model, c.d_ff), nn.GELU(), nn.Linear(c.d_ff, c.d_model))

    def forward(self, xs):
        seasons, trends = [], []
        for x in xs:
            s, t = self.decompsition(x)
            if self.channel_independence == 0:
                s, t = self.cross_layer(s), self.cross_layer(t)
            seasons.append(s.permute(0, 2, 1))
            trends.append(t.permute(0, 2, 1))
        ms = self.mixing_multi_scale_season(seasons)
        mt = self.mixing_multi_scale_trend(trends)
        out = []
        for x, s, t in zip(xs, ms, mt):
            o = s + t
            if self.channel_independence:  # the reference has no residual otherwise
                o = x + self.out_cross_layer(o)
            out.append(o[:, :x.shape[1], :])
        return out


class TimeMixerModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.pdm_blocks = nn.ModuleList([PastDecomposableMixing(c) for _ in range(c.e_layers)])
        self.preprocess = SeriesDecomp(c.moving_avg)
        self.enc_embedding = DataEmbedding_wo_pos(1 if c.channel_independence else c.enc_in, c.d_model, c.d_inp, c.dropout)
        self.normalize_layers = nn.ModuleList([RevNorm(c.enc_in, weight_eps=True) for _ in range(c.down_sampling_layers + 1)])
        L = lens(c)
        self.predict_layers = nn.ModuleList([nn.Linear(t, c.pred_len) for t in L])
        self.projection_layer = nn.Linear(c.d_model, 1 if c.channel_independence else c.c_out)
        if not c.channel_independence:
            self.out_res_layers = nn.ModuleList([nn.Linear(t, t) for t in L])
            self.regression_layers = nn.ModuleList([nn.Linear(t, c.pred_len) for t in L])

    def forward(self, x, x_mark, y_mark):
        c = self.c
        B, T, N = x.shape
        if c.use_future_temporal_feature:
            ym = y_mark.repeat(N, 1, 1) if c.channel_independence else y_mark
            x_mark_dec = self.enc_embedding(None, ym)
        pool = (lambda t: F.avg_pool1d(t, c.down_sampling_window)) if c.down_sampling_method == 'avg' else (lambda t: F.max_pool1d(t, c.down_sampling_window))
        xs, ms = [x], [x_mark]
        cur = x.permute(0, 2, 1)
        mk = x_mark
        for _ in range(c.down_sampling_layers):
            cur = pool(cur)
            xs.append(cur.permute(0, 2, 1))
            if mk is not None:
                mk = mk[:, ::c.down_sampling_window, :]
            ms.append(mk)
        inputs, marks = [], []
        for i, (xi, mi) in enumerate(zip(xs, ms)):
            t = xi.shape[1]
            xi = self.normalize_layers[i].norm(xi)
            if c.channel_independence:
                xi = xi.permute(0, 2, 1).contiguous().reshape(B * N, t, 1)
                if mi is not None:
                    mi = mi.repeat(N, 1, 1)  # tiled over the batch, not per channel row (reference quirk)
            inputs.append(xi)
            marks.append(mi)
        res = None
        if not c.channel_independence:
            pairs = [self.preprocess(xi) for xi in inputs]
            inputs, res = [p[0] for p in pairs], [p[1] for p in pairs]
        enc = [self.enc_embedding(xi, mi) for xi, mi in zip(inputs, marks)]
        for blk in self.pdm_blocks:
            enc = blk(enc)
        outs = []
        for i, e in enumerate(enc):
            d = self.predict_layers[i](e.permute(0, 2, 1)).permute(0, 2, 1)
            if c.channel_independence:
                if c.use_future_temporal_feature:
                    d = d + x_mark_dec
                d = self.projection_layer(d).reshape(B, c.c_out, c.pred_len).permute(0, 2, 1)
            else:
                d = self.projection_layer(d)
                r = self.regression_layers[i](self.out_res_layers[i](res[i].permute(0, 2, 1))).permute(0, 2, 1)
                d = d + r
            outs.append(d)
        dec = torch.stack(outs, dim=-1).sum(-1)
        # normalize_layers[0] still holds scale 0's statistics (norm ran on it first).
        return self.normalize_layers[0].denorm(dec)


def tm_cfg(**kw):
    c = dict(seq_len=32, pred_len=8, enc_in=2, c_out=2, d_model=8, d_ff=12, e_layers=2, moving_avg=5, dropout=0.0, channel_independence=1,
             down_sampling_layers=2, down_sampling_window=2, down_sampling_method='avg', use_future_temporal_feature=0, d_inp=4)
    c.update(kw)
    return Cfg(**c)


def tm_camel(c):
    return {'seqLen': c.seq_len, 'predLen': c.pred_len, 'encIn': c.enc_in, 'cOut': c.c_out, 'dModel': c.d_model, 'dFf': c.d_ff, 'eLayers': c.e_layers,
            'movingAvg': c.moving_avg, 'dropout': c.dropout, 'embed': 'timeF', 'freq': 'h', 'channelIndependence': c.channel_independence,
            'decompMethod': 'moving_avg', 'useNorm': 1, 'downSamplingLayers': c.down_sampling_layers, 'downSamplingWindow': c.down_sampling_window,
            'downSamplingMethod': c.down_sampling_method, 'useFutureTemporalFeature': c.use_future_temporal_feature, 'tiledMarks': True}


def timemixer_cases():
    out = []
    for kw, B in [(dict(), 3), (dict(channel_independence=0, enc_in=3, c_out=3), 2), (dict(use_future_temporal_feature=1, down_sampling_method='max', e_layers=1), 3)]:
        c = tm_cfg(**kw)
        m = grid(randomize_affine(TimeMixerModel(c)))
        x = rnd((B, c.seq_len, c.enc_in)) * 2 + 1
        xm = torch.round((torch.rand(B, c.seq_len, 4) - 0.5) * 1e3) / 1e3
        ym = torch.round((torch.rand(B, c.pred_len, 4) - 0.5) * 1e3) / 1e3
        pe = m.enc_embedding.position_embedding.pe
        rec = case(m, [x, xm, ym], skip=('enc_embedding.position_embedding.pe',), extra={
            'pe_rows': enc(pe[0, :4].double()), 'pe_last': enc(pe[0, -1].double()), 'pe_shape': list(pe.shape)})
        rec['config'] = tm_camel(c)
        out.append(rec)
    return out


# --------------------------------------------------------------------------- blocks

def block_cases():
    blocks = {}
    x = rnd((2, 11, 3))
    blocks['decomp'] = []
    for k, T in [(5, 11), (25, 30), (3, 2)]:
        xi = rnd((2, T, 3))
        d = SeriesDecomp(k)
        s, t = d(xi)
        blocks['decomp'].append({'kernel': k, 'x': enc(xi), 'seasonal': enc(s), 'trend': enc(t)})
    blocks['revin'] = []
    for weight_eps in (False, True):
        r = RevNorm(3, weight_eps=weight_eps)
        with torch.no_grad():
            r.affine_weight.copy_(torch.tensor([1.2, 0.8, -0.5]))
            r.affine_bias.copy_(torch.tensor([0.1, -0.2, 0.3]))
        xi = rnd((2, 10, 3)) * 3 + 2
        y = r.norm(xi)
        z = rnd((2, 4, 3))
        blocks['revin'].append({'denormWeightEps': weight_eps, 'weight': enc(r.affine_weight), 'bias': enc(r.affine_bias), 'x': enc(xi), 'y': enc(y), 'z': enc(z), 'denorm': enc(r.denorm(z))})
    # gated attention
    g = grid(PatchTSMixerGatedAttention(5, 5))
    blocks['gated'] = case(g, [rnd((2, 3, 4, 5))])
    # patching and scaling
    c = ptsm_cfg(context_length=23, patch_length=6, patch_stride=4)
    xi = rnd((2, 23, 3))
    blocks['patchify'] = {'config': camel(c), 'x': enc(xi), 'patches': enc(patchify(xi, c))}
    xs, loc, s = scale(xi * 2 + 1, 'std')
    blocks['std_scaler'] = {'x': enc(xi * 2 + 1), 'scaled': enc(xs), 'loc': enc(loc), 'scale': enc(s)}
    # single PatchTSMixer mixer blocks (gate placement), LayerNorm and BatchNorm
    for name, cls in [('patch_mixer', PatchMixerBlock), ('feature_mixer', FeatureMixerBlock), ('channel_mixer', PatchTSMixerChannelFeatureMixerBlock)]:
        recs = []
        for norm in ('LayerNorm', 'BatchNorm'):
            c = ptsm_cfg(norm_mlp=norm)
            m = grid(randomize_affine(cls(c)))
            rec = case(m, [rnd((2, c.num_input_channels, c.num_patches, c.d_model))])
            rec['config'] = camel(c)
            recs.append(rec)
        blocks[name] = recs
    # TSMixer residual block (BatchNorm in training mode)
    m = grid(randomize_affine(TSMixerBlock(12, 3, 6, 'B', 'relu')))
    rec = case(m, [rnd((4, 12, 3))])
    rec['config'] = {'seqLen': 12, 'predLen': 5, 'numChannels': 3, 'nBlock': 1, 'ffDim': 6, 'dropout': 0, 'normType': 'B', 'activation': 'relu', 'revIn': False}
    blocks['tsmixer_block'] = rec
    # TimeMixer PDM block on three scales
    c = tm_cfg()
    m = grid(randomize_affine(PastDecomposableMixing(c)))
    L = lens(c)
    xs = [rnd((4, t, c.d_model)) for t in L]
    rec = case(m, xs, call=lambda *a: torch.cat([o.reshape(-1) for o in m(list(a))]))
    rec['config'] = tm_camel(c)
    blocks['pdm'] = rec
    return blocks


def data_cases():
    stamps = ['2016-07-01 00:00:00', '2016-12-31 23:45:00', '2018-02-28 13:15:30', '1990/1/1 0:00', '2020-02-29 07:10:00', '2021-01-03 12:00:00']
    out = []
    for s in stamps:
        s2 = s.replace('/', '-')
        date, _, time = s2.partition(' ')
        y, mo, d = (int(v) for v in date.split('-'))
        hh, mm, ss = (list(int(v) for v in time.split(':')) + [0, 0, 0])[:3]
        dt = datetime.datetime(y, mo, d, hh, mm, ss)
        doy = dt.timetuple().tm_yday
        feats = {
            'second': ss / 59 - 0.5, 'minute': mm / 59 - 0.5, 'hour': hh / 23 - 0.5, 'dayofweek': dt.weekday() / 6 - 0.5,
            'day': (d - 1) / 30 - 0.5, 'dayofyear': (doy - 1) / 365 - 0.5, 'month': (mo - 1) / 11 - 0.5, 'week': (dt.isocalendar()[1] - 1) / 52 - 0.5,
        }
        out.append({'stamp': s, 'features': {k: num(v) for k, v in feats.items()}})
    return {'timefeatures': out}


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
    print(f'wrote {path} ({os.path.getsize(path) // 1024} KiB)')


if __name__ == '__main__':
    torch.manual_seed(0)
    write('timeseries_blocks.json', block_cases())
    torch.manual_seed(1)
    write('timeseries_models.json', {'tsmixer': tsmixer_cases(), 'patchtsmixer': patchtsmixer_cases(), 'timemixer': timemixer_cases()})
    write('timeseries_data.json', data_cases())
