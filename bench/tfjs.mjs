/**
 * Benchmark worker for TensorFlow.js 4.22 (run by bench/run.mjs), on the cpu
 * (plain JS) or wasm (SIMD, single-threaded in Node) backend: task.backend.
 * The networks are the ones of bench/models.mjs written with tf ops; the
 * optimiser is tf.train.adam (tfjs has no AdamW; the decoupled decay would add
 * one elementwise op per parameter).
 */
// Silence tfjs's "install tfjs-node" banner while loading (tfjs-node cannot install here).
const [log, warn] = [console.log, console.warn];
console.log = console.warn = () => {};
const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
[console.log, console.warn] = [log, warn];
import { median, now, runWorker, timeReps } from './timing.mjs';

const SQRT1_2 = Math.SQRT1_2;
const gelu = (x) => tf.tidy(() => x.mul(0.5).mul(tf.erf(x.mul(SQRT1_2)).add(1)));

const modelVars = [];
const param = (t) => {
  const v = tf.variable(t);
  modelVars.push(v);
  return v;
};

/** PyTorch's default Linear initialisation: U(±1/√in) for weight and bias. */
function linear(inF, outF) {
  const bound = 1 / Math.sqrt(inF);
  return { w: param(tf.randomUniform([inF, outF], -bound, bound)), b: param(tf.randomUniform([outF], -bound, bound)) };
}
const applyLinear = (l, x) => (x.rank === 2 ? tf.matMul(x, l.w).add(l.b) : tf.matMul(x.reshape([-1, x.shape[x.rank - 1]]), l.w).add(l.b).reshape([...x.shape.slice(0, -1), l.w.shape[1]]));

function layerNorm(dim) {
  return { g: param(tf.ones([dim])), b: param(tf.zeros([dim])) };
}
function applyLayerNorm(l, x) {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(l.g).add(l.b);
}

function buildMlp() {
  const layers = [linear(784, 512), linear(512, 512), linear(512, 512), linear(512, 10)];
  return {
    batch: 256,
    input: () => tf.randomNormal([256, 784]),
    forward(x) {
      for (let i = 0; i < layers.length; i++) {
        x = applyLinear(layers[i], x);
        if (i < layers.length - 1) x = gelu(x);
      }
      return x;
    },
  };
}

function buildMixer() {
  const [image, c, p, hidden, tokenMlp, channelMlp, depth] = [32, 3, 4, 128, 64, 512, 4];
  const g = image / p;
  const tokens = g * g;
  const stem = linear(p * p * c, hidden);
  const blocks = Array.from({ length: depth }, () => ({
    n1: layerNorm(hidden), t1: linear(tokens, tokenMlp), t2: linear(tokenMlp, tokens),
    n2: layerNorm(hidden), c1: linear(hidden, channelMlp), c2: linear(channelMlp, hidden),
  }));
  const norm = layerNorm(hidden);
  const head = linear(hidden, 10);
  return {
    batch: 128,
    input: () => tf.randomNormal([128, c, image, image]),
    forward(img) {
      const B = img.shape[0];
      let x = img.reshape([B, c, g, p, g, p]).transpose([0, 2, 4, 3, 5, 1]).reshape([B, tokens, p * p * c]);
      x = applyLinear(stem, x);
      for (const b of blocks) {
        const t = applyLinear(b.t2, gelu(applyLinear(b.t1, applyLayerNorm(b.n1, x).transpose([0, 2, 1])))).transpose([0, 2, 1]);
        x = x.add(t);
        x = x.add(applyLinear(b.c2, gelu(applyLinear(b.c1, applyLayerNorm(b.n2, x)))));
      }
      return applyLinear(head, applyLayerNorm(norm, x).mean(1));
    },
  };
}

function gemm({ sizes, gemmBudgetMs: budgetMs, giveUpMs }) {
  const out = [];
  let tooSlow = false;
  for (const [m, k, n] of sizes) {
    if (tooSlow) {
      out.push({ m, k, n, gflops: null });
      continue;
    }
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    const times = timeReps(() => tf.tidy(() => tf.matMul(a, b).dataSync()), { budgetMs, minReps: 2 });
    out.push({ m, k, n, gflops: (2 * m * k * n) / (median(times) * 1e6) });
    tooSlow = median(times) > giveUpMs;
    tf.dispose([a, b]);
  }
  return out;
}

/** µs per tf.add of two 8-element tensors; with `grad`, recorded on a gradient tape. */
function overhead(grad, budgetMs) {
  const a = tf.randomNormal([8]);
  const b = tf.randomNormal([8]);
  const per = 20_000;
  let times;
  if (grad) {
    // tfjs records a tape only inside tf.variableGrads: time the adds recorded
    // there (the backward pass that follows is not timed).
    const va = tf.variable(a);
    times = [];
    const deadline = now() + budgetMs;
    for (let rep = 0; rep < 3 || (now() < deadline && rep < 50); rep++) {
      tf.variableGrads(() => {
        const t0 = now();
        let s = null;
        for (let i = 0; i < per; i++) s = va.add(b);
        if (rep >= 2) times.push(now() - t0);
        return s.sum();
      }).value.dataSync();
    }
  } else {
    times = timeReps(() => {
      for (let i = 0; i < per; i++) tf.add(a, b).dispose();
    }, { budgetMs, warmup: 3, minReps: 5 });
  }
  return (median(times) * 1e3) / per;
}

const handlers = {
  async micro(task) {
    await tf.setBackend(task.backend);
    return { gemm: gemm(task), overheadUs: overhead(false, task.overheadBudgetMs), overheadGradUs: overhead(true, task.overheadBudgetMs) };
  },

  async train({ model, budgetMs, warmup, backend }) {
    await tf.setBackend(backend);
    const net = model === 'mlp' ? buildMlp() : buildMixer();
    const x = net.input();
    const y = tf.oneHot(tf.randomUniform([net.batch], 0, 10, 'int32'), 10);
    const opt = tf.train.adam(1e-3);
    let loss = 0;
    const step = () => {
      const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.forward(x)), true);
      loss = l.dataSync()[0];
      l.dispose();
    };
    const t0 = now();
    const times = timeReps(step, { budgetMs, warmup, minReps: 1 });
    const count = modelVars.reduce((s, v) => s + v.size, 0);
    return { samplesPerSec: net.batch / (median(times) / 1e3), steps: times.length, params: count, loss, wallMs: now() - t0 };
  },
};

await runWorker(handlers);
