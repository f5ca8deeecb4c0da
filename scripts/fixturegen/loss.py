"""Losses: cross-entropy (label smoothing, ignore index, class weights, probabilities), NLL, regression and binary losses."""
import torch
import torch.nn.functional as F

from .common import FixtureSet

NOTES = [
    'Class targets are int32 (PyTorch: int64). Class weights are not differentiated (PyTorch has no such gradient).',
    'Keyword names are camelCase: ignoreIndex, labelSmoothing, posWeight.',
]


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn

    weight = fx.uniform(0.2, 2, 5)
    ce = [
        ('mean', (4, 5), {}),
        ('sum', (4, 5), {'reduction': 'sum'}),
        ('none', (4, 5), {'reduction': 'none'}),
        ('label smoothing 0.1', (4, 5), {'label_smoothing': 0.1}),
        ('class weights', (4, 5), {'weight': True}),
        ('ignore index -100', (4, 5), {'ignore': [1]}),
        ('ignore index 2', (6, 5), {'ignore_index': 2}),
        ('smoothing 0.2 + ignore index + weights', (6, 5), {'label_smoothing': 0.2, 'ignore_index': 3, 'weight': True}),
        ('smoothing 0.1 + weights, sum', (4, 5), {'label_smoothing': 0.1, 'weight': True, 'reduction': 'sum'}),
        ('smoothing 0.3 + ignore, none', (5, 5), {'label_smoothing': 0.3, 'ignore_index': 0, 'reduction': 'none'}),
        ('spatial [N,C,d] with smoothing', (2, 5, 3), {'label_smoothing': 0.1}),
        ('spatial [N,C,h,w] with weights', (2, 5, 2, 2), {'weight': True}),
    ]
    for name, shape, o in ce:
        x = r(*shape, scale=2)
        t = fx.ints(0, shape[1], shape[0], *shape[2:])
        if 'ignore' in o:
            t.reshape(-1)[o['ignore']] = -100
        if 'ignore_index' in o:
            t.reshape(-1)[:2] = o['ignore_index']  # make sure some targets are ignored
        kw = {'reduction': o.get('reduction', 'mean'), 'label_smoothing': o.get('label_smoothing', 0.0),
              'ignore_index': o.get('ignore_index', -100)}
        args = {'reduction': kw['reduction'], 'labelSmoothing': kw['label_smoothing'], 'ignoreIndex': kw['ignore_index']}
        if o.get('weight'):
            fx.add('crossEntropy', name, lambda x, t, w, kw=kw: F.cross_entropy(x, t, weight=w, **kw), [x, t, weight], args, diff=[0])
        else:
            fx.add('crossEntropy', name, lambda x, t, kw=kw: F.cross_entropy(x, t, **kw), [x, t], args)
    # Every target ignored: the mean is 0/0 = NaN, but the gradient is zero (PyTorch), not NaN.
    all_ignored = torch.full((3,), -100, dtype=torch.int64)
    fx.add('crossEntropy', 'all targets ignored: NaN loss, zero gradient', F.cross_entropy, [r(3, 4), all_ignored], {}, gradcheck=False)
    fx.add('crossEntropy', 'all targets ignored with smoothing',
           lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [r(3, 4), all_ignored], {'labelSmoothing': 0.1}, gradcheck=False)
    fx.add('crossEntropy', 'spatial [N,C,d] with ignore index and weights, none',
           lambda x, t, w: F.cross_entropy(x, t, weight=w, ignore_index=1, reduction='none'),
           [r(2, 5, 3), torch.tensor([[1, 0, 4], [2, 1, 3]]), weight], {'ignoreIndex': 1, 'reduction': 'none'}, diff=[0])
    fx.add('crossEntropy', '1-d logits, 0-d target', lambda x, t: F.cross_entropy(x, t), [r(5), torch.tensor(3)], {})
    probs = torch.softmax(r(4, 5), -1)
    probs = torch.round(probs * 1000) / 1000
    fx.add('crossEntropy', 'class probabilities', lambda x, p: F.cross_entropy(x, p), [r(4, 5), probs], {}, diff=[0])
    fx.add('crossEntropy', 'class probabilities, smoothing 0.2, weights, sum',
           lambda x, p, w: F.cross_entropy(x, p, weight=w, label_smoothing=0.2, reduction='sum'), [r(4, 5), probs, weight],
           {'labelSmoothing': 0.2, 'reduction': 'sum'}, diff=[0])

    nll = [
        ('mean', {}),
        ('sum', {'reduction': 'sum'}),
        ('none', {'reduction': 'none'}),
        ('weights', {'weight': True}),
        ('weights + ignore index 1, mean', {'weight': True, 'ignore_index': 1}),
    ]
    for name, o in nll:
        lp = torch.log_softmax(r(5, 5), -1)
        lp = torch.round(lp * 1000) / 1000
        t = fx.ints(0, 5, 5)
        if 'ignore_index' in o:
            t[:2] = o['ignore_index']
        kw = {'reduction': o.get('reduction', 'mean'), 'ignore_index': o.get('ignore_index', -100)}
        args = {'reduction': kw['reduction'], 'ignoreIndex': kw['ignore_index']}
        if o.get('weight'):
            fx.add('nllLoss', name, lambda x, t, w, kw=kw: F.nll_loss(x, t, weight=w, **kw), [lp, t, weight], args, diff=[0])
        else:
            fx.add('nllLoss', name, lambda x, t, kw=kw: F.nll_loss(x, t, **kw), [lp, t], args)

    for red in ('mean', 'sum', 'none'):
        fx.add('mseLoss', red, lambda x, y, red=red: F.mse_loss(x, y, reduction=red), [r(3, 4), r(3, 4)], {'reduction': red})
        fx.add('l1Loss', red, lambda x, y, red=red: F.l1_loss(x, y, reduction=red), [r(3, 4), r(3, 4)], {'reduction': red})
    for beta in (1.0, 0.5):
        x, y = r(3, 4, scale=1.5), r(3, 4)
        fx.add('smoothL1Loss', f'beta {beta}', lambda x, y, b=beta: F.smooth_l1_loss(x, y, beta=b), [x, y], {'beta': beta})
    fx.add('smoothL1Loss', 'beta 0 is L1, sum', lambda x, y: F.smooth_l1_loss(x, y, beta=0.0, reduction='sum'),
           [r(3, 4), r(3, 4)], {'beta': 0.0, 'reduction': 'sum'})
    for delta in (1.0, 2.0):
        x, y = r(3, 4, scale=2), r(3, 4)
        fx.add('huberLoss', f'delta {delta}', lambda x, y, d=delta: F.huber_loss(x, y, delta=d), [x, y], {'delta': delta})
    fx.add('huberLoss', 'delta 0.5, none', lambda x, y: F.huber_loss(x, y, delta=0.5, reduction='none'), [r(3, 4), r(3, 4)],
           {'delta': 0.5, 'reduction': 'none'})

    y01 = lambda *s: fx.ints(0, 2, *s).to(torch.float64)
    fx.add('bceWithLogits', 'mean', F.binary_cross_entropy_with_logits, [r(3, 4, scale=3), y01(3, 4)], {})
    fx.add('bceWithLogits', 'soft targets, sum', lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction='sum'),
           [r(3, 4, scale=3), fx.uniform(0, 1, 3, 4)], {'reduction': 'sum'})
    fx.add('bceWithLogits', 'weight and posWeight', lambda x, y, w, pw: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw),
           [r(3, 4, scale=3), y01(3, 4), fx.uniform(0.5, 2, 3, 1), fx.uniform(0.5, 3, 4)], {}, diff=[0, 1])
    fx.add('bceWithLogits', 'large logits, none', lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction='none'),
           [torch.tensor([-60.0, -20.0, 0.5, 20.0, 60.0], dtype=torch.float64), torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0], dtype=torch.float64)],
           {'reduction': 'none'})
    fx.add('binaryCrossEntropy', 'mean', F.binary_cross_entropy, [fx.uniform(0.05, 0.95, 3, 4), fx.uniform(0, 1, 3, 4)], {})
    fx.add('binaryCrossEntropy', 'hard targets, sum', lambda p, y: F.binary_cross_entropy(p, y, reduction='sum'),
           [fx.uniform(0.05, 0.95, 6), y01(6)], {'reduction': 'sum'})
    return fx, NOTES
