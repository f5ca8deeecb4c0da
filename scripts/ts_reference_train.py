"""
Train the PyTorch re-implementations of the reference forecasters (the
classes in scripts/tsref/, which the mlpkit tests match number for number) under the same long-term-forecasting protocol and the same
recipes as `mlpkit train --task forecast`, to tell a protocol or recipe
problem from an implementation one when a reproduced number misses.

    /usr/bin/python3 scripts/ts_reference_train.py --data-dir ../shared/data --models timemixer,patchtsmixer,tsmixer [--device cuda] [--seeds 0,1]

Prints one JSON line per run: test MSE/MAE over all test windows (and, for
TimeMixer, over the windows its drop_last test loader keeps), best epoch.
Needs torch and numpy only.
"""
import argparse
import csv
import datetime
import gzip
import json
import math
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np
import torch
import torch.nn as nn

from tsref import patchtsmixer as rpt, timemixer as rtm, tsmixer as rts


def read_csv(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    cols = [c for c in header if c != 'date']
    if 'OT' in cols:
        cols = [c for c in cols if c != 'OT'] + ['OT']
    idx = [header.index(c) for c in cols]
    values = np.array([[float(r[i]) for i in idx] for r in body], dtype=np.float64)
    dates = [r[header.index('date')] for r in body]
    return dates, values


def time_marks(dates):
    out = []
    for s in dates:
        d, _, t = s.replace('/', '-').partition(' ')
        y, m, dd = (int(v) for v in d.split('-'))
        hh = int(t.split(':')[0]) if t else 0
        dt = datetime.date(y, m, dd)
        out.append([hh / 23 - 0.5, dt.weekday() / 6 - 0.5, (dd - 1) / 30 - 0.5, (dt.timetuple().tm_yday - 1) / 365 - 0.5])
    return np.array(out, dtype=np.float32)


FILES = {'ETTh1': ('ett/ETTh1.csv', 'h'), 'ETTh2': ('ett/ETTh2.csv', 'h'), 'ETTm1': ('ett/ETTm1.csv.gz', 'm'), 'ETTm2': ('ett/ETTm2.csv.gz', 'm'),
         'Weather': ('weather/weather.csv.gz', 'r'), 'Exchange': ('lstnet/exchange_rate.csv', 'r')}


def load(data_dir, name, L, H):
    path, kind = FILES[name]
    dates, v = read_csv(os.path.join(data_dir, path))
    n = len(v)
    if kind in 'hm':
        per = 24 if kind == 'h' else 96
        b = [12 * 30 * per, 16 * 30 * per, 20 * 30 * per]
    else:
        b = [int(n * 0.7), n - int(n * 0.2), n]
    mean = v[:b[0]].mean(0)
    std = v[:b[0]].std(0)
    std[std == 0] = 1
    z = ((v - mean) / std).astype(np.float32)
    marks = time_marks(dates)
    splits = {'train': (0, b[0]), 'val': (b[0] - L, b[1]), 'test': (b[1] - L, b[2])}
    return {k: (torch.from_numpy(z[s:e]), torch.from_numpy(marks[s:e])) for k, (s, e) in splits.items()}


class Windows(torch.utils.data.Dataset):
    def __init__(self, split, L, H):
        self.z, self.m = split
        self.L, self.H = L, H

    def __len__(self):
        return len(self.z) - self.L - self.H + 1

    def __getitem__(self, i):
        L, H = self.L, self.H
        return self.z[i:i + L], self.z[i + L:i + L + H], self.m[i:i + L], self.m[i + L:i + L + H]


def glorot(m):
    for mod in m.modules():
        if isinstance(mod, nn.Linear):
            nn.init.xavier_uniform_(mod.weight)
            nn.init.zeros_(mod.bias)


def build(name, L, H, C):
    if name == 'tsmixer':
        m = rts.TSMixer(L, H, C, 6, 512, 'B', 'relu', True)
        glorot(m)
        drop = 0.9
        # dropout as the Keras block: after the time-mixing activation, after fc1's activation and after fc2
        for blk in m.blocks:
            blk.drop = nn.Dropout(drop)
            blk.forward = (lambda b: lambda x: (lambda res: b.drop(b.fc2(b.drop(b.act(b.fc1(b.feature_norm(res)))))) + res)(
                x + b.drop(b.act(b.temporal_linear(b.temporal_norm(x).transpose(1, 2))).transpose(1, 2))))(blk)
        fwd = lambda model, x, xm, ym: model(x)
        recipe = dict(opt='adam', lr=1e-4, eps=1e-7, bs=32, epochs=100, patience=5, sched='constant', clip=None, drop_last=False, thresh=0.0)
    elif name == 'patchtsmixer':
        c = rpt.ptsm_cfg(context_length=L, prediction_length=H, num_input_channels=C, patch_length=8, patch_stride=8, d_model=48, num_layers=3,
                         expansion_factor=3, dropout=0.5, head_dropout=0.7)
        m = rpt.PatchTSMixerForPrediction(c)
        fwd = lambda model, x, xm, ym: model(x)
        recipe = dict(opt='adamw', lr=1e-4, eps=1e-8, bs=32, epochs=100, patience=5, sched='linear', clip=1.0, drop_last=False, thresh=0.001)
    else:
        c = rtm.tm_cfg(seq_len=L, pred_len=H, enc_in=C, c_out=C, d_model=16, d_ff=32, e_layers=2, moving_avg=25, dropout=0.1, down_sampling_layers=3,
                       down_sampling_window=2)
        m = rtm.TimeMixerModel(c)
        for mod in m.modules():
            if isinstance(mod, nn.Conv1d):
                nn.init.kaiming_normal_(mod.weight, mode='fan_in', nonlinearity='leaky_relu')
        fwd = lambda model, x, xm, ym: model(x, xm, ym)
        recipe = dict(opt='adam', lr=0.01, eps=1e-8, bs=128, epochs=10, patience=10, sched='onecycle', clip=None, drop_last=True, thresh=0.0)
    return m, fwd, recipe


def evaluate(model, fwd, loader, dev):
    model.eval()
    se = ae = n = 0.0
    with torch.no_grad():
        for x, y, xm, ym in loader:
            x, y, xm, ym = x.to(dev), y.to(dev), xm.to(dev), ym.to(dev)
            out = fwd(model, x, xm, ym)
            se += ((out - y) ** 2).sum().item()
            ae += (out - y).abs().sum().item()
            n += y.numel()
    model.train()
    return se / n, ae / n


def train(name, data, L, H, seed, dev, max_seconds=math.inf, verbose=False):
    torch.manual_seed(seed)
    np.random.seed(seed)
    C = data['train'][0].shape[1]
    model, fwd, r = build(name, L, H, C)
    model.to(dev)
    ds = {k: Windows(v, L, H) for k, v in data.items()}
    g = torch.Generator().manual_seed(seed)
    train_loader = torch.utils.data.DataLoader(ds['train'], batch_size=r['bs'], shuffle=True, drop_last=r['drop_last'], generator=g)
    val_loader = torch.utils.data.DataLoader(ds['val'], batch_size=256)
    test_loader = torch.utils.data.DataLoader(ds['test'], batch_size=256)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = (torch.optim.Adam if r['opt'] == 'adam' else torch.optim.AdamW)(params, lr=r['lr'], eps=r['eps'], weight_decay=0.0)
    steps = len(train_loader) * r['epochs']
    sched = None
    if r['sched'] == 'linear':
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (steps - s) / steps))
    elif r['sched'] == 'onecycle':
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=r['lr'], total_steps=steps, pct_start=0.2)
    best, best_state, best_epoch, bad, counter_best = math.inf, None, 0, 0, math.inf
    t0 = time.time()
    for epoch in range(1, r['epochs'] + 1):
        model.train()
        for x, y, xm, ym in train_loader:
            x, y, xm, ym = x.to(dev), y.to(dev), xm.to(dev), ym.to(dev)
            loss = ((fwd(model, x, xm, ym) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            if r['clip']:
                torch.nn.utils.clip_grad_norm_(params, r['clip'])
            opt.step()
            if sched:
                sched.step()
        val, _ = evaluate(model, fwd, val_loader, dev)
        if val < best:
            best, best_epoch = val, epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        # early-stopping counter (HF's with a threshold; Keras/TSLib without)
        if verbose:
            print(json.dumps(dict(epoch=epoch, val=val, t=round(time.time() - t0, 1))), file=sys.stderr, flush=True)
        if time.time() - t0 > max_seconds:
            break
        if val < counter_best and counter_best - val > r['thresh']:
            counter_best, bad = val, 0
        else:
            bad += 1
            if bad >= r['patience']:
                break
    model.load_state_dict(best_state)
    mse, mae = evaluate(model, fwd, test_loader, dev)
    out = dict(model=name, seed=seed, L=L, H=H, stopped_by_time=time.time() - t0 > max_seconds, test_mse=mse, test_mae=mae, best_epoch=best_epoch, epochs=epoch, best_val=best, seconds=round(time.time() - t0, 1))
    if r['drop_last']:
        kept = len(ds['test']) // r['bs'] * r['bs']
        sub = torch.utils.data.Subset(ds['test'], range(kept))
        out['test_mse_drop_last'], out['test_mae_drop_last'] = evaluate(model, fwd, torch.utils.data.DataLoader(sub, batch_size=256), dev)
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--data-dir', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data'))
    ap.add_argument('--data', default='ETTh1')
    ap.add_argument('--models', default='timemixer,patchtsmixer,tsmixer')
    ap.add_argument('--pred-len', type=int, default=96)
    ap.add_argument('--seeds', default='0')
    ap.add_argument('--max-seconds', type=float, default=math.inf, help='stop training after this long (the run is marked)')
    ap.add_argument('--verbose', action='store_true', help='one line per epoch on stderr')
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    a = ap.parse_args()
    for name in a.models.split(','):
        L = 96 if name == 'timemixer' else 512
        data = load(a.data_dir, a.data, L, a.pred_len)
        for seed in (int(s) for s in a.seeds.split(',')):
            print(json.dumps(train(name, data, L, a.pred_len, seed, a.device, a.max_seconds, a.verbose)), flush=True)
