"""PatchTSMixerForPrediction (transformers) in PyTorch, with its attribute names."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import Cfg


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


class PatchTSMixerAttention(nn.Module):
    """Multi-head self-attention in the BART form transformers uses: q, k, v
    and output projections with bias, queries scaled by head_dim^-0.5, dropout
    on the attention weights."""

    def __init__(self, embed_dim, num_heads, dropout):
        super().__init__()
        self.num_heads, self.head_dim, self.dropout = num_heads, embed_dim // num_heads, dropout
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, x):
        b, t, d = x.shape

        def heads(y):
            return y.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

        q = heads(self.q_proj(x) * self.head_dim ** -0.5)
        w = F.dropout(F.softmax(q @ heads(self.k_proj(x)).transpose(2, 3), dim=-1), self.dropout, self.training)
        return self.out_proj((w @ heads(self.v_proj(x))).transpose(1, 2).reshape(b, t, d))


class PatchMixerBlock(nn.Module):
    """Gate AFTER the MLP, over patches; the optional self-attention over
    patches is added to the MLP's output and normalised (norm_attn)."""

    def __init__(self, c):
        super().__init__()
        self.norm = PatchTSMixerNormLayer(c)
        self.self_attn = c.self_attn
        self.gated_attn = c.gated_attn
        self.mlp = PatchTSMixerMLP(c.num_patches, c.num_patches, c)
        if c.gated_attn:
            self.gating_block = PatchTSMixerGatedAttention(c.num_patches, c.num_patches)
        if c.self_attn:
            self.self_attn_layer = PatchTSMixerAttention(c.d_model, c.self_attn_heads, c.dropout)
            self.norm_attn = PatchTSMixerNormLayer(c)

    def forward(self, x):
        n = self.norm(x)
        h = self.mlp(n.transpose(2, 3))
        if self.gated_attn:
            h = self.gating_block(h)
        h = h.transpose(2, 3)
        if self.self_attn:
            b, ch, np_, d = n.shape
            h = self.norm_attn(h + self.self_attn_layer(n.reshape(b * ch, np_, d)).reshape(b, ch, np_, d))
        return h + x


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
             dropout=0.0, head_dropout=0.0, mode='common_channel', gated_attn=True, norm_mlp='LayerNorm', self_attn=False, self_attn_heads=1,
             use_positional_encoding=False, positional_encoding_type='sincos', scaling='std', norm_eps=1e-5, prediction_length=5)
    c.update(kw)
    c['num_patches'] = (max(c['context_length'], c['patch_length']) - c['patch_length']) // c['patch_stride'] + 1
    return Cfg(**c)


def camel(cfg):
    keys = ['context_length', 'patch_length', 'patch_stride', 'num_input_channels', 'd_model', 'expansion_factor', 'num_layers', 'dropout',
            'head_dropout', 'mode', 'gated_attn', 'norm_mlp', 'self_attn', 'self_attn_heads', 'use_positional_encoding', 'positional_encoding_type', 'scaling',
            'norm_eps', 'prediction_length']
    return {''.join(w.capitalize() if i else w for i, w in enumerate(k.split('_'))): getattr(cfg, k) for k in keys}
