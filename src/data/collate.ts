/**
 * Collation: a list of samples → one batch, each field stacked along a new
 * leading dimension. This is the general (slow) path; in-memory datasets skip
 * it through `BatchSource`.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocStorage } from '../tensor/dtype.js';
import { sameShape, shapeStr } from '../tensor/shape.js';
import type { Batch, Sample } from './dataset.js';

/**
 * Stack samples field by field. Tensor fields must agree in shape and dtype
 * (→ [B, ...shape]); number fields become a float32 [B] tensor — return class
 * labels as int32 tensors if a loss needs integer targets.
 */
export function collate(samples: readonly Sample[]): Batch {
  if (samples.length === 0) throw new Error('collate: no samples');
  const keys = Object.keys(samples[0]);
  const batch: Batch = {};
  for (const key of keys) {
    const first = samples[0][key];
    if (typeof first === 'number') {
      const data = new Float32Array(samples.length);
      samples.forEach((s, i) => {
        const v = s[key];
        if (typeof v !== 'number') throw new Error(`collate: field '${key}' is a number in sample 0 but ${describe(v)} in sample ${i}`);
        data[i] = v;
      });
      batch[key] = new Tensor(data, [samples.length], 'float32');
      continue;
    }
    if (!(first instanceof Tensor)) throw new Error(`collate: field '${key}' of sample 0 is ${describe(first)}, not a tensor or number`);
    const row = first.size;
    const data = allocStorage(first.dtype, samples.length * row);
    samples.forEach((s, i) => {
      const v = s[key];
      if (!(v instanceof Tensor)) throw new Error(`collate: field '${key}' is a tensor in sample 0 but ${describe(v)} in sample ${i}`);
      if (!sameShape(v.shape, first.shape) || v.dtype !== first.dtype) {
        throw new Error(`collate: field '${key}' of sample ${i} is ${v.dtype} ${shapeStr(v.shape)} but sample 0 has ${first.dtype} ${shapeStr(first.shape)}`);
      }
      data.set(v.data, i * row);
    });
    batch[key] = new Tensor(data, [samples.length, ...first.shape], first.dtype);
  }
  samples.forEach((s, i) => {
    const extra = Object.keys(s).find((k) => !keys.includes(k));
    if (extra !== undefined || Object.keys(s).length !== keys.length) {
      throw new Error(`collate: sample ${i} has fields [${Object.keys(s).join(', ')}] but sample 0 has [${keys.join(', ')}]`);
    }
  });
  return batch;
}

const describe = (v: unknown): string => (v === undefined ? 'missing' : v instanceof Tensor ? 'a tensor' : typeof v);
