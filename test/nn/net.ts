/** A small model mirroring the PyTorch `Net` in scripts/gen_nn_fixtures.py (its state-dict names are checked against torch's). */
import { cat, Tensor } from '../../src/index.js';
import * as nn from '../../src/nn/index.js';

class Block extends nn.Module<[Tensor], Tensor> {
  norm: nn.LayerNorm;
  mlp: nn.Sequential;
  layerScale: nn.Parameter;

  constructor(d: number) {
    super();
    this.norm = new nn.LayerNorm(d);
    this.mlp = new nn.Sequential(new nn.Linear(d, 2 * d), new nn.GELU(), new nn.Linear(2 * d, d));
    this.layerScale = new nn.Parameter(new Tensor(new Float32Array(d).fill(0.5), [d], 'float32'));
  }

  forward(x: Tensor): Tensor {
    return x.add(this.layerScale.mul(this.mlp.forward(this.norm.forward(x))));
  }
}

export class Net extends nn.Module<[Tensor], Tensor> {
  embed = new nn.Embedding(7, 4);
  blocks = new nn.ModuleList([new Block(4), new Block(4)]);
  bn = new nn.BatchNorm1d(4);
  heads = new nn.ModuleDict({ cls: new nn.Linear(4, 3), reg: new nn.Linear(4, 1) });

  forward(idx: Tensor): Tensor {
    let x = this.embed.forward(idx).mean(1);
    for (const b of this.blocks) x = b.forward(x);
    x = this.bn.forward(x);
    return cat([this.heads.get('cls').forward(x), this.heads.get('reg').forward(x)], -1);
  }
}
