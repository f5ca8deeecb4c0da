import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor, Tensor } from '../../src/index.js';
import {
  FormatError,
  SAFETENSORS_DTYPES,
  loadSafetensorsFile,
  parseSafetensors,
  readSafetensorsHeader,
  serializeSafetensors,
  type SafetensorsDType,
} from '../../src/io/index.js';
import { FORMATS, minifloatValue } from '../../src/io/safetensors/minifloat.js';
import { loadFixture } from '../helpers.js';

const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'io');
const TORCH_FILE = join(FIXTURE_DIR, 'torch_dtypes.safetensors');

type Special = number | 'NaN' | 'Infinity' | '-Infinity';
const num = (v: Special): number => (typeof v === 'number' ? v : Number(v));

interface TorchFixture {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: SafetensorsDType; shape: number[]; values: number[] }>;
  rounding: { input: Special[]; f16: Special[]; bf16: Special[] };
}
const fx = loadFixture<TorchFixture>('io/torch_dtypes.json');

/** Values equal bit for bit (NaN equal to NaN, −0 distinct from +0). */
function expectSameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

describe('safetensors: a file written from PyTorch tensors', () => {
  const file = loadSafetensorsFile(TORCH_FILE);

  it('has every tensor with the mlpkit dtype and shape the loading rules give', () => {
    const dtypeOf: Record<string, string> = { F32: 'float32', F64: 'float32', F16: 'float32', BF16: 'float32', BOOL: 'bool' };
    expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(fx.tensors).sort());
    for (const [name, e] of Object.entries(fx.tensors)) {
      const t = file.tensors[name];
      expect(t.shape, name).toEqual(e.shape);
      expect(t.dtype, name).toBe(dtypeOf[e.dtype] ?? 'int32');
    }
    expect(file.metadata).toEqual(fx.metadata);
  });

  it("F16, BF16, integer and bool values equal torch's exactly; F64 rounds to float32", () => {
    for (const [name, e] of Object.entries(fx.tensors)) {
      const expected = e.dtype === 'F64' ? e.values.map(Math.fround) : e.values;
      expectSameValues(file.tensors[name].data, expected, name);
    }
  });

  it('keeps F64 as float64 when asked', () => {
    const { tensors } = loadSafetensorsFile(TORCH_FILE, { keepFloat64: true, only: ['f64'] });
    expect(Object.keys(tensors)).toEqual(['f64']);
    expect(tensors.f64.dtype).toBe('float64');
    expectSameValues(tensors.f64.data, fx.tensors.f64.values, 'f64');
  });

  it('re-serialises to the same bytes as the reference layout', () => {
    const { tensors, metadata } = loadSafetensorsFile(TORCH_FILE, { keepFloat64: true });
    const dtypes = Object.fromEntries(Object.entries(fx.tensors).map(([n, e]) => [n, e.dtype]));
    const bytes = serializeSafetensors(tensors, { metadata, dtypes });
    expect(Buffer.from(bytes).equals(readFileSync(TORCH_FILE))).toBe(true);
  });

  it("rounds float32 to F16 and BF16 exactly as torch's .half() and .bfloat16() do", () => {
    const input = tensor(Float32Array.from(fx.rounding.input.map(num)));
    const bytes = serializeSafetensors({ h: input, b: input }, { dtypes: { h: 'F16', b: 'BF16' } });
    const back = parseSafetensors(bytes).tensors;
    expectSameValues(back.h.data, fx.rounding.f16.map(num), 'F16');
    expectSameValues(back.b.data, fx.rounding.bf16.map(num), 'BF16');
  });
});

