"""
Generate the PyTorch fixtures the nn and optim tests compare against:

  test/fixtures/nn_layers.json      one forward + backward per layer configuration
  test/fixtures/nn_batchnorm.json   BatchNorm over several training steps, then eval
  test/fixtures/optim_steps.json    parameters after every step of each optimiser
  test/fixtures/optim_schedules.json  learning rates (and momenta) of each schedule
  test/fixtures/nn_net.safetensors  a trained model's state_dict as PyTorch saves it
  test/fixtures/nn_net.json         that model's evaluation output on a fixed input

    /usr/bin/python3 scripts/gen_nn_fixtures.py

Needs PyTorch 1.13 (Debian's python3-torch under /usr/bin/python3; the script
re-runs itself there when the python3 on PATH lacks torch).

Layers run in float64 on weights and inputs rounded to a 1e-4 grid, so the
float32 copies mlpkit reads are within 1e-7 relative of what PyTorch saw.
Each layer case stores the module's state_dict exactly as PyTorch names it
(the test loads it with strict key checking), the input, the output, a random
upstream gradient and the gradients of the input and of every parameter.

Layers PyTorch 1.13 lacks (RMSNorm, squared ReLU, GEGLU, SwiGLU) and
LayerNorm(bias=False) are written out from their definitions here.
"""
import math
import sys
import warnings

sys.dont_write_bytecode = True

from fixturegen.output import encode, torch_or_reexec, write_json, write_safetensors  # noqa: E402

torch_or_reexec('gen_nn_fixtures')
import torch  # noqa: E402

import torch.nn as nn
import torch.nn.functional as F

enc = encode


def grid(t, q=1e-4):
    return torch.round(t / q) * q


def randn(*shape, scale=1.0):
    return grid(torch.randn(*shape, dtype=torch.float64) * scale)


# ---------------------------------------------------------------- layers absent from torch 1.13

class RMSNormRef(nn.Module):
    """torch.nn.RMSNorm (2.4+): x / sqrt(mean(x^2) + eps) * weight; eps None = float32 machine epsilon (mlpkit runs float32)."""

    def __init__(self, shape, eps=None, affine=True):
        super().__init__()
        self.shape = tuple(shape)
        self.eps = torch.finfo(torch.float32).eps if eps is None else eps
        self.weight = nn.Parameter(torch.ones(self.shape)) if affine else None

    def forward(self, x):
        dims = tuple(range(-len(self.shape), 0))
        y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + self.eps)
        return y * self.weight if self.weight is not None else y


