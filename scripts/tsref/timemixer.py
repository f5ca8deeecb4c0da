"""TimeMixer (kwuking/TimeMixer, long_term_forecast) in PyTorch, with its attribute names and quirks."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import Cfg, RevNorm, SeriesDecomp


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
