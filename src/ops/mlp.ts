/**
 * A narrow two-layer perceptron as one op: Linear(C→F) → ReLU → dropout →
 * Linear(F→O), one kernel forward and one backward. It pays where C and
 * O are a handful of channels and F is wide (TSMixer's feature mixing: 7 → 512
 * → 7 at every time step): there the two products run far below GEMM peak and
 * the composed op writes and re-reads four rows × F tensors. The kernel keeps
 * each tile's hidden layer in cache and recomputes it in the backward pass.
 * The dropout mask travels as one byte per hidden unit, not as a float
 * tensor. The composition linear → relu → mul(mask) → linear stays the test
 * oracle (test/backend/fused.test.ts) and the gradient rule under createGraph.
 */
import { isGradEnabled } from '../autograd/mode.js';
import type { MlpDims } from '../backend/types.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, flopCounter, kernels, record, requireFloat, uninit } from './util.js';

/**
 * (relu(x·W1ᵀ + b1)·m)·W2ᵀ + b2 over the last dim of x, where m is `scale`
 * for the hidden units that `keep` (bool [..., F]) marks and 0 for the
 * others — inverted dropout with scale 1/(1 − p) — or 1 when keep is null.
 * x [..., C], w1 [F, C], b1 [F] or null, w2 [O, F], b2 [O] or null → [..., O].
 * @example reluMlpFused(randn([32, 512, 7]), w1, b1, w2, b2) // w1 [512, 7], w2 [7, 512] → [32, 512, 7]
 */
export function reluMlpFused(
  x: Tensor, w1: Tensor, b1: Tensor | null, w2: Tensor, b2: Tensor | null, keep: Tensor | null = null, scale = 1,
): Tensor {
  requireFloat(x, 'reluMlp');
  if (w1.ndim !== 2 || w2.ndim !== 2) throw new Error(`reluMlp: weights must be 2-D [out, in], got ${shapeStr(w1.shape)} and ${shapeStr(w2.shape)}`);
  const [f, c] = w1.shape;
  const o = w2.shape[0];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== c) throw new Error(`reluMlp: input ${shapeStr(x.shape)} does not end in ${c} features (first weight ${shapeStr(w1.shape)})`);
  if (w2.shape[1] !== f) throw new Error(`reluMlp: second weight ${shapeStr(w2.shape)} does not take the ${f} hidden units of the first ${shapeStr(w1.shape)}`);
  if (b1 && (b1.ndim !== 1 || b1.shape[0] !== f)) throw new Error(`reluMlp: first bias ${shapeStr(b1.shape)} does not match ${f} hidden units`);
  if (b2 && (b2.ndim !== 1 || b2.shape[0] !== o)) throw new Error(`reluMlp: second bias ${shapeStr(b2.shape)} does not match ${o} outputs`);
  const lead = x.shape.slice(0, -1);
  if (keep && (keep.ndim !== x.ndim || keep.shape[keep.ndim - 1] !== f || lead.some((d, i) => keep.shape[i] !== d))) {
    throw new Error(`reluMlp: keep mask ${shapeStr(keep.shape)} does not match input ${shapeStr(x.shape)} with ${f} hidden units (expected ${shapeStr([...lead, f])})`);
  }
  if (keep && keep.dtype !== 'bool') throw new TypeError(`reluMlp: the keep mask must be bool, got ${keep.dtype}`);
  for (const [name, t] of [['first weight', w1], ['first bias', b1], ['second weight', w2], ['second bias', b2]] as const) {
    if (t && t.dtype !== x.dtype) throw new TypeError(`reluMlp: ${name} is ${t.dtype} but the input is ${x.dtype}`);
  }
  const rows = x.size / c;
  const dims = { rows, c, f, o, scale };
  const keepData = (keep?.data as Uint8Array | undefined) ?? null;
  const out = uninit([...lead, o], x.dtype);
  if (rows > 0) kernels().mlpForward(out.data, x.data, w1.data, b1?.data ?? null, w2.data, b2?.data ?? null, keepData, dims);
  if (flopCounter.active) flopCounter.flops += 2 * rows * f * (c + o);
  const inputs = [x, w1, ...(b1 ? [b1] : []), w2, ...(b2 ? [b2] : [])];
  return record('reluMlp', out, inputs, (g) => {
    const [dx, dw1, db1, dw2, db2] = isGradEnabled() ? composedBackward(g, x, w1, b1, w2, keep, scale) : fusedBackward(g, x, w1, b1, w2, b2, keepData, dims);
    return [dx, dw1, ...(b1 ? [db1] : []), dw2, ...(b2 ? [db2] : [])];
  });
}

function fusedBackward(
  g: Tensor, x: Tensor, w1: Tensor, b1: Tensor | null, w2: Tensor, b2: Tensor | null, keep: Uint8Array | null, dims: MlpDims,
): (Tensor | null)[] {
  const gg = g.dtype === x.dtype ? g : g.to(x.dtype);
  const dx = uninit(x.shape, x.dtype);
  const grad = (t: Tensor | null): Tensor | null => (t?.requiresGrad ? empty(t.shape, x.dtype) : null);
  const [dw1, db1, dw2, db2] = [grad(w1), grad(b1), grad(w2), grad(b2)];
  if (dims.rows > 0) {
    kernels().mlpBackward(dx.data, dw1?.data ?? null, db1?.data ?? null, dw2?.data ?? null, db2?.data ?? null, gg.data, x.data, w1.data, b1?.data ?? null, w2.data, keep, dims);
  }
  return [dx, dw1, db1, dw2, db2];
}

/** The same gradients written with differentiable ops (for higher-order gradients). */
function composedBackward(g: Tensor, x: Tensor, w1: Tensor, b1: Tensor | null, w2: Tensor, keep: Tensor | null, scale: number): (Tensor | null)[] {
  const [f, c] = w1.shape;
  const o = w2.shape[0];
  const x2 = x.reshape([-1, c]);
  const g2 = g.reshape([-1, o]);
  let h = x2.matmul(w1.transpose(0, 1));
  if (b1) h = h.add(b1);
  const m = keep?.reshape([-1, f]).to(x.dtype).mul(scale);
  const on = h.gt(0).to(x.dtype); // ReLU's derivative: 0 at h = 0, as torch.relu's
  const d = m ? on.mul(m) : on;
  const a = m ? h.relu().mul(m) : h.relu();
  const gh = g2.matmul(w2).mul(d);
  return [gh.matmul(w1).reshape(x.shape), gh.transpose(0, 1).matmul(x2), gh.sum(0), g2.transpose(0, 1).matmul(a), g2.sum(0)];
}