class Fn(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def geglu(x, dim=-1, approximate='none'):
    a, b = x.chunk(2, dim)
    return a * F.gelu(b, approximate=approximate)


def swiglu(x, dim=-1):
    a, b = x.chunk(2, dim)
    return a * F.silu(b)


def layernorm_without_bias(shape):
    m = nn.LayerNorm(shape)
    m.register_parameter('bias', None)
    return m


# ---------------------------------------------------------------- composite model (state-dict names)

class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.layer_scale = nn.Parameter(torch.full((d,), 0.5))

    def forward(self, x):
        return x + self.layer_scale * self.mlp(self.norm(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(7, 4)
        self.blocks = nn.ModuleList([Block(4), Block(4)])
        self.bn = nn.BatchNorm1d(4)
        self.heads = nn.ModuleDict({'cls': nn.Linear(4, 3), 'reg': nn.Linear(4, 1)})

    def forward(self, idx):
        x = self.embed(idx).mean(1)
        for b in self.blocks:
            x = b(x)
        x = self.bn(x)
        return torch.cat([self.heads['cls'](x), self.heads['reg'](x)], -1)


# ---------------------------------------------------------------- layer cases

def prepare(module):
    """float64, weights on the 1e-4 grid; norm scales and shifts moved off 1 and 0 so they matter."""
    module = module.double()
    with torch.no_grad():
        for name, p in module.named_parameters():
            leaf = name.rsplit('.', 1)[-1]
            if isinstance(p, torch.Tensor) and p.dim() >= 1 and p.numel() and leaf in ('weight', 'bias', 'layer_scale') and torch.all((p == 1) | (p == 0) | (p == 0.5)):
                p.add_(torch.randn(p.shape, dtype=p.dtype) * 0.3)
            p.copy_(grid(p))
    return module


def layer_case(name, kind, args, module, x, train=True):
    module = prepare(module)
    module.train(train)
    state = [[k, enc(v)] for k, v in module.state_dict().items()]
    floating = x.is_floating_point()
    if floating:
        x = x.detach().clone().requires_grad_(True)
    out = module(x)
    gout = randn(*out.shape)
    out.backward(gout)
    return {
        'name': name, 'kind': kind, 'args': args, 'train': train,
        'state': state,
        'input': enc(x),
        'output': enc(out), 'gout': enc(gout),
        'gradInput': enc(x.grad) if floating else None,
        'grads': [[k, enc(p.grad)] for k, p in module.named_parameters()],
    }


def layers():
    torch.manual_seed(1)
    c = []
    c.append(layer_case('linear', 'Linear', {'in': 5, 'out': 3}, nn.Linear(5, 3), randn(2, 4, 5)))
    c.append(layer_case('linear_nobias_1d', 'Linear', {'in': 4, 'out': 6, 'bias': False}, nn.Linear(4, 6, bias=False), randn(4)))
    c.append(layer_case('conv1d', 'Conv1d', {'in': 3, 'out': 4, 'k': 3, 'stride': 2, 'padding': 1}, nn.Conv1d(3, 4, 3, stride=2, padding=1), randn(2, 3, 9)))
    c.append(layer_case('conv1d_same_dilated_groups', 'Conv1d', {'in': 4, 'out': 6, 'k': 4, 'padding': 'same', 'dilation': 2, 'groups': 2},
                        nn.Conv1d(4, 6, 4, padding='same', dilation=2, groups=2), randn(2, 4, 10)))
    c.append(layer_case('conv1d_reflect', 'Conv1d', {'in': 2, 'out': 3, 'k': 3, 'padding': 1, 'paddingMode': 'reflect'},
                        nn.Conv1d(2, 3, 3, padding=1, padding_mode='reflect'), randn(1, 2, 6)))
    c.append(layer_case('conv2d', 'Conv2d', {'in': 3, 'out': 4, 'k': 3, 'padding': 1}, nn.Conv2d(3, 4, 3, padding=1), randn(2, 3, 6, 5)))
    c.append(layer_case('conv2d_groups_stride_nobias', 'Conv2d', {'in': 4, 'out': 4, 'k': [3, 2], 'stride': [2, 1], 'padding': [1, 0], 'groups': 2, 'bias': False},
                        nn.Conv2d(4, 4, (3, 2), stride=(2, 1), padding=(1, 0), groups=2, bias=False), randn(2, 4, 7, 5)))
    c.append(layer_case('conv2d_circular', 'Conv2d', {'in': 2, 'out': 3, 'k': 3, 'padding': 1, 'paddingMode': 'circular'},
                        nn.Conv2d(2, 3, 3, padding=1, padding_mode='circular'), randn(1, 2, 5, 4)))
    c.append(layer_case('conv2d_same_even', 'Conv2d', {'in': 2, 'out': 2, 'k': [3, 4], 'padding': 'same'},
                        nn.Conv2d(2, 2, (3, 4), padding='same'), randn(1, 2, 5, 6)))
    c.append(layer_case('embedding', 'Embedding', {'num': 10, 'dim': 4}, nn.Embedding(10, 4), torch.tensor([[1, 2, 3], [3, 9, 0]])))
    c.append(layer_case('embedding_padding', 'Embedding', {'num': 6, 'dim': 3, 'paddingIdx': 2}, nn.Embedding(6, 3, padding_idx=2), torch.tensor([2, 0, 2, 5, 1])))
    c.append(layer_case('layernorm', 'LayerNorm', {'shape': [6]}, nn.LayerNorm(6), randn(3, 4, 6)))
    c.append(layer_case('layernorm_2d_eps', 'LayerNorm', {'shape': [3, 4], 'eps': 1e-3}, nn.LayerNorm([3, 4], eps=1e-3), randn(2, 3, 4, scale=0.1)))
    c.append(layer_case('layernorm_nobias', 'LayerNorm', {'shape': [5], 'bias': False}, layernorm_without_bias(5), randn(4, 5)))
    c.append(layer_case('layernorm_noaffine', 'LayerNorm', {'shape': [5], 'elementwiseAffine': False}, nn.LayerNorm(5, elementwise_affine=False), randn(3, 5)))
    c.append(layer_case('rmsnorm', 'RMSNorm', {'shape': [6]}, RMSNormRef([6]), randn(3, 6)))
    c.append(layer_case('rmsnorm_2d_eps', 'RMSNorm', {'shape': [2, 3], 'eps': 1e-2}, RMSNormRef([2, 3], eps=1e-2), randn(4, 2, 3, scale=0.2)))
    c.append(layer_case('rmsnorm_noaffine', 'RMSNorm', {'shape': [4], 'elementwiseAffine': False}, RMSNormRef([4], affine=False), randn(2, 4)))
    c.append(layer_case('groupnorm', 'GroupNorm', {'groups': 2, 'channels': 6}, nn.GroupNorm(2, 6), randn(2, 6, 3, 2)))
    c.append(layer_case('groupnorm_instance_noaffine', 'GroupNorm', {'groups': 3, 'channels': 3, 'affine': False, 'eps': 1e-3},
                        nn.GroupNorm(3, 3, eps=1e-3, affine=False), randn(2, 3, 5)))
    c.append(layer_case('batchnorm1d_train', 'BatchNorm1d', {'features': 3}, nn.BatchNorm1d(3), randn(5, 3)))
    c.append(layer_case('batchnorm2d_train', 'BatchNorm2d', {'features': 2, 'eps': 1e-3}, nn.BatchNorm2d(2, eps=1e-3), randn(2, 2, 3, 3)))
    acts = [
        ('relu', 'ReLU', {}, nn.ReLU()),
        ('squared_relu', 'SquaredReLU', {}, Fn(lambda x: F.relu(x) ** 2)),
        ('gelu', 'GELU', {}, nn.GELU()),
        ('gelu_tanh', 'GELU', {'approximate': 'tanh'}, nn.GELU(approximate='tanh')),
        ('silu', 'SiLU', {}, nn.SiLU()),
        ('sigmoid', 'Sigmoid', {}, nn.Sigmoid()),
        ('tanh', 'Tanh', {}, nn.Tanh()),
        ('softplus', 'Softplus', {}, nn.Softplus()),
        ('softplus_beta_threshold', 'Softplus', {'beta': 2, 'threshold': 3}, nn.Softplus(beta=2, threshold=3)),
        ('leaky_relu', 'LeakyReLU', {'slope': 0.2}, nn.LeakyReLU(0.2)),
        ('elu', 'ELU', {'alpha': 0.7}, nn.ELU(0.7)),
        ('mish', 'Mish', {}, nn.Mish()),
        ('glu', 'GLU', {'dim': 1}, nn.GLU(dim=1)),
        ('geglu', 'GEGLU', {}, Fn(geglu)),
        ('geglu_tanh', 'GEGLU', {'approximate': 'tanh'}, Fn(lambda x: geglu(x, approximate='tanh'))),
        ('swiglu', 'SwiGLU', {}, Fn(swiglu)),
    ]
    for name, kind, args, m in acts:
        c.append(layer_case(name, kind, args, m, randn(3, 4, 6, scale=2)))
    pools = [
        ('maxpool2d_pad', 'MaxPool2d', {'k': 3, 'stride': 2, 'padding': 1}, nn.MaxPool2d(3, stride=2, padding=1)),
        ('maxpool2d_ceil_dilated', 'MaxPool2d', {'k': 2, 'stride': 2, 'dilation': 2, 'ceilMode': True}, nn.MaxPool2d(2, stride=2, dilation=2, ceil_mode=True)),
        ('avgpool2d', 'AvgPool2d', {'k': 2}, nn.AvgPool2d(2)),
        ('avgpool2d_pad_exclude', 'AvgPool2d', {'k': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False}, nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)),
        ('avgpool2d_ceil_include', 'AvgPool2d', {'k': [2, 3], 'stride': 2, 'padding': 1, 'ceilMode': True}, nn.AvgPool2d((2, 3), stride=2, padding=1, ceil_mode=True)),
    ]
    for name, kind, args, m in pools:
        c.append(layer_case(name, kind, args, m, randn(2, 2, 7, 6)))
    c.append(layer_case('maxpool1d', 'MaxPool1d', {'k': 3, 'stride': 2, 'padding': 1}, nn.MaxPool1d(3, stride=2, padding=1), randn(2, 3, 8)))
    c.append(layer_case('avgpool1d', 'AvgPool1d', {'k': 2, 'stride': 1}, nn.AvgPool1d(2, stride=1), randn(2, 3, 5)))
    c.append(layer_case('flatten', 'Flatten', {}, nn.Flatten(), randn(2, 3, 2)))
    c.append(layer_case('sequential', 'Sequential', {},
                        nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8), nn.GELU(), nn.Linear(8, 2)), randn(3, 4)))
    c.append(layer_case('composite_net', 'Net', {}, Net(), torch.tensor([[1, 2, 3], [0, 6, 6], [5, 4, 1], [2, 2, 0]])))
    return {'cases': c}


