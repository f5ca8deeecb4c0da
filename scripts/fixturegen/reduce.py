"""Reductions (with keepdim and negative dims), softmax family and cumsum."""
import torch

from .common import FixtureSet

NOTES = [
    'max/min over dims is torch.amax/amin: tied maxima share the gradient evenly.',
    'maxAlong/minAlong(dim) is torch.max/min(x, dim): values and int32 indices; the gradient goes to the chosen index.',
    "var/std take {unbiased, keepdim}: unbiased true divides by n - 1 (torch's default).",
    'argmax/argmin/sum of int32 give int32 (PyTorch: int64).',
]


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn
    x3 = lambda: r(2, 3, 4)
    for op, fn in [('sum', torch.sum), ('mean', torch.mean)]:
        fx.add(op, 'all dims', lambda x, fn=fn: fn(x), [x3()], {})
        fx.add(op, 'dim 1', lambda x, fn=fn: fn(x, 1), [x3()], {'dims': 1})
        fx.add(op, 'dim -1 keepdim', lambda x, fn=fn: fn(x, -1, keepdim=True), [x3()], {'dims': -1, 'keepdim': True})
        fx.add(op, 'dims [0,2] (not adjacent)', lambda x, fn=fn: fn(x, (0, 2)), [x3()], {'dims': [0, 2]})
        fx.add(op, 'dims [-1,0] keepdim', lambda x, fn=fn: fn(x, (-1, 0), keepdim=True), [x3()], {'dims': [-1, 0], 'keepdim': True})
        fx.add(op, 'dims [1,2] (adjacent)', lambda x, fn=fn: fn(x, (1, 2)), [x3()], {'dims': [1, 2]})
        fx.add(op, '0-d input', lambda x, fn=fn: fn(x), [r(())], {})
    fx.add('sum', 'int32 gives int32', lambda x: torch.sum(x, 0), [fx.ints(-5, 6, 3, 4)], {'dims': 0})
    fx.add('sum', 'bool counts', lambda x: torch.sum(x, 1), [r(3, 4) > 0], {'dims': 1})

    for op, fn in [('max', torch.amax), ('min', torch.amin)]:
        fx.add(op, 'all dims', lambda x, fn=fn: fn(x, dim=(0, 1, 2)), [fx.distinct(2, 3, 4)], {})
        fx.add(op, 'dim 1', lambda x, fn=fn: fn(x, 1), [fx.distinct(2, 3, 4)], {'dims': 1})
        fx.add(op, 'dims [0,2] keepdim', lambda x, fn=fn: fn(x, (0, 2), keepdim=True), [fx.distinct(2, 3, 4)], {'dims': [0, 2], 'keepdim': True})
        ties = torch.tensor([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 2.0], [-4.0, 0.5, -4.0, 0.25]], dtype=torch.float64)
        fx.add(op, 'ties share the gradient (dim -1)', lambda x, fn=fn: fn(x, -1), [ties], {'dims': -1}, gradcheck=False)
        fx.add(op, 'ties share the gradient (all)', lambda x, fn=fn: fn(x, dim=(0, 1)), [ties], {}, gradcheck=False)

    for op, fn in [('maxAlong', torch.max), ('minAlong', torch.min)]:
        fx.add(op, 'dim 1', lambda x, fn=fn: tuple(fn(x, 1)), [fx.distinct(2, 3, 4)], {'dim': 1})
        fx.add(op, 'dim -1 keepdim', lambda x, fn=fn: tuple(fn(x, -1, keepdim=True)), [fx.distinct(2, 3, 4)], {'dim': -1, 'keepdim': True})
        fx.add(op, 'dim 0 of [5]', lambda x, fn=fn: tuple(fn(x, 0)), [fx.distinct(5)], {'dim': 0})

    for op, fn in [('argmax', torch.argmax), ('argmin', torch.argmin)]:
        fx.add(op, 'flattened', lambda x, fn=fn: fn(x), [fx.distinct(3, 4)], {})
        fx.add(op, 'dim 0', lambda x, fn=fn: fn(x, 0), [fx.distinct(3, 4)], {'dim': 0})
        fx.add(op, 'dim -1 keepdim', lambda x, fn=fn: fn(x, -1, keepdim=True), [fx.distinct(2, 3, 4)], {'dim': -1, 'keepdim': True})
        ties = torch.tensor([[1.0, 3.0, 3.0], [-2.0, -2.0, 5.0]], dtype=torch.float64)
        fx.add(op, 'first of ties', lambda x, fn=fn: fn(x, 1), [ties if op == 'argmax' else -ties], {'dim': 1})

    for op, fn in [('var', torch.var), ('std', torch.std)]:
        fx.add(op, 'all dims unbiased', lambda x, fn=fn: fn(x), [x3()], {})
        fx.add(op, 'all dims biased', lambda x, fn=fn: fn(x, unbiased=False), [x3()], {'unbiased': False})
        fx.add(op, 'dim 1', lambda x, fn=fn: fn(x, 1), [x3()], {'dims': 1})
        fx.add(op, 'dims [0,2] biased keepdim', lambda x, fn=fn: fn(x, (0, 2), unbiased=False, keepdim=True), [x3()],
               {'dims': [0, 2], 'unbiased': False, 'keepdim': True})
        fx.add(op, 'dim -1 keepdim', lambda x, fn=fn: fn(x, -1, keepdim=True), [x3()], {'dims': -1, 'keepdim': True})
        fx.add(op, 'large offset (cancellation)', lambda x, fn=fn: fn(x, 1), [r(3, 6) + 100], {'dims': 1})

    fx.add('logsumexp', 'dim 1', lambda x: torch.logsumexp(x, 1), [x3()], {'dims': 1})
    fx.add('logsumexp', 'dims [0,2] keepdim', lambda x: torch.logsumexp(x, (0, 2), keepdim=True), [x3()], {'dims': [0, 2], 'keepdim': True})
    fx.add('logsumexp', 'all dims', lambda x: torch.logsumexp(x, (0, 1, 2)), [x3()], {})
    fx.add('logsumexp', 'large values are stable', lambda x: torch.logsumexp(x, -1), [r(2, 5, scale=3) + torch.tensor([[800.0], [-800.0]], dtype=torch.float64)], {'dims': -1})

    for op, fn in [('softmax', torch.softmax), ('logSoftmax', torch.log_softmax)]:
        fx.add(op, 'dim -1', lambda x, fn=fn: fn(x, -1), [x3()], {'dim': -1})
        fx.add(op, 'dim 0', lambda x, fn=fn: fn(x, 0), [x3()], {'dim': 0})
        fx.add(op, 'dim 1 of [2,3,4]', lambda x, fn=fn: fn(x, 1), [x3()], {'dim': 1})
        fx.add(op, 'large values are stable', lambda x, fn=fn: fn(x, 1), [r(2, 5, scale=3) + torch.tensor([[500.0], [-500.0]], dtype=torch.float64)], {'dim': 1})

    fx.add('sum', 'dims [0,2] (float64)', lambda x: torch.sum(x, (0, 2)), [x3()], {'dims': [0, 2]}, f64=True)
    fx.add('softmax', 'dim 1 (float64)', lambda x: torch.softmax(x, 1), [x3()], {'dim': 1}, f64=True)
    fx.add('var', 'dim -1 (float64)', lambda x: torch.var(x, -1), [x3()], {'dims': -1}, f64=True)
    fx.add('maxAlong', 'dim 1 (float64)', lambda x: tuple(torch.max(x, 1)), [fx.distinct(2, 3, 4)], {'dim': 1}, f64=True)
    fx.add('cumsum', 'dim 1 (float64)', lambda x: torch.cumsum(x, 1), [x3()], {'dim': 1}, f64=True)
    # Attention-style masks: -inf entries get probability 0 and a zero gradient.
    inf = float('inf')
    masked = torch.tensor([[0.5, -inf, 1.25, -0.5], [-inf, -inf, 2.0, 0.25], [-inf, 0.75, -1.0, -inf]], dtype=torch.float64)
    fx.add('softmax', 'masked with -inf', lambda x: torch.softmax(x, -1), [masked], {'dim': -1}, gradcheck=False)
    fx.add('logSoftmax', 'masked with -inf', lambda x: torch.log_softmax(x, -1), [masked], {'dim': -1}, gradcheck=False)
    fx.add('logsumexp', 'masked with -inf', lambda x: torch.logsumexp(x, -1), [masked], {'dims': -1}, gradcheck=False)
    fx.add('logsumexp', 'a row of only -inf gives -inf', lambda x: torch.logsumexp(x, 1),
           [torch.tensor([[-inf, -inf], [0.5, -inf]], dtype=torch.float64)], {'dims': 1}, diff=[])
    fx.add('max', 'with -inf entries', lambda x: torch.amax(x, -1), [masked], {'dims': -1}, gradcheck=False)

    fx.add('cumsum', 'dim 0', lambda x: torch.cumsum(x, 0), [x3()], {'dim': 0})
    fx.add('cumsum', 'dim -1', lambda x: torch.cumsum(x, -1), [x3()], {'dim': -1})
    fx.add('cumsum', '1-d [6]', lambda x: torch.cumsum(x, 0), [r(6)], {'dim': 0})
    fx.add('cumsum', 'int32 stays int32', lambda x: torch.cumsum(x, 1), [fx.ints(-4, 5, 2, 5)], {'dim': 1})
    return fx, NOTES
