/**
 * Bad input gives an error that names the problem: the op, both shapes for a
 * shape mismatch, the offending dim or index and the valid range.
 */
import { describe, expect, it } from 'vitest';
import {
  avgPool2d, cat, conv1d, conv2d, crossEntropy, einsum, maxPool2d, mseLoss, nllLoss, randn, stack, tensor, where, withBackend, zeros,
} from '../../src/index.js';
import { BACKENDS } from '../helpers.js';

describe.each(BACKENDS)('%s backend', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);
  const x23 = (): ReturnType<typeof zeros> => zeros([2, 3]);

  it('a broadcast mismatch names the op and both shapes', run(() => {
    expect(() => x23().add(zeros([4]))).toThrow('add: shapes [2, 3] and [4] cannot be broadcast together (dim 1: 3 vs 4)');
    expect(() => x23().mul(zeros([3, 3]))).toThrow('mul: shapes [2, 3] and [3, 3] cannot be broadcast together');
    expect(() => x23().lt(zeros([2, 2]))).toThrow('lt: shapes [2, 3] and [2, 2]');
    expect(() => where(tensor([true, false, true]), x23(), zeros([2]))).toThrow(/where: shapes \[2, 3\] and \[2\]/);
    expect(() => x23().expand([4, 3])).toThrow('expand: cannot expand shape [2, 3] to [4, 3] (dim 0: 2 vs 4)');
  }));

  it('matmul and einsum name both shapes and the sizes that disagree', run(() => {
    expect(() => zeros([2, 3]).matmul(zeros([4, 5]))).toThrow('matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 vs 4)');
    expect(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 1]))).toThrow('matmul: batch dims of [2, 2, 3] and [3, 3, 1] cannot be broadcast together ([2] vs [3])');
    expect(() => zeros([]).matmul(zeros([2]))).toThrow('matmul: both operands need at least one dim, got [] and [2]');
    expect(() => einsum('ij,jk->ik', zeros([2, 3]), zeros([4, 5]))).toThrow(/einsum: subscript 'j' has size 3 in one operand and 4 in another/);
    expect(() => einsum('ij->i', zeros([2, 3, 4]))).toThrow("einsum: operand 0 has shape [2, 3, 4] but subscripts 'ij' name 2 dims");
    expect(() => einsum('ij,jk->ik', zeros([2, 3]))).toThrow("einsum: equation 'ij,jk->ik' has 2 operands but 1 tensors were given");
  }));

  it('joining, reshaping and losses name the shapes involved', run(() => {
    expect(() => cat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow("cat: tensor 1 has shape [2, 4], incompatible with tensor 0's [2, 3] for concatenation along dim 0");
    expect(() => stack([zeros([2]), zeros([3])])).toThrow('stack: tensor 1 has shape [3] but tensor 0 has [2]');
    expect(() => cat([zeros([2]), tensor(1)])).toThrow('cat: tensor 1 is 0-d and cannot be concatenated (use stack)');
    expect(() => x23().reshape([4, 2])).toThrow('reshape: cannot reshape a tensor of shape [2, 3] (6 elements) into [4, 2]');
    expect(() => x23().reshape([-1, -1])).toThrow('reshape: only one dimension can be -1, got [-1, -1]');
    expect(() => x23().reshape([-2, 3])).toThrow('reshape: size -2 at index 0 of [-2, 3] is not a non-negative integer (or -1, inferred)');
    expect(() => x23().reshape([-1, 4])).toThrow(/reshape: cannot reshape a tensor of shape \[2, 3\]/);
    expect(() => mseLoss(zeros([2, 3]), zeros([3, 2]))).toThrow('mseLoss: input shape [2, 3] and target shape [3, 2] differ');
    expect(() => crossEntropy(zeros([4, 5]), zeros([5], { dtype: 'int32' }))).toThrow('crossEntropy: input of shape [4, 5] expects a target of shape [4], got [5]');
    expect(() => crossEntropy(zeros([4, 5]), zeros([4]))).toThrow(/crossEntropy: input shape \[4, 5\] and target shape \[4\] differ/);
    expect(() => nllLoss(zeros([2, 3]), tensor([0, 3], { dtype: 'int32' }))).toThrow('nllLoss: target 3 is out of range for 3 classes');
  }));

  it('convolution and pooling name the shapes and settings that do not fit', run(() => {
    expect(() => conv2d(zeros([1, 3, 5, 5]), zeros([2, 4, 3, 3]))).toThrow('conv2d: weight [2, 4, 3, 3] expects 4 input channels (groups=1) but input [1, 3, 5, 5] has 3');
    expect(() => conv2d(zeros([3, 5, 5]), zeros([2, 3, 3, 3]))).toThrow('conv2d: expected input [N, C, H, W], got [3, 5, 5]');
    expect(() => conv2d(zeros([1, 3, 2, 2]), zeros([2, 3, 3, 3]))).toThrow(/conv2d: window of size 3 .* is larger than the padded input \(2 \+ 2·0\)/);
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow('conv2d: 4 input and 3 output channels must both be divisible by groups=2');
    expect(() => conv1d(zeros([1, 2, 5]), zeros([2, 2, 3]), zeros([3]))).toThrow('conv2d: bias of shape [3] does not match 2 output channels');
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { stride: 0 })).toThrow('conv2d: stride must be integers ≥ 1, got [0,0]');
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow('maxPool2d: padding [2,2] must be at most half the kernel size [2,2]');
    expect(() => avgPool2d(zeros([1, 4, 4]), 2)).toThrow('avgPool2d: expected input [N, C, H, W], got [1, 4, 4]');
  }));

  it('an out-of-range dim says which dim, the rank and the valid range', run(() => {
    expect(() => x23().sum(2)).toThrow('sum: dim 2 is out of range for a tensor of rank 2 (expected -2..1)');
    expect(() => x23().softmax(-3)).toThrow('softmax: dim -3 is out of range for a tensor of rank 2 (expected -2..1)');
    expect(() => x23().transpose(0, 5)).toThrow('transpose: dim 5 is out of range');
    expect(() => x23().unsqueeze(4)).toThrow('unsqueeze: dim 4 is out of range for a tensor of rank 3 (expected -3..2)');
    expect(() => x23().permute([0, 0])).toThrow('permute: dims [0,0] repeat a dim');
    expect(() => x23().permute([1])).toThrow('permute: got 1 dims [1] for a tensor of rank 2');
    expect(() => x23().mean([1, 1])).toThrow('mean: dims [1,1] contain a repeated dim');
    expect(() => x23().cumsum(1.5)).toThrow('cumsum: dim 1.5 is out of range');
    expect(() => x23().flip([3])).toThrow('flip: dim 3 is out of range');
  }));

  it('an out-of-range index says which index, dim and size', run(() => {
    expect(() => x23().select(0, 2)).toThrow('select: index 2 is out of range for dim 0 of size 2');
    expect(() => x23().select(1, -4)).toThrow('select: index -4 is out of range for dim 1 of size 3');
    expect(() => x23().narrow(1, 2, 2)).toThrow('narrow: start 2 and length 2 are out of range for dim 1 of size 3');
    expect(() => x23().indexSelect(1, tensor([0, 3], { dtype: 'int32' }))).toThrow('indexSelect: index 3 is out of range for dim 1 of size 3');
    expect(() => x23().gather(0, tensor([[0, 2, 1]], { dtype: 'int32' }))).toThrow('gather: index 2 is out of range for dim 0 of size 2');
    expect(() => x23().gather(0, tensor([0, 1]))).toThrow('gather: index must be an int32 tensor, got float32');
    expect(() => x23().scatterAdd(1, tensor([[-1]], { dtype: 'int32' }), zeros([1, 1]))).toThrow('scatterAdd: index -1 is out of range for dim 1 of size 3');
    expect(() => x23().slice(0, 0, 1, 0)).toThrow('slice: step must be a non-zero integer, got 0');
    expect(() => x23().split([1, 1], 1)).toThrow('split: sizes [1,1] sum to 2 but dim 1 has size 3');
    expect(() => tensor(3).select(0, 0)).toThrow('select: cannot be applied to a 0-d tensor');
    expect(() => tensor(3).slice(0, 0, 1)).toThrow('slice: cannot be applied to a 0-d tensor');
    expect(() => tensor(3).narrow(0, 0, 1)).toThrow('narrow: cannot be applied to a 0-d tensor');
  }));

  it('autograd misuse is explained', run(() => {
    const x = randn([3], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow('backward: a gradient must be given for a non-scalar output of shape [3]');
    expect(() => zeros([1]).backward()).toThrow('backward: the tensor does not require grad and has no grad history');
    expect(() => x.sum().backward(zeros([2]))).toThrow('backward: gradient of shape [2] given for an output of shape []');
    expect(() => {
      x.mul(2).requiresGrad = false;
    }).toThrow('requiresGrad can only be set on leaf tensors (use detach() first)');
  }));
});
