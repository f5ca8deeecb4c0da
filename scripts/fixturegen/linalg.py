"""matmul (1-d promotion, batching, broadcasting, transposed operands), bmm flags and einsum."""
import torch

from .common import FixtureSet

NOTES = [
    "bmm(a, b, transA, transB) reads a stored [k, m] (or [n, k]) operand as its transpose; "
    'the expected values are torch.bmm of explicitly transposed operands, with the batch of 1 broadcast.',
    'bmmBias: bmm(a, b, transA, transB, bias) adds bias [n] to every row inside the product, as torch.addmm / '
    'F.linear do; expected values are the product plus the broadcast bias.',
]


def generate(seed):
    fx = FixtureSet(seed)
    r = fx.randn
    shapes = [
        ('2-d @ 2-d', (3, 4), (4, 5)),
        ('1-d @ 2-d', (4,), (4, 3)),
        ('2-d @ 1-d', (3, 4), (4,)),
        ('1-d @ 1-d (dot)', (5,), (5,)),
        ('batched 3-d @ 3-d', (2, 3, 4), (2, 4, 2)),
        ('3-d @ 2-d (rows folded)', (2, 3, 4), (4, 5)),
        ('2-d @ 3-d (broadcast left)', (3, 4), (2, 4, 5)),
        ('broadcast batch [2,1,3,4] @ [3,4,2]', (2, 1, 3, 4), (3, 4, 2)),
        ('1-d @ 3-d', (4,), (2, 4, 3)),
        ('3-d @ 1-d', (2, 3, 4), (4,)),
        ('inner size 1', (3, 1), (1, 2)),
    ]
    for name, sa, sb in shapes:
        fx.add('matmul', name, torch.matmul, [r(*sa), r(*sb)])
    fx.add('matmul', 'batched broadcast (float64)', torch.matmul, [r(2, 1, 3, 4), r(3, 4, 2)], f64=True)
    # Transposed operands (the backward pass reads them through the transpose flags).
    for ta in (False, True):
        for tb in (False, True):
            a = r(2, 4, 3) if ta else r(2, 3, 4)
            b = r(2, 5, 4) if tb else r(2, 4, 5)
            fx.add('matmulT', f'transA {ta} transB {tb}',
                   lambda a, b, ta=ta, tb=tb: torch.matmul(a.mT if ta else a, b.mT if tb else b), [a, b],
                   {'transA': ta, 'transB': tb})
            a1 = r(1, 4, 3) if ta else r(1, 3, 4)
            fx.add('bmm', f'transA {ta} transB {tb}, left batch 1',
                   lambda a, b, ta=ta, tb=tb: torch.matmul(a.mT if ta else a, b.mT if tb else b), [a1, b],
                   {'transA': ta, 'transB': tb})

    eqs = [
        ('ij,jk->ik', [(3, 4), (4, 2)]),
        ('bij,bjk->bik', [(2, 3, 4), (2, 4, 2)]),
        ('ij->ji', [(3, 4)]),
        ('ii->i', [(3, 3)]),
        ('ii', [(4, 4)]),
        ('bii->bi', [(2, 3, 3)]),
        ('i,j->ij', [(3,), (4,)]),
        ('ij,ij->', [(2, 3), (2, 3)]),
        ('ij,ij->i', [(2, 3), (2, 3)]),
        ('ij,jk', [(2, 3), (3, 4)]),
        ('ij,jk,kl->il', [(2, 3), (3, 4), (4, 2)]),
        ('...d,hd->...h', [(2, 3, 4), (5, 4)]),
        ('bhqd,bhkd->bhqk', [(1, 2, 3, 4), (1, 2, 2, 4)]),
        ('bi,i->b', [(3, 4), (4,)]),
        ('ijk->k', [(2, 3, 4)]),
        ('b...,b...->b', [(2, 3, 2), (2, 3, 2)]),
    ]
    for eq, shapes in eqs:
        fx.add('einsum', eq, lambda *xs, eq=eq: torch.einsum(eq, *xs), [r(*s) for s in shapes], {'equation': eq})

    # bmm with a fused bias (the Linear layer's product), after the cases above so their draws are unchanged.
    for ta, tb, ba, name in [(False, True, 1, 'x·Wᵀ + b (Linear)'), (False, False, 2, 'batched'), (True, False, 1, 'transA, left batch 1 broadcast')]:
        a = r(ba, 4, 3) if ta else r(ba, 3, 4)
        b = r(2, 5, 4) if tb else r(2, 4, 5)
        fx.add('bmmBias', name,
               lambda a, b, c, ta=ta, tb=tb: torch.matmul(a.mT if ta else a, b.mT if tb else b) + c, [a, b, r(5)],
               {'transA': ta, 'transB': tb})
    return fx, NOTES
