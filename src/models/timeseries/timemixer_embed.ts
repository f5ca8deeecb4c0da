/**
 * TimeMixer's input embedding (kwuking/TimeMixer `layers/Embed.py`,
 * DataEmbedding_wo_pos): a value embedding (a circular Conv1d over time,
 * kernel 3, no bias, Kaiming-normal init) plus a temporal embedding of the
 * calendar covariates (timeF: a bias-free Linear), then dropout. The module
 * also owns the reference's sinusoidal positional table `pe`, which
 * DataEmbedding_wo_pos never adds ("wo_pos") but keeps as a buffer — so it is
 * in the state dict, and here too.
 *
 * State dict: value_embedding.tokenConv.weight [D, c_in, 3],
 * position_embedding.pe [1, 5000, D], temporal_embedding.embed.weight [D, F].
 */
import { Conv1d } from '../../nn/conv.js';
import { Dropout } from '../../nn/dropout.js';
import { kaimingNormal_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { Buffer } from '../../nn/parameter.js';
import { zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Circular Conv1d(c_in → D, k = 3, padding 1), applied over time: x [N, T, c_in] → [N, T, D]. */
export class TokenEmbedding extends Module<[Tensor], Tensor> {
  // The reference's attribute is camelCase; keep its state-dict name.
  static override stateNames = { tokenConv: 'tokenConv' };
  readonly tokenConv: Conv1d;

  constructor(cIn: number, dModel: number, generator?: Generator) {
    super();
    this.tokenConv = new Conv1d(cIn, dModel, 3, { padding: 1, paddingMode: 'circular', bias: false, generator });
    // kaiming_normal_(mode='fan_in', nonlinearity='leaky_relu') with a = 0: std √2/√(c_in·3).
    kaimingNormal_(this.tokenConv.weight, { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu', generator });
  }

  forward(x: Tensor): Tensor {
    return this.tokenConv.forward(x.transpose(1, 2)).transpose(1, 2);
  }
}

/** The sinusoidal table pe [1, maxLen, D] (a buffer; unused by DataEmbedding_wo_pos). */
export class PositionalEmbedding extends Module<[Tensor], Tensor> {
  readonly pe: Buffer;

  constructor(dModel: number, maxLen = 5000) {
    super();
    const pe = zeros([1, maxLen, dModel]);
    for (let p = 0; p < maxLen; p++) {
      for (let i = 0; i < dModel; i += 2) {
        // float32 arithmetic as the reference: div_term = exp(i · −ln(10000)/D)
        const div = Math.fround(Math.exp(Math.fround(i * Math.fround(-Math.log(10000) / dModel))));
        const a = Math.fround(p * div);
        pe.data[p * dModel + i] = Math.sin(a);
        if (i + 1 < dModel) pe.data[p * dModel + i + 1] = Math.cos(a);
      }
    }
    this.pe = new Buffer(pe);
  }

  /** pe[:, :T] for x [N, T, ·]. */
  forward(x: Tensor): Tensor {
    return this.pe.narrow(1, 0, x.shape[1]);
  }
}

/** timeF: Linear(F → D, no bias) on the calendar covariates [N, T, F]. */
export class TimeFeatureEmbedding extends Module<[Tensor], Tensor> {
  readonly embed: Linear;

  constructor(dModel: number, numFeatures: number, generator?: Generator) {
    super();
    this.embed = new Linear(numFeatures, dModel, { bias: false, generator });
  }

  forward(marks: Tensor): Tensor {
    return this.embed.forward(marks);
  }
}

/** value embedding (+ temporal embedding of the marks, when given) → dropout. */
export class DataEmbeddingWoPos extends Module<[Tensor, Tensor | null], Tensor> {
  readonly valueEmbedding: TokenEmbedding;
  readonly positionEmbedding: PositionalEmbedding;
  readonly temporalEmbedding: TimeFeatureEmbedding;
  readonly dropout: Dropout;

  constructor(cIn: number, dModel: number, numMarks: number, dropout: number, generator?: Generator) {
    super();
    this.valueEmbedding = new TokenEmbedding(cIn, dModel, generator);
    this.positionEmbedding = new PositionalEmbedding(dModel);
    this.temporalEmbedding = new TimeFeatureEmbedding(dModel, numMarks, generator);
    this.dropout = new Dropout(dropout, { generator });
  }

  /** x [N, T, c_in], marks [N, T, F] or null → [N, T, D]. */
  forward(x: Tensor, marks: Tensor | null): Tensor {
    let h = this.valueEmbedding.forward(x);
    if (marks) h = h.add(this.temporalEmbedding.forward(marks));
    return this.dropout.forward(h);
  }

  /** The marks alone, without dropout (the reference's `x is None` branch, used for future covariates). */
  embedMarks(marks: Tensor): Tensor {
    return this.temporalEmbedding.forward(marks);
  }
}
