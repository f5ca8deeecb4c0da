/**
 * Elementwise ops with NumPy/PyTorch broadcasting. Each op's forward and
 * backward sit together; backward rules use only differentiable ops so that
 * higher-order gradients work.
 */
import type { ArithOp, CompareOp, UnaryOp } from '../backend/types.js';
import { isFloat, promoteTypes } from '../tensor/dtype.js';
import { broadcastShapes, broadcastStrides } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled, noGrad } from '../autograd/mode.js';
import { sumTo } from './reduce.js';
import { floatDType, kernels, lift, record, uninit, type TensorLike } from './util.js';

// ---------------------------------------------------------------- unary

/** Unary ops that keep integer dtypes; the others compute in float. */
const KEEPS_DTYPE: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign', 'relu', 'floor', 'ceil', 'round']);

function unary(op: UnaryOp, x: Tensor, backward: ((g: Tensor, out: Tensor) => Tensor) | null): Tensor {
  if (x.dtype === 'bool' && op !== 'sign' && op !== 'abs') x = x.to('int32');
  const dtype = KEEPS_DTYPE.has(op) ? x.dtype : floatDType(x);
  const src = x.dtype === dtype ? x : x.to(dtype);
  const out = uninit(x.shape, dtype);
  kernels()[op](out.data, src.data);
  if (!backward) return out;
  return record(op, out, [x], (g) => [backward(g, out)]);
}

export const neg = (x: Tensor): Tensor => unary('neg', x, (g) => g.neg());
export const abs = (x: Tensor): Tensor => unary('abs', x, (g) => g.mul(x.sign()));
export const sign = (x: Tensor): Tensor => unary('sign', x, null);
export const exp = (x: Tensor): Tensor => unary('exp', x, (g, y) => g.mul(y));
export const log = (x: Tensor): Tensor => unary('log', x, (g) => g.div(x));
export const log1p = (x: Tensor): Tensor => unary('log1p', x, (g) => g.div(x.add(1)));
export const expm1 = (x: Tensor): Tensor => unary('expm1', x, (g, y) => g.mul(y.add(1)));
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (g, y) => g.div(y.mul(2)));
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x, (g, y) => g.mul(y.pow(3)).mul(-0.5));
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x, (g, y) => g.mul(y.mul(y)).neg());
export const sin = (x: Tensor): Tensor => unary('sin', x, (g) => g.mul(x.cos()));
export const cos = (x: Tensor): Tensor => unary('cos', x, (g) => g.mul(x.sin()).neg());
export const tanh = (x: Tensor): Tensor => unary('tanh', x, (g, y) => g.mul(y.mul(y).rsub(1)));
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, (g, y) => g.mul(y.mul(y.rsub(1))));
export const erf = (x: Tensor): Tensor => unary('erf', x, (g) => g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI))));
// NOTE: the mask comes from the output, so relu'(0) = 0 as in PyTorch.
export const relu = (x: Tensor): Tensor => unary('relu', x, (g, y) => g.mul(y.gt(0).to(g.dtype)));
export const floor = (x: Tensor): Tensor => unary('floor', x, null);
export const ceil = (x: Tensor): Tensor => unary('ceil', x, null);
export const round = (x: Tensor): Tensor => unary('round', x, null);

// ---------------------------------------------------------------- binary

function binaryForward(op: ArithOp | CompareOp, a: Tensor, b: Tensor, compare: boolean): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (op === 'div' && !isFloat(dtype)) dtype = 'float32'; // true division, as torch.div
  if (dtype === 'bool' && !compare) dtype = 'int32';
  const aa = a.dtype === dtype ? a : a.to(dtype);
  const bb = b.dtype === dtype ? b : b.to(dtype);
  const out = uninit(shape, compare ? 'bool' : dtype);
  kernels()[op](out.data, shape, aa.data, broadcastStrides(a.shape, shape), bb.data, broadcastStrides(b.shape, shape));
  return out;
}

