/**
 * The two training workloads, built from mlpkit's nn layers. They are only
 * workloads for the benchmark (the zoo has the real models); bench/torch_bench.py
 * and bench/tfjs.mjs build the same networks, layer for layer.
 *
 *  - MLP 784-512-512-512-10 with exact GELU.
 *  - A small MLP-Mixer (Tolstikhin et al., 2021) on 32×32×3 images: patch 4
 *    (64 tokens of 48 values) → Linear to 128 channels, 4 blocks of
 *    [LayerNorm → token MLP 64→64→64 over the token axis, residual;
 *     LayerNorm → channel MLP 128→512→128, residual], LayerNorm, mean over
 *    tokens, Linear to 10 classes (≈570k parameters). The stem is patchify +
 *    Linear, which equals the paper's stride-4 convolution.
 */
import { Module, nn } from '../dist/index.js';

export const MLP_BATCH = 256;
export const MIXER_BATCH = 128;
export const MIXER = { image: 32, channels: 3, patch: 4, hidden: 128, tokenMlp: 64, channelMlp: 512, depth: 4, classes: 10 };

export function buildMlp() {
  return new nn.Sequential(
    new nn.Linear(784, 512), new nn.GELU(),
    new nn.Linear(512, 512), new nn.GELU(),
    new nn.Linear(512, 512), new nn.GELU(),
    new nn.Linear(512, 10),
  );
}

class Mlp extends Module {
  constructor(dim, hidden) {
    super();
    this.fc1 = new nn.Linear(dim, hidden);
    this.act = new nn.GELU();
    this.fc2 = new nn.Linear(hidden, dim);
  }
  forward(x) {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

class MixerBlock extends Module {
  constructor(tokens, channels, tokenMlp, channelMlp) {
    super();
    this.norm1 = new nn.LayerNorm(channels);
    this.mlpTokens = new Mlp(tokens, tokenMlp);
    this.norm2 = new nn.LayerNorm(channels);
    this.mlpChannels = new Mlp(channels, channelMlp);
  }
  forward(x) { // (B, T, C)
    const t = this.mlpTokens.forward(this.norm1.forward(x).transpose(1, 2)).transpose(1, 2); // mix along T
    x = x.add(t);
    return x.add(this.mlpChannels.forward(this.norm2.forward(x))); // mix along C
  }
}

export class Mixer extends Module {
  constructor(cfg = MIXER) {
    super();
    this.cfg = { ...cfg };
    const tokens = (cfg.image / cfg.patch) ** 2;
    this.stem = new nn.Linear(cfg.patch * cfg.patch * cfg.channels, cfg.hidden);
    this.blocks = Array.from({ length: cfg.depth }, () => new MixerBlock(tokens, cfg.hidden, cfg.tokenMlp, cfg.channelMlp));
    this.norm = new nn.LayerNorm(cfg.hidden);
    this.head = new nn.Linear(cfg.hidden, cfg.classes);
  }
  forward(img) { // (B, 3, 32, 32)
    const { patch: p, image, channels: c } = this.cfg;
    const g = image / p;
    const B = img.shape[0];
    // (B, c, g, p, g, p) → (B, g, g, p, p, c) → (B, g·g, p·p·c)
    const patches = img.reshape([B, c, g, p, g, p]).permute([0, 2, 4, 3, 5, 1]).reshape([B, g * g, p * p * c]);
    let x = this.stem.forward(patches); // (B, T, C)
    for (const blk of this.blocks) x = blk.forward(x);
    return this.head.forward(this.norm.forward(x).mean(1)); // (B, classes)
  }
}
