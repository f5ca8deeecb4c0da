"""Higher-order autograd: a Hessian-vector product of a small tanh MLP."""
import torch

from .common import FixtureSet, encode

NOTES = [
    'mlp: loss = mean((tanh(x @ w1 + b1) @ w2 + b2 - y)^2); grads = d loss / d params; '
    'hvp = d (sum_i grads_i . v_i) / d params (the Hessian times v).',
]


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn
    x, y = r(4, 3), r(4, 2)
    params = [r(3, 5, scale=0.7), r(5, scale=0.3), r(5, 2, scale=0.7), r(2, scale=0.3)]
    vs = [r(*p.shape) for p in params]
    ps = [p.clone().requires_grad_(True) for p in params]
    w1, b1, w2, b2 = ps
    loss = ((torch.tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2).mean()
    grads = torch.autograd.grad(loss, ps, create_graph=True)
    dot = sum((g * v).sum() for g, v in zip(grads, vs))
    hvp = torch.autograd.grad(dot, ps)
    fx.cases.append({
        'op': 'mlpHvp',
        'name': 'tanh MLP 3-5-2, MSE loss',
        'x': encode(x), 'y': encode(y),
        'params': [encode(p) for p in params],
        'v': [encode(v) for v in vs],
        'loss': encode(loss),
        'grads': [encode(g) for g in grads],
        'hvp': [encode(h) for h in hvp],
    })
    return fx, NOTES