function arith(op: ArithOp, a: TensorLike, b: TensorLike, backward: (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null]): Tensor {
  const ta = typeof a === 'number' ? lift(a, b as Tensor) : a;
  const tb = typeof b === 'number' ? lift(b, ta) : b;
  const out = binaryForward(op, ta, tb, false);
  return record(op, out, [ta, tb], (g) => {
    const [ga, gb] = backward(g, ta, tb, out);
    return [ga && ta.requiresGrad ? sumTo(ga, ta.shape) : null, gb && tb.requiresGrad ? sumTo(gb, tb.shape) : null];
  });
}

export const add = (a: TensorLike, b: TensorLike): Tensor => arith('add', a, b, (g) => [g, g]);
export const sub = (a: TensorLike, b: TensorLike): Tensor => arith('sub', a, b, (g) => [g, g.neg()]);
export const mul = (a: TensorLike, b: TensorLike): Tensor =>
  arith('mul', a, b, (g, x, y) => [x.requiresGrad ? g.mul(y) : null, y.requiresGrad ? g.mul(x) : null]);
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  arith('div', a, b, (g, x, y) => [x.requiresGrad ? g.div(y) : null, y.requiresGrad ? g.mul(x).div(y.mul(y)).neg() : null]);

export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  arith('pow', a, b, (g, x, y, out) => [
    x.requiresGrad ? g.mul(y).mul(x.pow(y.sub(1))) : null,
    // d/dy x^y = x^y ln x; at x = 0 (y ≥ 0) PyTorch defines it as 0 rather than NaN.
    y.requiresGrad ? where(x.eq(0).logicalAnd(y.ge(0)), 0, g.mul(out).mul(x.log())) : null,
  ]);

// Ties split the gradient evenly between both inputs, as in PyTorch.
function minmaxBackward(g: Tensor, x: Tensor, y: Tensor, pick: (x: Tensor, y: Tensor) => Tensor): [Tensor, Tensor] {
  const half = g.mul(0.5);
  const tie = x.eq(y);
  const first = pick(x, y);
  const ga = where(tie, half, where(first, g, 0));
  const gb = where(tie, half, where(first, 0, g));
  return [ga, gb];
}
export const maximum = (a: TensorLike, b: TensorLike): Tensor => arith('maximum', a, b, (g, x, y) => minmaxBackward(g, x, y, (p, q) => p.gt(q)));
export const minimum = (a: TensorLike, b: TensorLike): Tensor => arith('minimum', a, b, (g, x, y) => minmaxBackward(g, x, y, (p, q) => p.lt(q)));

/** `b - a`: convenient for `1 - x` written as `x.rsub(1)`. */
export const rsub = (a: Tensor, b: TensorLike): Tensor => sub(b, a);

function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const ta = typeof a === 'number' ? lift(a, b as Tensor) : a;
  const tb = typeof b === 'number' ? lift(b, ta) : b;
  return binaryForward(op, ta, tb, true);
}
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);

export const logicalAnd = (a: Tensor, b: Tensor): Tensor => compare('ne', binaryForward('mul', a.ne(0), b.ne(0), false), 0);
export const logicalOr = (a: Tensor, b: Tensor): Tensor => compare('ne', binaryForward('add', a.ne(0), b.ne(0), false), 0);
export const logicalNot = (a: Tensor): Tensor => compare('eq', a, 0);

