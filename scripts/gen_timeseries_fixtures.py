"""
Generate the PyTorch fixtures the time-series tests compare against:

  test/fixtures/timeseries_blocks.json   decomposition, RevIN, gated attention,
                                         patching, scaling, and single mixer blocks
  test/fixtures/timeseries_models.json   TSMixer, PatchTSMixer and TimeMixer end to end
  test/fixtures/timeseries_data.json     calendar features of some timestamps

    /usr/bin/python3 scripts/gen_timeseries_fixtures.py

Needs PyTorch 1.13 (Debian's python3-torch under /usr/bin/python3; the script
re-runs itself there when the python3 on PATH lacks torch).

The reference models are written out in scripts/tsref/ in PyTorch from their equations,
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
import os
import sys

sys.dont_write_bytecode = True

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixturegen.output import encode, number, torch_or_reexec, write_json  # noqa: E402

torch_or_reexec('gen_timeseries_fixtures')
import torch  # noqa: E402

import torch.nn as nn

from tsref.layers import RevNorm, SeriesDecomp  # noqa: E402
from tsref.patchtsmixer import (FeatureMixerBlock, PatchMixerBlock, PatchTSMixerChannelFeatureMixerBlock,  # noqa: E402
                                PatchTSMixerForPrediction, PatchTSMixerGatedAttention, camel, patchify, ptsm_cfg, scale)
from tsref.timemixer import PastDecomposableMixing, TimeMixerModel, lens, tm_camel, tm_cfg  # noqa: E402
from tsref.tsmixer import TSMixer, TSMixerBlock  # noqa: E402

torch.set_default_dtype(torch.float64)


def num(v):
    return number(v, digits=8)


def enc(t):
    return encode(t, digits=8)


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


def patchtsmixer_cases():
    out = []
    variants = [
        dict(),
        dict(mode='mix_channel', norm_mlp='BatchNorm', context_length=23, patch_stride=4, use_positional_encoding=True, scaling='mean'),
        dict(gated_attn=False, scaling=None, mode='mix_channel'),
        dict(self_attn=True, self_attn_heads=2, mode='mix_channel'),
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
        if cls is PatchMixerBlock:  # with the self-attention branch
            c = ptsm_cfg(self_attn=True, self_attn_heads=2)
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


if __name__ == '__main__':
    torch.manual_seed(0)
    write_json('timeseries_blocks.json', block_cases())
    torch.manual_seed(1)
    write_json('timeseries_models.json', {'tsmixer': tsmixer_cases(), 'patchtsmixer': patchtsmixer_cases(), 'timemixer': timemixer_cases()})
    write_json('timeseries_data.json', data_cases())
