/**
 * Weight initialisers with PyTorch's semantics (torch.nn.init). Each fills a
 * tensor's storage in place (hence the trailing underscore, as in PyTorch)
 * from a seeded `Generator` and returns the tensor. The random streams are
 * mlpkit's own, so values differ from PyTorch's; distributions and bounds are
 * the same.
 */
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export interface InitOptions {
  generator?: Generator;
}

export type FanMode = 'fan_in' | 'fan_out';
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/**
 * fan_in = size(1)·receptive field, fan_out = size(0)·receptive field, where
 * the receptive field is the product of dims 2… (a Linear weight [out, in]
 * has fan_in = in; a Conv2d weight [out, in/groups, kh, kw] has fan_in = in/groups·kh·kw).
 */
export function computeFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error(`init: fan in and fan out need a tensor with at least 2 dims, got ${shapeStr(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain); `param` is leaky_relu's slope (default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
  }
}

const gen = (o: InitOptions): Generator => o.generator ?? defaultGenerator;

let skipRandomInit = false;

/** False inside `withoutInit`: random initialisers then leave tensors as they are. */
export const randomInitEnabled = (): boolean => !skipRandomInit;

/**
 * Build modules without drawing their random initial values (parameters stay
 * zero and no generator advances): for counting parameters or loading
 * weights into a large model right after, where drawing ~10⁸ numbers would
 * dominate.
 * @example const n = withoutInit(() => models.create('mixer_l16_224')).parameters().length;
 */
export function withoutInit<T>(fn: () => T): T {
  const prev = skipRandomInit;
  skipRandomInit = true;
  try {
    return fn();
  } finally {
    skipRandomInit = prev;
  }
}

/** Uniform in [low, high). */
export function uniform_(t: Tensor, low = 0, high = 1, opts: InitOptions = {}): Tensor {
  if (skipRandomInit) return t;
  const g = gen(opts);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * g.random();
  return t;
}

/** Normal with the given mean and standard deviation. */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  if (skipRandomInit) return t;
  const g = gen(opts);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (used when nonlinearity is 'leaky_relu'). Default 0. */
  a?: number;
  /** 'fan_in' keeps the forward variance, 'fan_out' the backward one. Default 'fan_in'. */
  mode?: FanMode;
  /** Default 'leaky_relu', as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const { fanIn, fanOut } = computeFans(t);
  const fan = (o.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  return fan === 0 ? 0 : calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan);
}

/**
 * He et al. (2015) uniform: U(−b, b) with b = gain·√(3/fan). Linear and Conv
 * weights use it with a = √5, which gives b = 1/√fan_in.
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform_(t, -bound, bound, opts);
}

/** He et al. (2015) normal: N(0, gain²/fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, opts), opts);
}

export interface XavierOptions extends InitOptions {
  gain?: number;
}

function xavierStd(t: Tensor, o: XavierOptions): number {
  const { fanIn, fanOut } = computeFans(t);
  return fanIn + fanOut === 0 ? 0 : (o.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
}

/** Glorot & Bengio (2010) uniform: U(−b, b) with b = gain·√(6/(fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, opts: XavierOptions = {}): Tensor {
  const bound = Math.sqrt(3) * xavierStd(t, opts);
  return uniform_(t, -bound, bound, opts);
}

/** Glorot & Bengio (2010) normal: N(0, gain²·2/(fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, opts: XavierOptions = {}): Tensor {
  return normal_(t, 0, xavierStd(t, opts), opts);
}

export interface TruncNormalOptions extends InitOptions {
  mean?: number;
  std?: number;
  /** Lower cut, an absolute value (not in standard deviations), as PyTorch. Default −2. */
  a?: number;
  /** Upper cut, absolute. Default 2. */
  b?: number;
}

/**
 * N(mean, std²) conditioned on [a, b], drawn by inverting the normal CDF as
 * PyTorch does. The cut points are absolute values: with std = 0.02 the
 * defaults a = −2, b = 2 cut nothing in practice (timm relies on this).
 */
export function truncNormal_(t: Tensor, opts: TruncNormalOptions = {}): Tensor {
  const { mean = 0, std = 1, a = -2, b = 2 } = opts;
  if (!(a < b)) throw new Error(`truncNormal_: need a < b, got a = ${a}, b = ${b}`);
  if (!(std > 0)) throw new Error(`truncNormal_: std must be positive, got ${std}`);
  if (skipRandomInit) return t;
  const g = gen(opts);
  // Uniform on the CDF values of the cut points, mapped back through the
  // inverse CDF: Φ⁻¹(p) = √2·erfinv(2p − 1).
  const lo = 2 * normalCdf((a - mean) / std) - 1;
  const hi = 2 * normalCdf((b - mean) / std) - 1;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const v = mean + std * Math.SQRT2 * erfinv(lo + (hi - lo) * g.random());
    d[i] = Math.min(b, Math.max(a, v));
  }
  return t;
}

/**
 * N(mean, std²) conditioned on [a, b] (absolute cut points, as
 * torch.nn.init.trunc_normal_), drawn by rejection: redraw until inside. Same
 * distribution as `nn.init.truncNormal_`'s inverse-CDF method but an order of
 * magnitude faster when the cuts are wide, which they are for every use here
 * (±2σ keeps 95%; timm's std-0.02 init with cuts at ±2 keeps everything).
 * Narrow windows (under half the mass inside) go to the inverse-CDF method.
 */
export function truncNormalFast_(t: Tensor, { mean = 0, std = 1, a = -2, b = 2, generator = defaultGenerator }: TruncNormalOptions = {}): Tensor {
  if (!(a < b)) throw new Error(`truncNormalFast_: need a < b, got a = ${a}, b = ${b}`);
  if (!(std > 0)) throw new Error(`truncNormalFast_: std must be positive, got ${std}`);
  if (normalCdf((b - mean) / std) - normalCdf((a - mean) / std) < 0.5) return truncNormal_(t, { mean, std, a, b, generator });
  if (skipRandomInit) return t;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    let v: number;
    do v = mean + std * generator.normal();
    while (v < a || v > b);
    d[i] = v;
  }
  return t;
}

/**
 * LeCun normal initialisation as timm (and Flax) draw it: a standard normal
 * truncated to ±2, scaled to std √(1/fan_in) / 0.8796 (0.8796 is the std of
 * that truncated normal, so the result has variance 1/fan_in).
 */
export function lecunNormal_(t: Tensor, opts: InitOptions = {}): Tensor {
  const { fanIn } = computeFans(t);
  const std = Math.sqrt(1 / fanIn) / 0.87962566103423978;
  return truncNormalFast_(t, { std, a: -2 * std, b: 2 * std, generator: opts.generator });
}

// ---------------------------------------------------------------- special functions (double precision)

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf(x) from the everywhere-positive series
 * erf(x) = 2/√π · e^{−x²} · Σₙ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)),
 * which has no cancellation; beyond |x| = 6, erf is ±1 in double precision.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  const x2 = ax * ax;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** Standard normal CDF. */
export const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/**
 * Inverse of erf on (−1, 1) (±∞ at ±1): Winitzki's closed-form estimate
 * refined by Newton steps on erf(y) − x.
 */
export function erfinv(x: number): number {
  if (x <= -1) return x === -1 ? -Infinity : NaN;
  if (x >= 1) return x === 1 ? Infinity : NaN;
  if (x === 0) return 0;
  const A = 0.147;
  const ln = Math.log(1 - x * x);
  const t = 2 / (Math.PI * A) + ln / 2;
  let y = Math.sign(x) * Math.sqrt(Math.sqrt(t * t - ln / A) - t);
  for (let k = 0; k < 4; k++) {
    const slope = TWO_OVER_SQRT_PI * Math.exp(-y * y);
    if (slope === 0) break;
    y -= (erf(y) - x) / slope;
  }
  return y;
}
