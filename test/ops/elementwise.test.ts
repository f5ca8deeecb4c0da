/** Elementwise ops against PyTorch: unary math, activations, broadcasting arithmetic, comparisons, where, clamp. */
import { elu, leakyRelu, logSigmoid, pow, where, type Tensor } from '../../src/index.js';
import { fixtureSuite, type OpSpec, type OpTable } from './runner.js';

const unary = (f: (x: Tensor) => Tensor, extra: Partial<OpSpec> = {}): OpSpec => ({ run: ([x]) => f(x), ...extra });
/** `x op y`, or `x op scalar` when the case has one input. */
const binary = (f: (x: Tensor, y: Tensor | number) => Tensor, extra: Partial<OpSpec> = {}): OpSpec => ({
  run: ([x, y], a) => f(x, y ?? a.scalar),
  ...extra,
});
const noGradient: Partial<OpSpec> = { gradcheck: false };

const table: OpTable = {
  neg: unary((x) => x.neg()),
  abs: unary((x) => x.abs()),
  exp: unary((x) => x.exp()),
  log: unary((x) => x.log()),
  log1p: unary((x) => x.log1p()),
  expm1: unary((x) => x.expm1()),
  sqrt: unary((x) => x.sqrt()),
  rsqrt: unary((x) => x.rsqrt()),
  reciprocal: unary((x) => x.reciprocal()),
  square: unary((x) => x.square()),
  sin: unary((x) => x.sin()),
  cos: unary((x) => x.cos()),
  tanh: unary((x) => x.tanh()),
  sigmoid: unary((x) => x.sigmoid()),
  erf: unary((x) => x.erf()),
  relu: unary((x) => x.relu()),
  silu: unary((x) => x.silu()),
  logSigmoid: unary((x) => logSigmoid(x)),
  floor: unary((x) => x.floor(), noGradient),
  ceil: unary((x) => x.ceil(), noGradient),
  round: unary((x) => x.round(), noGradient),
  sign: unary((x) => x.sign(), noGradient),
  gelu: { run: ([x], a) => x.gelu(a.approximate ?? 'none') },
  softplus: { run: ([x], a) => x.softplus(a.beta ?? 1, a.threshold ?? 20) },
  leakyRelu: { run: ([x], a) => leakyRelu(x, a.slope) },
  elu: { run: ([x], a) => elu(x, a.alpha) },

  add: binary((x, y) => x.add(y)),
  sub: binary((x, y) => x.sub(y)),
  mul: binary((x, y) => x.mul(y)),
  div: binary((x, y) => x.div(y)),
  maximum: binary((x, y) => x.maximum(y)),
  minimum: binary((x, y) => x.minimum(y)),
  rsub: binary((x, y) => x.rsub(y)),
  pow: { run: ([x, y], a) => (a.scalarBase !== undefined ? pow(a.scalarBase, x) : x.pow(y ?? a.scalar)) },

  eq: binary((x, y) => x.eq(y), noGradient),
  ne: binary((x, y) => x.ne(y), noGradient),
  lt: binary((x, y) => x.lt(y), noGradient),
  le: binary((x, y) => x.le(y), noGradient),
  gt: binary((x, y) => x.gt(y), noGradient),
  ge: binary((x, y) => x.ge(y), noGradient),
  logicalAnd: { run: ([p, q]) => p.logicalAnd(q), gradcheck: false },
  logicalOr: { run: ([p, q]) => p.logicalOr(q), gradcheck: false },
  logicalNot: { run: ([p]) => p.logicalNot(), gradcheck: false },

  where: { run: ([c, x, y], a) => where(c, x, y ?? a.scalar) },
  clamp: { run: ([x, lo, hi], a) => (a.tensorBounds ? x.clamp(lo, hi) : x.clamp(a.min ?? null, a.max ?? null)) },
};

fixtureSuite('ops_elementwise.json', table);
