/** Convolution layers: Conv1d and Conv2d with PyTorch's parameters, options and initialisation. */
import { conv1d, conv2d } from '../ops/conv.js';
import type { PadMode } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { emptyParameter, type FactoryOptions, type Parameter } from './parameter.js';
import { checkInt, checkOptions } from '../util/options.js';

/** 'zeros' pads inside the convolution; the others pad first with that mode (torch's padding_mode). */
export type ConvPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface ConvOptions<P> extends FactoryOptions {
  stride?: P;
  /** Per-side padding, or 'valid' (none) or 'same' (output as long as input; stride 1 only). */
  padding?: P | 'valid' | 'same';
  dilation?: P;
  groups?: number;
  bias?: boolean;
  paddingMode?: ConvPaddingMode;
}

type Pair = number | readonly [number, number];

const CONV_OPTIONS: readonly (keyof ConvOptions<unknown>)[] = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'generator', 'dtype'];
const PADDING_MODES: readonly ConvPaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** Shared machinery of Conv1d (one spatial dim) and Conv2d (two). */
abstract class ConvNd extends Module<[Tensor], Tensor> {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: number[];
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: ConvPaddingMode;
  /** (left, right) padding per spatial dim, first dim first. */
  readonly pads: [number, number][];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number[],
    opts: ConvOptions<number | readonly number[]>,
    op: string,
  ) {
    super();
    checkOptions(op, opts, CONV_OPTIONS);
    checkInt(op, 'inChannels', inChannels, 1);
    checkInt(op, 'outChannels', outChannels, 1);
    const n = kernelSize.length;
    const many = (v: number | readonly number[] | undefined, dflt: number, what: string): number[] => {
      const arr = v === undefined ? Array(n).fill(dflt) : typeof v === 'number' ? Array(n).fill(v) : [...v];
      if (arr.length !== n || arr.some((x) => !Number.isInteger(x) || x < (what === 'padding' ? 0 : 1))) {
        throw new Error(`${op}: ${what} must be ${n} integer${n > 1 ? 's' : ''} ≥ ${what === 'padding' ? 0 : 1}, got ${JSON.stringify(v)}`);
      }
      return arr;
    };
    many(kernelSize, 1, 'kernel size');
    this.stride = many(opts.stride, 1, 'stride');
    this.dilation = many(opts.dilation, 1, 'dilation');
    this.groups = opts.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${this.groups}`);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new Error(`${op}: ${inChannels} input and ${outChannels} output channels must both be divisible by groups=${this.groups}`);
    }
    this.paddingMode = opts.paddingMode ?? 'zeros';
    if (!PADDING_MODES.includes(this.paddingMode)) throw new Error(`${op}: paddingMode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(this.paddingMode)}`);
    const p = opts.padding ?? 0;
    if (p === 'same') {
      if (this.stride.some((s) => s !== 1)) throw new Error(`${op}: padding 'same' is not supported for strided convolutions (stride ${JSON.stringify(this.stride)})`);
      // Odd totals put the extra column on the right, as PyTorch.
      this.pads = kernelSize.map((k, i) => {
        const total = this.dilation[i] * (k - 1);
        return [Math.floor(total / 2), total - Math.floor(total / 2)];
      });
    } else {
      this.pads = many(p === 'valid' ? 0 : p, 0, 'padding').map((v) => [v, v]);
    }
    this.weight = emptyParameter([outChannels, inChannels / this.groups, ...kernelSize], opts.dtype);
    this.bias = opts.bias === false ? null : emptyParameter([outChannels], opts.dtype);
    this.resetParameters(opts);
  }

  /** PyTorch's default: weight kaiming_uniform(a = √5) = U(±1/√fan_in), bias U(±1/√fan_in), fan_in = in/groups·∏kernel. */
  resetParameters(opts: FactoryOptions = {}): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator: opts.generator });
    if (this.bias) {
      const fanIn = this.weight.size / this.outChannels;
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound, opts);
    }
  }

  /** x padded beforehand (for non-zero modes and uneven 'same'), and the symmetric padding left for the kernel. */
  protected prepad(x: Tensor): { x: Tensor; padding: number[] } {
    const symmetric = this.pads.every(([l, r]) => l === r);
    if (this.paddingMode === 'zeros' && symmetric) return { x, padding: this.pads.map(([l]) => l) };
    // F.pad lists (left, right) pairs from the last dim backwards.
    const flat = [...this.pads].reverse().flat();
    const mode: PadMode = this.paddingMode === 'zeros' ? 'constant' : this.paddingMode;
    return { x: x.pad(flat, mode), padding: this.pads.map(() => 0) };
  }

  override extraRepr(): string {
    const pads = this.pads.map(([l, r]) => (l === r ? `${l}` : `${l}/${r}`)).join(', ');
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${pads}]` +
      (this.dilation.some((d) => d !== 1) ? `, dilation=[${this.dilation}]` : '') +
      (this.groups !== 1 ? `, groups=${this.groups}` : '') +
      (this.bias ? '' : ', bias=false') +
      (this.paddingMode !== 'zeros' ? `, paddingMode=${this.paddingMode}` : '');
  }
}

/**
 * 1-D convolution over x [N, C_in, L] → [N, C_out, L_out]; weight
 * [C_out, C_in/groups, k], bias [C_out].
 * @example new Conv1d(8, 16, 3, { padding: 'same' }).forward(randn([4, 8, 96])).shape // [4, 16, 96]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: ConvOptions<number> = {}) {
    super(inChannels, outChannels, [kernelSize], opts, 'Conv1d');
  }

  forward(x: Tensor): Tensor {
    const { x: xp, padding } = this.prepad(x);
    return conv1d(xp, this.weight, this.bias, { stride: this.stride[0], padding: padding[0], dilation: this.dilation[0], groups: this.groups });
  }
}

/**
 * 2-D convolution over x [N, C_in, H, W] → [N, C_out, H_out, W_out]; weight
 * [C_out, C_in/groups, kh, kw], bias [C_out].
 * @example new Conv2d(3, 64, 3, { padding: 1 }).forward(randn([2, 3, 32, 32])).shape // [2, 64, 32, 32]
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvOptions<Pair> = {}) {
    super(inChannels, outChannels, typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize], opts, 'Conv2d');
  }

  forward(x: Tensor): Tensor {
    const { x: xp, padding } = this.prepad(x);
    return conv2d(xp, this.weight, this.bias, {
      stride: [this.stride[0], this.stride[1]],
      padding: [padding[0], padding[1]],
      dilation: [this.dilation[0], this.dilation[1]],
      groups: this.groups,
    });
  }
}
