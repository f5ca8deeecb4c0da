"""Fixtures for mlpkit's io tests, written from PyTorch tensors.

The safetensors package is not installed for /usr/bin/python3, so the file is laid out
here with struct + json following the format spec and the reference writer's layout
(tensors ordered by dtype, widest first, then by name; header padded with spaces to a
multiple of 8). The expected values go to a JSON file, computed by torch itself
(`.double().tolist()`), so the test checks mlpkit's F16/BF16 decoding against torch's.

Run: /usr/bin/python3 scripts/gen_io_fixtures.py
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'io')

# The reference implementation's dtype enum order (ascending).
ORDER = ['BOOL', 'F4', 'F6_E2M3', 'F6_E3M2', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F8_E4M3FNUZ',
         'F8_E5M2FNUZ', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'C64', 'F64', 'I64', 'U64']

TORCH_NAME = {
    torch.float32: 'F32', torch.float64: 'F64', torch.float16: 'F16', torch.bfloat16: 'BF16',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8',
    torch.bool: 'BOOL',
}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the bits
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(TORCH_NAME[kv[1].dtype]), kv[0]))
    header = {'__metadata__': metadata}
    data = b''
    for name, t in items:
        b = raw_bytes(t)
        header[name] = {'dtype': TORCH_NAME[t.dtype], 'shape': list(t.shape), 'data_offsets': [len(data), len(data) + len(b)]}
        data += b
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + data)


def encode_special(v):
    # JSON has no Inf/NaN: write them as strings.
    if v != v:
        return 'NaN'
    if v in (float('inf'), float('-inf')):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def rounding_cases():
    """float32 inputs and what torch's .half() / .bfloat16() round them to (nearest-even, Inf on overflow)."""
    g = torch.Generator().manual_seed(1)
    scale = torch.exp2(torch.randint(-30, 20, (300,), generator=g).float())
    x = torch.randn(300, generator=g) * scale
    ties = torch.tensor([1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 2.0 ** -25, 3 * 2.0 ** -25, 65519.0, 65520.0, 65536.0, -70000.0,
                         1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 3.4e38, -0.0, 1e-40])
    x = torch.cat([x, ties]).float()
    return {'input': [encode_special(v) for v in x.double().tolist()],
            'f16': [encode_special(v) for v in x.half().double().tolist()],
            'bf16': [encode_special(v) for v in x.bfloat16().double().tolist()]}


def main():
    torch.manual_seed(0)
    tensors = {
        'f32': torch.randn(3, 4),
        'f64': torch.randn(2, 3, dtype=torch.float64),
        # F16: ordinary values, the largest finite, the smallest subnormal, a normal boundary and −0.
        'f16': torch.cat([torch.randn(6).half(), torch.tensor([65504.0, 2.0 ** -24, 2.0 ** -14, -0.0, -1.5], dtype=torch.float16)]),
        # BF16: float32's range with 8 significant bits.
        'bf16': torch.cat([(torch.randn(6) * 1e3).bfloat16(), torch.tensor([3.0e38, -1e-30, 2.0 ** -133], dtype=torch.bfloat16)]).reshape(3, 3),
        'i64': torch.tensor([-3, 0, 2 ** 31 - 1, -2 ** 31], dtype=torch.int64),
        'i32': torch.randint(-1000, 1000, (2, 2), dtype=torch.int32),
        'i16': torch.tensor([-32768, 32767, 7], dtype=torch.int16),
        'i8': torch.tensor([-128, 127, 0], dtype=torch.int8),
        'u8': torch.tensor([0, 255, 17], dtype=torch.uint8),
        'mask': torch.tensor([[True, False], [False, True]]),
        'scalar': torch.tensor(2.5),
        'empty': torch.zeros(0, 3),
    }
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, 'torch_dtypes.safetensors'), tensors, {'format': 'pt', 'written_by': 'torch ' + torch.__version__})
    expected = {name: {'dtype': TORCH_NAME[t.dtype], 'shape': list(t.shape),
                       'values': t.double().flatten().tolist() if t.dtype != torch.bool else t.int().flatten().tolist()}
                for name, t in tensors.items()}
    with open(os.path.join(OUT, 'torch_dtypes.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'metadata': {'format': 'pt', 'written_by': 'torch ' + torch.__version__},
                   'tensors': expected, 'rounding': rounding_cases()}, f, indent=1)
        f.write('\n')
    # What torchvision's ToTensor + Normalize compute for each pixel value: Normalize turns mean
    # and std into float32 tensors and does x.sub_(mean).div_(std) in float32.
    pixels = torch.arange(256, dtype=torch.uint8).float().div(255)
    f32 = lambda v: torch.tensor(v, dtype=torch.float32)  # noqa: E731
    with open(os.path.join(OUT, 'mnist_pixels.json'), 'w') as f:
        json.dump({'scaled': pixels.double().tolist(),
                   'mnist': pixels.sub(f32(0.1307)).div(f32(0.3081)).double().tolist(),
                   'fashion_mnist': pixels.sub(f32(0.2860)).div(f32(0.3530)).double().tolist()}, f)
        f.write('\n')


if __name__ == '__main__':
    main()
