"""Convolutions (stride, padding, dilation, groups) and pooling (ceil mode, count_include_pad)."""
import torch
import torch.nn.functional as F

from .common import FixtureSet

NOTES = [
    'maxPool inputs have no ties, so the single-winner gradient is well defined.',
]


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn
    conv2d = [
        ('basic 3x3', (2, 3, 5, 5), (4, 3, 3, 3), True, {}),
        ('stride 2 padding 1', (1, 2, 6, 5), (3, 2, 3, 3), True, {'stride': 2, 'padding': 1}),
        ('dilation 2', (1, 2, 7, 6), (2, 2, 3, 2), True, {'dilation': 2}),
        ('groups 2', (2, 4, 4, 4), (6, 2, 2, 3), True, {'groups': 2}),
        ('depthwise groups 3, padding 1', (1, 3, 4, 5), (3, 1, 3, 3), True, {'groups': 3, 'padding': 1}),
        ('no bias, 1x1 kernel', (2, 3, 3, 2), (2, 3, 1, 1), False, {}),
        ('per-axis stride/padding/dilation', (1, 2, 7, 8), (2, 2, 2, 3), True,
         {'stride': [2, 1], 'padding': [1, 2], 'dilation': [2, 1]}),
        ('everything: groups 2, stride 2, padding 2, dilation 2', (2, 4, 7, 7), (4, 2, 3, 3), True,
         {'groups': 2, 'stride': 2, 'padding': 2, 'dilation': 2}),
    ]
    for name, xs, ws, bias, o in conv2d:
        ins = [r(*xs), r(*ws, scale=0.5)] + ([r(ws[0])] if bias else [])
        kw = {'stride': o.get('stride', 1), 'padding': o.get('padding', 0), 'dilation': o.get('dilation', 1), 'groups': o.get('groups', 1)}
        kw = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
        fx.add('conv2d', name, lambda x, w, b=None, kw=kw: F.conv2d(x, w, b, **kw), ins, o)

    fx.add('conv2d', 'stride 2 padding 1 groups 2 (float64)', lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, groups=2),
           [r(1, 4, 5, 5), r(4, 2, 3, 3, scale=0.5), r(4)], {'stride': 2, 'padding': 1, 'groups': 2}, f64=True)
    fx.add('maxPool2d', 'kernel 3 stride 2 padding 1 (float64)', lambda x: F.max_pool2d(x, 3, 2, 1), [fx.distinct(1, 2, 5, 5)],
           {'kernel': 3, 'stride': 2, 'padding': 1}, f64=True)
    conv1d = [
        ('basic k3', (2, 3, 7), (4, 3, 3), True, {}),
        ('stride 2 padding 2', (1, 2, 9), (3, 2, 4), True, {'stride': 2, 'padding': 2}),
        ('dilation 3 groups 2', (2, 4, 10), (2, 2, 3), True, {'dilation': 3, 'groups': 2}),
        ('no bias', (1, 1, 5), (2, 1, 2), False, {}),
    ]
    for name, xs, ws, bias, o in conv1d:
        ins = [r(*xs), r(*ws, scale=0.5)] + ([r(ws[0])] if bias else [])
        fx.add('conv1d', name, lambda x, w, b=None, o=o: F.conv1d(x, w, b, **o), ins, o)

    maxpool2d = [
        ('kernel 2', (2, 2, 4, 4), 2, {}),
        ('kernel 3 stride 2 padding 1', (1, 2, 5, 6), 3, {'stride': 2, 'padding': 1}),
        ('ceil mode', (1, 2, 5, 5), 2, {'ceil_mode': True}),
        ('ceil mode, stride 2 kernel 3 padding 1', (1, 1, 6, 7), 3, {'stride': 2, 'padding': 1, 'ceil_mode': True}),
        ('dilation 2', (1, 2, 6, 6), 2, {'stride': 1, 'dilation': 2}),
        ('kernel [2,3] stride [1,2]', (1, 2, 4, 7), [2, 3], {'stride': [1, 2]}),
    ]
    for name, xs, k, o in maxpool2d:
        kk = tuple(k) if isinstance(k, list) else k
        tkw = {key: tuple(v) if isinstance(v, list) else v for key, v in o.items()}
        fx.add('maxPool2d', name, lambda x, kk=kk, tkw=tkw: F.max_pool2d(x, kk, **tkw), [fx.distinct(*xs)], {'kernel': k, **camel(o)})

    avgpool2d = [
        ('kernel 2', (2, 2, 4, 4), 2, {}),
        ('padding 1 counts the padding', (1, 2, 5, 5), 3, {'stride': 2, 'padding': 1}),
        ('padding 1 without the padding', (1, 2, 5, 5), 3, {'stride': 2, 'padding': 1, 'count_include_pad': False}),
        ('ceil mode', (1, 2, 5, 5), 2, {'ceil_mode': True}),
        ('ceil mode with padding, counting it', (1, 1, 6, 7), 3, {'stride': 2, 'padding': 1, 'ceil_mode': True}),
        ('ceil mode with padding, not counting it', (1, 1, 6, 7), 3, {'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': False}),
        ('divisor override', (1, 2, 4, 4), 2, {'divisor_override': 3}),
        ('kernel [3,2] stride 1', (1, 1, 4, 5), [3, 2], {'stride': 1}),
    ]
    for name, xs, k, o in avgpool2d:
        kk = tuple(k) if isinstance(k, list) else k
        fx.add('avgPool2d', name, lambda x, kk=kk, o=o: F.avg_pool2d(x, kk, **o), [r(*xs)], {'kernel': k, **camel(o)})

    fx.add('maxPool1d', 'kernel 2', lambda x: F.max_pool1d(x, 2), [fx.distinct(2, 2, 6)], {'kernel': 2})
    fx.add('maxPool1d', 'kernel 3 stride 2 padding 1 ceil', lambda x: F.max_pool1d(x, 3, 2, 1, ceil_mode=True),
           [fx.distinct(1, 2, 8)], {'kernel': 3, 'stride': 2, 'padding': 1, 'ceilMode': True})
    fx.add('maxPool1d', 'dilation 2', lambda x: F.max_pool1d(x, 2, 1, dilation=2), [fx.distinct(1, 1, 7)],
           {'kernel': 2, 'stride': 1, 'dilation': 2})
    fx.add('avgPool1d', 'kernel 3', lambda x: F.avg_pool1d(x, 3), [r(2, 2, 7)], {'kernel': 3})
    fx.add('avgPool1d', 'padding 1 without the padding, ceil', lambda x: F.avg_pool1d(x, 2, 2, 1, ceil_mode=True, count_include_pad=False),
           [r(1, 2, 6)], {'kernel': 2, 'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False})
    fx.add('avgPool1d', 'padding 1 counting it', lambda x: F.avg_pool1d(x, 3, 1, 1), [r(1, 1, 5)],
           {'kernel': 3, 'stride': 1, 'padding': 1})
    return fx, NOTES


def camel(opts):
    names = {'ceil_mode': 'ceilMode', 'count_include_pad': 'countIncludePad', 'divisor_override': 'divisorOverride'}
    return {names.get(k, k): v for k, v in opts.items()}
