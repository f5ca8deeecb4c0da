import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/commands.js';
import { Generator, noGrad, randn } from '../../src/index.js';
import { loadSafetensors, saveSafetensors } from '../../src/io/index.js';
import * as models from '../../src/models/index.js';
import type { MlpClassifier } from '../../src/models/mlp.js';
import { MNIST } from '../data-sources.js';
import { expectClose } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mlpkit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('mlpkit CLI', () => {
  it('prints help and version', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/train .*\n.*eval/s);
    expect(await main(['--version'])).toBe(0);
    expect(out[out.length - 1]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('lists models and describes one with parameters and FLOPs', async () => {
    expect(await main(['models'])).toBe(0);
    expect(out.join('\n')).toMatch(/^mlp\s+mlp\s+535\.8k/m);
    expect(await main(['info', 'mlp', '--set', 'hiddenDims=[128]'])).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('101,770'); // 784·128 + 128 + 128·10 + 10
    expect(text).toContain(`FLOPs       ${(2 * (784 * 128 + 128 * 10) / 1000).toFixed(1)}k`);
  });

  it('runs a model on inputs from a file, with the reference weights', async () => {
    const cfg = { hiddenDims: [32], dropout: 0.5 };
    const model = models.create('mlp', cfg, new Generator(5)) as unknown as MlpClassifier;
    const weights = join(dir, 'w.safetensors');
    saveSafetensors(weights, model.stateDict());
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify(cfg));
    const x = randn([3, 784]);
    saveSafetensors(join(dir, 'in.safetensors'), { x });
    const outPath = join(dir, 'out.safetensors');
    expect(await main(['run', 'mlp', '--config', join(dir, 'cfg.json'), '--weights', weights, '--input', join(dir, 'in.safetensors'), '--output', outPath])).toBe(0);
    model.eval();
    const expected = noGrad(() => model.forward(x));
    expectClose(loadSafetensors(outPath).logits, expected, { atol: 1e-6 });
  });

  it('fails clearly on bad input, with a non-zero exit', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command 'frobnicate'/);
    expect(await main(['info', 'mixer_xyz'])).toBe(1);
    expect(err.join('\n')).toMatch(/unknown model 'mixer_xyz'/);
    expect(await main(['info', 'mlp', '--set', 'hidden=[3]'])).toBe(1);
    expect(err.join('\n')).toMatch(/no config key 'hidden' \(valid keys: inFeatures, hiddenDims/);
    expect(await main(['info', 'mlp', '--set', 'numClasses="ten"'])).toBe(1);
    expect(err.join('\n')).toMatch(/'numClasses' must be a number, got string/);
    expect(await main(['run', 'mlp', '--weights', join(dir, 'missing.safetensors'), '--input', 'x', '--output', 'y'])).toBe(1);
    expect(err.join('\n')).toMatch(/missing\.safetensors' does not exist/);
    expect(await main(['train', '--model', 'mlp', '--data', 'cifar'])).toBe(1);
    expect(err.join('\n')).toMatch(/unknown dataset 'cifar'/);
    expect(await main(['train', '--model', 'mlp', '--data', 'mnist', '--epochs', 'two'])).toBe(1);
    expect(err.join('\n')).toMatch(/--epochs must be a number/);
    expect(await main(['train', '--model', 'mlp', '--data', 'mnist', '--monitor', 'val_auc'])).toBe(1);
    expect(err.join('\n')).toMatch(/--monitor must be one of val_loss, val_accuracy, got 'val_auc'/);
    expect(await main(['train', '--bogus'])).toBe(1);
    expect(err.join('\n')).toMatch(/bogus/);
  });

  it.skipIf(!MNIST.present)('trains on MNIST, keeps the epoch of the best validation accuracy with --monitor val_accuracy, and eval scores it again', async () => {
    const runDir = join(dir, 'monitor');
    const args = ['train', '--model', 'mlp', '--set', 'hiddenDims=[8]', '--set', 'dropout=0.1', '--data', 'mnist', '--epochs', '3', '--lr', '3e-2',
      '--val-size', '2000', '--monitor', 'val_accuracy', '--run-dir', runDir, '--quiet'];
    expect(await main(args)).toBe(0);
    const log = readFileSync(join(runDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
    const epochs = log.filter((r) => r.event === 'epoch');
    expect(epochs).toHaveLength(3);
    const best = epochs.reduce((b, r) => ((r.val_accuracy as number) > (b.val_accuracy as number) ? r : b));
    const summary = out.find((l) => l.startsWith('mlp on mnist'))!;
    expect(summary).toContain(`best epoch ${best.epoch as number} of 3`);
    expect(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).monitor).toBe('val_accuracy');
    // eval --run-dir scores the same best weights (a checkpoint whose model was built with its own generator).
    const acc = /test accuracy (\d+\.\d+)%/.exec(summary)![1];
    expect(await main(['eval', '--run-dir', runDir, '--quiet'])).toBe(0);
    expect(out[out.length - 1]).toContain(`accuracy ${acc}%`);
  });

  it('rejects weights whose shapes do not fit, naming the key and both shapes', async () => {
    const weights = join(dir, 'small.safetensors');
    saveSafetensors(weights, (models.create('mlp', { hiddenDims: [16] }) as unknown as MlpClassifier).stateDict());
    saveSafetensors(join(dir, 'in2.safetensors'), { x: randn([1, 784]) });
    expect(await main(['run', 'mlp', '--weights', weights, '--input', join(dir, 'in2.safetensors'), '--output', join(dir, 'o.safetensors')])).toBe(1);
    expect(err.join('\n')).toMatch(/layers\.0\.weight.*\[16, 784\].*\[512, 784\]|layers\.0\.weight.*\[512, 784\].*\[16, 784\]/);
  });
});
