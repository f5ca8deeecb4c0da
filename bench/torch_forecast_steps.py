"""PyTorch side of bench/forecast_steps.mjs: the median training-step time of
each named model, built as scripts/ts_reference_train.py builds it (same
modules, initialisation, dropout and optimizer), on random batches of the
recipe's size. Prints one JSON line {model: ms}. Threads: task["threads"]
(the caller sets OPENBLAS_NUM_THREADS to match)."""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
from ts_reference_train import build  # noqa: E402

NAMES = {'tsmixer_rev_in': 'tsmixer', 'patchtsmixer': 'patchtsmixer', 'timemixer': 'timemixer'}
L = {'tsmixer': 512, 'patchtsmixer': 512, 'timemixer': 96}
H, C, MARKS = 96, 7, 4


def step_ms(name, steps):
    torch.manual_seed(0)
    model, fwd, r = build(name, L[name], H, C)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = (torch.optim.Adam if r['opt'] == 'adam' else torch.optim.AdamW)(params, lr=r['lr'], eps=r['eps'], weight_decay=0.0)
    b = r['bs']
    x, y = torch.randn(b, L[name], C), torch.randn(b, H, C)
    xm, ym = torch.rand(b, L[name], MARKS) - 0.5, torch.rand(b, H, MARKS) - 0.5
    times = []
    for i in range(steps + 2):
        t0 = time.perf_counter()
        loss = ((fwd(model, x, xm, ym) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        if r['clip'] is not None:
            torch.nn.utils.clip_grad_norm_(params, r['clip'])
        opt.step()
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main():
    task = json.loads(sys.argv[1])
    torch.set_num_threads(task.get('threads', 1))
    print(json.dumps({n: step_ms(NAMES[n], task['steps']) for n in task['models']}))


if __name__ == '__main__':
    main()
