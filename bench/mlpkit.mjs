/**
 * Benchmark worker for mlpkit (run by bench/run.mjs, one task per process so
 * that peak RSS is per task). Backend and threads come from MLPKIT_BACKEND and
 * MLPKIT_THREADS, exactly as a user would set them.
 */
import { AdamW, crossEntropy, getBackend, nativeInfo, noGrad, randint, randn, manualSeed } from '../dist/index.js';
import { buildMlp, Mixer, MLP_BATCH, MIXER_BATCH, MIXER } from './models.mjs';
import { median, now, runWorker, timeReps } from './timing.mjs';

function gemm({ sizes, gemmBudgetMs: budgetMs, giveUpMs }) {
  const out = [];
  let tooSlow = false;
  for (const [m, k, n] of sizes) {
    if (tooSlow) {
      out.push({ m, k, n, gflops: null });
      continue;
    }
    const a = randn([m, k]);
    const b = randn([k, n]);
    const times = noGrad(() => timeReps(() => a.matmul(b), { budgetMs, minReps: 2 }));
    out.push({ m, k, n, gflops: (2 * m * k * n) / (median(times) * 1e6) });
    tooSlow = median(times) > giveUpMs;
  }
  return out;
}

/** µs per `a.add(b)` on 8-element tensors through the front end (with autograd: both require grad). */
function overhead(grad, budgetMs) {
  const a = randn([8], { requiresGrad: grad });
  const b = randn([8], { requiresGrad: grad });
  const per = 20_000;
  const times = timeReps(() => {
    for (let i = 0; i < per; i++) a.add(b);
  }, { budgetMs, warmup: 3, minReps: 5 });
  return (median(times) * 1e3) / per;
}

const handlers = {
  micro(task) {
    return {
      backend: getBackend().name,
      native: nativeInfo(),
      gemm: gemm(task),
      overheadUs: overhead(false, task.overheadBudgetMs),
      overheadGradUs: overhead(true, task.overheadBudgetMs),
    };
  },

  train({ model, budgetMs, warmup }) {
    manualSeed(0);
    const net = model === 'mlp' ? buildMlp() : new Mixer();
    const batch = model === 'mlp' ? MLP_BATCH : MIXER_BATCH;
    const x = model === 'mlp' ? randn([batch, 784]) : randn([batch, MIXER.channels, MIXER.image, MIXER.image]);
    const y = randint(0, 10, [batch]);
    const opt = new AdamW(net.parameters(), { lr: 1e-3 });
    let loss = 0;
    const step = () => {
      opt.zeroGrad();
      const l = crossEntropy(net.forward(x), y);
      l.backward();
      opt.step();
      loss = l.item();
    };
    const t0 = now();
    const times = timeReps(step, { budgetMs, warmup, minReps: 2 });
    const params = net.parameters().reduce((s, p) => s + p.size, 0);
    return { samplesPerSec: batch / (median(times) / 1e3), steps: times.length, params, loss, wallMs: now() - t0 };
  },
};

await runWorker(handlers);
