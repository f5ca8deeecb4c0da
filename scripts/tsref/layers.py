"""Shared pieces: a config bag, Autoformer series decomposition, RevIN (both reference variants)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Cfg:
    def __init__(self, **kw):
        self.__dict__.update(kw)


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
