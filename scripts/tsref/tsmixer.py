"""TSMixer (google-research, Keras) in PyTorch: norms over the (time, feature) slab with Keras constants.
The reference has no PyTorch names; the attribute names are mlpkit's documented ones."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import RevNorm


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
