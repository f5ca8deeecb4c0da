/**
 * Training-step time of the three time-series mixers at their published
 * ETTh1 horizon-96 settings (docs/forecasting-results.md), mlpkit against
 * PyTorch (Debian python3-torch) running the re-implementations in
 * scripts/tsref/ as scripts/ts_reference_train.py builds them — side by side.
 * mlpkit runs with MLPKIT_THREADS (default: every core); PyTorch runs with 1
 * and with 2 threads (torch.set_num_threads and OpenBLAS's threads alike) and
 * the better of the two is compared. A step is forward, MSE, backward and the
 * recipe's optimizer step on one batch of the recipe's size (random data of
 * the right shapes).
 *
 *   npm run build && node bench/forecast_steps.mjs [--steps 10] [MODEL ...]
 *
 * MODEL: tsmixer_rev_in, patchtsmixer, timemixer (default: all three).
 * PyTorch: MLPKIT_BENCH_PYTHON (default /usr/bin/python3); skipped with a
 * note when it cannot run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Adam, AdamW, clipGradNorm, getBackend, models, mseLoss, rand, randn } from '../dist/index.js';
import { recipeFor } from '../dist/tasks/forecast_recipes.js';
import { intFlag } from './zoo.mjs';

const args = process.argv.slice(2);
const steps = intFlag(args, '--steps', 10);
const C = 7; // ETTh1's channels
const H = 96;
const SETTINGS = {
  tsmixer_rev_in: { seqLen: 512, predLen: H, numChannels: C, nBlock: 6, ffDim: 512, dropout: 0.9 },
  patchtsmixer: {
    contextLength: 512, predictionLength: H, numInputChannels: C, patchLength: 8, patchStride: 8, dModel: 48, numLayers: 3,
    expansionFactor: 3, dropout: 0.5, headDropout: 0.7,
  },
  timemixer: { seqLen: 96, predLen: H, encIn: C, cOut: C },
};
const names = args.length ? args : Object.keys(SETTINGS);
const PYTHON = process.env.MLPKIT_BENCH_PYTHON ?? '/usr/bin/python3';

function mlpkitStep(name) {
  const entry = models.get(name);
  const config = models.resolveConfig(name, SETTINGS[name]);
  const model = entry.create(config);
  model.train();
  const { recipe } = recipeFor(entry.family);
  const params = model.parameters();
  const opt = recipe.optimizer === 'adam' ? new Adam(params, { lr: recipe.lr, eps: recipe.adamEps }) : new AdamW(params, { lr: recipe.lr, eps: recipe.adamEps, weightDecay: 0 });
  const b = recipe.batchSize;
  // Values ~ N(0, 1) like z-scored data; calendar marks in [−0.5, 0.5].
  const inputs = entry.inputs(config).map((spec, i) => (i === 0 ? randn([b, ...spec.shape]) : rand([b, ...spec.shape]).sub(0.5)));
  const target = randn([b, H, C]);
  const times = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    const loss = mseLoss(model.forward(...inputs), target);
    opt.zeroGrad();
    loss.backward();
    if (recipe.gradClip !== null) clipGradNorm(params, recipe.gradClip);
    opt.step();
    if (i >= 2) times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return { ms: times[times.length >> 1], batch: b };
}

function torchSteps(list, threads) {
  const script = fileURLToPath(new URL('./torch_forecast_steps.py', import.meta.url));
  const t = String(threads);
  const r = spawnSync(PYTHON, [script, JSON.stringify({ models: list, steps, threads })], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t },
  });
  if (r.status !== 0) return { error: (r.error?.message ?? r.stderr.trim().split('\n').pop()) || `exit ${r.status}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

console.log(`mlpkit ${getBackend().name}, MLPKIT_THREADS=${process.env.MLPKIT_THREADS ?? '(all cores)'}; median of ${steps} training steps after 2 warm-up steps`);
const ours = Object.fromEntries(names.map((n) => [n, mlpkitStep(n)]));
const torch1 = torchSteps(names, 1);
const torch2 = torch1.error ? torch1 : torchSteps(names, 2);
if (torch1.error) console.log(`PyTorch: not run (${torch1.error})`);
const f = (x) => (x ? x.toFixed(1) : '–');
console.log('model             batch   mlpkit ms   PyTorch 1t ms   PyTorch 2t ms   best PyTorch/mlpkit');
for (const n of names) {
  const [t1, t2] = torch1.error ? [null, null] : [torch1[n], torch2[n]];
  const best = t1 && t2 ? Math.min(t1, t2) : null;
  console.log(`${n.padEnd(17)} ${String(ours[n].batch).padStart(5)} ${ours[n].ms.toFixed(1).padStart(11)} ${f(t1).padStart(15)} ${f(t2).padStart(15)} ${(best ? (best / ours[n].ms).toFixed(2) + '×' : '–').padStart(21)}`);
}
