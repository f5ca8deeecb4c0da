/** Layer constructors: option objects are checked once, at construction, naming unknown keys and bad values. */
import { describe, expect, it } from 'vitest';
import {
  AvgPool2d, BatchNorm1d, BatchNorm2d, Buffer, Parameter, Conv1d, Conv2d, Dropout, DropPath, Embedding, GELU, GroupNorm, LayerNorm, Linear, MaxPool1d, RMSNorm,
} from '../../src/nn/index.js';
import { Generator, zeros } from '../../src/index.js';

// Options a JS caller (or a spread config) could pass, which the types would reject.
const loose = (o: Record<string, unknown>): never => o as never;

describe('layer options', () => {
  it('unknown keys are named, with a likely intended key and the valid ones', () => {
    expect(() => new Linear(4, 2, loose({ useBias: false }))).toThrow("Linear: unknown option 'useBias' (did you mean 'bias'?); valid options: bias, generator, dtype");
    expect(() => new Conv2d(3, 8, 3, loose({ strides: 2 }))).toThrow("Conv2d: unknown option 'strides' (did you mean 'stride'?)");
    expect(() => new Conv1d(3, 8, 3, loose({ padding_mode: 'reflect' }))).toThrow("Conv1d: unknown option 'padding_mode' (did you mean 'paddingMode'?)");
    expect(() => new LayerNorm(8, loose({ epsilon: 1e-6 }))).toThrow("LayerNorm: unknown option 'epsilon' (did you mean 'eps'?)");
    expect(() => new RMSNorm(8, loose({ affine: false }))).toThrow("RMSNorm: unknown option 'affine'; valid options: eps, elementwiseAffine, dtype");
    expect(() => new GroupNorm(2, 8, loose({ elementwiseAffine: false }))).toThrow("GroupNorm: unknown option 'elementwiseAffine'");
    expect(() => new BatchNorm2d(8, loose({ track_running_stats: false }))).toThrow("BatchNorm2d: unknown option 'track_running_stats' (did you mean 'trackRunningStats'?)");
    expect(() => new BatchNorm1d(8, loose({ momentun: 0.2 }))).toThrow("BatchNorm1d: unknown option 'momentun' (did you mean 'momentum'?)");
    expect(() => new Embedding(10, 4, loose({ padding_idx: 0 }))).toThrow("Embedding: unknown option 'padding_idx' (did you mean 'paddingIdx'?)");
    expect(() => new Dropout(0.1, loose({ seed: 1 }))).toThrow("Dropout: unknown option 'seed'; valid options: generator");
    expect(() => new DropPath(0.1, loose({ scale_by_keep: false }))).toThrow("DropPath: unknown option 'scale_by_keep' (did you mean 'scaleByKeep'?)");
    expect(() => new MaxPool1d(2, loose({ strid: 2 }))).toThrow("MaxPool1d: unknown option 'strid' (did you mean 'stride'?)");
    expect(() => new AvgPool2d(2, loose({ count_include_pad: false }))).toThrow("AvgPool2d: unknown option 'count_include_pad' (did you mean 'countIncludePad'?)");
  });

  it('valid options still build the layer', () => {
    const g = new Generator(0);
    expect(new Linear(4, 2, { bias: false, generator: g, dtype: 'float64' }).bias).toBeNull();
    expect(new Conv2d(3, 8, 3, { stride: 2, padding: 1, bias: false, paddingMode: 'reflect' }).paddingMode).toBe('reflect');
    expect(new BatchNorm1d(8, { momentum: null, affine: false }).weight).toBeNull();
    expect(new Dropout(0.2, { generator: g }).generator).toBe(g);
  });

  it('Parameter and Buffer check what they wrap and their options', () => {
    expect(() => new Parameter(zeros([2]), loose({ requiresGrad: false }))).toThrow('Parameter: requiresGrad must be a boolean, got an object {"requiresGrad":false}');
    expect(() => new Parameter([1, 2] as never)).toThrow('Parameter: expected a tensor to wrap, got an array of length 2');
    expect(() => new Buffer(zeros([2]), loose({ persistant: false }))).toThrow("Buffer: unknown option 'persistant' (did you mean 'persistent'?)");
    expect(new Buffer(zeros([2]), { persistent: false }).persistent).toBe(false);
  });

  it('bad values get PyTorch-like messages', () => {
    expect(() => new Dropout(1.5)).toThrow('Dropout: probability must be in [0, 1], got 1.5');
    expect(() => new Dropout(-0.1)).toThrow('Dropout: probability must be in [0, 1], got -0.1');
    expect(() => new Dropout(loose({ p: 0.1 }))).toThrow('Dropout: probability must be a number in [0, 1], got an object {"p":0.1} (pass it first: new Dropout(0.1, opts))');
    expect(() => new Dropout('0.5' as never)).toThrow('Dropout: probability must be a number in [0, 1], got the string "0.5"');
    expect(() => new DropPath(2)).toThrow('DropPath: probability must be in [0, 1], got 2');
    expect(() => new Conv2d(3, 8, 3, loose({ paddingMode: 'mirror' }))).toThrow("Conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got \"mirror\"");
    expect(() => new Linear(784, '256' as never)).toThrow('Linear: outFeatures must be an integer ≥ 0, got the string "256"');
    expect(() => new Linear(2.5, 3)).toThrow('Linear: inFeatures must be an integer ≥ 0, got 2.5');
    expect(() => new Embedding(-1, 4)).toThrow('Embedding: numEmbeddings must be an integer ≥ 0, got -1');
    expect(() => new Conv2d(0, 8, 3)).toThrow('Conv2d: inChannels must be an integer ≥ 1, got 0');
    expect(() => new BatchNorm1d(loose({ numFeatures: 3 }))).toThrow('BatchNorm1d: numFeatures must be an integer ≥ 1, got an object');
    expect(() => new GELU(loose({ approximate: 'tanh' }))).toThrow("GELU: approximate must be 'none' or 'tanh', got an object");
  });
});
