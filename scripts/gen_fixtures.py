"""
Generate the PyTorch fixtures the mlpkit engine tests compare against:
test/fixtures/ops_<group>.json, one file per op family.

    npm run fixtures        (or: /usr/bin/python3 scripts/gen_fixtures.py)

Needs PyTorch 1.13 (Debian's python3-torch, under /usr/bin/python3); when the
python3 on PATH lacks torch the script re-runs itself there. Every group draws
from its own seeded generator, so the output is byte-for-byte reproducible and
adding a case to one group leaves the others unchanged.

Where mlpkit's API deliberately differs from torch, the expected values follow
mlpkit and the difference is written into the fixture's "notes":
  - integers are int32, never int64 (argmax, indices, class targets, one_hot);
  - max(dims)/min(dims) share the gradient evenly among ties, like torch.amax;
    maxAlong(dim)/minAlong(dim) are torch.max(x, dim)/torch.min(x, dim);
  - x.slice(dim, start, end, step) has Python slice semantics including negative
    steps (torch forbids them; expected values come from index_select);
  - var/std take {unbiased, keepdim} (unbiased=true divides by n - 1, as torch).
"""
import os
import sys

sys.dont_write_bytecode = True

try:
    import torch
except ImportError:
    if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3', *sys.argv])
    sys.exit('gen_fixtures: PyTorch is not importable (install python3-torch; it runs under /usr/bin/python3)')

from fixturegen import autograd, conv, creation, elementwise, linalg, loss, movement, reduce

GROUPS = [
    ('elementwise', elementwise, 1),
    ('reduce', reduce, 2),
    ('movement', movement, 3),
    ('linalg', linalg, 4),
    ('conv', conv, 5),
    ('loss', loss, 6),
    ('autograd', autograd, 7),
    ('creation', creation, 8),
]


def main():
    torch.set_num_threads(1)
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
    os.makedirs(out_dir, exist_ok=True)
    total = 0
    for name, module, seed in GROUPS:
        fx, notes = module.generate(seed)
        path = os.path.join(out_dir, f'ops_{name}.json')
        fx.write(path, notes)
        size = os.path.getsize(path)
        total += size
        print(f'{os.path.relpath(path)}: {len(fx.cases)} cases, {size / 1024:.1f} KiB')
    print(f'total {total / 1024:.1f} KiB')


if __name__ == '__main__':
    main()