# ---------------------------------------------------------------- batchnorm over several steps

def bn_case(name, args, module, shape, steps=3):
    module = prepare(module)
    init = [[k, enc(v)] for k, v in module.state_dict().items()]
    records = []
    for s in range(steps + 1):
        train = s < steps
        module.train(train)
        x = randn(*shape).add(1.5).requires_grad_(True)
        out = module(x)
        gout = randn(*out.shape)
        module.zero_grad()
        out.backward(gout)
        records.append({
            'train': train, 'input': enc(x), 'gout': enc(gout), 'output': enc(out), 'gradInput': enc(x.grad),
            'grads': [[k, enc(p.grad)] for k, p in module.named_parameters()],
            'buffers': [[k, enc(b)] for k, b in module.named_buffers()],
        })
    return {'name': name, 'args': args, 'state': init, 'steps': records}


def batchnorm():
    torch.manual_seed(2)
    return {'cases': [
        bn_case('bn1d_momentum', {'kind': 'BatchNorm1d', 'features': 3}, nn.BatchNorm1d(3), (5, 3)),
        bn_case('bn1d_3d_cumulative', {'kind': 'BatchNorm1d', 'features': 2, 'momentum': None}, nn.BatchNorm1d(2, momentum=None), (3, 2, 4)),
        bn_case('bn2d_momentum_eps', {'kind': 'BatchNorm2d', 'features': 3, 'momentum': 0.3, 'eps': 1e-3}, nn.BatchNorm2d(3, momentum=0.3, eps=1e-3), (2, 3, 3, 3)),
        bn_case('bn2d_untracked', {'kind': 'BatchNorm2d', 'features': 2, 'trackRunningStats': False}, nn.BatchNorm2d(2, track_running_stats=False), (3, 2, 2, 2)),
        bn_case('bn1d_noaffine', {'kind': 'BatchNorm1d', 'features': 3, 'affine': False}, nn.BatchNorm1d(3, affine=False), (4, 3)),
    ]}


