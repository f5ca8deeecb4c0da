"""How every fixture script writes what it computed: numbers and tensors as
compact JSON, files under test/fixtures/, and PyTorch state dicts as
safetensors. One copy, so the fixture files of all scripts share one format.

Import this only after torch is importable (see `torch_or_reexec`).
"""
import json
import math
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures')


def torch_or_reexec(script):
    """Make `import torch` work: re-run the script under Debian's /usr/bin/python3
    (python3-torch) when the python3 that started it has no torch."""
    try:
        import torch  # noqa: F401
    except ImportError:
        if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
            os.execv('/usr/bin/python3', ['/usr/bin/python3', *sys.argv])
        sys.exit(f'{script}: PyTorch is not importable (install python3-torch; it runs under /usr/bin/python3)')


def number(v, is_float=True, digits=9, nonfinite=False):
    """A JSON number with `digits` significant digits (integral values as ints).
    JSON has no NaN or ±∞: with `nonfinite` they become the strings JavaScript's
    Number() reads back, otherwise they are an error."""
    if not is_float:
        return int(v)
    if not math.isfinite(v):
        if not nonfinite:
            raise ValueError(f'non-finite value {v} in a fixture')
        return 'NaN' if math.isnan(v) else ('Infinity' if v > 0 else '-Infinity')
    r = float(f'{v:.{digits}g}')
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def encode(t, digits=9, nonfinite=False, f64=False):
    """A tensor as {shape, dtype, data} (flat, row-major). mlpkit reads floats
    as float32 (float64 with `f64`), booleans as bool and other integers as
    int32 (it has no int64)."""
    import torch
    t = t.detach()
    is_float = t.is_floating_point()
    dtype = ('float64' if f64 else 'float32') if is_float else ('bool' if t.dtype == torch.bool else 'int32')
    return {'shape': list(t.shape), 'dtype': dtype,
            'data': [number(v, is_float, digits, nonfinite) for v in t.reshape(-1).tolist()]}


def report(path):
    print(f'{os.path.relpath(path)}: {os.path.getsize(path) / 1024:.1f} KiB')


def write_json(name, payload):
    """test/fixtures/<name>, compact, with a final newline."""
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(payload, f, separators=(',', ':'))
        f.write('\n')
    report(path)


def write_safetensors(name, tensors, float32=False):
    """test/fixtures/<name> in the safetensors layout: u64 little-endian header
    length, JSON header (name → dtype, shape, byte range) padded to 8 bytes,
    raw little-endian data. `float32` converts every tensor first."""
    import torch
    st_dtype = {torch.float32: 'F32', torch.int64: 'I64'}
    header, chunks, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().to(torch.float32) if float32 else t.detach()
        raw = t.contiguous().numpy().tobytes()
        header[key] = {'dtype': st_dtype[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    path = os.path.join(OUT, name)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(chunks))
    report(path)
