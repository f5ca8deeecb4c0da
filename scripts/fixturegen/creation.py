"""Creation functions whose values are easy to get subtly wrong: arange and linspace."""
import torch

from .common import FixtureSet, encode

NOTES = [
    'arange gives int32 when start, end and step are all integers (PyTorch: int64), float32 otherwise.',
    'linspace is float32; PyTorch fills the first half from start and the second half from end.',
]


def generate(seed):
    fx = FixtureSet(seed)
    aranges = [
        [5], [2, 9, 3], [10, 0, -3], [0, 1, 0.1], [-1, 1, 0.25], [1, 2.5, 0.5], [0.5, 3],
        [0, -1, -0.3], [5, 5], [0, 10, 3.3], [-2.5, 2.5, 0.7], [0, 0.3, 0.1],
    ]
    for a in aranges:
        fx.cases.append({'op': 'arange', 'name': f'arange{tuple(a)}', 'args': a, 'out': encode(torch.arange(*a))})
    linspaces = [
        [0, 1, 5], [-1, 1, 7], [0, 1, 1], [0, 1, 0], [3, -2, 4], [0, 1, 2], [-5.5, 10.25, 11], [0, 1, 100],
        [1e-3, 7.3, 9], [2, 2, 3],
    ]
    for a in linspaces:
        fx.cases.append({'op': 'linspace', 'name': f'linspace{tuple(a)}', 'args': a, 'out': encode(torch.linspace(*a))})
    return fx, NOTES
