/**
 * Evaluation metrics. Each is a streaming accumulator (`update` per batch,
 * `compute` at the end) so an epoch never has to hold all outputs — except
 * AUC, which needs every score to rank them.
 */
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export interface Metric {
  readonly name: string;
  /** Whether larger values are better (for early stopping and "best" checkpoints). */
  readonly higherIsBetter: boolean;
  update(output: Tensor, target: Tensor): void;
  compute(): number;
  reset(): void;
}

function checkRows(name: string, output: Tensor, target: Tensor): void {
  if (output.ndim < 1 || target.ndim < 1 || output.shape[0] !== target.shape[0]) {
    throw new Error(`${name}: output ${shapeStr(output.shape)} and target ${shapeStr(target.shape)} must have the same number of rows`);
  }
}

/** Top-k classification accuracy from scores [N, C] and int32 labels [N]. */
export class TopKAccuracy implements Metric {
  readonly higherIsBetter = true;
  readonly name: string;
  private correct = 0;
  private total = 0;

  constructor(readonly k = 1) {
    this.name = k === 1 ? 'accuracy' : `top${k}`;
  }

  update(output: Tensor, target: Tensor): void {
    checkRows(this.name, output, target);
    if (output.ndim !== 2) throw new Error(`${this.name}: expected scores [N, C], got ${shapeStr(output.shape)}`);
    const [n, c] = output.shape;
    const s = output.data;
    const t = target.data;
    for (let i = 0; i < n; i++) {
      const label = t[i];
      const ref = s[i * c + label];
      // The label is in the top k when fewer than k classes score strictly higher
      // (ties resolved in the label's favour only among earlier indices, like argmax).
      let above = 0;
      for (let j = 0; j < c && above < this.k; j++) {
        const v = s[i * c + j];
        if (v > ref || (v === ref && j < label)) above++;
      }
      if (above < this.k) this.correct++;
    }
    this.total += n;
  }

  compute(): number {
    return this.total ? this.correct / this.total : NaN;
  }

  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}

export class Accuracy extends TopKAccuracy {
  constructor() {
    super(1);
  }
}

abstract class MeanOf implements Metric {
  abstract readonly name: string;
  readonly higherIsBetter = false;
  private sum = 0;
  private count = 0;
  protected abstract term(diff: number): number;

  update(output: Tensor, target: Tensor): void {
    if (output.size !== target.size) throw new Error(`${this.name}: output ${shapeStr(output.shape)} and target ${shapeStr(target.shape)} differ in size`);
    for (let i = 0; i < output.size; i++) this.sum += this.term(output.data[i] - target.data[i]);
    this.count += output.size;
  }

  compute(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}

export class MSE extends MeanOf {
  readonly name = 'mse';
  protected term(d: number): number {
    return d * d;
  }
}

export class MAE extends MeanOf {
  readonly name = 'mae';
  protected term(d: number): number {
    return Math.abs(d);
  }
}

/** Collects (score, label) pairs of a binary task; `logits` = scores are pre-sigmoid. */
abstract class BinaryScores implements Metric {
  abstract readonly name: string;
  abstract readonly higherIsBetter: boolean;
  protected scores: number[] = [];
  protected labels: number[] = [];

  constructor(protected readonly logits = true) {}

  update(output: Tensor, target: Tensor): void {
    if (output.size !== target.size) throw new Error(`${this.name}: output ${shapeStr(output.shape)} and target ${shapeStr(target.shape)} differ in size`);
    for (let i = 0; i < output.size; i++) {
      const y = target.data[i];
      if (y !== 0 && y !== 1) throw new Error(`${this.name}: labels must be 0 or 1, got ${y}`);
      this.scores.push(output.data[i]);
      this.labels.push(y);
    }
  }

  abstract compute(): number;

  reset(): void {
    this.scores = [];
    this.labels = [];
  }
}

/** Area under the ROC curve (rank statistic; tied scores count one half). */
export class AUC extends BinaryScores {
  readonly name = 'auc';
  readonly higherIsBetter = true;

  compute(): number {
    const n = this.scores.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.scores[a] - this.scores[b]);
    let rankSumPos = 0;
    let pos = 0;
    for (let i = 0; i < n; ) {
      let j = i;
      while (j + 1 < n && this.scores[order[j + 1]] === this.scores[order[i]]) j++;
      const avgRank = (i + j) / 2 + 1; // ranks are 1-based; ties share their mean rank
      for (let k = i; k <= j; k++) {
        if (this.labels[order[k]] === 1) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    const neg = n - pos;
    if (pos === 0 || neg === 0) return NaN;
    return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
  }
}

/** Binary log-loss (cross-entropy) of probabilities, clipped to [1e-7, 1 − 1e-7]. */
export class LogLoss extends BinaryScores {
  readonly name = 'logloss';
  readonly higherIsBetter = false;

  compute(): number {
    const eps = 1e-7;
    let s = 0;
    for (let i = 0; i < this.scores.length; i++) {
      const raw = this.scores[i];
      const p = Math.min(1 - eps, Math.max(eps, this.logits ? 1 / (1 + Math.exp(-raw)) : raw));
      s -= this.labels[i] ? Math.log(p) : Math.log(1 - p);
    }
    return this.scores.length ? s / this.scores.length : NaN;
  }
}

/** Metric by name, as used by the CLI and `fit`: accuracy, top5, mse, mae, auc, logloss. */
export function metricByName(name: string): Metric {
  const top = /^top(\d+)$/.exec(name);
  if (top) return new TopKAccuracy(Number(top[1]));
  switch (name) {
    case 'accuracy':
    case 'acc':
      return new Accuracy();
    case 'mse':
      return new MSE();
    case 'mae':
      return new MAE();
    case 'auc':
      return new AUC();
    case 'logloss':
      return new LogLoss();
    default:
      throw new Error(`unknown metric '${name}' (known: accuracy, topK e.g. top5, mse, mae, auc, logloss)`);
  }
}
