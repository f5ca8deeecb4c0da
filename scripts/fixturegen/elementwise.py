"""Elementwise ops: unary math, activations, broadcasting arithmetic, comparisons, where, clamp."""
import torch
import torch.nn.functional as F

from .common import FixtureSet

NOTES = [
    'Inputs are float32 on the mlpkit side unless dtype says otherwise; int64 is int32.',
    'floor/ceil/round/sign have zero gradient in PyTorch and no recorded gradient in mlpkit.',
    'maximum/minimum split the gradient evenly between tied inputs, as PyTorch.',
    'bool + bool is int32 in mlpkit (PyTorch: logical or); no case covers it here.',
]


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn
    # ------------------------------------------------------------ unary
    unary = {
        'neg': (torch.neg, lambda: r(2, 3, 4)),
        'abs': (torch.abs, lambda: fx.away_from([0], 3, 4)),
        'exp': (torch.exp, lambda: r(3, 4)),
        'log': (torch.log, lambda: fx.uniform(0.1, 3, 3, 4)),
        'log1p': (torch.log1p, lambda: fx.uniform(-0.8, 3, 3, 4)),
        'expm1': (torch.expm1, lambda: r(3, 4)),
        'sqrt': (torch.sqrt, lambda: fx.uniform(0.1, 4, 3, 4)),
        'rsqrt': (torch.rsqrt, lambda: fx.uniform(0.1, 4, 3, 4)),
        'reciprocal': (torch.reciprocal, lambda: fx.away_from([0], 3, 4, margin=0.2)),
        'square': (torch.square, lambda: r(3, 4)),
        'sin': (torch.sin, lambda: r(3, 4, scale=2)),
        'cos': (torch.cos, lambda: r(3, 4, scale=2)),
        'tanh': (torch.tanh, lambda: r(3, 4, scale=2)),
        'sigmoid': (torch.sigmoid, lambda: r(3, 4, scale=3)),
        'erf': (torch.erf, lambda: r(3, 4, scale=1.5)),
        'relu': (torch.relu, lambda: fx.away_from([0], 3, 4)),
        'silu': (F.silu, lambda: r(3, 4, scale=2)),
        'logSigmoid': (F.logsigmoid, lambda: r(3, 4, scale=3)),
    }
    for op, (fn, make) in unary.items():
        fx.add(op, '[3,4]' if op != 'neg' else '[2,3,4]', fn, [make()])
        fx.add(op, '0-d', fn, [make().reshape(-1)[0].clone()])
    # Large magnitudes: the stable branches must neither overflow nor lose the tail.
    big = torch.tensor([-30.0, -12.5, -3.0, 0.5, 4.0, 15.0, 40.0], dtype=torch.float64)
    for op, fn in [('sigmoid', torch.sigmoid), ('tanh', torch.tanh), ('logSigmoid', F.logsigmoid),
                   ('silu', F.silu), ('softplus', F.softplus), ('erf', torch.erf)]:
        fx.add(op, 'large magnitudes', fn, [big])
    # A dense grid through all three branches of the erf approximation (|x| < 0.5, < 4, ≥ 4).
    grid = torch.linspace(-5, 5, 41, dtype=torch.float64)
    fx.add('erf', 'grid -5..5', torch.erf, [grid])
    fx.add('gelu', 'grid -5..5 exact', lambda x: F.gelu(x), [grid], {'approximate': 'none'})
    fx.add('gelu', 'grid -5..5 tanh', lambda x: F.gelu(x, approximate='tanh'), [grid], {'approximate': 'tanh'})
    # relu at exactly 0: the gradient there is 0 (PyTorch), not 0.5.
    fx.add('relu', 'zeros included', torch.relu, [torch.tensor([-1.0, 0.0, 0.0, 2.0], dtype=torch.float64)], gradcheck=False)
    for op, fn in [('exp', torch.exp), ('tanh', torch.tanh), ('erf', torch.erf), ('sigmoid', torch.sigmoid)]:
        fx.add(op, '[2,3] (float64)', fn, [r(2, 3)], f64=True)
    # Integer inputs: neg/abs keep int32, exp/sqrt compute in float32.
    xi = fx.ints(-5, 6, 2, 3)
    fx.add('neg', 'int32 stays int32', torch.neg, [xi])
    fx.add('abs', 'int32 stays int32', torch.abs, [xi])
    fx.add('exp', 'int32 gives float32', torch.exp, [xi])
    for op, fn in [('floor', torch.floor), ('ceil', torch.ceil), ('round', torch.round), ('sign', torch.sign)]:
        x = r(3, 4, scale=2)
        x[0, :] = torch.tensor([0.5, 1.5, -2.5, 0.0], dtype=torch.float64)  # half-way cases: round half to even
        fx.add(op, '[3,4] with halves', fn, [x], gradcheck=False)

    fx.add('gelu', 'exact', lambda x: F.gelu(x), [r(3, 5, scale=2)], {'approximate': 'none'})
    fx.add('gelu', 'tanh approximation', lambda x: F.gelu(x, approximate='tanh'), [r(3, 5, scale=2)], {'approximate': 'tanh'})
    fx.add('gelu', 'large magnitudes exact', lambda x: F.gelu(x), [big], {'approximate': 'none'})
    fx.add('softplus', 'default', F.softplus, [r(3, 4, scale=3)], {'beta': 1, 'threshold': 20})
    fx.add('softplus', 'beta 2 threshold 1 (linear branch)',
           lambda x: F.softplus(x, beta=2, threshold=1), [fx.away_from([0.5], 3, 4, scale=2)], {'beta': 2, 'threshold': 1})
    fx.add('leakyRelu', 'slope 0.2', lambda x: F.leaky_relu(x, 0.2), [fx.away_from([0], 3, 4)], {'slope': 0.2})
    fx.add('leakyRelu', 'default slope', F.leaky_relu, [fx.away_from([0], 4)], {})
    fx.add('elu', 'alpha 1.5', lambda x: F.elu(x, 1.5), [fx.away_from([0], 3, 4)], {'alpha': 1.5})
    fx.add('elu', 'default', F.elu, [fx.away_from([0], 5)], {})

    # ------------------------------------------------------------ binary arithmetic
    binary = {
        'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div,
        'maximum': torch.maximum, 'minimum': torch.minimum,
    }
    for op, fn in binary.items():
        pos = op == 'div'
        second = (lambda *s: fx.uniform(0.5, 2, *s)) if pos else r
        fx.add(op, 'same shape', fn, [fx.distinct(3, 4), second(3, 4)])
        fx.add(op, 'broadcast [3,1,4] with [2,4]', fn, [r(3, 1, 4), second(2, 4)])
        fx.add(op, 'broadcast [4] with [2,1]', fn, [r(4), second(2, 1)])
        fx.add(op, 'scalar second', lambda x, fn=fn: fn(x, torch.tensor(1.5, dtype=x.dtype)), [r(2, 3)], {'scalar': 1.5})
        fx.add(op, '0-d with [3]', fn, [r(()), second(3)])
    for op, fn in [('maximum', torch.maximum), ('minimum', torch.minimum)]:
        a = r(2, 4)
        b = r(2, 4)
        b[:, :2] = a[:, :2]  # ties share the gradient
        fx.add(op, 'ties split the gradient', fn, [a, b], gradcheck=False)
    fx.add('add', 'broadcast (float64)', torch.add, [r(3, 1), r(4)], f64=True)
    fx.add('div', 'broadcast (float64)', torch.div, [r(2, 3), fx.uniform(0.5, 2, 3)], f64=True)
    fx.add('where', 'float64', torch.where, [r(2, 3) > 0, r(2, 3), r(3)], f64=True)
    fx.add('add', 'int32 + float32 is float32', torch.add, [fx.ints(-3, 4, 2, 3), r(2, 3)])
    fx.add('mul', 'int32 * int32 stays int32', torch.mul, [fx.ints(-3, 4, 2, 3), fx.ints(-3, 4, 3)])
    fx.add('div', 'int32 / int32 is float32', torch.div, [fx.ints(-6, 7, 2, 3), fx.ints(1, 4, 3)])
    fx.add('mul', 'int32 * 2.5 is float32', lambda x: x * 2.5, [fx.ints(-3, 4, 4)], {'scalar': 2.5})
    fx.add('rsub', 'scalar minus tensor', lambda x: 2.0 - x, [r(2, 3)], {'scalar': 2.0})
    fx.add('rsub', 'broadcast', lambda x, y: y - x, [r(2, 3), r(3)])
    fx.add('pow', 'tensor exponent', torch.pow, [fx.uniform(0.3, 2, 3, 4), r(3, 4)])
    fx.add('pow', 'broadcast exponent', torch.pow, [fx.uniform(0.3, 2, 2, 3), r(3)])
    fx.add('pow', 'scalar exponent 3 on negatives', lambda x: torch.pow(x, 3), [r(3, 4)], {'scalar': 3})
    fx.add('pow', 'scalar exponent 0.5', lambda x: torch.pow(x, 0.5), [fx.uniform(0.2, 3, 5)], {'scalar': 0.5})
    fx.add('pow', 'scalar exponent -2', lambda x: torch.pow(x, -2), [fx.uniform(0.5, 2, 5)], {'scalar': -2})
    fx.add('pow', 'scalar base', lambda y: torch.pow(2.0, y), [r(2, 3)], {'scalarBase': 2.0})
    zero_base = torch.tensor([0.0, 0.0, 1.5, 2.0], dtype=torch.float64)
    fx.add('pow', 'zero base, exponent gradient is 0', torch.pow, [zero_base, torch.tensor([2.0, 0.5, 1.0, -1.0], dtype=torch.float64)],
           diff=[1], gradcheck=False)

    # ------------------------------------------------------------ comparisons and logic
    a = fx.ints(-2, 3, 3, 4).to(torch.float64)
    b = fx.ints(-2, 3, 4).to(torch.float64)
    for op, fn in [('eq', torch.eq), ('ne', torch.ne), ('lt', torch.lt), ('le', torch.le), ('gt', torch.gt), ('ge', torch.ge)]:
        fx.add(op, 'broadcast with ties', fn, [a, b])
        fx.add(op, 'scalar', lambda x, fn=fn: fn(x, 0.0), [a], {'scalar': 0})
    p = torch.tensor([[True, False, True], [False, False, True]])
    q = torch.tensor([True, False, False])
    fx.add('logicalAnd', 'broadcast', torch.logical_and, [p, q])
    fx.add('logicalOr', 'broadcast', torch.logical_or, [p, q])
    fx.add('logicalNot', '[2,3]', torch.logical_not, [p])

    # ------------------------------------------------------------ where, clamp
    cond = torch.tensor([[True], [False], [True]])
    fx.add('where', 'broadcast cond [3,1], a [3,4], b [4]', torch.where, [cond, r(3, 4), r(4)])
    fx.add('where', 'cond [2,3] from compare', lambda c, x, y: torch.where(c, x, y),
           [r(2, 3) > 0, r(2, 3), r(2, 3)])
    fx.add('where', 'scalar other', lambda c, x: torch.where(c, x, torch.tensor(0.5, dtype=torch.float64)),
           [cond, r(3, 2)], {'scalar': 0.5})
    fx.add('clamp', 'min and max', lambda x: torch.clamp(x, -0.5, 0.5), [fx.away_from([-0.5, 0.5], 3, 4)], {'min': -0.5, 'max': 0.5})
    fx.add('clamp', 'min only', lambda x: torch.clamp(x, min=0.2), [fx.away_from([0.2], 3, 4)], {'min': 0.2})
    fx.add('clamp', 'max only', lambda x: torch.clamp(x, max=-0.1), [fx.away_from([-0.1], 6)], {'max': -0.1})
    fx.add('clamp', 'bound equal to input passes the gradient', lambda x: torch.clamp(x, -1.0, 1.0),
           [torch.tensor([-1.0, -0.5, 1.0, 2.0], dtype=torch.float64)], {'min': -1, 'max': 1}, gradcheck=False)
    # Tensor bounds get gradients too (where they are the active side).
    # x sits at k·0.05 + [0, 0.04]; the bounds at k·0.05 + 0.045, so nothing ties.
    x = fx.distinct(3, 4)
    lo = fx.ints(-8, 2, 4) * 0.05 + 0.045
    hi = lo + fx.ints(0, 12, 3, 1) * 0.05 - 0.1
    fx.add('clamp', 'tensor bounds', lambda x, lo, hi: torch.clamp(x, lo, hi), [x, lo, hi], {'tensorBounds': True})
    return fx, NOTES