# ---------------------------------------------------------------- optimisers

STEPS = 8


def problem():
    """A small regression: W [3, 4], b [3]; loss = mean((tanh(X Wᵀ + b) − Y)²) (+ 0.1·sum(c²) for an extra param c [2])."""
    g = torch.Generator().manual_seed(3)
    r = lambda *s: grid(torch.randn(*s, generator=g, dtype=torch.float64))
    return {'W': r(3, 4) * 0.5, 'b': r(3) * 0.1, 'c': r(2), 'X': r(6, 4), 'Y': r(6, 3) * 0.5}


def loss_fn(W, b, c, X, Y):
    return ((torch.tanh(X @ W.T + b) - Y) ** 2).mean() + 0.1 * (c ** 2).sum()


def run_optimizer(name, make, groups, steps=STEPS, clip=None, frozen_c=False):
    """`groups` says how W, b, c are grouped: a list of (param names, overrides)."""
    data = problem()
    params = {k: data[k].clone().requires_grad_(True) for k in ('W', 'b', 'c')}
    opt = make([{'params': [params[n] for n in names], **over} for names, over in groups])
    history, norms = [], []
    for _ in range(steps):
        opt.zero_grad()
        c = params['c'].detach() if frozen_c else params['c']
        loss_fn(params['W'], params['b'], c, data['X'], data['Y']).backward()
        if clip is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(list(params.values()), clip)))
        opt.step()
        history.append({k: enc(v) for k, v in params.items()})
    return {'name': name, 'groups': [[names, over] for names, over in groups], 'history': history, 'clipNorms': norms}


