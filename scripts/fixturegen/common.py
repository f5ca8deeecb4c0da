"""Shared machinery of the fixture generator: seeded inputs, one case record,
and compact JSON.

A case runs a PyTorch function on float64 copies of its inputs and stores the
inputs, the op arguments, the forward outputs, a random upstream gradient for
every floating output and the gradient of every differentiable input. The
mlpkit tests replay the case in float32 and compare.

Inputs are rounded to three decimals, so the JSON stays short and the float32
copy mlpkit reads differs from what PyTorch saw by less than 1e-7 relative.
Outputs and gradients keep seven significant digits. Non-finite values are
the strings 'Infinity', '-Infinity' and 'NaN'.
"""
import json
import math

import torch

# mlpkit has no int64: integer tensors are int32 on its side.
DTYPE_NAMES = {
    torch.float32: 'float32',
    torch.float64: 'float32',
    torch.int64: 'int32',
    torch.int32: 'int32',
    torch.bool: 'bool',
}


def _number(v, is_float):
    if not is_float:
        return int(v)
    if not math.isfinite(v):
        # JSON has no NaN/Infinity: write them as the strings JS's Number() reads back.
        return 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    r = float(f'{v:.7g}')
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def encode(t, f64=False):
    """A tensor as {shape, dtype, data} (flat, row-major)."""
    t = t.detach()
    is_float = t.is_floating_point()
    name = 'float64' if (f64 and is_float) else DTYPE_NAMES[t.dtype]
    flat = t.reshape(-1).tolist()
    return {'shape': list(t.shape), 'dtype': name, 'data': [_number(v, is_float) for v in flat]}


class FixtureSet:
    """The cases of one fixture file, drawn from one seeded generator."""

    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)
        self.cases = []

    # ------------------------------------------------------------ inputs

    def _round(self, x):
        return torch.round(x * 1000) / 1000

    @staticmethod
    def _shape(shape):
        # r(()) asks for a 0-d tensor, r(3, 4) for a [3, 4] one.
        return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list, torch.Size)) else tuple(shape)

    def randn(self, *shape, scale=1.0):
        """Standard-normal values times `scale`, three decimals, float64."""
        return self._round(torch.randn(self._shape(shape), generator=self.gen, dtype=torch.float64) * scale)

    def uniform(self, lo, hi, *shape):
        return self._round(lo + (hi - lo) * torch.rand(self._shape(shape), generator=self.gen, dtype=torch.float64))

    def distinct(self, *shape, spread=0.05):
        """Values with no ties anywhere (gaps of at least spread/5), centred on 0."""
        shape = self._shape(shape)
        n = math.prod(shape)
        perm = torch.randperm(n, generator=self.gen).to(torch.float64)
        jitter = torch.rand(n, generator=self.gen, dtype=torch.float64) * spread * 0.8
        return self._round((perm - n / 2) * spread + jitter).reshape(shape)

    def away_from(self, points, *shape, margin=0.05, scale=1.0):
        """Normal values at least `margin` from every kink in `points` (for gradcheck)."""
        x = self.randn(*shape, scale=scale)
        for p in points:
            near = (x - p).abs() < margin
            x = torch.where(near, x + torch.where(x >= p, margin, -margin) * 2, x)
        return self._round(x)

    def ints(self, lo, hi, *shape):
        return torch.randint(lo, hi, self._shape(shape), generator=self.gen)

    # ------------------------------------------------------------ cases

    def add(self, op, name, fn, inputs, args=None, diff=None, gradcheck=True, f64=False):
        """
        Record one case of `op`. `fn(*inputs)` returns a tensor or a tuple of
        tensors. `diff` lists the inputs that require grad (default: every
        floating input). `gradcheck` says whether finite differences are
        meaningful here (false at kinks and ties). `f64` keeps float data as
        float64 on the mlpkit side.
        """
        if diff is None:
            diff = [i for i, x in enumerate(inputs) if x.is_floating_point()]
        xs = []
        for i, x in enumerate(inputs):
            x = x.detach().clone()
            if i in diff:
                x.requires_grad_(True)
            xs.append(x)
        out = fn(*xs)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        gouts = [self.randn(*o.shape) if o.is_floating_point() else None for o in outs]
        grads = [None] * len(inputs)
        if diff:
            pairs = [(o, g) for o, g in zip(outs, gouts) if g is not None and o.requires_grad]
            if pairs:
                got = torch.autograd.grad([o for o, _ in pairs], [xs[i] for i in diff],
                                          [g.to(o.dtype) for o, g in pairs], allow_unused=True)
            else:
                got = [None] * len(diff)
            for i, g in zip(diff, got):
                grads[i] = torch.zeros_like(inputs[i]) if g is None else g
        case = {
            'op': op,
            'name': name,
            'args': args or {},
            'inputs': [encode(x, f64) for x in inputs],
            'diff': diff,
            'out': [encode(o, f64) for o in outs],
            'gout': [None if g is None else encode(g, f64) for g in gouts],
            'grads': [None if g is None else encode(g, f64) for g in grads],
        }
        if not gradcheck or not diff:
            case['gradcheck'] = False
        self.cases.append(case)

    def write(self, path, notes):
        with open(path, 'w') as f:
            json.dump({'generator': 'scripts/gen_fixtures.py', 'torch': torch.__version__,
                       'notes': notes, 'cases': self.cases}, f, separators=(',', ':'))
            f.write('\n')
