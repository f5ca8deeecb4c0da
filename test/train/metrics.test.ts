import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor } from '../../src/index.js';
import { AUC, Accuracy, LogLoss, MAE, MSE, TopKAccuracy, metricByName } from '../../src/train/metrics.js';

/** AUC by its definition: P(score of a random positive > score of a random negative), ties ½. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((t, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('metrics', () => {
  it('accuracy and top-k count the label among the best k scores', () => {
    const out = tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2]]);
    const y = tensor([1, 2, 2, 1], { dtype: 'int32' });
    const acc = new Accuracy();
    acc.update(out, y);
    // row 3 ties classes 0 and 1: argmax picks 0, so label 1 is not top-1
    expect(acc.compute()).toBe(2 / 4);
    const top2 = new TopKAccuracy(2);
    top2.update(out, y);
    expect(top2.compute()).toBe(3 / 4);
  });

  it('accumulates across batches and resets', () => {
    const m = new MSE();
    m.update(tensor([1, 2]), tensor([0, 0]));
    m.update(tensor([3]), tensor([0]));
    expect(m.compute()).toBeCloseTo((1 + 4 + 9) / 3, 12);
    m.reset();
    expect(Number.isNaN(m.compute())).toBe(true);
    const a = new MAE();
    a.update(tensor([1, -2]), tensor([0, 0]));
    expect(a.compute()).toBe(1.5);
  });

  it('AUC equals the pairwise definition, with ties', () => {
    const g = new Generator(3);
    const s = randn([200], { generator: g });
    const scores = Array.from(s.data, (v) => Math.round(v * 4) / 4); // many ties
    const labels = scores.map((v, i) => ((v + (i % 7) / 7 > 0.3 ? 1 : 0)));
    const auc = new AUC();
    auc.update(tensor(scores), tensor(labels));
    expect(auc.compute()).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });

  it('log-loss of logits matches the formula', () => {
    const ll = new LogLoss();
    ll.update(tensor([0, 2]), tensor([1, 0]));
    const p2 = 1 / (1 + Math.exp(-2));
    expect(ll.compute()).toBeCloseTo((-Math.log(0.5) - Math.log(1 - p2)) / 2, 6);
  });

  it('names metrics and rejects unknown names and bad labels', () => {
    expect(metricByName('top5').name).toBe('top5');
    expect(() => metricByName('f1')).toThrow(/unknown metric 'f1'/);
    expect(() => new AUC().update(tensor([0.1]), tensor([2]))).toThrow(/0 or 1/);
    expect(() => new Accuracy().update(tensor([[1, 2]]), tensor([0, 1], { dtype: 'int32' }))).toThrow(/same number of rows/);
  });
});