describe('safetensors: every dtype of the spec', () => {
  it('round-trips through mlpkit tensors', () => {
    const cases: Partial<Record<SafetensorsDType, number[]>> = {
      F64: [Math.PI, -1e300, 5e-324],
      F32: [1.5, -2.25, 3.4028234663852886e38],
      F16: [65504, -(2 ** -24), 0.333251953125],
      BF16: [3.3895313892515355e38, -1.5, 2 ** -133],
      I64: [-(2 ** 31), 2 ** 31 - 1, 0],
      U64: [0, 2 ** 31 - 1],
      I32: [-(2 ** 31), 2 ** 31 - 1],
      U32: [0, 2 ** 31 - 1],
      I16: [-32768, 32767],
      U16: [0, 65535],
      I8: [-128, 127],
      U8: [0, 255],
      F8_E4M3: [448, -0.001953125, 1.125],
      F8_E5M2: [57344, -1.52587890625e-5, 0.75],
      F8_E4M3FNUZ: [240, -0.0009765625, 1.125],
      F8_E5M2FNUZ: [57344, -7.62939453125e-6, 0.75],
      F8_E8M0: [1, 2 ** 127, 2 ** -127],
      BOOL: [1, 0, 1],
    };
    for (const [dtype, values] of Object.entries(cases) as [SafetensorsDType, number[]][]) {
      const src = tensor(Float64Array.from(values), { dtype: 'float64' });
      const bytes = serializeSafetensors({ x: src }, { dtypes: { x: dtype } });
      expect(readSafetensorsHeader(bytes).entries[0].dtype).toBe(dtype);
      const back = parseSafetensors(bytes, dtype, { keepFloat64: true }).tensors.x;
      expectSameValues(back.data, dtype === 'F32' ? values.map(Math.fround) : values, dtype);
    }
  });

  it('C64 loads as float32 [..., 2] (real, imaginary) and writes back', () => {
    const z = tensor([[[1, -2], [0.5, 3]]]); // one row of two complex numbers
    const bytes = serializeSafetensors({ z }, { dtypes: { z: 'C64' } });
    expect(readSafetensorsHeader(bytes).entries[0]).toMatchObject({ dtype: 'C64', shape: [1, 2], byteLength: 16 });
    const back = parseSafetensors(bytes).tensors.z;
    expect(back.shape).toEqual([1, 2, 2]);
    expectSameValues(back.data, [1, -2, 0.5, 3], 'C64');
  });

  it('F4 and F6 are kept as raw bytes: written and validated, but not converted', () => {
    const raw = { a: { dtype: 'F4' as const, shape: [2, 4], bytes: Uint8Array.of(0x12, 0x34, 0x56, 0x78) }, b: { dtype: 'F6_E2M3' as const, shape: [4], bytes: Uint8Array.of(1, 2, 3) }, c: { dtype: 'F6_E3M2' as const, shape: [0], bytes: new Uint8Array(0) } };
    const bytes = serializeSafetensors(raw);
    const header = readSafetensorsHeader(bytes, 'packed.safetensors');
    const a = header.entries.find((e) => e.name === 'a')!;
    expect(a).toMatchObject({ dtype: 'F4', shape: [2, 4], byteLength: 4 });
    expect([...bytes.subarray(a.byteOffset, a.byteOffset + 4)]).toEqual([0x12, 0x34, 0x56, 0x78]);
    expect(() => parseSafetensors(bytes, 'packed.safetensors')).toThrow(/packed\.safetensors: tensor '\w': dtype F\d.* packs several elements per byte/);
    expect(() => serializeSafetensors({ a: { dtype: 'F4', shape: [3], bytes: Uint8Array.of(1, 2) } })).toThrow(/needs 1\.5 bytes, got 2/);
  });

  it('decodes and re-encodes every code of the 8-bit float formats', () => {
    for (const f of Object.values(FORMATS).filter((f) => f.bits === 8)) {
      const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const bytes = serializeSafetensors({ x: { dtype: f.name, shape: [256], bytes: codes } });
      const values = parseSafetensors(bytes).tensors.x;
      const again = serializeSafetensors({ x: values }, { dtypes: { x: f.name } });
      const reread = parseSafetensors(again).tensors.x;
      for (let c = 0; c < 256; c++) {
        const v = values.data[c];
        expect(Object.is(reread.data[c], v) || (Number.isNaN(v) && Number.isNaN(reread.data[c])), `${f.name} code ${c}`).toBe(true);
        // Every non-NaN code is the unique encoding of its value (fnuz has one zero, so 0x80 is NaN).
        if (!Number.isNaN(v)) expect(again[again.length - 256 + c], `${f.name} code ${c}`).toBe(c);
      }
    }
  });

  it('8-bit formats have the ranges their definitions give', () => {
    const max = (name: keyof typeof FORMATS): number => {
      let m = 0;
      for (let c = 0; c < 256; c++) {
        const v = minifloatValue(FORMATS[name], c);
        if (Number.isFinite(v)) m = Math.max(m, v);
      }
      return m;
    };
    expect(max('F8_E4M3')).toBe(448);
    expect(max('F8_E5M2')).toBe(57344);
    expect(max('F8_E4M3FNUZ')).toBe(240);
    expect(max('F8_E5M2FNUZ')).toBe(57344);
    expect(max('F8_E8M0')).toBe(2 ** 127);
    expect(minifloatValue(FORMATS.F8_E4M3, 0x01)).toBe(2 ** -9);
    expect(minifloatValue(FORMATS.F8_E5M2, 0x01)).toBe(2 ** -16);
    expect(minifloatValue(FORMATS.F8_E5M2, 0x7c)).toBe(Infinity);
    expect(minifloatValue(FORMATS.F8_E4M3, 0x7f)).toBeNaN();
    expect(minifloatValue(FORMATS.F8_E4M3FNUZ, 0x80)).toBeNaN();
    expect(minifloatValue(FORMATS.F8_E8M0, 0xff)).toBeNaN();
  });

  it('refuses values the stored type cannot hold', () => {
    const x = tensor([1, 2.5, 3]);
    expect(() => serializeSafetensors({ x }, { dtypes: { x: 'I32' } })).toThrow(/tensor 'x' as I32: element 1: value 2.5 is not an integer/);
    expect(() => serializeSafetensors({ x: tensor([0, 300]) }, { dtypes: { x: 'I8' } })).toThrow(/element 1: value 300 .*\[-128, 127\]/);
    expect(() => serializeSafetensors({ x: tensor([1000]) }, { dtypes: { x: 'F8_E4M3' } })).toThrow(/value 1000 is outside F8_E4M3's range \(largest finite 448/);
    expect(() => serializeSafetensors({ x: tensor([2]) }, { dtypes: { x: 'BOOL' } })).toThrow(/value 2 is not a bool/);
    expect(() => serializeSafetensors({ x }, { dtypes: { y: 'F16' } })).toThrow(/dtypes names 'y'/);
    expect(() => serializeSafetensors({ __metadata__: x })).toThrow(/reserved/);
    expect(() => serializeSafetensors({ x }, { metadata: { n: 3 as unknown as string } })).toThrow(/metadata value for 'n' is number/);
    // Values past the largest finite F16 become Inf, as IEEE and torch do.
    expect(parseSafetensors(serializeSafetensors({ x: tensor([1e6]) }, { dtypes: { x: 'F16' } })).tensors.x.item()).toBe(Infinity);
  });

  it('lays tensors out widest dtype first and pads the header with spaces to a multiple of 8', () => {
    const bytes = serializeSafetensors(
      { b: tensor([1, 0], { dtype: 'bool' }), a: tensor([1, 2, 3]), c: tensor([1], { dtype: 'float64' }) },
      { metadata: { k: 'v' } },
    );
    const h = readSafetensorsHeader(bytes);
    expect(h.headerLength % 8).toBe(0);
    expect(h.entries.map((e) => e.name)).toEqual(['c', 'a', 'b']);
    for (const e of h.entries) expect(e.byteOffset % 4 === 0 || e.dtype === 'BOOL', e.name).toBe(true);
    const text = new TextDecoder().decode(bytes.subarray(8, h.dataStart));
    expect(text.startsWith('{"__metadata__":{"k":"v"},"c":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}')).toBe(true);
    expect(/^[^ ]*\}( *)$/.test(text)).toBe(true);
    expect(SAFETENSORS_DTYPES).toHaveLength(22);
  });

  it('handles 0-d, empty and zero-tensor files', () => {
    const bytes = serializeSafetensors({ s: tensor(Float32Array.of(7), { shape: [] }), e: new Tensor(new Float32Array(0), [4, 0], 'float32') });
    const back = parseSafetensors(bytes).tensors;
    expect(back.s.shape).toEqual([]);
    expect(back.s.item()).toBe(7);
    expect(back.e.shape).toEqual([4, 0]);
    expect(parseSafetensors(serializeSafetensors({})).tensors).toEqual({});
  });
});
