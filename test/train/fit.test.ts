import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossEntropy, Generator, manualSeed, randn, tensor, type Tensor } from '../../src/index.js';
import { DataLoader, TensorDataset } from '../../src/data/index.js';
import { MlpClassifier } from '../../src/models/mlp.js';
import { AdamW, WarmupCosineLR } from '../../src/optim/index.js';
import { fit } from '../../src/train/fit.js';
import { readJsonl } from '../../src/train/jsonl.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mlpkit-fit-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Two Gaussian blobs per class in 8-D: learnable, not trivial. */
function blobs(n: number, seed: number): TensorDataset {
  const g = new Generator(seed);
  const x = randn([n, 8], { generator: g });
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    x.data[i * 8 + y[i]] += 4;
  }
  return new TensorDataset({ x, y: tensor(y) });
}

/** A fresh run: same seeds → same initial weights, order and dropout masks. */
function setup(runDir: string) {
  manualSeed(7);
  const model = new MlpClassifier({ inFeatures: 8, hiddenDims: [16], numClasses: 3, act: 'gelu', dropout: 0.2 }, new Generator(1));
  const optimizer = new AdamW(model.parameters(), { lr: 1e-2 });
  const train = new DataLoader(blobs(96, 2), { batchSize: 16, shuffle: true, seed: 3 });
  const val = new DataLoader(blobs(48, 4), { batchSize: 24 });
  const scheduler = new WarmupCosineLR(optimizer, { warmupSteps: 3, totalSteps: 6 * 4 });
  const loss = (out: Tensor, b: Record<string, Tensor>): Tensor => crossEntropy(out, b.y);
  return { model, opts: { optimizer, train, val, scheduler, loss, metrics: ['accuracy'], runDir, progress: false } };
}

describe('fit', () => {
  it('learns, logs, plots and checkpoints', async () => {
    const dir = tmp();
    const { model, opts } = setup(dir);
    const r = await fit(model, { ...opts, epochs: 4 });
    expect(r.history).toHaveLength(4);
    expect(r.history[3].train_loss).toBeLessThan(r.history[0].train_loss);
    expect(r.history[3].val_accuracy).toBeGreaterThan(0.8);
    for (const f of ['checkpoint.safetensors', 'best.safetensors', 'log.jsonl', 'curves.svg']) expect(existsSync(join(dir, f))).toBe(true);
    const log = readJsonl(join(dir, 'log.jsonl'));
    expect(log.filter((l) => l.event === 'epoch').map((l) => l.epoch)).toEqual([1, 2, 3, 4]);
    expect(readFileSync(join(dir, 'curves.svg'), 'utf8')).toContain('val');
  });

  it('resumes exactly where an interrupted run stopped', async () => {
    const a = setup(tmp());
    await fit(a.model, { ...a.opts, epochs: 4 });

    const dir = tmp();
    const b1 = setup(dir);
    await fit(b1.model, { ...b1.opts, epochs: 2 });
    // A new process: everything rebuilt from scratch, other draws from the global generator in between.
    randn([5]);
    const b2 = setup(dir);
    const r = await fit(b2.model, { ...b2.opts, epochs: 4, resume: true });
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);

    const pa = a.model.namedParameters();
    const pb = b2.model.namedParameters();
    pa.forEach(([name, p], i) => {
      expect(pb[i][0]).toBe(name);
      expect(Array.from(pb[i][1].data), name).toEqual(Array.from(p.data));
    });
  });

  it('stops early when the monitored quantity stops improving', async () => {
    const { model, opts } = setup(tmp());
    // lr 0 → val loss never improves after epoch 1
    opts.optimizer.paramGroups[0].lr = 0;
    const r = await fit(model, { ...opts, scheduler: null, epochs: 10, patience: 2 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history).toHaveLength(3);
    expect(r.bestEpoch).toBe(1);
  });

  it('names a monitor that does not exist', async () => {
    const { model, opts } = setup(null as unknown as string);
    await expect(fit(model, { ...opts, runDir: null, epochs: 1, monitor: 'val_auc' })).rejects.toThrow(/monitor 'val_auc'/);
  });
});
