/**
 * Each vision block against PyTorch: the fixture (scripts/gen_vision_fixtures.py)
 * holds a restatement of the reference block in torch with the reference's
 * parameter names, its random state dict, an input, the output, an upstream
 * gradient and the gradients of the input and of every parameter. Loading the
 * state dict strictly checks mlpkit's names and shapes; the rest checks the math.
 */
import { describe, expect, it } from 'vitest';
import { randn, withBackend, type Tensor } from '../../src/index.js';
import type { Module } from '../../src/nn/index.js';
import { create } from '../../src/models/index.js';
import { BottleneckBlock, layerNorm6, MetaFormerBlock, MixerBlock, PoolFormer, PoolFormerBlock, ResBlock, SpatialGatingBlock, affine } from '../../src/models/vision/index.js';
import { DropPath } from '../../src/nn/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';

interface BlockCase {
  name: string;
  config: Record<string, number & number[]>;
  state: Record<string, FixtureTensor>;
  input: FixtureTensor;
  output: FixtureTensor;
  upstream: FixtureTensor;
  inputGrad: FixtureTensor;
  paramGrads: Record<string, FixtureTensor>;
}

const { cases } = loadFixture<{ cases: BlockCase[] }>('vision_blocks.json');

const noDrop = { drop: 0, dropPath: 0 };
const BUILD: Record<string, (c: BlockCase['config']) => Module<[Tensor], Tensor>> = {
  mixer: (c) => new MixerBlock(c.dim, c.seqLen, c.mlpRatio, { normLayer: layerNorm6, ...noDrop }),
  resmlp: (c) => new ResBlock(c.dim, c.seqLen, c.mlpRatio, 1e-4, { normLayer: affine, ...noDrop }),
  gmlp: (c) => new SpatialGatingBlock(c.dim, c.seqLen, c.mlpRatio, { normLayer: layerNorm6, ...noDrop }),
  poolformer: (c) => new PoolFormerBlock(c.dim, { mlpRatio: c.mlpRatio }),
  bottleneck: (c) => new BottleneckBlock(c.thin, c.wide),
};

const tol = { atol: 2e-5, rtol: 2e-4 };

describe.each(BACKENDS)('vision blocks vs PyTorch (%s backend)', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s block', (_, c) => {
    withBackend(backend, () => {
      const block = BUILD[c.name](c.config);
      // Strict: every reference key present, none extra, same shapes — and in the reference's order.
      block.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, t]) => [k, fromFixture(t)])));
      expect(Object.keys(block.stateDict())).toEqual(Object.keys(c.state));

      const x = fromFixture(c.input, true);
      const y = block.forward(x);
      expectClose(y, fromFixture(c.output), tol, `${c.name} output`);
      y.mul(fromFixture(c.upstream)).sum().backward();
      expectClose(x.grad!, fromFixture(c.inputGrad), tol, `${c.name} input gradient`);
      const params = new Map(block.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [name, g] of Object.entries(c.paramGrads)) {
        expectClose(params.get(name)!.grad!, fromFixture(g), tol, `${c.name} gradient of ${name}`);
      }
    });
  });
});

describe('stochastic depth in the blocks', () => {
  it('a block whose branches are always dropped is the identity in training, not in evaluation', () => {
    const block = new MixerBlock(8, 6, [0.5, 4], { normLayer: layerNorm6, drop: 0, dropPath: 1 });
    const x = randn([3, 6, 8]);
    expect(Array.from(block.forward(x).data)).toEqual(Array.from(x.data));
    expect(Array.from(block.eval().forward(x).data)).not.toEqual(Array.from(x.data));
  });

  it('Mixer uses one rate in every block; PoolFormer grows it linearly to dropPathRate', () => {
    const rates = (m: unknown): number[] =>
      (m as { namedModules(): [string, unknown][] }).namedModules().filter(([, b]) => b instanceof MetaFormerBlock)
        .map(([, b]) => ((b as MetaFormerBlock).dropPath instanceof DropPath ? ((b as MetaFormerBlock).dropPath as DropPath).p : 0));
    expect(rates(create('mixer_tiny_28', { dropPathRate: 0.2 }))).toEqual([0.2, 0.2, 0.2, 0.2]);
    const pool = create('poolformer_tiny_28', { dropPathRate: 0.3 }) as PoolFormer; // stages [1, 1, 3, 1]: 6 blocks
    rates(pool).forEach((p, k) => expect(p).toBeCloseTo((0.3 * k) / 5, 12));
  });
});