/** `cond ? a : b` elementwise, broadcasting all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const ta = typeof a === 'number' ? lift(a, typeof b === 'number' ? lift(b, cond.to('float32')) : b) : a;
  const tb = typeof b === 'number' ? lift(b, ta) : b;
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  const aa = ta.dtype === dtype ? ta : ta.to(dtype);
  const bb = tb.dtype === dtype ? tb : tb.to(dtype);
  const c = cond.dtype === 'bool' ? cond : cond.ne(0);
  const out = uninit(shape, dtype);
  kernels().where(
    out.data, shape,
    c.data, broadcastStrides(c.shape, shape),
    aa.data, broadcastStrides(ta.shape, shape),
    bb.data, broadcastStrides(tb.shape, shape),
  );
  return record('where', out, [ta, tb], (g) => [
    ta.requiresGrad ? sumTo(where(c, g, 0), ta.shape) : null,
    tb.requiresGrad ? sumTo(where(c, 0, g), tb.shape) : null,
  ]);
}

/**
 * Clamp into [min, max] (either bound may be omitted, bounds broadcast). The
 * gradient passes to x where min ≤ x ≤ max; tensor bounds receive it where they
 * are the active side (min where x < min < max, max where x > max or max < min),
 * as in PyTorch.
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if (min == null && max == null) throw new Error('clamp: at least one of min and max must be given');
  const out = noGrad(() => {
    let y = x;
    if (min != null) y = maximum(y, min);
    if (max != null) y = minimum(y, max);
    return y;
  });
  const lo = typeof min === 'number' ? null : (min ?? null);
  const hi = typeof max === 'number' ? null : (max ?? null);
  const inputs = [x, ...(lo ? [lo] : []), ...(hi ? [hi] : [])];
  return record('clamp', out, inputs, (g) => {
    let inside: Tensor | null = null;
    if (min != null) inside = x.ge(min);
    if (max != null) inside = inside ? inside.logicalAnd(x.le(max)) : x.le(max);
    const grads: (Tensor | null)[] = [x.requiresGrad ? sumTo(where(inside!, g, 0), x.shape) : null];
    if (lo) {
      const active = max != null ? x.lt(lo).logicalAnd(lt(lo, max)) : x.lt(lo);
      grads.push(lo.requiresGrad ? sumTo(where(active, g, 0), lo.shape) : null);
    }
    if (hi) {
      const active = min != null ? x.gt(hi).logicalOr(lt(hi, min)) : x.gt(hi);
      grads.push(hi.requiresGrad ? sumTo(where(active, g, 0), hi.shape) : null);
    }
    return grads;
  });
}

// ---------------------------------------------------------------- activations (compositions)

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU: exact `x·Φ(x)` (default) or the tanh approximation, as torch.nn.functional.gelu. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  if (!isFloat(x.dtype)) return geluComposed(x);
  // One fused kernel each way instead of five passes forward and a dozen back.
  const out = uninit(x.shape, x.dtype);
  kernels().gelu(out.data, x.data);
  return record('gelu', out, [x], (g) => {
    // With createGraph the gradient must itself be differentiable: compose it.
    if (isGradEnabled()) return [g.mul(geluDerivative(x))];
    const gx = uninit(x.shape, x.dtype);
    kernels().geluBackward(gx.data, g.dtype === x.dtype ? g.data : g.to(x.dtype).data, x.data);
    return [gx];
  });
}

/** Exact GELU composed from primitives: the oracle of the fused kernel (and its value on integer tensors). */
export const geluComposed = (x: Tensor): Tensor => x.mul(0.5).mul(x.mul(SQRT1_2).erf().add(1));

/** gelu'(x) = Φ(x) + x·φ(x), composed from differentiable ops. */
const geluDerivative = (x: Tensor): Tensor =>
  x.mul(SQRT1_2).erf().add(1).mul(0.5).add(x.mul(x).mul(-0.5).exp().mul(x).mul(1 / Math.sqrt(2 * Math.PI)));

export const silu = (x: Tensor): Tensor => x.mul(x.sigmoid());

/**
 * softplus(x) = log(1 + exp(βx))/β, and x where βx > threshold (PyTorch).
 * Computed as relu(βx) + log1p(exp(-|βx|)) so neither branch overflows (an
 * overflowing branch would put NaN into the gradient even where unselected).
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const bx = x.mul(beta);
  const soft = bx.relu().add(bx.abs().neg().exp().log1p()).div(beta);
  return where(bx.gt(threshold), x, soft);
}

export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => where(x.gt(0), x, x.mul(negativeSlope));
export const elu = (x: Tensor, alpha = 1): Tensor => where(x.gt(0), x, x.clamp(null, 0).expm1().mul(alpha));
export const logSigmoid = (x: Tensor): Tensor => softplus(x.neg()).neg();