def optim_steps():
    one = [(['W', 'b', 'c'], {})]
    two = [(['W', 'c'], {'lr': 0.02, 'weightDecay': 0.05}), (['b'], {'lr': 0.05, 'weightDecay': 0})]
    cases = [
        ('SGD', {'lr': 0.1}, one, {}),
        ('SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1, 'weightDecay': 0.01}, one, {}),
        ('SGD', {'lr': 0.05, 'momentum': 0.8, 'nesterov': True, 'weightDecay': 0.001}, one, {}),
        ('SGD', {'lr': 0.05, 'momentum': 0.5, 'maximize': True}, one, {}),
        ('SGD', {'lr': 0.1, 'momentum': 0.9}, two, {}),
        ('SGD', {'lr': 0.3, 'momentum': 0.5}, one, {'clip': 0.25}),
        ('Adam', {'lr': 0.01}, one, {}),
        ('Adam', {'lr': 0.02, 'betas': [0.8, 0.99], 'eps': 1e-6, 'weightDecay': 0.1, 'amsgrad': True}, one, {}),
        ('Adam', {'lr': 0.01, 'maximize': True}, one, {'frozen_c': True}),
        ('AdamW', {'lr': 0.01}, one, {}),
        ('AdamW', {'lr': 0.03, 'weightDecay': 0.2, 'amsgrad': True}, two, {}),
        ('AdamW', {'lr': 0.05}, one, {'clip': 0.1}),
    ]
    torch_name = {'lr': 'lr', 'momentum': 'momentum', 'dampening': 'dampening', 'weightDecay': 'weight_decay',
                  'nesterov': 'nesterov', 'maximize': 'maximize', 'betas': 'betas', 'eps': 'eps', 'amsgrad': 'amsgrad'}
    out = []
    for kind, opts, groups, extra in cases:
        topts = {torch_name[k]: (tuple(v) if k == 'betas' else v) for k, v in opts.items()}
        tgroups = [(names, {torch_name[k]: v for k, v in over.items()}) for names, over in groups]
        cls = getattr(torch.optim, kind)
        rec = run_optimizer(kind, lambda gs: cls([{**g} for g in gs], **topts), tgroups, clip=extra.get('clip'), frozen_c=extra.get('frozen_c', False))
        rec['groups'] = [[names, over] for names, over in groups]
        rec.update({'kind': kind, 'options': opts, 'clip': extra.get('clip'), 'frozenC': extra.get('frozen_c', False)})
        out.append(rec)
    data = problem()
    return {'problem': {k: enc(v) for k, v in data.items()}, 'steps': STEPS, 'cases': out}


# ---------------------------------------------------------------- schedules

def schedule_case(name, kind, args, make_sched, steps, base_lr=0.1, opt='SGD', groups=1, record_momentum=False):
    ps = [torch.zeros(1, requires_grad=True) for _ in range(groups)]
    if opt == 'SGD':
        o = torch.optim.SGD([{'params': [p]} for p in ps], lr=base_lr, momentum=0.9)
    else:
        o = torch.optim.Adam([{'params': [p]} for p in ps], lr=base_lr)
    s = make_sched(o)
    lrs, moms = [], []
    for i in range(steps):
        lrs.append([g['lr'] for g in o.param_groups])
        if record_momentum:
            moms.append([g['momentum'] if opt == 'SGD' else g['betas'][0] for g in o.param_groups])
        if i < steps - 1:
            o.step()
            s.step()
    return {'name': name, 'kind': kind, 'args': args, 'baseLr': base_lr, 'optimizer': opt, 'groups': groups, 'lrs': lrs, 'momenta': moms if record_momentum else None}


def warmup_cosine_factor(warmup, total, eta_min, base, start=0.0):
    def f(e):
        if e < warmup:
            return start + (1 - start) * e / warmup
        p = min(1.0, (e - warmup) / (total - warmup))
        return (eta_min + (base - eta_min) * 0.5 * (1 + math.cos(math.pi * p))) / base
    return f


def wsd_factor(warmup, stable, decay, eta_min, base, shape):
    def f(e):
        if e < warmup:
            return e / warmup
        if e < warmup + stable:
            return 1.0
        if e >= warmup + stable + decay:
            return eta_min / base
        p = (e - warmup - stable) / decay
        k = {'linear': 1 - p, 'cosine': 0.5 * (1 + math.cos(math.pi * p)), 'sqrt': 1 - math.sqrt(p)}[shape]
        return (eta_min + (base - eta_min) * k) / base
    return f


def schedules():
    S = torch.optim.lr_scheduler
    c = [
        schedule_case('step', 'StepLR', {'stepSize': 3, 'gamma': 0.5}, lambda o: S.StepLR(o, 3, 0.5), 12),
        schedule_case('multistep', 'MultiStepLR', {'milestones': [2, 5, 9], 'gamma': 0.3}, lambda o: S.MultiStepLR(o, [2, 5, 9], 0.3), 12),
        schedule_case('exponential', 'ExponentialLR', {'gamma': 0.9}, lambda o: S.ExponentialLR(o, 0.9), 10),
        schedule_case('linear_warmup', 'LinearLR', {'startFactor': 0.25, 'endFactor': 1, 'totalIters': 4}, lambda o: S.LinearLR(o, 0.25, 1.0, 4), 8),
        schedule_case('cosine', 'CosineAnnealingLR', {'tMax': 10, 'etaMin': 0.01}, lambda o: S.CosineAnnealingLR(o, 10, 0.01), 25),
        schedule_case('onecycle_sgd', 'OneCycleLR', {'maxLr': 0.1, 'totalSteps': 20}, lambda o: S.OneCycleLR(o, 0.1, total_steps=20), 21, record_momentum=True),
        schedule_case('onecycle_adam_three_phase_linear', 'OneCycleLR',
                      {'maxLr': [0.2, 0.05], 'totalSteps': 17, 'pctStart': 0.25, 'annealStrategy': 'linear', 'threePhase': True, 'divFactor': 10, 'finalDivFactor': 100},
                      lambda o: S.OneCycleLR(o, [0.2, 0.05], total_steps=17, pct_start=0.25, anneal_strategy='linear', three_phase=True, div_factor=10, final_div_factor=100),
                      18, opt='Adam', groups=2, record_momentum=True),
        schedule_case('onecycle_epochs_nomomentum', 'OneCycleLR', {'maxLr': 1.0, 'epochs': 3, 'stepsPerEpoch': 4, 'cycleMomentum': False},
                      lambda o: S.OneCycleLR(o, 1.0, epochs=3, steps_per_epoch=4, cycle_momentum=False), 13),
        schedule_case('warmup_cosine', 'WarmupCosineLR', {'warmupSteps': 5, 'totalSteps': 20, 'etaMin': 0.001},
                      lambda o: S.LambdaLR(o, warmup_cosine_factor(5, 20, 0.001, 0.1)), 24),
        schedule_case('warmup_cosine_start', 'WarmupCosineLR', {'warmupSteps': 3, 'totalSteps': 9, 'warmupStartFactor': 0.1},
                      lambda o: S.LambdaLR(o, warmup_cosine_factor(3, 9, 0.0, 0.1, start=0.1)), 11),
    ]
    for shape in ('linear', 'cosine', 'sqrt'):
        c.append(schedule_case(f'wsd_{shape}', 'WarmupStableDecayLR', {'warmupSteps': 3, 'stableSteps': 4, 'decaySteps': 5, 'etaMin': 0.002, 'decayShape': shape},
                               lambda o, shape=shape: S.LambdaLR(o, wsd_factor(3, 4, 5, 0.002, 0.1, shape)), 15))
    return {'cases': c}


# ---------------------------------------------------------------- a PyTorch checkpoint as safetensors

def checkpoint():
    """Net trained for a few SGD steps (so BatchNorm has running stats and a count), saved in float32 as torch names it."""
    torch.manual_seed(4)
    net = Net().float()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(3):
        idx = torch.randint(0, 7, (5, 3))
        opt.zero_grad()
        net(idx).pow(2).mean().backward()
        opt.step()
    net.eval()
    idx = torch.tensor([[1, 2, 3], [0, 6, 6], [5, 4, 1]])
    with torch.no_grad():
        out = net(idx)
    write_safetensors('nn_net.safetensors', net.state_dict())
    return {'input': enc(idx), 'output': enc(out), 'keys': list(net.state_dict().keys())}


def main():
    # PyTorch warns that an even 'same' kernel needs a padded copy: expected here.
    warnings.filterwarnings('ignore', message='Using padding=.same.')
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    write_json('nn_layers.json', layers())
    write_json('nn_batchnorm.json', batchnorm())
    write_json('optim_steps.json', optim_steps())
    write_json('optim_schedules.json', schedules())
    torch.set_default_dtype(torch.float32)
    write_json('nn_net.json', checkpoint())


if __name__ == '__main__':
    main()
