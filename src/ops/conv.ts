/**
 * Convolution and pooling as compositions: pad, unfold the windows with one
 * strided copy (im2col), then a matmul or a reduction. The gradient of the
 * unfold is the strided scatter-add (col2im), so no op here has a hand-written
 * backward.
 */
import { full } from '../tensor/creation.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asStrided } from './movement.js';
import { requireFloat } from './util.js';

type Pair = number | readonly [number, number];
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

function checkPositive(op: string, name: string, v: readonly number[], min = 1): void {
  if (v.some((x) => !Number.isInteger(x) || x < min)) throw new Error(`${op}: ${name} must be integers ≥ ${min}, got ${JSON.stringify(v)}`);
}

/** Output length of a sliding window (PyTorch's formula, with ceil mode). */
function outSize(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean, op: string): number {
  const span = d * (k - 1) + 1;
  const num = n + 2 * p - span;
  if (num < 0) throw new Error(`${op}: window of size ${span} (kernel ${k}, dilation ${d}) is larger than the padded input (${n} + 2·${p})`);
  let o = (ceilMode ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  // In ceil mode the last window must start inside the input or left padding.
  if (ceilMode && (o - 1) * s >= n + p) o--;
  return o;
}

/** The axes of the sliding windows over x [N, C, H, W]: batch, channel, kernel row/col, output row/col. */
type WindowAxis = 'n' | 'c' | 'kh' | 'kw' | 'oh' | 'ow';

/**
 * The windows of x [N, C, H, W] (im2col) as one strided copy, with its axes in
 * `order` — so a caller gets the layout its matmul or reduction wants without
 * a second copy. x must already be padded (plus any extra rows a ceil-mode
 * window needs).
 */
function unfold2d(x: Tensor, k: [number, number], s: [number, number], d: [number, number], out: [number, number], order: readonly WindowAxis[]): Tensor {
  const [n, c, h, w] = x.shape;
  const size: Record<WindowAxis, number> = { n, c, kh: k[0], kw: k[1], oh: out[0], ow: out[1] };
  const stride: Record<WindowAxis, number> = { n: c * h * w, c: h * w, kh: d[0] * w, kw: d[1], oh: s[0] * w, ow: s[1] };
  return asStrided(x, order.map((a) => size[a]), order.map((a) => stride[a]));
}

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch). x: [N, C, H, W],
 * weight: [O, C/groups, kh, kw], bias: [O] → [N, O, OH, OW].
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  requireFloat(x, 'conv2d');
  if (x.ndim !== 4) throw new Error(`conv2d: expected input [N, C, H, W], got ${shapeStr(x.shape)}`);
  if (weight.ndim !== 4) throw new Error(`conv2d: expected weight [O, C/groups, kh, kw], got ${shapeStr(weight.shape)}`);
  const s = pair(opts.stride ?? 1);
  const p = pair(opts.padding ?? 0);
  const d = pair(opts.dilation ?? 1);
  const g = opts.groups ?? 1;
  checkPositive('conv2d', 'stride', s);
  checkPositive('conv2d', 'dilation', d);
  checkPositive('conv2d', 'padding', p, 0);
  checkPositive('conv2d', 'groups', [g]);
  const [n, c, h, w] = x.shape;
  const [o, cg, kh, kw] = weight.shape;
  if (c % g !== 0 || o % g !== 0) throw new Error(`conv2d: ${c} input and ${o} output channels must both be divisible by groups=${g}`);
  if (cg !== c / g) throw new Error(`conv2d: weight ${shapeStr(weight.shape)} expects ${cg * g} input channels (groups=${g}) but input ${shapeStr(x.shape)} has ${c}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) throw new Error(`conv2d: bias of shape ${shapeStr(bias.shape)} does not match ${o} output channels`);
  const oh = outSize(h, kh, s[0], p[0], d[0], false, 'conv2d');
  const ow = outSize(w, kw, s[1], p[1], d[1], false, 'conv2d');
  const xp = p[0] || p[1] ? x.pad([p[1], p[1], p[0], p[0]]) : x;
  // One matmul over the whole batch, [g, O/g, kk] @ [g, kk, N·OH·OW], rather
  // than a product per image: late stages have few output positions (2×2),
  // and per-image products that thin run far below GEMM speed.
  const cols = unfold2d(xp, [kh, kw], s, d, [oh, ow], ['c', 'kh', 'kw', 'n', 'oh', 'ow']).reshape([g, cg * kh * kw, n * oh * ow]);
  const y = weight.reshape([g, o / g, cg * kh * kw]).matmul(cols) // [g, O/g, N·OH·OW]
    .reshape([o, n, oh, ow]).permute([1, 0, 2, 3]); // [N, O, OH, OW]
  return bias ? y.add(bias.reshape([1, o, 1, 1])) : y;
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
}

/** 1-D convolution. x: [N, C, L], weight: [O, C/groups, k], bias: [O] → [N, O, Lout]. */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  if (x.ndim !== 3) throw new Error(`conv1d: expected input [N, C, L], got ${shapeStr(x.shape)}`);
  if (weight.ndim !== 3) throw new Error(`conv1d: expected weight [O, C/groups, k], got ${shapeStr(weight.shape)}`);
  const y = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, {
    stride: [1, opts.stride ?? 1],
    padding: [0, opts.padding ?? 0],
    dilation: [1, opts.dilation ?? 1],
    groups: opts.groups ?? 1,
  });
  return y.squeeze(2);
}

export interface Pool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

interface PoolGeometry {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  out: [number, number];
  /** Extra rows/cols at the bottom/right for ceil-mode windows that overhang. */
  extra: [number, number];
}

function poolGeometry(op: string, x: Tensor, kernel: Pair, opts: Pool2dOptions): PoolGeometry {
  if (x.ndim !== 4) throw new Error(`${op}: expected input [N, C, H, W], got ${shapeStr(x.shape)}`);
  const k = pair(kernel);
  const s = pair(opts.stride ?? k);
  const p = pair(opts.padding ?? 0);
  const d = pair(opts.dilation ?? 1);
  checkPositive(op, 'kernel size', k);
  checkPositive(op, 'stride', s);
  checkPositive(op, 'dilation', d);
  checkPositive(op, 'padding', p, 0);
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1]) throw new Error(`${op}: padding ${JSON.stringify(p)} must be at most half the kernel size ${JSON.stringify(k)}`);
  const [, , h, w] = x.shape;
  const ceil = opts.ceilMode ?? false;
  const out: [number, number] = [outSize(h, k[0], s[0], p[0], d[0], ceil, op), outSize(w, k[1], s[1], p[1], d[1], ceil, op)];
  const need = (o: number, st: number, dl: number, kk: number): number => (o - 1) * st + dl * (kk - 1) + 1;
  const extra: [number, number] = [
    Math.max(0, need(out[0], s[0], d[0], k[0]) - (h + 2 * p[0])),
    Math.max(0, need(out[1], s[1], d[1], k[1]) - (w + 2 * p[1])),
  ];
  return { k, s, p, d, out, extra };
}

/** Windows of x padded with `value` as [N, C, OH, OW, kh·kw]. */
function windows(x: Tensor, gm: PoolGeometry, value: number): Tensor {
  const { k, s, p, d, out, extra } = gm;
  const xp = x.pad([p[1], p[1] + extra[1], p[0], p[0] + extra[0]], 'constant', value);
  const [n, c] = x.shape;
  return unfold2d(xp, k, s, d, out, ['n', 'c', 'oh', 'ow', 'kh', 'kw']).reshape([n, c, out[0], out[1], k[0] * k[1]]);
}

/** Max pooling; the gradient goes to the first maximum of each window, as in PyTorch. */
export function maxPool2d(x: Tensor, kernel: Pair, opts: Pool2dOptions = {}): Tensor {
  requireFloat(x, 'maxPool2d');
  const gm = poolGeometry('maxPool2d', x, kernel, opts);
  return windows(x, gm, -Infinity).maxAlong(-1).values;
}

export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Count padded zeros in the divisor (PyTorch default true). */
  countIncludePad?: boolean;
  divisorOverride?: number;
}

export function avgPool2d(x: Tensor, kernel: Pair, opts: AvgPool2dOptions = {}): Tensor {
  requireFloat(x, 'avgPool2d');
  const gm = poolGeometry('avgPool2d', x, kernel, opts);
  const sums = windows(x, gm, 0).sum(-1);
  if (opts.divisorOverride) return sums.div(opts.divisorOverride);
  // The divisor counts, per window, the cells that lie in the input (and in the
  // padding when countIncludePad) — never the ceil-mode overhang.
  const { p } = gm;
  const inclPad = opts.countIncludePad ?? true;
  const ones = full([1, 1, x.shape[2], x.shape[3]], 1, { dtype: x.dtype });
  const region = inclPad ? ones.pad([p[1], p[1], p[0], p[0]], 'constant', 1) : ones;
  const gm2: PoolGeometry = inclPad ? { ...gm, p: [0, 0], extra: gm.extra } : gm;
  const counts = windows(region, gm2, 0).sum(-1);
  return sums.div(counts);
}

export function maxPool1d(x: Tensor, kernel: number, opts: { stride?: number | null; padding?: number; dilation?: number; ceilMode?: boolean } = {}): Tensor {
  if (x.ndim !== 3) throw new Error(`maxPool1d: expected input [N, C, L], got ${shapeStr(x.shape)}`);
  return maxPool2d(x.unsqueeze(2), [1, kernel], {
    stride: [1, opts.stride ?? kernel], padding: [0, opts.padding ?? 0], dilation: [1, opts.dilation ?? 1], ceilMode: opts.ceilMode,
  }).squeeze(2);
}

export function avgPool1d(x: Tensor, kernel: number, opts: { stride?: number | null; padding?: number; ceilMode?: boolean; countIncludePad?: boolean } = {}): Tensor {
  if (x.ndim !== 3) throw new Error(`avgPool1d: expected input [N, C, L], got ${shapeStr(x.shape)}`);
  return avgPool2d(x.unsqueeze(2), [1, kernel], {
    stride: [1, opts.stride ?? kernel], padding: [0, opts.padding ?? 0], ceilMode: opts.ceilMode, countIncludePad: opts.countIncludePad,
  }).squeeze(2);
}
