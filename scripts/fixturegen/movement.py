"""Views and data movement: reshaping, permutations, slicing, indexing, joining, padding."""
import torch
import torch.nn.functional as F

from .common import FixtureSet

NOTES = [
    'slice(dim, start, end, step) follows Python/NumPy slice semantics, negative steps included; '
    'PyTorch forbids negative steps, so the expected values come from index_select with the indices '
    "of Python's own range(n)[start:end:step].",
    'squeeze with a list of dims is emulated with reshape (torch 1.13 squeezes one dim at a time).',
    'oneHot gives int32 (PyTorch: int64).',
]


def py_slice(x, dim, start, end, step):
    idx = list(range(x.shape[dim]))[slice(start, end, step)]
    return torch.index_select(x, dim, torch.tensor(idx, dtype=torch.int64))


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn
    x3 = lambda: r(2, 3, 4)

    fx.add('reshape', '[2,3,4] to [6,4]', lambda x: x.reshape(6, 4), [x3()], {'shape': [6, 4]})
    fx.add('reshape', 'with -1', lambda x: x.reshape(-1, 2), [x3()], {'shape': [-1, 2]})
    fx.add('reshape', '[1] to 0-d', lambda x: x.reshape(()), [r(1)], {'shape': []})
    fx.add('view', '[2,3,4] to [4,-1]', lambda x: x.view(4, -1), [x3()], {'shape': [4, -1]})
    fx.add('flatten', 'all', torch.flatten, [x3()], {})
    fx.add('flatten', 'dims 1..2', lambda x: torch.flatten(x, 1, 2), [x3()], {'start': 1, 'end': 2})
    fx.add('flatten', 'dims 0..-2', lambda x: torch.flatten(x, 0, -2), [x3()], {'start': 0, 'end': -2})
    fx.add('flatten', '0-d', torch.flatten, [r(())], {})
    fx.add('unsqueeze', 'dim 0', lambda x: x.unsqueeze(0), [r(3, 4)], {'dim': 0})
    fx.add('unsqueeze', 'dim -1', lambda x: x.unsqueeze(-1), [r(3, 4)], {'dim': -1})
    fx.add('unsqueeze', 'dim 1', lambda x: x.unsqueeze(1), [r(3, 4)], {'dim': 1})
    fx.add('squeeze', 'all size-1 dims', lambda x: x.squeeze(), [r(1, 3, 1, 2)], {})
    fx.add('squeeze', 'dim 2', lambda x: x.squeeze(2), [r(1, 3, 1, 2)], {'dims': 2})
    fx.add('squeeze', 'dim of size 3 is kept', lambda x: x.squeeze(1), [r(1, 3, 1, 2)], {'dims': 1})
    fx.add('squeeze', 'dims [0,-2]', lambda x: x.reshape(3, 2), [r(1, 3, 1, 2)], {'dims': [0, -2]})
    fx.add('permute', '[2,0,1]', lambda x: x.permute(2, 0, 1), [x3()], {'dims': [2, 0, 1]})
    fx.add('permute', 'negative dims [-1,0,1]', lambda x: x.permute(-1, 0, 1), [x3()], {'dims': [-1, 0, 1]})
    fx.add('permute', '4-d [0,2,3,1]', lambda x: x.permute(0, 2, 3, 1), [r(2, 3, 2, 2)], {'dims': [0, 2, 3, 1]})
    fx.add('transpose', '0 and 2', lambda x: x.transpose(0, 2), [x3()], {'dim0': 0, 'dim1': 2})
    fx.add('transpose', '-1 and -2', lambda x: x.transpose(-1, -2), [x3()], {'dim0': -1, 'dim1': -2})
    fx.add('mT', '[2,3,4]', lambda x: x.mT, [x3()], {})
    fx.add('expand', '[3,1] to [2,3,4]', lambda x: x.expand(2, 3, 4), [r(3, 1)], {'shape': [2, 3, 4]})
    fx.add('expand', 'with -1', lambda x: x.expand(2, -1, 4), [r(3, 1)], {'shape': [2, -1, 4]})
    fx.add('expand', '0-d to [2,2]', lambda x: x.expand(2, 2), [r(())], {'shape': [2, 2]})
    fx.add('broadcastTo', '[1,4] to [3,4]', lambda x: torch.broadcast_to(x, (3, 4)), [r(1, 4)], {'shape': [3, 4]})

    fx.add('narrow', 'dim 1 from 1, length 2', lambda x: x.narrow(1, 1, 2), [x3()], {'dim': 1, 'start': 1, 'length': 2})
    fx.add('narrow', 'negative start', lambda x: x.narrow(-1, -3, 2), [x3()], {'dim': -1, 'start': -3, 'length': 2})
    fx.add('select', 'dim 1 index 2', lambda x: x.select(1, 2), [x3()], {'dim': 1, 'index': 2})
    fx.add('select', 'dim -1 index -1', lambda x: x.select(-1, -1), [x3()], {'dim': -1, 'index': -1})
    fx.add('select', '1-d to 0-d', lambda x: x.select(0, 3), [r(5)], {'dim': 0, 'index': 3})
    slices = [
        (1, 1, None, 2), (0, -1, None, 1), (2, -3, -1, 1), (1, None, None, -1), (2, 3, 0, -2),
        (-1, -1, -5, -1), (2, None, None, -3), (1, 0, 100, 1), (1, -100, 2, 1), (2, 3, 1, 1), (0, 5, None, -1),
    ]
    for dim, start, end, step in slices:
        fx.add('slice', f'dim {dim} [{start}:{end}:{step}]',
               lambda x, a=(dim, start, end, step): py_slice(x, *a), [x3()],
               {'dim': dim, 'start': start, 'end': end, 'step': step})

    def ix(*vals):
        return torch.tensor(vals, dtype=torch.int64)
    fx.add('indexSelect', 'dim 0 repeated indices', lambda x, i: torch.index_select(x, 0, i), [r(4, 3), ix(2, 0, 2, 3)], {'dim': 0})
    fx.add('indexSelect', 'dim -1', lambda x, i: torch.index_select(x, -1, i), [x3(), ix(3, 1)], {'dim': -1})
    fx.add('indexAdd', 'dim 1 repeated indices', lambda x, i, s: torch.index_add(x, 1, i, s), [r(2, 4), ix(0, 3, 0), r(2, 3)], {'dim': 1})
    fx.add('indexAdd', 'dim 0', lambda x, i, s: torch.index_add(x, 0, i, s), [r(3, 2), ix(2, 1), r(2, 2)], {'dim': 0})
    fx.add('gather', 'dim 0', lambda x, i: torch.gather(x, 0, i), [r(3, 4), fx.ints(0, 3, 2, 4)], {'dim': 0})
    fx.add('gather', 'dim 1 repeated', lambda x, i: torch.gather(x, 1, i), [r(3, 4), fx.ints(0, 4, 3, 5)], {'dim': 1})
    fx.add('gather', 'dim -1 smaller index', lambda x, i: torch.gather(x, -1, i), [x3(), fx.ints(0, 4, 2, 2, 3)], {'dim': -1})
    fx.add('scatterAdd', 'dim 0 repeated', lambda x, i, s: torch.scatter_add(x, 0, i, s), [r(3, 4), fx.ints(0, 3, 4, 4), r(4, 4)], {'dim': 0})
    # torch 1.13 cannot differentiate this case; only the part of src the index covers takes part.
    fx.add('scatterAdd', 'dim 1, source larger than index', lambda x, i, s: torch.scatter_add(x, 1, i, s[:i.shape[0], :i.shape[1]]),
           [r(2, 5), fx.ints(0, 5, 2, 3), r(3, 4)], {'dim': 1})

    fx.add('split', 'size 2 of 5 (uneven)', lambda x: x.split(2, 0), [r(5, 3)], {'sizes': 2, 'dim': 0})
    fx.add('split', 'sizes [1,2,1] on dim -1', lambda x: x.split([1, 2, 1], -1), [x3()], {'sizes': [1, 2, 1], 'dim': -1})
    fx.add('chunk', '5 into 3', lambda x: x.chunk(3, 0), [r(5, 2)], {'chunks': 3, 'dim': 0})
    fx.add('chunk', '6 into 4 gives 3', lambda x: x.chunk(4, 1), [r(2, 6)], {'chunks': 4, 'dim': 1})
    fx.add('chunk', '4 into 4 on dim -1', lambda x: x.chunk(4, -1), [x3()], {'chunks': 4, 'dim': -1})
    fx.add('cat', 'three along dim 1', lambda a, b, c: torch.cat([a, b, c], 1), [r(2, 1, 3), r(2, 3, 3), r(2, 2, 3)], {'dim': 1})
    fx.add('cat', 'dim -1 with an empty piece', lambda a, b, c: torch.cat([a, b, c], -1), [r(2, 2), r(2, 0), r(2, 3)], {'dim': -1})
    fx.add('cat', 'dim 0', lambda a, b: torch.cat([a, b]), [r(1, 3), r(2, 3)], {'dim': 0})
    fx.add('stack', 'dim 0', lambda a, b, c: torch.stack([a, b, c]), [r(2, 3), r(2, 3), r(2, 3)], {'dim': 0})
    fx.add('stack', 'dim -1', lambda a, b: torch.stack([a, b], -1), [r(2, 3), r(2, 3)], {'dim': -1})
    fx.add('stack', 'dim 1', lambda a, b: torch.stack([a, b], 1), [r(2, 3), r(2, 3)], {'dim': 1})

    pads = [
        ('constant', [1, 2], 0.0, (2, 3, 4)),
        ('constant', [1, 1, 2, 0], 0.5, (2, 3, 4)),
        ('constant', [0, 1, 1, 0, 2, 1], -1.0, (2, 3, 4)),
        ('constant', [-1, 2], 0.0, (2, 3, 4)),
        ('constant', [1, -2, -1, 1], 0.0, (2, 3, 4)),
        ('reflect', [2, 1], 0.0, (2, 3, 5)),
        ('reflect', [1, 2, 2, 1], 0.0, (1, 2, 4, 5)),
        ('replicate', [2, 3], 0.0, (2, 3, 4)),
        ('replicate', [1, 0, 2, 2], 0.0, (1, 2, 3, 4)),
        ('circular', [2, 1], 0.0, (2, 3, 4)),
        ('circular', [1, 3, 2, 1], 0.0, (1, 2, 3, 4)),
    ]
    for mode, p, value, shape in pads:
        fn = (lambda x, p=p, v=value: F.pad(x, p, 'constant', v)) if mode == 'constant' else (lambda x, p=p, m=mode: F.pad(x, p, m))
        fx.add('pad', f'{mode} {p}' + (f' value {value}' if value else ''), fn, [r(*shape)], {'pads': p, 'mode': mode, 'value': value})

    fx.add('roll', 'shift 1 along dim 0', lambda x: torch.roll(x, 1, 0), [r(3, 4)], {'shifts': 1, 'dims': 0})
    fx.add('roll', 'shifts [1,-2] dims [0,1]', lambda x: torch.roll(x, (1, -2), (0, 1)), [r(3, 4)], {'shifts': [1, -2], 'dims': [0, 1]})
    fx.add('roll', 'flattened shift 5', lambda x: torch.roll(x, 5), [r(3, 4)], {'shifts': 5})
    fx.add('roll', 'shift larger than the dim', lambda x: torch.roll(x, 7, -1), [r(2, 3)], {'shifts': 7, 'dims': -1})
    fx.add('flip', 'dim 0', lambda x: torch.flip(x, (0,)), [x3()], {'dims': [0]})
    fx.add('flip', 'dims [0,2]', lambda x: torch.flip(x, (0, 2)), [x3()], {'dims': [0, 2]})
    fx.add('flip', 'dim -1', lambda x: torch.flip(x, (-1,)), [x3()], {'dims': -1})
    fx.add('repeat', '[2,1,3] adds a leading dim', lambda x: x.repeat(2, 1, 3), [r(2, 3)], {'reps': [2, 1, 3]})
    fx.add('repeat', '[1,2]', lambda x: x.repeat(1, 2), [r(3, 2)], {'reps': [1, 2]})
    for k in (0, 1, -1):
        fx.add('tril', f'k {k} on [3,4]', lambda x, k=k: torch.tril(x, k), [r(3, 4)], {'k': k})
        fx.add('triu', f'k {k} on [4,3]', lambda x, k=k: torch.triu(x, k), [r(4, 3)], {'k': k})
    fx.add('tril', 'batched [2,3,3]', torch.tril, [r(2, 3, 3)], {})
    fx.add('triu', 'batched [2,3,3] k 2', lambda x: torch.triu(x, 2), [r(2, 3, 3)], {'k': 2})

    # Integer and bool storage moves through the same kernels.
    ints = fx.ints(-9, 10, 2, 3, 4)
    fx.add('permute', 'int32', lambda x: x.permute(2, 0, 1), [ints], {'dims': [2, 0, 1]})
    fx.add('flip', 'int32 dims [1,2]', lambda x: torch.flip(x, (1, 2)), [ints], {'dims': [1, 2]})
    fx.add('slice', 'int32 dim 2 [::-2]', lambda x: py_slice(x, 2, None, None, -2), [ints], {'dim': 2, 'start': None, 'end': None, 'step': -2})
    fx.add('pad', 'int32 constant [1, 1] value 7', lambda x: F.pad(x, [1, 1], 'constant', 7), [ints], {'pads': [1, 1], 'mode': 'constant', 'value': 7})
    fx.add('cat', 'int32 along dim 0', lambda a, b: torch.cat([a, b]), [ints, fx.ints(0, 5, 1, 3, 4)], {'dim': 0})
    fx.add('gather', 'int32 source', lambda x, i: torch.gather(x, 2, i), [ints, fx.ints(0, 4, 2, 3, 2)], {'dim': 2})
    fx.add('expand', 'bool', lambda x: x.expand(2, 3, 4), [r(3, 1) > 0], {'shape': [2, 3, 4]})
    fx.add('transpose', 'bool', lambda x: x.transpose(0, 1), [r(2, 3) > 0], {'dim0': 0, 'dim1': 1})

    fx.add('oneHot', '5 classes', lambda i: F.one_hot(i, 5), [fx.ints(0, 5, 2, 3)], {'numClasses': 5})
    fx.add('oneHot', 'classes inferred', lambda i: F.one_hot(i), [torch.tensor([0, 3, 1], dtype=torch.int64)], {})
    fx.add('toInt32', 'truncates toward zero', lambda x: x.to(torch.int64), [torch.tensor([-1.7, -0.2, 0.0, 0.9, 2.5], dtype=torch.float64)], {})
    fx.add('clone', '[3,4]', torch.clone, [r(3, 4)], {})
    fx.add('asStrided', 'overlapping windows', lambda x: torch.as_strided(x, (3, 3), (2, 1), 1), [r(8)],
           {'shape': [3, 3], 'strides': [2, 1], 'offset': 1})
    fx.add('asStrided', 'transpose of [3,4]', lambda x: torch.as_strided(x, (4, 3), (1, 4)), [r(3, 4)],
           {'shape': [4, 3], 'strides': [1, 4], 'offset': 0})
    return fx, NOTES
